// The server's inventory (`apimTls/inventory`): the core's inventory of the workspace the server holds, with the
// findings last published and the verdicts of the live checks run here, each backend given where to reveal it, its
// hover and its safe fix. Nothing is read from disk: the workspace keeps every file's text and the published findings
// are those of the latest lint.
import * as path from 'node:path';
import { emptyTally, findingConcerns, inventoryWithSources } from './core/inventory/inventory';
import { liveFactsOf } from './core/inventory/live-facts';
import { formatInventoryHtml } from './core/inventory/report/html';
import type { LiveFacts } from './core/inventory/types';
import { asString } from './core/model';
import { summarizeTrust } from './core/trust';
import type { Finding } from './core/types';
import type { InventoryParams, InventoryResult, InventoryViewEntry } from './custom-messages';
import { recentVerdicts } from './live-check';
import { packageVersion } from './package-info';
import type { ServerState } from './server-state';

export function inventoryOf(state: ServerState, params: InventoryParams | undefined): InventoryResult {
  const workspace = state.workspace;
  if (!workspace) return { backends: [], services: [], totals: emptyTally() };
  const { publisher, documents } = state;
  const findings: Finding[] = publisher.publishedFiles().flatMap((file) => [...publisher.findingsOf(file)]);
  const model = workspace.model();
  const certificates = workspace.allCertificates();
  const live = new Map<string, LiveFacts>();
  for (const backend of model.backends) {
    const verdict = recentVerdicts().get(backend.name);
    // A check of a URL since changed says nothing about the backend as it is now.
    if (verdict && verdict.url === asString(backend.url?.val)) live.set(backend.name, liveFactsOf(verdict));
  }
  const textOf = (file: string) => documents.get(file)?.getText() ?? workspace.textOf(file);
  const { inventory, backendOf } = inventoryWithSources({ model, findings, certificates, textOf, live });
  const root = state.rootDir;
  const show = (file: string) => (root && file.startsWith(`${root}/`) ? path.posix.relative(root, file) : file);
  const backends: InventoryViewEntry[] = inventory.backends.map((entry) => {
    const backend = backendOf.get(entry)!;
    const range = publisher.rangeIn(backend.header.file, backend.header.start, backend.header.end);
    const fix = findings
      .filter((f) => findingConcerns(f, backend))
      .flatMap((f) => f.fixes.filter((x) => x.isPreferred && x.kind === 'fix').map((x) => ({ fix: x, ruleId: f.ruleId })))[0];
    const changes: Record<string, Array<{ range: InventoryViewEntry['range']; newText: string }>> = {};
    for (const e of fix?.fix.edits ?? [])
      (changes[documents.uriOf(e.file)] ??= []).push({ range: publisher.rangeIn(e.file, e.start, e.end), newText: e.newText });
    return {
      ...entry,
      file: show(entry.file),
      findings: entry.findings.map((f) => ({ ...f, file: show(f.file) })),
      pins: entry.pins.map((p) => (p.certificate ? { ...p, certificate: { ...p.certificate, file: show(p.certificate.file) } } : p)),
      issuingCa: entry.issuingCa?.file ? { ...entry.issuingCa, file: show(entry.issuingCa.file) } : entry.issuingCa,
      uri: documents.uriOf(backend.header.file),
      range,
      hover: summarizeTrust(backend, certificates, textOf).hover,
      safeFix: fix ? { title: fix.fix.title, ruleId: fix.ruleId, edit: { changes } } : undefined,
    };
  });
  const result: InventoryResult = { ...inventory, backends };
  if (params?.html) {
    result.html = formatInventoryHtml(
      { ...inventory, backends },
      { generatedAt: new Date().toISOString(), version: packageVersion(), probed: backends.some((b) => b.live !== null) },
    );
  }
  return result;
}
