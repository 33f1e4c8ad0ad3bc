// `apim-tls-lint inventory`: every backend at a glance (DESIGN §4c) as a table for the terminal, Markdown for a pull
// request or wiki, CSV for a spreadsheet, JSON for scripts (schemas/inventory.schema.json) or one self-contained HTML
// file. It reads the files as the linter does; with --probe it also runs the live check of each https backend, a few
// at a time, which is the only time it connects anywhere.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildInventory } from '../core/inventory/inventory';
import { liveFactsOf } from '../core/inventory/live-facts';
import { mergeInventories } from '../core/inventory/merge';
import { formatInventoryCsv } from '../core/inventory/report/csv';
import { formatInventoryHtml } from '../core/inventory/report/html';
import { formatInventoryJson } from '../core/inventory/report/json';
import { formatInventoryMarkdown } from '../core/inventory/report/markdown';
import { formatInventoryText, type TextOptions } from '../core/inventory/report/text';
import type { Inventory, LiveFacts } from '../core/inventory/types';
import type { Backend } from '../core/model';
import { Workspace } from '../core/workspace';
import { fileName, oneOf, readOptions, subcommandArgs, timeoutOption, UsageError, wholeNumber } from './options';
import { readCertificates } from './certificates';
import type { CliIo } from './cli';
import { FileError, cliVersion, collectFiles, readCertificateFile } from './files';
import { loadFormats } from './load-formats';

export const INVENTORY_FORMATS = ['text', 'markdown', 'csv', 'json', 'html'] as const;
export type InventoryFormat = (typeof INVENTORY_FORMATS)[number];

/** Backends checked at once by --probe (each check is six short handshakes). */
const DEFAULT_CONCURRENCY = 4;

export const INVENTORY_USAGE = `Usage: apim-tls-lint inventory [paths...] [options]

Lists every API Management backend below [paths] (default: .): its service and tier, URL host, how it is
trusted (trusts any certificate, name checked but chain not, default trust, pinned to a CA, plain http, or a pin
that cannot work), its pins and the certificate files that match them, its findings, and its migration stage:
0 insecure, 1 name validation back on, 2 issuing CA known, 3 pinned, 4 cleaned up, with what keeps it from the
next stage. A summary per service counts backends per trust state and stage.

Options:
  --format text|markdown|csv|json|html   output format (default: text). markdown pastes into a pull request or
                                         wiki; csv opens in a spreadsheet; json follows
                                         schemas/inventory.schema.json; html is one self-contained file
  --output FILE                          write the report to FILE instead of stdout
  --probe                                run the live check of each https backend (it connects to each backend's
                                         host, a TLS handshake, nothing sent after it) and add what it presents:
                                         names, issuing CA, verdict, and the pin that would trust it
  --concurrency N                        with --probe: backends checked at once (default: ${DEFAULT_CONCURRENCY})
  --timeout MS                           with --probe: deadline of each connection (default: 5000)
  --config FILE                          use FILE instead of the nearest .apim-tls-lint.json
  -h, --help                             show this help

Without --probe nothing connects anywhere. Exit codes: 0 report written, 2 usage, configuration or I/O error.
`;

export interface InventoryArgs {
  paths: string[];
  format: InventoryFormat;
  output?: string;
  probe: boolean;
  concurrency: number;
  timeoutMs?: number;
  config?: string;
}

