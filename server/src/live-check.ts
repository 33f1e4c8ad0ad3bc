// The server's live check (`apimTls.checkBackendLive`): finds the backend at a position, reads its configuration
// through the live adapter, runs the probe and returns the verdict; and the live source of `apimTls.pinBackend`
// (`fromLive`), which pins what the backend presented to its last live check, or to a new one when there is none.
// The probe (./live) is the only code that connects; this file decides nothing about TLS, it only wires the
// workspace to the probe, the verdict and the pin flow.
import { liveConfigOfBackend, parseConnect } from './core/live/backend-config';
import { gatewayOffer } from './core/live/gateway';
import { judgeLive, type LiveVerdict } from './core/live/judge';
import { backendsAt } from './core/live/locate';
import { livePinRequest, type LivePinRequest } from './core/live/pin-from-live';
import { liveReport } from './core/live/report';
import { urlHostOf } from './core/hosts';
import { asString, type Backend } from './core/model';
import { LineIndex } from './core/text';
import type { CommandHost } from './commands';
import {
  CHECK_BACKEND_LIVE,
  INVENTORY_CHANGED,
  type CheckBackendLiveArgs,
  type CheckBackendLiveResult,
  type CommandFailure,
  type CommandPosition,
  type PinAnswers,
  type PinBackendArgs,
  type PinInstances,
} from './custom-messages';
import { probeBackend, publicRoots } from './live/probe';

/** The last verdict per backend instance, for a pin from what it presented (newest last, a few kept). */
const recent = new Map<string, LiveVerdict>();
const KEEP = 20;

/** The last verdict of each backend instance checked live on this server (the inventory shows what it saw). */
export function recentVerdicts(): ReadonlyMap<string, LiveVerdict> {
  return recent;
}

export async function checkBackendLive(host: CommandHost, args: CheckBackendLiveArgs | undefined): Promise<CheckBackendLiveResult> {
  if (!args || typeof args.uri !== 'string' || !isPosition(args.position)) {
    return { error: `${CHECK_BACKEND_LIVE} expects [{ uri, position, backend?, connect?, timeoutMs? }].` };
  }
  const found = backendsAtPosition(host, args.uri, args.position);
  if ('error' in found) return found;
  const candidates = args.backend === undefined ? found.backends : found.backends.filter((b) => b.name === args.backend);
  if (candidates.length === 0) return { error: args.backend ? `There is no backend ${args.backend} here.` : NO_BACKEND };
  if (candidates.length > 1) return { choices: candidates.map((b) => b.name) };
  const checked = await runLiveCheck(host, candidates[0], args);
  return 'error' in checked ? checked : liveReport(checked);
}

/**
 * The pin flow's request for `apimTls.pinBackend` with `fromLive`: the backend instance at the position (named by
 * `backend` or a single `instances` key when several share the block), and what it presented to the last live check
 * of this server, provided its URL is still the one checked and it saw a certificate; without such a check, one is
 * run now (it connects, as `apimTls.checkBackendLive` does, through `connect` when given).
 */
export async function livePinSource(
  host: CommandHost,
  args: PinBackendArgs,
  answers: PinAnswers,
): Promise<(LivePinRequest & { ok: true }) | PinInstances | CommandFailure> {
  const found = backendsAtPosition(host, args.uri, args.position);
  if ('error' in found) return found;
  if (answers.instances !== undefined && answers.instances.length !== 1) {
    return { error: 'Pin what it presents pins one instance at a time: each instance of a for_each backend presents its own certificate.' };
  }
  let candidates = found.backends;
  if (args.backend !== undefined) candidates = candidates.filter((b) => b.name === args.backend);
  if (answers.instances) candidates = candidates.filter((b) => b.key === answers.instances![0]);
  if (candidates.length === 0) return { error: args.backend ? `There is no backend ${args.backend} here.` : NO_BACKEND };
  if (candidates.length > 1) {
    // Each instance presents its own certificate: pin the one checked live, or ask which.
    const checked = candidates.filter((b) => recent.has(b.name));
    if (checked.length !== 1) return instancesQuestion(candidates);
    candidates = checked;
  }
  const backend = candidates[0];
  let verdict = recent.get(backend.name);
  // A check that saw no certificate, or of a URL since changed, is no source: check again.
  if (!verdict || verdict.presented.length === 0 || verdict.url !== asString(backend.url?.val)) {
    const checked = await runLiveCheck(host, backend, args);
    if ('error' in checked) return checked;
    verdict = checked;
  }
  const made = livePinRequest(verdict, { file: found.file, offset: found.offset, backend }, answers);
  return made.ok ? made : { error: made.reason };
}

const NO_BACKEND = 'There is no backend here: place the cursor in a backend block.';

type Found = { file: string; offset: number; backends: Backend[] } | CommandFailure;

function backendsAtPosition(host: CommandHost, uri: string, position: CommandPosition): Found {
  const workspace = host.workspace();
  if (!workspace) return { error: 'The language server is not initialized yet.' };
  const file = host.toPath(uri);
  const text = host.textOf(file);
  if (text === undefined || !workspace.has(file)) return { error: 'This file is not a Terraform, ARM template or Bicep file of the workspace.' };
  const offset = new LineIndex(text).offsetAt(position);
  return { file, offset, backends: backendsAt(workspace.backendsIn(file), file, offset) };
}

/** Probes one backend instance as its configuration says, judges what it presents, and keeps the verdict. */
async function runLiveCheck(host: CommandHost, backend: Backend, options: { connect?: unknown; timeoutMs?: unknown }): Promise<LiveVerdict | CommandFailure> {
  const workspace = host.workspace();
  if (!workspace) return { error: 'The language server is not initialized yet.' };
  const made = liveConfigOfBackend(backend, workspace.getConfig(), workspace.allCertificates());
  if (!made.ok) return { error: made.reason };
  const config = made.config;
  let connect: { host: string; port: number } | undefined;
  if (options.connect !== undefined) {
    const parsed = typeof options.connect === 'string' ? parseConnect(options.connect) : undefined;
    if (!parsed) return { error: `connect takes HOST:PORT; got ${JSON.stringify(options.connect)}.` };
    connect = { host: parsed.host, port: parsed.port ?? config.port };
  }
  const timeoutMs = typeof options.timeoutMs === 'number' && Number.isInteger(options.timeoutMs) && options.timeoutMs > 0 ? options.timeoutMs : undefined;
  host.connection.console.info(
    `Live check of ${backend.name}: connecting to ${connect ? `${connect.host}:${connect.port}` : `${config.host}:${config.port}`}.`,
  );
  const observation = await probeBackend({ host: config.host, port: config.port, connect }, { offer: gatewayOffer(config.gateway), timeoutMs });
  const verdict = judgeLive(observation, config, publicRoots());
  remember(backend.name, verdict);
  host.connection.console.info(`Live check of ${backend.name}: ${verdict.outcome}`);
  // The inventory shows what the check saw.
  void host.connection.sendNotification(INVENTORY_CHANGED).catch(() => undefined);
  return verdict;
}

function instancesQuestion(backends: Backend[]): PinInstances {
  const newest = [...recent.keys()].reverse().find((name) => backends.some((b) => b.name === name));
  return {
    applied: false,
    backend: backends[0].address,
    instances: backends.map((b) => ({
      key: b.key ?? b.name,
      host: urlHostOf(b.url?.val)?.host,
      pinned: b.pins.some((p) => !p.uncertain),
      // The instance checked live last is the likely one.
      preselected: b.name === newest,
    })),
  };
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
