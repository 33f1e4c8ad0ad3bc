// The invariants of DESIGN §8, checked for one fuzz input through the core (a Workspace, as the server uses it) and
// through the CLI (in-process, on real files): nothing throws, every range lies inside its file's text, each fix
// tried keeps a file that parsed parsing and takes its finding away, and the time each path took is measured.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stripComments } from 'jsonc-parser';
import { runCli } from '../../server/src/cli/cli';
import { bicepFormat } from '../../server/src/core/bicep/format';
import { readCertificates } from '../../server/src/core/certificates/read';
import type { CertificateInfo } from '../../server/src/core/certificates/types';
import { parseConfig } from '../../server/src/core/config';
import { buildInventory } from '../../server/src/core/inventory/inventory';
import { formatInventoryCsv } from '../../server/src/core/inventory/report/csv';
import { formatInventoryHtml } from '../../server/src/core/inventory/report/html';
import { formatInventoryJson } from '../../server/src/core/inventory/report/json';
import { formatInventoryMarkdown } from '../../server/src/core/inventory/report/markdown';
import type { PinAnswers, PinQuestion, PinRequest } from '../../server/src/core/fixes/pin-flow';
import { formatOf } from '../../server/src/core/formats';
import type { BicepParser } from '../../server/src/core/parse/bicep-parser';
import type { TerraformParser } from '../../server/src/core/parse/terraform-parser';
import { RULE_IDS } from '../../server/src/core/rules';
import type { Finding, Fix, Span, TextEdit } from '../../server/src/core/types';
import { Workspace } from '../../server/src/core/workspace';
import { applyEdits, FIXTURE_NOW } from '../support/fixtures';
import { hclAccepts } from '../support/hcl';
import { REPO_ROOT, testBicepParser, testParser } from '../support/parser';
import { privateKeyLines, type SeedFile } from './seeds';

export interface InputFile {
  name: string;
  bytes: Uint8Array;
  format: SeedFile['format'];
}

export interface Outcome {
  /** What broke an invariant, one line each; empty when the input passed. */
  failures: string[];
  /** Milliseconds of the core's lint (the parse budget) and of the whole CLI run, on the wall clock. */
  lintMs: number;
  cliMs: number;
  /**
   * The same in CPU time of the process (the checking thread's work: the main thread waits meanwhile). The time bound
   * is on these, as the parse budgets are: on a shared machine the wall clock also counts other processes' work.
   */
  lintCpuMs?: number;
  cliCpuMs?: number;
  /** The largest file's length in characters: the Terraform parse budget grows with it (0.5 ms per 1,000). */
  maxChars?: number;
  /** For a slow input: how long the bare parses of its files took, to tell the parser's time from ours. */
  parseMs?: number;
}

/** A lint slower than this has its files' bare parse timed too. */
const SLOW_MS = 500;
/** Fixes tried per input: each costs a re-lint and parser checks. */
const MAX_FIXES_TRIED = 3;
/** HashiCorp's parser takes seconds on big files; above this size its check is left to tree-sitter. */
const HCL2_MAX_CHARS = 100_000;
/** Nor on text nested deeper than this (counting brackets of any kind, strings included: an estimate is enough). */
const HCL2_MAX_DEPTH = 200;

export class Checker {
  private count = 0;

  private constructor(
    private readonly parser: TerraformParser,
    private readonly bicep: BicepParser,
    private readonly certificate: CertificateInfo,
    private readonly tmp: string,
  ) {}

  /** `tmpRoot`: where the CLI's files are written (a folder of the caller's, so a stopped worker leaves nothing behind). */
  static async create(tmpRoot = os.tmpdir()): Promise<Checker> {
    const cer = path.join(REPO_ROOT, 'examples', 'certs', 'contoso-issuing-ca-01.cer');
    const read = readCertificates(new Uint8Array(fs.readFileSync(cer)), cer);
    if (!read.ok) throw new Error(`the examples' CA certificate is not readable: ${read.reason}`);
    const tmp = fs.mkdtempSync(path.join(tmpRoot, 'apim-tls-lint-fuzz-'));
    return new Checker(await testParser(), await testBicepParser(), read.certificates[0], tmp);
  }

