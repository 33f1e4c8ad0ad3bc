// The project's performance benchmark (DESIGN §7): every budget as a ratio against a baseline measured in the same run,
// so that a slow or busy machine slows both sides alike. Terraform: full lint against a bare parse (5k and 30k lines),
// keystroke to diagnostics in an open file, a file that cannot matter; ARM (a 3 MB template) and Bicep (8k lines):
// lint against a bare parse; a workspace of 2,000 files in 500 modules: the CLI and the server's indexing against
// reading and scanning the same files; the CLI's cold start against `node -e 0`; one live check on loopback against a
// bare TLS handshake (test/bench/live-check-bench.ts). A report, not a test: it exits 0
// unless something throws. Run with `npm run bench` (builds and compiles first) or `node out/test/bench/bench.js`;
// `node out/test/bench/bench.js <section>` runs one section (for --cpu-prof), `... dump DIR` writes the inputs.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseTree } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';

import { armFormat, bicepFormat, builtinFormats, terraformFormat } from '../../server/src/core/builtin-formats';
import { pruneCache } from '../../server/src/core/bicep/ast';
import { defaultConfig } from '../../server/src/core/config';
import { extractFile, type HclFile } from '../../server/src/core/parse/hcl-ast';
import { parseForExtraction } from '../../server/src/core/parse/parse-relevant';
import type { TerraformParser } from '../../server/src/core/parse/terraform-parser';
import { RULE_LIST } from '../../server/src/core/rules';
import { applySuppressions } from '../../server/src/core/suppress';
import { extractModel, moduleInstances } from '../../server/src/core/terraform/extract';
import { buildModules } from '../../server/src/core/terraform/module';
import type { Finding } from '../../server/src/core/types';
import { Workspace } from '../../server/src/core/workspace';
import { runCli } from '../../server/src/cli/cli';
import { fileUri, LspClient } from '../support/lsp-client';
import { REPO_ROOT, testBicepParser, testParser } from '../support/parser';
import { describeText, generateArmTemplate, generateBicep, generateIrrelevant, generateModule, lineCount, withPolicies, writeWorkspace } from './generate';
import { gc, mark, mb, measure, measurePair, median, ms, p95, signed, table } from './stats';
import { benchLiveCheck } from './live-check-bench';

// The wasm heap is a WebAssembly.Memory created when web-tree-sitter initialises (in main, via testParser); record
// it as it is made so its size can be read.
const memories: Array<{ buffer: ArrayBuffer }> = [];
spyOnWasmMemory();

const BUDGET_LINT_RATIO = 1.25;
const BUDGET_KEYSTROKE_MS = 15;
const BUDGET_IRRELEVANT_RATIO = 1.25;
const BUDGET_WORKSPACE_RATIO = 3;
const BUDGET_COLD_START_RATIO = 2;

/** Same test as the workspace's: a file without any of these cannot matter. */
const RELEVANT = /api_management|ApiManagement|azapi|variable|locals|module/;

const say = (line = '') => process.stdout.write(line + '\n');

/** The sections, in the order a full run prints them; `bench.js <section>` runs one. */
const SECTIONS = ['lint', 'keystrokes', 'irrelevant', 'arm', 'bicep', 'workspace', 'cold', 'live'] as const;

/** Set in a section's own process, started by a full run: the full run has printed the header. */
const SECTION_PROCESS = 'APIM_TLS_LINT_BENCH_SECTION';

