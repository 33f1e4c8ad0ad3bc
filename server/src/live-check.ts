// The server's live check command (`apimTls.checkBackendLive`): finds the backend at a position, reads its
// configuration through the live adapter, runs the probe and returns the verdict. The probe (./live) is the only
// code that connects; this file decides nothing about TLS, it only wires the workspace to the probe and the verdict.
import { liveConfigOfBackend, parseConnect } from './core/live/backend-config';
import { gatewayOffer } from './core/live/gateway';
import { judgeLive, type LiveVerdict } from './core/live/judge';
import { backendsAt } from './core/live/locate';
import { liveReport } from './core/live/report';
import { LineIndex } from './core/text';
import type { CommandHost } from './commands';
import { CHECK_BACKEND_LIVE, type CheckBackendLiveArgs, type CheckBackendLiveResult } from './custom-messages';
import { probeBackend, publicRoots } from './live/probe';

/** The last verdict per backend instance, for a pin from what it presented (newest last, a few kept). */
const recent = new Map<string, LiveVerdict>();
const KEEP = 20;

export async function checkBackendLive(host: CommandHost, args: CheckBackendLiveArgs | undefined): Promise<CheckBackendLiveResult> {
  if (!args || typeof args.uri !== 'string' || !isPosition(args.position)) {
    return { error: `${CHECK_BACKEND_LIVE} expects [{ uri, position, backend?, connect?, timeoutMs? }].` };
  }
  const workspace = host.workspace();
  if (!workspace) return { error: 'The language server is not initialized yet.' };
  const file = host.toPath(args.uri);
  const text = host.textOf(file);
  if (text === undefined || !workspace.has(file)) return { error: 'This file is not a Terraform, ARM template or Bicep file of the workspace.' };
  const at = backendsAt(workspace.backendsIn(file), file, new LineIndex(text).offsetAt(args.position));
  const candidates = args.backend === undefined ? at : at.filter((b) => b.name === args.backend);
  if (candidates.length === 0) {
    return { error: args.backend ? `There is no backend ${args.backend} here.` : 'There is no backend here: place the cursor in a backend block.' };
  }
  if (candidates.length > 1) return { choices: candidates.map((b) => b.name) };
  const backend = candidates[0];

  const made = liveConfigOfBackend(backend, workspace.getConfig(), workspace.allCertificates());
  if (!made.ok) return { error: made.reason };
  const config = made.config;
  let connect: { host: string; port: number } | undefined;
  if (args.connect !== undefined) {
    const parsed = typeof args.connect === 'string' ? parseConnect(args.connect) : undefined;
    if (!parsed) return { error: `connect takes HOST:PORT; got ${JSON.stringify(args.connect)}.` };
    connect = { host: parsed.host, port: parsed.port ?? config.port };
  }
  const timeoutMs = Number.isInteger(args.timeoutMs) && args.timeoutMs! > 0 ? args.timeoutMs : undefined;
  host.connection.console.info(
    `Live check of ${backend.name}: connecting to ${connect ? `${connect.host}:${connect.port}` : `${config.host}:${config.port}`}.`,
  );
  const observation = await probeBackend({ host: config.host, port: config.port, connect }, { offer: gatewayOffer(config.gateway), timeoutMs });
  const verdict = judgeLive(observation, config, publicRoots());
  remember(backend.name, verdict);
  host.connection.console.info(`Live check of ${backend.name}: ${verdict.outcome}`);
  return liveReport(verdict);
}

/** The last live verdict of a backend instance this server computed, if any. */
export function lastLiveVerdict(backend: string): LiveVerdict | undefined {
  return recent.get(backend);
}

function remember(backend: string, verdict: LiveVerdict): void {
  recent.delete(backend);
  recent.set(backend, verdict);
  while (recent.size > KEEP) recent.delete(recent.keys().next().value!);
}

function isPosition(p: unknown): p is { line: number; character: number } {
  const q = p as { line?: unknown; character?: unknown } | undefined;
  return !!q && Number.isInteger(q.line) && Number.isInteger(q.character);
}
