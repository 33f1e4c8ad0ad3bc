// `apim-tls-lint pin`: the editor's "Pin issuing CA from certificate file…" from the shell, for a rollout in small
// batches. Backends are named by FILE:LINE or resource address, or chosen by host (`--all-unpinned --host`); each is
// planned through pin-plan.ts on the texts the previous pins left, and nothing is written unless every one of them
// can be pinned. Exit 0 pinned, 1 nothing to pin, 2 refused (with the reason) or a usage or I/O error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chooseIssuingCa } from '../core/certificates/choose';
import type { CertificateInfo } from '../core/certificates/types';
import { certificateNameMatches, urlHostOf } from '../core/hosts';
import { backendsNamed } from '../core/live/locate';
import type { Backend, Pin } from '../core/model';
import { LineIndex } from '../core/text';
import { Workspace } from '../core/workspace';
import { fileName, readOptions, subcommandArgs, timeoutOption, UsageError } from './options';
import { readCertificates } from './certificates';
import type { CliIo } from './cli';
import { FileError, collectFiles, readCertificateFile, type ConfigGroup } from './files';
import { loadFormats } from './load-formats';
import { acceptedBy, planRequestPin, planSelectionPin, type PinOutcome, type PinSelection } from './pin-plan';
import { liveConfigOfBackend, parseConnect } from '../core/live/backend-config';
import { gatewayOffer } from '../core/live/gateway';
import { judgeLive } from '../core/live/judge';
import { livePinRequest } from '../core/live/pin-from-live';
import { probeBackend, publicRoots } from '../live/probe';
import { unifiedDiff, writeBack } from './write-back';

export const PIN_USAGE = `Usage: apim-tls-lint pin FILE:LINE|ADDRESS... --ca FILE [options]
       apim-tls-lint pin FILE:LINE|ADDRESS... --from-live [--connect HOST:PORT] [options]
       apim-tls-lint pin --all-unpinned --host PATTERN --ca FILE|--from-live [paths...] [options]

Pins backends to the CA that issues their certificates, with the same edit as the editor's "Pin issuing CA from
certificate file…" (Terraform: an azapi_update_resource overlay; ARM and Bicep: properties.tls.serverX509Names).
A backend is named by FILE:LINE (a line of its block, or the line of one of its values) or by its resource
address (azurerm_api_management_backend.orders; ["key"] for one instance of a for_each backend) or its name in
APIM.
--all-unpinned pins every backend below [paths] (default: .) that has no pin and whose URL host matches a
--host pattern (*.contoso.com matches one label, as certificates do).
--from-live pins what each backend really presents instead of a file: it connects to the backend's URL (a TLS
handshake, as \`apim-tls-lint probe --backend\` does; nothing is sent after it), and pins the issuing CA of the
chain it presents with the name its certificate really carries. Each instance of a for_each backend is checked
and pinned on its own. It is the only form of pin that opens a connection.

Options:
  --ca FILE           the issuing CA's certificate (PEM, DER, bundle or PKCS#7)
  --from-live         pin what the backend presents (connects to it) instead of --ca
  --connect HOST:PORT with --from-live: connect there (a tunnel, a jump host), keeping the URL's name
  --timeout MS        with --from-live: the deadline of each handshake (default 5000)
  --index N           which certificate of the file to pin, when the file does not say (see thumbprint FILE)
  --yes               accept what a pin would otherwise stop at: a root, a leaf, a leaf naming another host
  --dry-run           print the edit as a unified diff and write nothing
  --all-unpinned      pin every unpinned backend whose host matches --host (repeatable)
  --host PATTERN      with --all-unpinned
  --config FILE       use FILE instead of the nearest .apim-tls-lint.json
  -h, --help          show this help

Nothing is written unless every backend named can be pinned. Exit codes: 0 pinned (or, with --dry-run, would
be), 1 nothing to pin (every backend named or matched is pinned to this CA already, or none matched), 2 refused
(the reason is printed) or a usage or I/O error.
`;

export interface PinArgs {
  targets: string[];
  paths: string[];
  /** The certificate file; empty with --from-live. */
  ca: string;
  fromLive: boolean;
  connect?: { host: string; port: number | undefined };
  timeoutMs?: number;
  index?: number;
  yes: boolean;
  dryRun: boolean;
  allUnpinned: boolean;
  hosts: string[];
  config?: string;
}