  dispose(): void {
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }

  /** A group of files linted together, through the core and through the CLI; `timeOnly` skips the pin and the fixes. */
  async checkGroup(files: readonly InputFile[], timeOnly = false): Promise<Outcome> {
    const dir = `/fuzz/${this.count++}`;
    const failures: string[] = [];
    let lintMs = 0;
    let lintCpuMs: number | undefined;
    let maxChars: number | undefined;
    let parseMs: number | undefined;
    let stage = 'setting the files';
    try {
      const setup = this.setup(dir, files);
      const workspace = setup.workspace();
      stage = 'lint';
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      const { findings } = workspace.lint();
      lintMs = performance.now() - start;
      lintCpuMs = cpuMsSince(cpuStart);
      maxChars = Math.max(0, ...[...setup.texts.values()].map((x) => x.length));
      stage = 'the bare parse of a slow input';
      if (lintMs > SLOW_MS) parseMs = this.bareParseMs(setup.texts);
      failures.push(...outOfRange(findings, setup.texts));
      if (!timeOnly) {
        stage = 'backendsIn (hover, code lens)';
        for (const p of setup.texts.keys()) workspace.backendsIn(p);
        stage = 'the inventory';
        failures.push(...checkInventory(workspace, findings, setup.texts));
        stage = 'planPin';
        failures.push(...this.checkPin(workspace, setup.texts));
        stage = 'fixes';
        // Each fix tried costs another lint: on an input whose lint is slow, one is enough.
        failures.push(...this.checkFixes(findings, setup.texts, setup.workspace, lintMs > SLOW_MS ? 1 : MAX_FIXES_TRIED));
      }
    } catch (e) {
      failures.push(`the core threw in ${stage}: ${describe(e)}`);
      if (process.env.FUZZ_STACKS) console.error(e);
    }
    const cli = await this.checkCli(files);
    failures.push(...cli.failures);
    return { failures, lintMs, cliMs: cli.ms, lintCpuMs, cliCpuMs: cli.cpuMs, maxChars, parseMs };
  }

  /** The time of a plain tree-sitter parse of every Terraform and Bicep file, each under its budget (a spent one ends it). */
  private bareParseMs(texts: Map<string, string>): number {
    const start = performance.now();
    for (const [file, text] of texts) {
      const format = formatOf(file);
      if (format === 'terraform') attempt(() => (this.parser.parse(text).delete(), true));
      else if (format === 'bicep') this.bicep.parse(text, /\.bicepparam$/i.test(file))?.delete();
    }
    return performance.now() - start;
  }

  /**
   * A certificate file through the reader: no throw, well-formed results, a file with a private key in plain text
   * refused as one (and never read, whatever its encoding), no line of a key anywhere in the result.
   */
  checkCertificate(file: InputFile, seedKeyLines: readonly string[]): Outcome {
    const failures: string[] = [];
    const start = performance.now();
    try {
      const result = readCertificates(file.bytes, file.name);
      const out = JSON.stringify(result);
      const [latin1, ...utf16] = decodings(file.bytes);
      const keyLines = [...seedKeyLines, ...[latin1, ...utf16].flatMap(privateKeyLines)];
      if (keyLines.some((l) => out.includes(l))) failures.push('a line of the private key appears in the result');
      if (PRIVATE_KEY.test(latin1) && (result.ok || !/private key/.test(result.reason))) {
        failures.push(`a file holding a private key was not refused as one: ${result.ok ? 'it was read' : result.reason}`);
      }
      if (utf16.some((t) => PRIVATE_KEY.test(t)) && result.ok) failures.push('a UTF-16 file holding a private key was read');
      if (result.ok && result.certificates.some((c) => !/^[0-9A-F]{40}$/.test(c.sha1) || !/^[0-9A-F]{64}$/.test(c.sha256))) {
        failures.push('a certificate without a well-formed thumbprint');
      }
      if (!result.ok && !result.reason.includes(path.basename(file.name))) failures.push(`a refusal that does not name the file: ${result.reason}`);
    } catch (e) {
      failures.push(`readCertificates threw: ${describe(e)}`);
    }
    return { failures, lintMs: performance.now() - start, cliMs: 0 };
  }

