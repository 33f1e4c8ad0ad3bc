// Hover and code lens: a backend's effective TLS trust where the user reads it. The words come from the core
// (trust.ts); this file only places them in the document.
import type { CodeLens, Hover, Position } from 'vscode-languageserver/node';
import { MarkupKind } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { urlHostOf } from './core/hosts';
import type { Backend } from './core/model';
import { summarizeAcrossEnvironments } from './core/trust';
import { CHECK_BACKEND_LIVE, type CheckBackendLiveArgs } from './custom-messages';
import { LineIndex } from './core/text';
import type { Workspace } from './core/workspace';

/**
 * One lens per backend declared in the file (one per resource block: for_each instances share a line), and beside it
 * a "Check live" lens on each block with an https URL whose host is known.
 */
export function trustLenses(workspace: Workspace, file: string, text: string): CodeLens[] {
  const index = new LineIndex(text);
  const byBlock = new Map<number, string[]>();
  const live = new Set<number>();
  for (const instances of byInstance(workspace.backendsIn(file))) {
    const backend = instances[0];
    if (instances.some((b) => urlHostOf(b.url?.val)?.scheme === 'https')) live.add(backend.block.start);
    const { lens } = summarizeAcrossEnvironments(instances, workspace.allCertificates(), (f) => workspace.textOf(f));
    const label = backend.key === undefined ? lens : `${backend.key}: ${lens.replace(/^TLS: /, '')}`;
    byBlock.set(backend.block.start, [...(byBlock.get(backend.block.start) ?? []), label]);
  }
  return [...byBlock].flatMap(([start, labels]) => {
    const line = index.positionAt(start).line;
    const range = { start: { line, character: 0 }, end: { line, character: 0 } };
    const title = labels.length === 1 ? labels[0] : `TLS: ${labels.join(' · ')}`;
    // A command-less lens is a label; VS Code shows it without making it clickable.
    const lenses: CodeLens[] = [{ range, command: { title, command: '' } }];
    if (live.has(start)) {
      const args: CheckBackendLiveArgs = { uri: URI.file(file).toString(), position: index.positionAt(start) };
      lenses.push({ range, command: { title: 'Check live', command: CHECK_BACKEND_LIVE, arguments: [args] } });
    }
    return lenses;
  });
}

/**
 * The hover over a backend's header line: flags with where their values come from, pins, certificates, tier.
 * Only the header, so that hovering an attribute inside the block shows that attribute's diagnostics alone.
 */
export function trustHover(workspace: Workspace, file: string, text: string, position: Position): Hover | null {
  const index = new LineIndex(text);
  const offset = index.offsetAt(position);
  const backends = workspace.backendsIn(file).filter((b) => b.block.start <= offset && offset <= b.block.bodyStart);
  if (backends.length === 0) return null;
  const parts = byInstance(backends).map((b) => summarizeAcrossEnvironments(b, workspace.allCertificates(), (f) => workspace.textOf(f)).hover);
  const block = backends[0].block;
  return {
    contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') },
    range: { start: index.positionAt(block.start), end: index.positionAt(block.bodyStart) },
  };
}

/** The backends of a file by instance (block and key): one entry per environment of a module read once per environment. */
function byInstance(backends: readonly Backend[]): Backend[][] {
  const out = new Map<string, Backend[]>();
  for (const b of backends) {
    const key = `${b.block.start}\u0000${b.key ?? ''}`;
    out.set(key, [...(out.get(key) ?? []), b]);
  }
  return [...out.values()];
}
