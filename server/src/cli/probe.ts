// `apim-tls-lint probe`: connect to a backend and say whether APIM will trust it (DESIGN §4b). The backend is a URL
// typed on the command line, or one taken from the configuration (`--backend file:line|address [paths]`) with its
// flags, pins, tier and gateway switches. This is the only command of the CLI that opens a connection.
import * as path from 'node:path';
import { LineIndex } from '../core/text';
import { Workspace } from '../core/workspace';
import { liveConfigForUrl, liveConfigOfBackend, parseConnect, type LiveConfigResult } from '../core/live/backend-config';
import { gatewayOffer } from '../core/live/gateway';
import { judgeLive, type LiveVerdict } from '../core/live/judge';
import { backendsAt, backendsNamed } from '../core/live/locate';
import type { Backend } from '../core/model';
import { DEFAULT_TIMEOUT_MS, probeBackend, publicRoots } from '../live/probe';
import { oneOf, readOptions, subcommandArgs, timeoutOption, UsageError } from './options';
import { readCertificates } from './certificates';
import type { CliIo } from './cli';
import { FileError, collectFiles, readCertificateFile } from './files';
import { formatProbeJson, formatProbeText } from './format-probe';
import { loadFormats } from './load-formats';

export const PROBE_USAGE = `Usage: apim-tls-lint probe URL|HOST[:PORT] [options]
       apim-tls-lint probe --backend FILE:LINE|ADDRESS [paths...] [options]

Connects to a backend and says whether API Management will trust it: the certificate's names against the URL
host, the chain it presents (complete? each link signed by the next? a public root, an internal one?), trust
for the tier (public roots; classic: also the service CA store; v2: only a pin), each pin against what is
presented, the TLS versions and cipher suites it shares with APIM, and expiry. Prints the pin that would trust
what it presents. It sends nothing after the TLS handshake.

With --backend, the URL, validation flags, pins, tier and protocol switches come from the configuration: a
backend named by FILE:LINE (a line of its block), its resource address (azurerm_api_management_backend.orders,
with ["key"] for one for_each instance) or its name in APIM, found among the files of [paths] (default: .).

Options:
  --tier v2|classic        the service tier to judge for (default: the configuration's, else v2)
  --connect HOST:PORT      dial this address instead (a tunnel or jump host); the URL host is still sent as
                           SNI and checked against the certificate
  --timeout MS             deadline of each connection (default: ${DEFAULT_TIMEOUT_MS})
  --format text|json       output format (default: text)
  -h, --help               show this help

Exit codes: 0 APIM would accept the backend, 1 it would not (500 BackendConnectionFailure), 2 could not check
(unreachable, a client certificate required, a usage error).
`;

export interface ProbeArgs {
  target?: string;
  backend?: string;
  paths: string[];
  tier?: 'v2' | 'classic';
  connect?: { host: string; port: number | undefined };
  timeoutMs: number;
  format: 'text' | 'json';
}

export async function runProbe(argv: readonly string[], io: CliIo): Promise<number> {
  const args = subcommandArgs('probe', argv, parseProbeArgs, PROBE_USAGE, io);
  if (typeof args === 'number') return args;
  let resolved: LiveConfigResult;
  try {
    resolved = args.backend !== undefined ? await configFromBackend(args, io) : liveConfigForUrl(args.target!, args.tier);
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    io.stderr(`apim-tls-lint probe: ${e.message}\n`);
    return 2;
  }
  if (!resolved.ok) {
    io.stderr(`apim-tls-lint probe: ${resolved.reason}\n`);
    return 2;
  }
  const config = resolved.config;
  if (args.tier) {
    config.gateway.tier = args.tier;
    config.tierSource = '--tier';
  }
  const connect = args.connect ? { host: args.connect.host, port: args.connect.port ?? config.port } : undefined;
  const observation = await probeBackend({ host: config.host, port: config.port, connect }, { offer: gatewayOffer(config.gateway), timeoutMs: args.timeoutMs });
  const verdict = judgeLive(observation, config, publicRoots());
  io.stdout(args.format === 'json' ? formatProbeJson(verdict) : formatProbeText(verdict, { color: io.isTTY && !io.env.NO_COLOR }));
  return exitCodeOf(verdict);
}

export function exitCodeOf(verdict: LiveVerdict): number {
  return verdict.verdict === 'accept' ? 0 : verdict.verdict === 'reject' ? 1 : 2;
}