  /** The texts as editors and the CLI see them, and a factory of workspaces holding them with config and certificates. */
  private setup(dir: string, files: readonly InputFile[]) {
    const texts = new Map<string, string>();
    let config: ReturnType<typeof parseConfig>['config'] | undefined;
    const certificates = new Map<string, CertificateInfo[]>();
    for (const f of files) {
      const p = `${dir}/${f.name}`;
      if (f.format === 'config') config = parseConfig(decode(f.bytes), RULE_IDS).config;
      else if (f.format === 'certificate') {
        const read = readCertificates(f.bytes, p);
        if (read.ok) certificates.set(p, read.certificates);
      } else texts.set(p, decode(f.bytes));
    }
    const workspace = (replaced: Map<string, string> = texts) => {
      const w = new Workspace(this.parser);
      w.now = () => FIXTURE_NOW;
      w.addFormat(bicepFormat(this.bicep));
      if (config) w.setConfig(config, dir);
      for (const [p, t] of replaced) w.setFile(p, t);
      for (const [p, c] of certificates) w.setCertificates(p, c);
      return w;
    };
    return { texts, workspace };
  }

  /**
   * The pin command on the first backend: refused with a reason, a question the flow asks (answered as a user who
   * takes the first answer would, up to three times), or edits inside the text that keep it parsing.
   */
  private checkPin(workspace: Workspace, texts: Map<string, string>): string[] {
    const first = [...texts.keys()].flatMap((p) => workspace.backendsIn(p))[0];
    if (!first) return [];
    const request: PinRequest = { file: first.block.file, offset: first.block.start, certificates: [this.certificate] };
    let plan = workspace.planPin(request);
    for (let asked = 0; !plan.ok && 'question' in plan && asked < 3; asked++) {
      const answers = firstAnswer(plan.question);
      if (!answers) return [];
      request.answers = { ...request.answers, ...answers };
      plan = workspace.planPin(request);
    }
    if (!plan.ok) return 'reason' in plan ? (plan.reason ? [] : ['a refused pin without a reason']) : [];
    const failures = spanFailures(
      plan.edits.map((e) => [e, 'pin edit']),
      texts,
    );
    if (failures.length) return failures;
    return this.parsesAfter({ title: 'pin', isPreferred: false, kind: 'fix', edits: plan.edits }, texts, 'the pin edit');
  }

