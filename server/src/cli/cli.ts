// The command line as a function: arguments and a small I/O surface in, an exit code out. main.ts wires it to
// the process; the tests call it directly on temporary folders.
import type { SourceFormat } from '../core/source-format';
import { LineIndex } from '../core/text';
import type { Finding } from '../core/types';
import { readClosedFile } from '../core/terraform/read-closed';
import { Workspace } from '../core/workspace';
import { USAGE, parseArgs, type FailOn, type Subcommand } from './args';
import { UsageError } from './options';
import { readCertificates } from './certificates';
import { FileError, cliVersion, collectFiles, readCertificateFile, type Collected } from './files';
import { formatJson } from './format-json';
import { detectAdoPipeline } from './ado-pipeline';
import { formatSarif } from './format-sarif';
import { formatText } from './format-text';
import { loadFormats } from './load-formats';
import { ReadCache } from './read-cache';
import { Fixer } from './fix';
import { SEVERITY_RANK, compareReported, type Location, type Reported } from './report';
import { runThumbprint } from './thumbprint';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal; colors are used only then (and only without NO_COLOR). */
  isTTY: boolean;
}

/**
 * The runner of each subcommand that parses its own arguments, loaded when it runs: probe brings the live check and
 * its X.509 library, whose start-up a lint run should not pay.
 */
const SUBCOMMAND_RUNNERS: Record<Subcommand, (argv: readonly string[], io: CliIo) => Promise<number>> = {
  probe: async (argv, io) => (await import('./probe')).runProbe(argv, io),
  pin: async (argv, io) => (await import('./pin')).runPin(argv, io),
  inventory: async (argv, io) => (await import('./inventory')).runInventory(argv, io),
};

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`apim-tls-lint: ${e.message}\nRun 'apim-tls-lint --help' for usage.\n`);
    return EXIT_ERROR;
  }
  if (parsed.kind === 'help') {
    io.stdout(USAGE);
    return EXIT_CLEAN;
  }
  if (parsed.kind === 'version') {
    io.stdout(`${cliVersion()}\n`);
    return EXIT_CLEAN;
  }
  if (parsed.kind === 'thumbprint') return runThumbprint(parsed.file, io);
  if (parsed.kind === 'subcommand') return SUBCOMMAND_RUNNERS[parsed.name](parsed.argv, io);
  const { options } = parsed;

  let collected: Collected;
  let formats: SourceFormat[];
  // What this run reads of each Terraform file is kept for the next run in this folder (a file changed is read again).
  const cache = ReadCache.open(io.cwd, __filename, io.env);
  try {
    collected = collectFiles(options.paths, io.cwd, options.config);
    if (collected.configProblems.length) {
      io.stderr(collected.configProblems.map((p) => `${p}\n`).join('') + 'apim-tls-lint: fix the configuration file and run again.\n');
      return EXIT_ERROR;
    }
    formats = await loadFormats(collected.formats, io.env, cache && ((parser, file, text) => cache.read(file, text, () => readClosedFile(parser, file, text))));
  } catch (e) {
    if (!(e instanceof FileError)) throw e;
    io.stderr(`apim-tls-lint: ${e.message}\n`);
    return EXIT_ERROR;
  }

  if (collected.skippedJson.length) {
    const shown = collected.skippedJson.slice(0, 3).join(', ') + (collected.skippedJson.length > 3 ? ', …' : '');
    const n = collected.skippedJson.length;
    const what = n === 1 ? 'JSON file that is not an ARM template or parameters file' : 'JSON files that are not ARM templates or parameters files';
    io.stderr(`apim-tls-lint: note: skipped ${n} ${what} (${shown}).\n`);
  }
  const fixer = options.fix ? new Fixer(options.fix) : undefined;
  const reported = lint(collected, formats, fixer).sort(compareReported);
  cache?.save();
  if (fixer) io.stderr(fixer.summary());
  if (fixer?.mode === 'dry-run') {
    io.stdout(fixer.diff());
    return exitCode(reported, options.failOn);
  }
  switch (options.format) {
    case 'json':
      io.stdout(formatJson(reported));
      break;
    case 'sarif': {
      const pipeline = detectAdoPipeline(io.env);
      if (pipeline.state === 'partial') {
        io.stderr(`apim-tls-lint: note: TF_BUILD says this is Azure Pipelines, but ${pipeline.problems.join('; ')}: the SARIF names no pipeline run.\n`);
      }
      io.stdout(formatSarif(reported, { version: cliVersion(), cwd: io.cwd, automation: pipeline.state === 'complete' ? pipeline.details : undefined }));
      break;
    }
    default:
      io.stdout(formatText(reported, { filesChecked: collected.targets.size, color: io.isTTY && !io.env.NO_COLOR }));
  }
  return exitCode(reported, options.failOn);
}

/**
 * Lints each configuration's files in a Workspace of their own and keeps the findings that concern a file the
 * user asked about: in it, or written elsewhere (a tfvars value) and consumed in it.
 */
function lint(collected: Collected, formats: SourceFormat[], fixer?: Fixer): Reported[] {
  const out: Reported[] = [];
  for (const group of collected.groups) {
    const workspace = new Workspace(formats, group.config, group.configDir);
    const byKey = new Map(group.files.map((f) => [f.key, f] as const));
    for (const f of group.files) workspace.setFile(f.key, f.text);
    // Certificate files only feed pinned-ca-expiry; one that is refused (a key, a PFX, garbage) is simply not used.
    for (const key of group.certificateFiles) {
      const bytes = readCertificateFile(key);
      const result = bytes && readCertificates(bytes, key);
      if (result && result.ok) workspace.setCertificates(key, result.certificates);
    }
    // --fix changes the workspace's texts (and the group's) before they are linted for the report.
    fixer?.apply(workspace, group, (f) => concernsTarget(f, collected.targets));
    const indexes = new Map<string, LineIndex>();
    const indexOf = (file: string): LineIndex => {
      let index = indexes.get(file);
      if (!index) indexes.set(file, (index = new LineIndex(byKey.get(file)?.text ?? '')));
      return index;
    };
    const locate = (file: string, start: number, end: number): Location => {
      const s = indexOf(file).positionAt(start);
      const e = indexOf(file).positionAt(end);
      return { file: byKey.get(file)?.display ?? file, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
    };
    const lineText = (file: string, start: number): string => {
      const index = indexOf(file);
      const line = index.positionAt(start).line;
      return (byKey.get(file)?.text ?? '').slice(index.lineStart(line), index.lineEnd(line));
    };
    for (const f of workspace.lint().findings) {
      if (!concernsTarget(f, collected.targets)) continue;
      out.push({
        ...locate(f.file, f.start, f.end),
        ruleId: f.ruleId,
        severity: f.severity,
        message: f.message,
        related: f.related.map((r) => ({ ...locate(r.file, r.start, r.end), message: r.message })),
        lineText: lineText(f.file, f.start),
      });
    }
  }
  return out;
}

function concernsTarget(f: Finding, targets: ReadonlySet<string>): boolean {
  return targets.has(f.file) || f.related.some((r) => targets.has(r.file));
}

function exitCode(findings: readonly Reported[], failOn: FailOn): number {
  if (failOn === 'never') return EXIT_CLEAN;
  const threshold = SEVERITY_RANK[failOn];
  return findings.some((f) => SEVERITY_RANK[f.severity] >= threshold) ? EXIT_FINDINGS : EXIT_CLEAN;
}