export function parseProbeArgs(argv: readonly string[]): ProbeArgs | 'help' {
  const args: ProbeArgs = { paths: [], timeoutMs: DEFAULT_TIMEOUT_MS, format: 'text' };
  const positional: string[] = [];
  const help = readOptions(argv, positional, (option) => {
    switch (option.name) {
      case '--backend':
        args.backend = option.value();
        return true;
      case '--tier': {
        const tier = option.value();
        if (tier !== 'v2' && tier !== 'classic') throw new UsageError(`--tier must be v2 or classic; got "${tier}".`);
        args.tier = tier;
        return true;
      }
      case '--connect': {
        const text = option.value();
        const connect = parseConnect(text);
        if (!connect) throw new UsageError(`--connect takes HOST:PORT; got "${text}".`);
        args.connect = connect;
        return true;
      }
      case '--timeout':
        args.timeoutMs = timeoutOption(option.value());
        return true;
      case '--format':
        args.format = oneOf('--format', option.value(), ['text', 'json'] as const);
        return true;
      default:
        return false;
    }
  });
  if (help) return help;
  if (args.backend !== undefined) {
    if (!args.backend) throw new UsageError('--backend needs FILE:LINE or a resource address.');
    args.paths = positional.length ? positional : ['.'];
    return args;
  }
  if (positional.length === 0) throw new UsageError('probe needs a URL or HOST[:PORT] (or --backend FILE:LINE|ADDRESS).');
  if (positional.length > 1) throw new UsageError(`probe takes one URL; got ${positional.length} (${positional.join(' ')}).`);
  args.target = positional[0];
  return args;
}

/**
 * Reads the configuration below `paths` as the linter does and finds the backend `--backend` names: FILE:LINE (a
 * line of its block) or a name (instance, resource address, or its name in APIM). Exactly one must match.
 */
async function configFromBackend(args: ProbeArgs, io: CliIo): Promise<LiveConfigResult> {
  const query = args.backend!;
  const location = /^(.+):(\d+)$/.exec(query);
  const paths = location && !args.paths.some((p) => p !== '.') ? [location[1]] : args.paths;
  const collected = collectFiles(paths, io.cwd);
  if (collected.configProblems.length) throw new FileError(`fix the configuration file first:\n${collected.configProblems.join('\n')}`);
  const formats = await loadFormats(collected.formats, io.env);
  const found: Array<{ backend: Backend; workspace: Workspace }> = [];
  for (const group of collected.groups) {
    const workspace = new Workspace(formats, group.config, group.configDir);
    for (const f of group.files) workspace.setFile(f.key, f.text);
    for (const key of group.certificateFiles) {
      const bytes = readCertificateFile(key);
      const read = bytes && readCertificates(bytes, key);
      if (read && read.ok) workspace.setCertificates(key, read.certificates);
    }
    if (location) {
      const key = path.resolve(io.cwd, location[1]).split(path.sep).join('/');
      const text = workspace.textOf(key);
      const line = Number(location[2]);
      if (text === undefined) continue;
      const start = new LineIndex(text).offsetAt({ line: line - 1, character: 0 });
      // The line's first word: a block's header line starts its block, any other line of the block lies inside it.
      const offset = start + (/^[ \t]*/.exec(text.slice(start))?.[0].length ?? 0);
      const hits = backendsAt(workspace.backendsIn(key), key, offset);
      found.push(...hits.map((backend) => ({ backend, workspace })));
    } else {
      const candidates = workspace.paths().filter((p) => /backend/i.test(workspace.textOf(p) ?? ''));
      const all = new Map<string, Backend>();
      for (const p of candidates) for (const b of workspace.backendsIn(p)) all.set(`${b.block.file}#${b.block.start}#${b.name}`, b);
      found.push(...backendsNamed([...all.values()], query).map((backend) => ({ backend, workspace })));
    }
  }
  if (found.length === 0) return { ok: false, reason: `no backend matches ${query} in ${args.paths.join(', ')}.` };
  if (found.length > 1) {
    const names = [...new Set(found.map((f) => f.backend.name))];
    return { ok: false, reason: `${query} names ${found.length} backends; name one: ${names.join(', ')}.` };
  }
  const [{ backend, workspace }] = found;
  return liveConfigOfBackend(backend, workspace.getConfig(), workspace.allCertificates());
}