async function main(): Promise<void> {
  const began = performance.now();
  const only = process.argv[2];
  if (only !== undefined && only !== 'dump' && !(SECTIONS as readonly string[]).includes(only))
    throw new Error(`unknown section ${only}: one of ${SECTIONS.join(', ')}, or dump`);
  if (!process.env[SECTION_PROCESS]) {
    say(`apim-tls-lint benchmark — node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? '?'}), load ${loadNow()}`);
    say('All times are wall-clock milliseconds after warm-up; the machine may be noisy: budgets are judged on the best run of');
    say('each side (a run is only ever slowed down), medians and p95 show the spread.');
    say();
  }
  if (only === undefined) {
    // Each section in a process of its own: a section measured after others ran in the same process inherits their
    // compiled code, type feedback and heap (the lint of a file that cannot matter measured 1.3 times its baseline
    // after the keystroke section, 0.95 alone).
    for (const section of SECTIONS)
      execFileSync(process.execPath, [...process.execArgv, __filename, section], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, [SECTION_PROCESS]: '1' },
      });
    say(`load at the end ${loadNow()}; total ${((performance.now() - began) / 1000).toFixed(1)} s`);
    return;
  }

  const parser = await testParser();
  const modules = [
    { label: '5k', text: generateModule(5_000, 1), runs: 15, warm: 3 },
    { label: '30k', text: generateModule(30_000, 2), runs: 7, warm: 2 },
  ];
  if (only === 'dump') return dump(process.argv[3] ?? '.', modules);
  if (only === 'lint' || only === 'keystrokes') {
    for (const m of modules) say(`generated ${m.label}: ${describeText(m.text)}`);
    say();
  }

  if (only === 'lint') lintSection(parser, modules);
  if (only === 'keystrokes') keystrokeSection(parser, modules);
  if (only === 'irrelevant') irrelevantSection(parser);
  if (only === 'arm') armSection();
  if (only === 'bicep') await bicepSection();
  if (only === 'workspace') await workspaceSection();
  if (only === 'cold') coldStartSection();
  // 8. One live check of a backend on loopback (its own file: test/bench/live-check-bench.ts).
  if (only === 'live') {
    for (const line of await benchLiveCheck()) say(line);
    say();
  }
  if (!process.env[SECTION_PROCESS]) say(`load at the end ${loadNow()}; total ${((performance.now() - began) / 1000).toFixed(1)} s`);
}

/** 1. A fresh full lint against a bare tree-sitter parse, and where the lint's time goes. */
function lintSection(parser: TerraformParser, modules: Array<{ label: string; text: string; runs: number; warm: number }>): void {
  const rows: string[][] = [['module', 'lines', 'parse', 'full lint', 'lint/parse', 'best parse', 'best lint', 'best ratio', `budget ≤ ${BUDGET_LINT_RATIO}`]];
  const breakdowns: string[][] = [['module', 'relevant parse', 'extractFile', 'modules+model', 'rules', 'suppress', 'findings']];
  for (const m of modules) {
    const file = `/bench/${m.label}/main.tf`;
    const [parse, lint] = measurePair(
      m.warm,
      m.runs,
      () => parser.parse(m.text).delete(),
      () => {
        const ws = new Workspace(builtinFormats(parser));
        ws.setFile(file, m.text);
        ws.lint();
      },
    );
    rows.push(ratioRow(m.label, lineCount(m.text).toLocaleString('en'), parse, lint, BUDGET_LINT_RATIO));
    breakdowns.push([m.label, ...breakdown(parser, file, m.text, m.warm, m.runs)]);
  }
  say('Terraform: full lint (fresh Workspace: setFile + lint()) against a bare tree-sitter parse (parse + delete), run alternately');
  table(rows).forEach((l) => say(l));
  say();
  say('Where a full lint goes (medians of each stage run on its own; the same stages as Workspace.lint)');
  table(breakdowns).forEach((l) => say(l));
  say();
}

/** 2. Keystrokes in an open document, as the server handles them: edit, lint the file's module, positions. */
function keystrokeSection(parser: TerraformParser, modules: Array<{ label: string; text: string }>): void {
  const keyRows: string[][] = [
    ['module', 'keystrokes', 'edit+lint median', 'edit+lint p95', '+publish median', '+publish p95', `budget ≤ ${BUDGET_KEYSTROKE_MS} ms (p95)`],
  ];
  const memRows: string[][] = [['module', 'keystrokes', 'wasm heap', 'JS heapUsed', 'external', 'rss']];
  // A keystroke in a module that also holds policies: their XML is read again only when their text changes.
  const policies = { label: `${modules[0].label}+100 policies`, text: withPolicies(modules[0].text, 100) };
  for (const [m, count, environments] of [
    [modules[0], 200, false],
    [modules[1], 200, false],
    [modules[0], 200, true],
    [modules[1], 200, true],
    [policies, 200, false],
  ] as const) {
    const dir = `/bench/${m.label}-${environments ? 'envs' : 'open'}`;
    const k = keystrokes(parser, `${dir}/main.tf`, m.text, count, environments ? environmentFiles(dir, m.text) : new Map());
    keyRows.push([
      environments ? `${m.label} + 3 environments` : m.label,
      String(count),
      ms(median(k.core)),
      ms(p95(k.core)),
      ms(median(k.publish)),
      ms(p95(k.publish)),
      mark(p95(k.publish) <= BUDGET_KEYSTROKE_MS),
    ]);
    memRows.push([m.label, String(count), ...k.memory]);
  }
  say('Keystroke to diagnostics: Workspace.openFile once, then per keystroke a one-character edit inside a tls block (editFile)');
  say('+ lint([path]); "+publish" adds what the server does to publish: each finding’s range from the open document’s');
  say('own line table, updated edit by edit (TextDocument.update / positionAt). "+ 3 environments": the module has');
  say('env/dev.tfvars, env/staging.tfvars and env/prod.tfvars, each its own run (every keystroke lints three).');
  table(keyRows).forEach((l) => say(l));
  say();
  say('Memory growth over the keystrokes (after 20 warm-up keystrokes and a GC; the wasm heap never shrinks,');
  say('so growth there means trees are not freed)');
  table(memRows).forEach((l) => say(l));
  say();
}