export async function runPin(argv: readonly string[], io: CliIo): Promise<number> {
  const args = subcommandArgs('pin', argv, parsePinArgs, PIN_USAGE, io);
  if (typeof args === 'number') return args;
  const fail = (message: string) => {
    io.stderr(`apim-tls-lint pin: ${message}\n`);
    return 2;
  };

  const certificates = args.fromLive ? { ok: true as const, all: [] } : readCaFile(args.ca, io.cwd);
  if (!certificates.ok) return fail(certificates.reason);
  // The certificate the pin would write, when the file or --index says which (else planning asks for --index).
  const choice = args.index === undefined && !args.fromLive ? chooseIssuingCa(certificates.all) : undefined;
  const expected = args.index !== undefined ? certificates.all[args.index] : choice?.kind === 'chosen' ? certificates.all[choice.index] : undefined;

  let workspaces: Array<{ workspace: Workspace; group: ConfigGroup }>;
  try {
    workspaces = await loadWorkspaces(args, io);
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    return fail(e.message);
  }

  const selected = select(args, workspaces, io.cwd);
  if (!selected.ok) return fail(selected.reason);
  // Each instance presents its own certificate: a live pin checks and pins them one by one.
  const selections = args.fromLive ? { ok: true as const, found: selected.found.flatMap(perInstance) } : selected;
  if (selections.found.length === 0) {
    io.stderr(`apim-tls-lint pin: nothing to pin: no backend without a pin has a host that matches ${args.hosts.join(', ')}.\n`);
    return 1;
  }

  // Each pin is planned on the texts the previous ones left; nothing is written until all of them are planned.
  const before = new Map<string, { text: string; shown: string }>();
  const pinned: string[] = [];
  const already: string[] = [];
  const refused: string[] = [];
  for (const found of selections.found) {
    const selection = currentSelection(found);
    if (!selection) {
      refused.push(`${found.name}: it is no longer found after the pins before it.`);
      continue;
    }
    if (expected && selection.selected.every((b) => b.pins.some((p) => pinnedThumbprint(p) === expected.sha1))) {
      already.push(`${found.name} is pinned to ${expected.sha1} already`);
      continue;
    }
    const outcome = args.fromLive
      ? await planLivePin(found.workspace, selection.selected[0], args, io)
      : planSelectionPin(found.workspace, selection, certificates.all, { index: args.index, yes: args.yes });
    if (!outcome.ok) {
      refused.push(`${found.name}: ${outcome.reason}${outcome.hint ? ` (${outcome.hint})` : ''}.`);
      continue;
    }
    if (outcome.edits.length === 0) {
      already.push(`${found.name} is pinned to ${outcome.thumbprint} already`);
      continue;
    }
    for (const file of new Set(outcome.edits.map((e) => e.file))) {
      const text = found.workspace.textOf(file)!;
      if (!before.has(file)) before.set(file, { text, shown: shownPath(found.group, file, io.cwd) });
      found.workspace.setFile(
        file,
        applyEdits(
          text,
          outcome.edits.filter((e) => e.file === file),
        ),
      );
    }
    const files = [...new Set(outcome.edits.map((e) => shownPath(found.group, e.file, io.cwd)))].join(', ');
    pinned.push(`${found.name} to ${outcome.subject} (${outcome.thumbprint}${outcome.kind === 'certificate' ? ', the leaf itself' : ''}) in ${files}`);
  }
  if (refused.length) {
    io.stderr(refused.map((r) => `apim-tls-lint pin: refused: ${r}\n`).join('') + 'apim-tls-lint pin: nothing was written.\n');
    return 2;
  }
  for (const line of already) io.stderr(`apim-tls-lint pin: ${line}.\n`);
  if (pinned.length === 0) {
    io.stderr('apim-tls-lint pin: nothing to pin.\n');
    return 1;
  }

  const changed = [...before].map(([file, b]) => ({ file, shown: b.shown, before: b.text, after: textAfter(selections.found, file) }));
  if (args.dryRun) {
    io.stdout(changed.map((c) => unifiedDiff(c.shown, c.before, c.after)).join(''));
    io.stderr(pinned.map((p) => `apim-tls-lint pin: would pin ${p}.\n`).join('') + 'apim-tls-lint pin: --dry-run: nothing was written.\n');
    return 0;
  }
  const problems = changed.map((c) => ({ c, problem: writeBack(c.file, c.before, c.after) })).filter((p) => p.problem);
  if (problems.length) {
    io.stderr(problems.map((p) => `apim-tls-lint pin: could not write ${p.c.shown}: ${p.problem}.\n`).join(''));
    return 2;
  }
  io.stdout(pinned.map((p) => `pinned ${p}\n`).join(''));
  return 0;
}