  /** A few fixes, each applied alone: the files that parsed still parse, and the fixed finding is gone. */
  private checkFixes(findings: Finding[], texts: Map<string, string>, workspace: (t?: Map<string, string>) => Workspace, max: number): string[] {
    const failures: string[] = [];
    const tried = findings.filter((f) => f.fixes.length > 0).slice(0, max);
    for (const finding of tried) {
      for (const fix of finding.fixes) {
        const what = `the fix "${fix.title}" of ${finding.ruleId} at ${path.basename(finding.file)}:${finding.start}`;
        const ranges = spanFailures(
          fix.edits.map((e) => [e, `edit of ${what}`]),
          texts,
        );
        if (ranges.length) {
          failures.push(...ranges);
          continue;
        }
        let fixed: Map<string, string>;
        try {
          fixed = applyEdits(texts, fix.edits);
        } catch (e) {
          failures.push(`${what} cannot be applied: ${describe(e)}`);
          continue;
        }
        failures.push(...this.parsesAfter(fix, texts, what, fixed));
        const afterFindings = workspace(fixed).lint().findings;
        if (fix.kind === 'suppress') {
          // A suppression takes away the finding on its line; the rest of a damaged file may read differently once a
          // line is added (tree-sitter recovers from errors by the text around them), so other findings may move.
          const at = shifted(finding, fix.edits);
          if (afterFindings.some((f) => f.ruleId === finding.ruleId && f.file === finding.file && f.start === at.start && f.end === at.end))
            failures.push(`${what} leaves that finding in place`);
          continue;
        }
        // The finding is gone when fewer findings of its rule say what it said. Another finding of the same rule may come
        // to light: a misplaced tls block that is moved where the API reads it may hold a misspelt key, which was not
        // read while the block was in the wrong place.
        const same = (f: Finding) => f.ruleId === finding.ruleId && f.message === finding.message;
        const before = findings.filter(same).length;
        const after = afterFindings.filter(same).length;
        if (after >= before) failures.push(`${what} leaves ${after} ${finding.ruleId} findings saying "${finding.message}" (${before} before)`);
      }
    }
    return failures;
  }

  /** Every file an edit touched parses after it when it parsed before it, by each parser that has a say. */
  private parsesAfter(fix: Fix, texts: Map<string, string>, what: string, fixed = applyEdits(texts, fix.edits)): string[] {
    const failures: string[] = [];
    for (const file of new Set(fix.edits.map((e) => e.file))) {
      const before = texts.get(file)!;
      const after = fixed.get(file)!;
      for (const [parser, parses] of this.parseChecks(file, before.length)) {
        if (parses(before) === true && parses(after) === false)
          failures.push(`${what}: ${path.basename(file)} parsed (${parser}) before the edit and not after it`);
      }
    }
    return failures;
  }

  /** Per parser, whether a text parses; undefined when the parser cannot say (over its budget, or it crashed). */
  private parseChecks(file: string, size: number): Array<[string, (text: string) => boolean | undefined]> {
    switch (formatOf(file)) {
      case 'terraform': {
        // Over its time budget, tree-sitter has no say either.
        const checks: Array<[string, (text: string) => boolean | undefined]> = [['tree-sitter-terraform', (t) => attempt(() => this.treeSitterClean(t))]];
        // HashiCorp's parser recurses per nesting level and overflows the stack on deep input: then it has no say.
        // Nor where a line ends in a lone CR: HCL reads no line break there (tree-sitter and editors do), so a `#`
        // comment runs on to the next LF and takes whatever follows with it.
        // Nor on deep nesting: its recursion then ends in a Go panic unwound through GopherJS, seconds per text.
        const hcl2 = (t: string) => (/\r(?!\n)/.test(t) || bracketDepth(t) > HCL2_MAX_DEPTH ? undefined : attempt(() => hclAccepts(t)));
        if (size <= HCL2_MAX_CHARS) checks.push(['hcl2-parser', hcl2]);
        return checks;
      }
      case 'bicep':
        return [['tree-sitter-bicep', (t) => this.bicepClean(t, /\.bicepparam$/i.test(file))]];
      case 'arm':
        return [['jsonc', jsoncValid]];
      default:
        return [];
    }
  }

  private treeSitterClean(text: string): boolean {
    const tree = this.parser.parse(text);
    try {
      return !tree.rootNode.hasError;
    } finally {
      tree.delete();
    }
  }

  /** Undefined when the parse is over its time budget: then nothing is known, and nothing is claimed. */
  private bicepClean(text: string, paramFile: boolean): boolean | undefined {
    const tree = this.bicep.parse(text, paramFile);
    if (!tree) return undefined;
    try {
      return !tree.rootNode.hasError;
    } finally {
      tree.delete();
    }
  }