export async function runInventory(argv: readonly string[], io: CliIo): Promise<number> {
  const args = subcommandArgs('inventory', argv, parseInventoryArgs, INVENTORY_USAGE, io);
  if (typeof args === 'number') return args;
  let inventory: Inventory;
  try {
    inventory = await inventoryOf(args, io);
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    io.stderr(`apim-tls-lint inventory: ${e.message}\n`);
    return 2;
  }
  const columns = Number(io.env.COLUMNS);
  const options = { generatedAt: new Date().toISOString(), version: cliVersion(), probed: args.probe, width: columns > 0 ? columns : undefined };
  const report = render(inventory, args.format, options);
  if (args.output === undefined) {
    io.stdout(report);
    return 0;
  }
  const target = path.resolve(io.cwd, args.output);
  try {
    fs.writeFileSync(target, report);
  } catch (e) {
    io.stderr(`apim-tls-lint inventory: cannot write ${args.output}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const { backends, pinned } = inventory.totals;
  io.stderr(`apim-tls-lint inventory: ${backends} backend${backends === 1 ? '' : 's'} (${pinned} pinned) written to ${args.output}.\n`);
  return 0;
}

export function parseInventoryArgs(argv: readonly string[]): InventoryArgs | 'help' {
  const args: InventoryArgs = { paths: [], format: 'text', probe: false, concurrency: DEFAULT_CONCURRENCY };
  const help = readOptions(argv, args.paths, (option) => {
    switch (option.name) {
      case '--format':
        args.format = oneOf('--format', option.value(), INVENTORY_FORMATS);
        return true;
      case '--output':
        args.output = fileName('--output', option.value());
        return true;
      case '--config':
        args.config = fileName('--config', option.value());
        return true;
      case '--probe':
        return (args.probe = option.flag());
      case '--concurrency':
        args.concurrency = wholeNumber('--concurrency', option.value(), 1, 32);
        return true;
      case '--timeout':
        args.timeoutMs = timeoutOption(option.value());
        return true;
      default:
        return false;
    }
  });
  if (help) return help;
  if (!args.probe && (argv.some((a) => a.startsWith('--concurrency')) || args.timeoutMs !== undefined)) {
    throw new UsageError('--concurrency and --timeout go with --probe.');
  }
  if (args.paths.length === 0) args.paths.push('.');
  return args;
}

/** Reads and lints each configuration's files in a workspace of its own, probes when asked, and joins the inventories. */
async function inventoryOf(args: InventoryArgs, io: CliIo): Promise<Inventory> {
  const collected = collectFiles(args.paths, io.cwd, args.config);
  if (collected.configProblems.length) throw new FileError(`fix the configuration file first:\n${collected.configProblems.join('\n')}`);
  const formats = await loadFormats(collected.formats, io.env);
  const parts: Inventory[] = [];
  for (const group of collected.groups) {
    const workspace = new Workspace(formats, group.config, group.configDir);
    const display = new Map(group.files.map((f) => [f.key, f.display] as const));
    for (const f of group.files) workspace.setFile(f.key, f.text);
    for (const key of group.certificateFiles) {
      const bytes = readCertificateFile(key);
      const read = bytes && readCertificates(bytes, key);
      if (read && read.ok) workspace.setCertificates(key, read.certificates);
    }
    const { findings } = workspace.lint();
    const model = workspace.model();
    // Backends declared in a file the user named; the files beside it were read only so that values resolve.
    const backends = model.backends.filter((b) => collected.targets.has(b.header.file));
    const live = args.probe ? await probeAll(backends, workspace, args) : undefined;
    parts.push(
      buildInventory({
        model: { ...model, backends },
        findings,
        certificates: workspace.allCertificates(),
        textOf: (file) => workspace.textOf(file),
        live,
        displayPath: (file) => display.get(file) ?? relative(io.cwd, file),
      }),
    );
  }
  return mergeInventories(parts);
}

/** The live check of every https backend whose host is known, `concurrency` at a time. */
async function probeAll(backends: readonly Backend[], workspace: Workspace, args: InventoryArgs): Promise<Map<string, LiveFacts>> {
  // The live check and its X.509 library load only when a probe runs.
  const [{ liveConfigOfBackend }, { gatewayOffer }, { judgeLive }, { probeBackend, publicRoots }] = await Promise.all([
    import('../core/live/backend-config'),
    import('../core/live/gateway'),
    import('../core/live/judge'),
    import('../live/probe'),
  ]);
  const out = new Map<string, LiveFacts>();
  const queue = backends.filter((b) => !b.keysUnknown);
  const worker = async () => {
    for (let backend = queue.shift(); backend; backend = queue.shift()) {
      const made = liveConfigOfBackend(backend, workspace.getConfig(), workspace.allCertificates());
      // A backend that cannot be checked (plain http, a host the configuration does not know) has no live facts.
      if (!made.ok) continue;
      const { config } = made;
      const observation = await probeBackend({ host: config.host, port: config.port }, { offer: gatewayOffer(config.gateway), timeoutMs: args.timeoutMs });
      out.set(backend.name, liveFactsOf(judgeLive(observation, config, publicRoots())));
    }
  };
  await Promise.all(Array.from({ length: Math.min(args.concurrency, queue.length) }, worker));
  return out;
}

function render(inventory: Inventory, format: InventoryFormat, options: TextOptions): string {
  switch (format) {
    case 'markdown':
      return formatInventoryMarkdown(inventory, options);
    case 'csv':
      return formatInventoryCsv(inventory, options);
    case 'json':
      return formatInventoryJson(inventory, options);
    case 'html':
      return formatInventoryHtml(inventory, options);
    default:
      return formatInventoryText(inventory, options);
  }
}

function relative(cwd: string, key: string): string {
  const rel = path.relative(cwd, key);
  return (rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : key).split(path.sep).join('/');
}