export function parsePinArgs(argv: readonly string[]): PinArgs | 'help' {
  const args: PinArgs = { targets: [], paths: [], ca: '', fromLive: false, yes: false, dryRun: false, allUnpinned: false, hosts: [] };
  const positional: string[] = [];
  const help = readOptions(argv, positional, (option) => {
    switch (option.name) {
      case '--ca':
        args.ca = fileName('--ca', option.value());
        return true;
      case '--index': {
        const text = option.value();
        if (!/^\d+$/.test(text)) throw new UsageError(`--index takes the position of a certificate in the file (0, 1, …); got "${text}".`);
        args.index = Number(text);
        return true;
      }
      case '--yes':
        return (args.yes = option.flag());
      case '--from-live':
        return (args.fromLive = option.flag());
      case '--connect': {
        const text = option.value();
        const connect = parseConnect(text);
        if (!connect) throw new UsageError(`--connect takes HOST[:PORT]; got "${text}".`);
        args.connect = connect;
        return true;
      }
      case '--timeout':
        args.timeoutMs = timeoutOption(option.value());
        return true;
      case '--dry-run':
        return (args.dryRun = option.flag());
      case '--all-unpinned':
        return (args.allUnpinned = option.flag());
      case '--host':
        args.hosts.push(option.value());
        return true;
      case '--config':
        args.config = fileName('--config', option.value());
        return true;
      default:
        return false;
    }
  });
  if (help) return help;
  if (args.fromLive && args.ca) throw new UsageError('--from-live pins what the backend presents: it takes no --ca FILE.');
  if (args.fromLive && args.index !== undefined)
    throw new UsageError('--index picks a certificate of a --ca file; --from-live pins the one the backend presents.');
  if (!args.fromLive && (args.connect || args.timeoutMs !== undefined)) throw new UsageError('--connect and --timeout go with --from-live.');
  if (!args.ca && !args.fromLive) throw new UsageError('pin needs --ca FILE, the certificate of the CA to pin (or --from-live).');
  if (args.allUnpinned) {
    if (args.hosts.length === 0) throw new UsageError('--all-unpinned needs --host PATTERN (which backends to pin).');
    args.paths = positional.length ? positional : ['.'];
    return args;
  }
  if (args.hosts.length) throw new UsageError('--host goes with --all-unpinned.');
  if (positional.length === 0) throw new UsageError('pin needs the backends to pin: FILE:LINE or a resource address (or --all-unpinned --host PATTERN).');
  args.targets = positional;
  // A FILE:LINE names its file (and so its module); an address is looked for below the current folder.
  args.paths = [...new Set(positional.map((t) => LOCATION.exec(t)?.[1] ?? '.'))];
  return args;
}

const LOCATION = /^(.+):(\d+)$/;

interface Found {
  workspace: Workspace;
  group: ConfigGroup;
  /** How the target is shown: an instance name, or the resource address when every instance is pinned. */
  name: string;
  address: string;
  /** The instance keys to pin; undefined for every instance of the resource. */
  keys?: string[];
}

function readCaFile(file: string, cwd: string): { ok: true; all: CertificateInfo[] } | { ok: false; reason: string } {
  const full = path.resolve(cwd, file);
  if (!fs.statSync(full, { throwIfNoEntry: false })?.isFile())
    return { ok: false, reason: `${file} is not a certificate file (it does not exist or is a folder).` };
  const bytes = readCertificateFile(full.split(path.sep).join('/'));
  if (!bytes) return { ok: false, reason: `${file} cannot be read, or is too large for a certificate file.` };
  const read = readCertificates(bytes, full);
  if (!read.ok) return { ok: false, reason: read.reason };
  return { ok: true, all: read.certificates };
}