  /** The CLI on the files written to disk as bytes: no internal error, findings inside the files' lines. */
  private async checkCli(files: readonly InputFile[]): Promise<{ failures: string[]; ms: number; cpuMs: number }> {
    const dir = path.join(this.tmp, String(this.count));
    const failures: string[] = [];
    let stdout = '';
    let stderr = '';
    let code = -1;
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    try {
      for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(dir, f.name)), { recursive: true });
        fs.writeFileSync(path.join(dir, f.name), f.bytes);
      }
      code = await runCli([dir, '--format', 'json', '--fail-on', 'never'], {
        stdout: (t) => (stdout += t),
        stderr: (t) => (stderr += t),
        cwd: this.tmp,
        env: {},
        isTTY: false,
      });
    } catch (e) {
      failures.push(`the CLI threw: ${describe(e)}`);
    }
    const ms = performance.now() - start;
    const cpuMs = cpuMsSince(cpuStart);
    try {
      if (code === 2 && !/fix the configuration file/.test(stderr)) failures.push(`the CLI failed: ${stderr.slice(0, 300)}`);
      else if (code === 0) {
        const reported = JSON.parse(stdout) as Array<{ file: string; rule: string; line: number; column: number; endLine: number; endColumn: number }>;
        for (const r of reported) {
          const lines = decode(fs.readFileSync(path.resolve(this.tmp, r.file))).split(/\r\n|\r|\n/);
          const inside = (line: number, column: number) => line >= 1 && line <= lines.length && column >= 1 && column <= lines[line - 1].length + 1;
          if (!inside(r.line, r.column) || !inside(r.endLine, r.endColumn)) {
            failures.push(`the CLI reports ${r.rule} at ${r.line}:${r.column}-${r.endLine}:${r.endColumn}, outside ${r.file}`);
          }
        }
      } else if (code !== 2) failures.push(`the CLI exited ${code}`);
      // --fix costs passes of lints: every FIX_EVERY-th input that the lint read.
      if (code === 0 && this.count % FIX_EVERY === 0) failures.push(...(await this.checkCliFix(dir, files)));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return { failures, ms, cpuMs };
  }
  /** `apim-tls-lint --fix` on the files as written: no internal error, and every file it rewrote that parsed still parses. */
  private async checkCliFix(dir: string, files: readonly InputFile[]): Promise<string[]> {
    const failures: string[] = [];
    let stderr = '';
    let code: number;
    try {
      code = await runCli([dir, '--fix'], { stdout: () => undefined, stderr: (t) => (stderr += t), cwd: this.tmp, env: {}, isTTY: false });
    } catch (e) {
      return [`the CLI threw on --fix: ${describe(e)}`];
    }
    if (code === 2) return [`the CLI failed on --fix: ${stderr.slice(0, 300)}`];
    for (const f of files) {
      const written = path.join(dir, f.name);
      const after = fs.existsSync(written) ? new Uint8Array(fs.readFileSync(written)) : undefined;
      if (!after) failures.push(`--fix removed ${f.name}`);
      else if (!Buffer.from(after).equals(Buffer.from(f.bytes))) {
        for (const [parser, parses] of this.parseChecks(f.name, f.bytes.length)) {
          if (parses(decode(f.bytes)) === true && parses(decode(after)) === false)
            failures.push(`the fix --fix wrote: ${f.name} parsed (${parser}) before and not after`);
        }
      }
    }
    return failures;
  }
}

/** Inputs between two runs of `apim-tls-lint --fix`. */
const FIX_EVERY = 4;