/** 3. A file that cannot hold anything relevant costs no more than reading and scanning it. */
function irrelevantSection(parser: TerraformParser): void {
  const irrelevant = generateIrrelevant(30_000, 3);
  if (RELEVANT.test(irrelevant)) throw new Error('the irrelevant module mentions something relevant');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-bench-'));
  try {
    const p = path.join(dir, 'network.tf');
    fs.writeFileSync(p, irrelevant);
    const [scan, lint] = measurePair(
      5,
      25,
      () => RELEVANT.test(fs.readFileSync(p, 'utf8')),
      () => {
        const ws = new Workspace(builtinFormats(parser));
        ws.setFile(p, fs.readFileSync(p, 'utf8'));
        ws.lint();
      },
    );
    const parse = measure(1, 3, () => parser.parse(irrelevant).delete());
    say(`A file that cannot matter: ${describeText(irrelevant)}`);
    table([
      ['read+regex scan', 'read+setFile+lint()', 'lint/scan', 'best ratio', `budget ≤ ${BUDGET_IRRELEVANT_RATIO}`, '(a parse would cost)'],
      [
        ms(median(scan)),
        ms(median(lint)),
        (median(lint) / median(scan)).toFixed(2),
        (Math.min(...lint) / Math.min(...scan)).toFixed(2),
        mark(Math.min(...lint) / Math.min(...scan) <= BUDGET_IRRELEVANT_RATIO),
        ms(median(parse)),
      ],
    ]).forEach((l) => say(l));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  say();
}

/** 4. A 3 MB ARM template: lint against jsonc-parser's parse of the whole text. */
function armSection(): void {
  const text = generateArmTemplate(3 * 1024 * 1024, 4);
  const [parse, lint] = measurePair(
    2,
    11,
    () => parseTree(text, [], { allowTrailingComma: true, disallowComments: false }),
    () => {
      const ws = new Workspace([armFormat]);
      ws.setFile('/bench/arm/azuredeploy.json', text);
      ws.lint();
    },
  );
  const resources = (text.match(/"type": "/g) ?? []).length;
  const backends = (text.match(/"type": "Microsoft\.ApiManagement\/service\/backends"/g) ?? []).length;
  say(`ARM: a template of ${(text.length / 1024 / 1024).toFixed(1)} MB, ${resources} resources (${backends} backends); lint (fresh Workspace) against a bare`);
  say('jsonc-parser parseTree of the whole text');
  table([ratioHeader('template'), ratioRow('3 MB', lineCount(text).toLocaleString('en'), parse, lint, BUDGET_LINT_RATIO)]).forEach((l) => say(l));
  say();
}

/** 5. An 8k-line Bicep file: lint against tree-sitter-bicep's bare parse. */
async function bicepSection(): Promise<void> {
  const parser = await testBicepParser();
  const text = generateBicep(8_000);
  const [parse, lint] = measurePair(
    2,
    11,
    () => parser.parse(text)?.delete(),
    () => {
      // The plain-tree cache would make every run after the first skip the parse.
      pruneCache(new Set());
      const ws = new Workspace([bicepFormat(parser)]);
      ws.setFile('/bench/bicep/main.bicep', text);
      ws.lint();
    },
  );
  const backends = (text.match(/'Microsoft\.ApiManagement\/service\/backends@/g) ?? []).length;
  say(
    `Bicep: ${lineCount(text).toLocaleString('en')} lines, ${(text.length / 1024).toFixed(0)} KB, ${backends} backends; lint (fresh Workspace) against a bare parse`,
  );
  table([ratioHeader('file'), ratioRow('8k', lineCount(text).toLocaleString('en'), parse, lint, BUDGET_LINT_RATIO)]).forEach((l) => say(l));
  say();
}

/** 6. 2,000 files in 500 modules: the CLI (in process) and the server's indexing, against reading and scanning them. */
async function workspaceSection(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-bench-ws-'));
  try {
    const { files, modules } = writeWorkspace(dir, 500, 6);
    const baseline = () => {
      let relevant = 0;
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.name.endsWith('.tf') && RELEVANT.test(fs.readFileSync(p, 'utf8'))) relevant++;
        }
      };
      walk(dir);
      return relevant;
    };
    // The same walk, read and scan as a script of its own, for the process-to-process comparison.
    const scanScript =
      `const fs=require('fs'),path=require('path');const re=${RELEVANT.toString()};let n=0;` +
      `const walk=(d)=>{for(const e of fs.readdirSync(d,{withFileTypes:true})){const p=path.join(d,e.name);` +
      `if(e.isDirectory())walk(p);else if(e.name.endsWith('.tf')&&re.test(fs.readFileSync(p,'utf8')))n++;}};walk('.');`;
    const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
    const cliRun = (env: NodeJS.ProcessEnv) => () =>
      execFileSync(process.execPath, [cli, '.', '--format', 'json', '--fail-on', 'never'], { cwd: dir, stdio: 'ignore', env: { ...process.env, ...env } });
    const scanRun = () => execFileSync(process.execPath, ['-e', scanScript], { cwd: dir, stdio: 'ignore' });
    // A run after the first reads unchanged files from the cache of reads (cli/read-cache.ts); a first run, or one
    // with the cache off, reads them all.
    const [scanProcess, cliProcess] = measurePair(1, 7, scanRun, cliRun({}));
    const [scanUncached, cliUncached] = measurePair(1, 7, scanRun, cliRun({ APIM_TLS_LINT_CACHE: '0' }));
    const sink = { stdout: () => undefined, stderr: () => undefined, cwd: dir, env: {}, isTTY: false };
    let findings = 0;
    const cliTimes: number[] = [];
    const scanTimes: number[] = [];
    for (let i = 0; i < 7; i++) {
      let t = performance.now();
      baseline();
      if (i >= 2) scanTimes.push(performance.now() - t);
      t = performance.now();
      let out = '';
      await runCli(['.', '--format', 'json', '--fail-on', 'never'], { ...sink, stdout: (s: string) => (out += s) });
      if (i >= 2) cliTimes.push(performance.now() - t);
      findings = (JSON.parse(out) as unknown[]).length;
    }
    const server = await serverIndexing(dir, files, baseline);
    say(`A workspace of ${files.toLocaleString('en')} files in ${modules} modules (${findings} findings), against walking it and reading and`);
    say('regex-scanning every file in Node: the CLI as a process (`node dist/cli.js . --format json` against `node -e <walk, read,');
    say('scan>`; after a first run, unchanged files come from its cache of reads), the same with the cache off (as a first run),');
    say('in process (runCli against the walk itself), and the server from `initialized` until every file is published');
    table([
      ['run', 'read+scan median', 'run median', 'ratio', 'best read+scan', 'best run', 'best ratio', 'budget'],
      ['CLI process', ...ratioCells(scanProcess, cliProcess, BUDGET_WORKSPACE_RATIO)],
      ['CLI process, no cache', ...ratioCells(scanUncached, cliUncached, undefined)],
      ['CLI in process', ...ratioCells(scanTimes, cliTimes, undefined)],
      ['server indexing', ...ratioCells(server.scan, server.index, undefined)],
    ]).forEach((l) => say(l));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  say();
}

/** The real server bundle over stdio: from `initialized` until every file of the workspace has been published. */
async function serverIndexing(dir: string, files: number, baseline: () => number): Promise<{ index: number[]; scan: number[] }> {
  const index: number[] = [];
  const scan: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    baseline();
    scan.push(performance.now() - t0);
    const client = LspClient.start();
    try {
      await client.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: fileUri(dir),
        workspaceFolders: [{ uri: fileUri(dir), name: 'ws' }],
        capabilities: {},
      });
      const t = performance.now();
      await client.connection.sendNotification('initialized', {});
      await client.waitFor('every file published', () => new Set(client.published.map((p) => p.uri)).size >= files, 120_000);
      index.push(performance.now() - t);
    } finally {
      await client.dispose();
    }
  }
  return { index, scan };
}