async function loadWorkspaces(args: PinArgs, io: CliIo): Promise<Array<{ workspace: Workspace; group: ConfigGroup }>> {
  const collected = collectFiles(args.paths, io.cwd, args.config);
  if (collected.configProblems.length) throw new FileError(`the configuration has problems:\n${collected.configProblems.join('\n')}`);
  const formats = await loadFormats(collected.formats, io.env);
  return collected.groups.map((group) => {
    const workspace = new Workspace(formats, group.config, group.configDir);
    for (const f of group.files) workspace.setFile(f.key, f.text);
    return { workspace, group };
  });
}

/** The backends the command line names, each with the workspace that holds it. */
function select(
  args: PinArgs,
  workspaces: Array<{ workspace: Workspace; group: ConfigGroup }>,
  cwd: string,
): { ok: true; found: Found[] } | { ok: false; reason: string } {
  const found: Found[] = [];
  const add = (workspace: Workspace, group: ConfigGroup, picked: Backend[]) => {
    const all = instancesOf(workspace, picked[0]);
    const keys = picked.length < all.length ? picked.map((b) => b.key!) : undefined;
    const name = keys?.length === 1 ? picked[0].name : picked[0].address;
    if (!found.some((f) => f.name === name && f.workspace === workspace)) found.push({ workspace, group, name, address: picked[0].address, keys });
  };
  if (args.allUnpinned) {
    for (const { workspace, group } of workspaces) {
      for (const backend of allBackends(workspace)) {
        const host = urlHostOf(backend.url?.val);
        if (backend.pins.length || !host || host.scheme !== 'https' || !args.hosts.some((h) => certificateNameMatches(h, host.host))) continue;
        add(workspace, group, [backend]);
      }
    }
    return { ok: true, found: mergeInstances(found) };
  }
  for (const target of args.targets) {
    const location = LOCATION.exec(target);
    let hits: Array<{ workspace: Workspace; group: ConfigGroup; backends: Backend[] }> = [];
    for (const { workspace, group } of workspaces) {
      if (location) {
        const key = path.resolve(cwd, location[1]).split(path.sep).join('/');
        const text = workspace.textOf(key);
        if (text === undefined) continue;
        const index = new LineIndex(text);
        const line = Number(location[2]) - 1;
        if (line >= index.lineCount) continue;
        const backends = backendsAt(allBackends(workspace), key, index.lineStart(line), index.lineEnd(line));
        if (backends.length) hits.push({ workspace, group, backends });
      } else {
        const backends = backendsNamed(allBackends(workspace), target);
        if (backends.length) hits.push({ workspace, group, backends });
      }
    }
    hits = hits.filter((h) => h.backends.length);
    if (hits.length === 0) return { ok: false, reason: `no backend ${location ? 'at' : 'is named'} ${target}.` };
    for (const h of hits) add(h.workspace, h.group, h.backends);
  }
  return { ok: true, found };
}

/** A selection of several instances of a for_each backend, as one selection per instance. */
function perInstance(found: Found): Found[] {
  const selection = currentSelection(found);
  if (!selection || selection.selected.length < 2) return [found];
  return selection.selected.map((b) => ({ ...found, name: b.name, keys: [b.key!] }));
}

/**
 * Checks one backend instance live, as \`probe --backend\` does, and plans the pin of what it presented: its issuing
 * CA (or, when it presents no CA, its own certificate, which --yes must accept) and the name its certificate carries.
 */