/** The inventory of the lint (as `apim-tls-lint inventory` and the Backends view build it): each entry on a line of its file, and every report written. */
function checkInventory(workspace: Workspace, findings: readonly Finding[], texts: Map<string, string>): string[] {
  const inventory = buildInventory({ model: workspace.model(), findings, certificates: workspace.allCertificates(), textOf: (f) => workspace.textOf(f) });
  const failures: string[] = [];
  for (const entry of inventory.backends) {
    const text = texts.get(entry.file);
    const lines = text === undefined ? 0 : text.split(/\r\n|\r|\n/).length;
    if (!(Number.isInteger(entry.line) && entry.line >= 1 && entry.line <= lines)) {
      failures.push(
        `the inventory puts ${entry.address} at ${path.basename(entry.file)}:${entry.line}, outside the file${text === undefined ? ' (not an input)' : ` (${lines} lines)`}`,
      );
    }
  }
  const options = { generatedAt: FIXTURE_NOW.toISOString(), version: '0.0.0', probed: false };
  formatInventoryJson(inventory, options);
  formatInventoryHtml(inventory, options);
  formatInventoryCsv(inventory, options);
  formatInventoryMarkdown(inventory, options);
  return failures;
}

/** Ranges (findings, their related locations and fix edits) that are not inside their file's text. */
function outOfRange(findings: readonly Finding[], texts: Map<string, string>): string[] {
  const spans: Array<[Span, string]> = [];
  for (const f of findings) {
    spans.push([f, `finding ${f.ruleId}`]);
    for (const r of f.related) spans.push([r, `finding ${f.ruleId}'s related location`]);
    for (const fix of f.fixes) for (const e of fix.edits) spans.push([e, `finding ${f.ruleId}'s fix edit`]);
  }
  return spanFailures(spans, texts);
}

function spanFailures(spans: ReadonlyArray<[Span, string]>, texts: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [s, label] of spans) {
    const text = texts.get(s.file);
    if (text === undefined) out.push(`${label} in a file that is not an input: ${s.file}`);
    else if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= text.length)) {
      out.push(`${label} at ${s.start}-${s.end}, outside ${path.basename(s.file)} (${text.length} characters)`);
    }
  }
  return out;
}

/** A span of a file as it is after edits elsewhere in that file (edits before it move it, the others do not). */
function shifted(span: Span, edits: readonly TextEdit[]): { start: number; end: number } {
  let delta = 0;
  for (const e of edits) if (e.file === span.file && e.end <= span.start) delta += e.newText.length - (e.end - e.start);
  return { start: span.start + delta, end: span.end + delta };
}

/** CPU time of this process, user and system, since `start` (a process.cpuUsage() reading), in milliseconds. */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

/** The deepest nesting of brackets in a text, whatever kind closes them. */
function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b || c === 0x28) max = Math.max(max, ++depth);
    else if ((c === 0x7d || c === 0x5d || c === 0x29) && depth > 0) depth--;
  }
  return max;
}

function attempt(check: () => boolean): boolean | undefined {
  try {
    return check();
  } catch {
    return undefined;
  }
}

/** JSON with comments is valid when, comments stripped, JSON.parse (which does not recurse) takes it. */
function jsoncValid(text: string): boolean {
  try {
    JSON.parse(stripComments(text));
    return true;
  } catch {
    return false;
  }
}

/** As the CLI reads a file: UTF-8, a leading BOM dropped. */
function decode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('utf8')
    .replace(/^\ufeff/, '');
}

const PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z0-9 ]*-----/;

/** The bytes as Latin-1 text, then as UTF-16 LE and BE: where a private key's marker could be read. */
function decodings(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const even = Buffer.from(b.subarray(0, b.length & ~1));
  return [b.toString('latin1'), even.toString('utf16le'), Buffer.from(even).swap16().toString('utf16le')];
}

/** The answers a user who takes what is offered first would give; undefined when the question offers none. */
function firstAnswer(question: PinQuestion): PinAnswers | undefined {
  switch (question.kind) {
    case 'certificate':
      return { certificateIndex: (question.candidates.find((c) => c.preselected) ?? question.candidates[0])?.index };
    case 'instances':
      return { instances: question.instances.map((i) => i.key) };
    case 'confirm':
      return question.options.find((o) => o.answers && !o.pickFile)?.answers;
  }
}

export function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 300) : String(e).slice(0, 300);
}