/** 7. The CLI's cold start on one small file, as a process, against `node -e 0`. */
function coldStartSection(): void {
  const cli = path.join(REPO_ROOT, 'dist', 'cli.js');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-bench-cold-'));
  try {
    fs.writeFileSync(
      path.join(dir, 'main.tf'),
      'resource "azurerm_api_management_backend" "orders" {\n  name = "orders"\n  url  = "https://orders.contoso.com"\n  tls {\n    validate_certificate_chain = false\n  }\n}\n',
    );
    const node = (args: string[]) => () => execFileSync(process.execPath, args, { cwd: dir, stdio: 'ignore' });
    const [bare, cold] = measurePair(2, 15, node(['-e', '0']), node([cli, 'main.tf', '--fail-on', 'never']));
    say('CLI cold start: `node dist/cli.js main.tf` on one small file, as a new process each time, against `node -e 0`');
    table([
      ['run', 'node -e 0 median', 'CLI median', 'ratio', 'best node -e 0', 'best CLI', 'best ratio', `budget ≤ ${BUDGET_COLD_START_RATIO}`],
      ['one file', ...ratioCells(bare, cold, BUDGET_COLD_START_RATIO)],
    ]).forEach((l) => say(l));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  say();
}

function ratioHeader(what: string): string[] {
  return [what, 'lines', 'parse', 'full lint', 'lint/parse', 'best parse', 'best lint', 'best ratio', `budget ≤ ${BUDGET_LINT_RATIO}`];
}

function ratioRow(label: string, lines: string, base: number[], measured: number[], budget: number): string[] {
  return [label, lines, ...ratioCells(base, measured, budget)];
}

/** Medians, their ratio, best runs, their ratio (what a budget is judged on), and the verdict. */
function ratioCells(base: number[], measured: number[], budget: number | undefined): string[] {
  const best = Math.min(...measured) / Math.min(...base);
  return [
    ms(median(base)),
    ms(median(measured)),
    (median(measured) / median(base)).toFixed(2),
    ms(Math.min(...base)),
    ms(Math.min(...measured)),
    best.toFixed(2),
    budget === undefined ? '(info)' : mark(best <= budget),
  ];
}

/** Per-stage medians for one file, mirroring Workspace.lint (parse → extract → modules/model → rules → suppressions). */
function breakdown(parser: TerraformParser, file: string, text: string, warm: number, runs: number): string[] {
  const parse: number[] = [];
  const extract: number[] = [];
  const model: number[] = [];
  const rules: number[] = [];
  const suppress: number[] = [];
  const config = defaultConfig();
  const format = terraformFormat(parser);
  let count = 0;
  for (let i = 0; i < warm + runs; i++) {
    const keep = i >= warm;
    let t = performance.now();
    // What a lint parses: the file without its irrelevant top-level blocks (parse-relevant.ts), not the bare parse.
    const tree = parseForExtraction(parser, text);
    if (keep) parse.push(performance.now() - t);
    t = performance.now();
    let hcl: HclFile;
    try {
      hcl = extractFile(tree, text, parser, false);
    } finally {
      tree.delete();
    }
    if (keep) extract.push(performance.now() - t);
    t = performance.now();
    const m = extractModel(moduleInstances(buildModules([{ path: file, file: hcl }], new Set())));
    if (keep) model.push(performance.now() - t);
    t = performance.now();
    const found: Finding[] = [];
    const enabled = new Set<string>();
    for (const rule of RULE_LIST) {
      enabled.add(rule.meta.id);
      rule.check(m, {
        config,
        certificates: [],
        now: new Date(),
        textOf: () => text,
        formatOf: () => format,
        report: (r) =>
          found.push({
            ...r.span,
            ruleId: rule.meta.id,
            severity: rule.meta.defaultSeverity,
            message: r.message,
            related: r.related ?? [],
            fixes: r.fixes ?? [],
          }),
      });
    }
    if (keep) rules.push(performance.now() - t);
    t = performance.now();
    count = applySuppressions(file, text, found, enabled).length;
    if (keep) suppress.push(performance.now() - t);
  }
  return [ms(median(parse)), ms(median(extract)), ms(median(model)), ms(median(rules)), ms(median(suppress)), String(count)];
}

/** Three environments for a generated module: dev turns every chain validation off, staging on, prod leaves the defaults. */
function environmentFiles(dir: string, module: string): Map<string, string> {
  const names = [...module.matchAll(/^variable "(validate_chain_\d+)"/gm)].map((m) => m[1]);
  return new Map([
    [`${dir}/env/dev.tfvars`, names.map((n) => `${n} = false\n`).join('')],
    [`${dir}/env/staging.tfvars`, names.map((n) => `${n} = true\n`).join('')],
    [`${dir}/env/prod.tfvars`, `${names[0]} = true\n`],
  ]);
}

function keystrokes(
  parser: TerraformParser,
  file: string,
  text: string,
  count: number,
  closed: ReadonlyMap<string, string>,
): { core: number[]; publish: number[]; memory: string[] } {
  const ws = new Workspace(builtinFormats(parser));
  for (const [p, t] of closed) ws.setFile(p, t);
  ws.openFile(file, text);
  ws.lint([file]);
  let doc = TextDocument.create(`file://${file}`, 'terraform', 1, text);
  // Carets right after `validate_certificate_… = ` of tls blocks spread through the file.
  const carets: number[] = [];
  const re = /^ {4}validate_certificate_(?:chain|name) += /gm;
  for (let m = re.exec(text); m; m = re.exec(text)) carets.push(m.index + m[0].length);
  const picks = Array.from({ length: 8 }, (_, i) => carets[Math.floor(((i + 0.5) * carets.length) / 8)]);
  // Type a space before the value, then delete it again: a one-character edit each time, and every second
  // keystroke restores the original text so offsets of later carets stay valid.
  let typed = -1;
  const stroke = (i: number) => {
    let change: { start: number; end: number; text: string };
    if (typed < 0) {
      typed = picks[i % picks.length];
      change = { start: typed, end: typed, text: ' ' };
    } else {
      change = { start: typed, end: typed + 1, text: '' };
      typed = -1;
    }
    doc = TextDocument.update(doc, [{ range: { start: doc.positionAt(change.start), end: doc.positionAt(change.end) }, text: change.text }], doc.version + 1);
    ws.editFile(file, [change]);
    return ws.lint([file]);
  };
  for (let i = 0; i < 20; i++) stroke(i);
  gc?.();
  const before = snapshot();
  const core: number[] = [];
  const publish: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    const result = stroke(i);
    const t1 = performance.now();
    for (const f of result.findings) if (f.file === file) void [doc.positionAt(f.start), doc.positionAt(f.end)];
    const t2 = performance.now();
    core.push(t1 - t);
    publish.push(t2 - t);
  }
  gc?.();
  const after = snapshot();
  ws.closeFile(file);
  const delta = (k: keyof ReturnType<typeof snapshot>) => `${signed(after[k] - before[k])} (${mb(after[k])})`;
  return { core, publish, memory: [delta('wasm'), delta('heapUsed'), delta('external'), delta('rss')] };
}

function snapshot() {
  const m = process.memoryUsage();
  return { wasm: memories.reduce((s, x) => s + x.buffer.byteLength, 0), heapUsed: m.heapUsed, external: m.external, rss: m.rss };
}

function dump(dir: string, modules: Array<{ label: string; text: string }>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const m of modules) fs.writeFileSync(path.join(dir, `generated-${m.label}.tf`), m.text);
  fs.writeFileSync(path.join(dir, 'generated-irrelevant-30k.tf'), generateIrrelevant(30_000, 3));
  fs.writeFileSync(path.join(dir, 'generated-3mb.json'), generateArmTemplate(3 * 1024 * 1024, 4));
  fs.writeFileSync(path.join(dir, 'generated-8k.bicep'), generateBicep(8_000));
  writeWorkspace(path.join(dir, 'workspace'), 500, 6);
  say(`wrote the generated inputs to ${dir}`);
}

function loadNow(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

function spyOnWasmMemory(): void {
  const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (d: unknown) => { buffer: ArrayBuffer } } }).WebAssembly;
  const Original = wasm.Memory;
  wasm.Memory = class extends Original {
    constructor(descriptor: unknown) {
      super(descriptor);
      memories.push(this);
    }
  };
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