async function planLivePin(workspace: Workspace, backend: Backend, args: PinArgs, io: CliIo): Promise<PinOutcome> {
  const made = liveConfigOfBackend(backend, workspace.getConfig(), workspace.allCertificates());
  if (!made.ok) return { ok: false, reason: made.reason.replace(/\.$/, '') };
  const config = made.config;
  const connect = args.connect ? { host: args.connect.host, port: args.connect.port ?? config.port } : undefined;
  io.stderr(
    `apim-tls-lint pin: checking ${backend.name} live: connecting to ${connect ? `${connect.host}:${connect.port}` : `${config.host}:${config.port}`}.\n`,
  );
  const observation = await probeBackend({ host: config.host, port: config.port, connect }, { offer: gatewayOffer(config.gateway), timeoutMs: args.timeoutMs });
  const verdict = judgeLive(observation, config, publicRoots());
  const request = livePinRequest(verdict, { file: backend.block.file, offset: backend.block.start, backend }, { accept: acceptedBy(args) });
  if (!request.ok) return { ok: false, reason: request.reason.replace(/\.$/, '') };
  return planRequestPin(workspace, backend, request.request);
}

/** Instances of one resource found one by one (--all-unpinned) become one selection of their keys. */
function mergeInstances(found: Found[]): Found[] {
  const out: Found[] = [];
  for (const f of found) {
    const same = out.find((o) => o.workspace === f.workspace && o.address === f.address && o.keys && f.keys);
    if (same) {
      same.keys!.push(...f.keys!);
      same.name = `${same.address}[${same.keys!.map((k) => JSON.stringify(k)).join(', ')}]`;
      if (same.keys!.length === instancesOf(f.workspace, { address: f.address }).length) {
        same.keys = undefined;
        same.name = same.address;
      }
    } else {
      out.push({ ...f, keys: f.keys && [...f.keys] });
    }
  }
  return out;
}

/** The selection of `found` in the workspace as it is now (earlier pins may have moved its block). */
function currentSelection(found: Found): PinSelection | undefined {
  const instances = instancesOf(found.workspace, { address: found.address });
  const selected = found.keys ? instances.filter((b) => found.keys!.includes(b.key!)) : instances;
  return selected.length ? { selected, instances } : undefined;
}

function instancesOf(workspace: Workspace, backend: Pick<Backend, 'address'>): Backend[] {
  return allBackends(workspace).filter((b) => b.address === backend.address);
}

/** Every backend of the workspace, each instance once. */
function allBackends(workspace: Workspace): Backend[] {
  const all = new Map<string, Backend>();
  for (const p of workspace.paths()) {
    if (!/backend/i.test(workspace.textOf(p) ?? '')) continue;
    for (const b of workspace.backendsIn(p)) all.set(`${b.block.file}#${b.block.start}#${b.name}`, b);
  }
  return [...all.values()];
}

/**
 * The backends a line names: those whose block holds the line's first character (the innermost block's instances),
 * else those whose URL or flag value is written anywhere on the line (a terraform.tfvars entry, one instance's map
 * entry), where live/locate.ts's backendsAt wants an offset inside the value.
 */
function backendsAt(backends: readonly Backend[], file: string, lineStart: number, lineEnd: number): Backend[] {
  type Span = { file: string; start: number; end: number } | undefined;
  const holds = (span: Span) => !!span && span.file === file && span.start <= lineStart && lineStart <= span.end;
  const blocks = backends.filter((b) => holds(b.block));
  if (blocks.length) {
    const innermost = Math.max(...blocks.map((b) => b.block.start));
    return blocks.filter((b) => b.block.start === innermost);
  }
  const onLine = (span: Span) => !!span && span.file === file && span.start <= lineEnd && span.end >= lineStart;
  return backends.filter((b) => [b.validateChain, b.validateName, b.url].some((bound) => onLine(bound?.val.span)));
}

/** A pin's thumbprint as APIM compares it: hex digits only, uppercase. */
function pinnedThumbprint(pin: Pin): string | undefined {
  const v = pin.thumbprint;
  return v?.kind === 'prim' && typeof v.value === 'string' ? v.value.replace(/[^0-9a-f]/gi, '').toUpperCase() : undefined;
}

function textAfter(found: Found[], file: string): string {
  for (const f of found) {
    const text = f.workspace.textOf(file);
    if (text !== undefined) return text;
  }
  return '';
}

function shownPath(group: ConfigGroup, key: string, cwd: string): string {
  return group.files.find((f) => f.key === key)?.display ?? path.relative(cwd, key);
}

function applyEdits(text: string, edits: ReadonlyArray<{ start: number; end: number; newText: string }>): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
