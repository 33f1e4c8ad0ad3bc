// Inputs that took seconds, or ended the parser, found by the issue or by the fuzzer. The parse budgets (with the
// remembered costly heads and blank runs read as comments) and the Terraform recovery's chunk starts found once per
// file now answer each within the bound: `npm run fuzz` runs them first against its time bound and reports them apart,
// and `npm test` lints each and checks what it reports (test/unit/hostile-input.test.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/parser';
import type { InputFile } from './check';
import { applyMutations, type Mutation } from './mutations';
import { NESTING_TOO_DEEP_CODE as TOO_DEEP } from '../../server/src/core/nesting-too-deep';
import { PARSE_BUDGET_CODE as BUDGET } from '../../server/src/core/parse/parse-budget';

export interface SlowInput {
  name: string;
  /** What went wrong, and where the time or memory went. */
  why: string;
  files(): InputFile[];
  /**
   * What the lint reports (rule ids, in order), each list one acceptable answer: an input whose parse takes about as
   * long as its budget may be read in time on one machine and given up with the notice on another.
   */
  reports: string[][];
}

const BACKEND = (tls: string) =>
  `resource "azurerm_api_management_backend" "orders" {\n  name = "orders"\n  url  = "https://orders.contoso.com/api"\n  tls {\n    ${tls}\n  }\n}\n`;

const BICEP_BACKEND =
  "resource b 'Microsoft.ApiManagement/service/backends@2024-05-01' = {\n  name: 'x'\n  properties: {\n    url: 'https://x'\n" +
  '    tls: {\n      validateCertificateChain: false\n    }\n  }\n}\n';

export const SLOW_INPUTS: SlowInput[] = [
  {
    name: 'terraform-whitespace-run',
    why: '`validate_certificate_chain = <40,000 spaces>false` (valid HCL): the bare tree-sitter-terraform parse grows with the square of the run',
    files: () => file('main.tf', BACKEND(`validate_certificate_chain = ${' '.repeat(40_000)}false`)),
    reports: [['APIM001']],
  },
  {
    name: 'terraform-quote-run',
    why: '`x = ` and 40,000 `"` inside a backend block: the bare tree-sitter-terraform parse takes many seconds (2.5 s at 20,000)',
    files: () => file('main.tf', BACKEND(`x = ${'"'.repeat(40_000)}\n    validate_certificate_chain = false`)),
    reports: [[BUDGET]],
  },
  {
    name: 'terraform-nested-templates',
    why:
      '`"${` nested 40,000 deep: the bare tree-sitter-terraform parse takes about 9 s (it was given up at its budget; since the ' +
      'nesting cap, what lies past 128 levels is not parsed, and the backend before it is linted)',
    files: () => file('main.tf', `${BACKEND('validate_certificate_chain = false')}locals {\n  x = ${'"${'.repeat(40_000)}1${'}"'.repeat(40_000)}\n}\n`),
    reports: [['APIM001', TOO_DEEP]],
  },
  {
    name: 'terraform-recovery-regions',
    why:
      'found by the fuzzer: 40,000 unterminated `true ? ` leave thousands of damaged regions, and recoverRegion (parse/hcl-ast.ts) ' +
      'ran its chunk-start regex from each region to the next block start, over the rest of the file each time: over 30 s of RegExp ' +
      'for a 300 kB file whose bare parse takes 0.3 s; and the backend after the damage went unlinted, its block cut into pieces',
    files: () => file('main.tf', `locals {\n  backends = {\n    ${'true ? '.repeat(40_000)}\n  }\n}\n${BACKEND('validate_certificate_chain = false')}`),
    reports: [['APIM001']],
  },
  {
    name: 'terraform-recovery-reparse',
    why:
      'found by the fuzzer: two lines of 10,000 and 40,000 `{` and an unterminated string in a 50 kB module: the bare parse takes ' +
      '3 s and the lint 20 s, the damaged regions being parsed again chunk by chunk (the 1,000 unclosed levels are now cut at ' +
      '128, to the next top-level block)',
    files: () =>
      fuzzed('test/fixtures/rules/APIM010/shared-with-unpinned/main.tf', [
        { kind: 'duplicate', at: 801263, length: 102, to: 960100 },
        { kind: 'deep', at: 931184, depth: 1000, shape: 2, balanced: false, asValue: true },
        { kind: 'unterminated', at: 128267, text: '"', lineStart: true },
        { kind: 'long-line', at: 689884, length: 40000, fill: '{', afterEquals: false },
        { kind: 'long-line', at: 361781, length: 10000, fill: '{', afterEquals: true },
      ]),
    reports: [[TOO_DEEP, 'APIM015']],
  },
  {
    name: 'terraform-near-size-cap-damaged',
    why:
      'found by the fuzzer: literal-false.tf padded to 4 kB under the 5 MB cap with comment lines of "é", with NUL bytes, a ' +
      'duplicated slice and an invalid UTF-8 sequence in it: the bare tree-sitter-terraform parse takes about 6 s',
    files: () =>
      fuzzed('test/fixtures/rules/APIM002/literal-false.tf', [
        { kind: 'long-line', at: 69376, length: 1000, fill: 'a', afterEquals: true },
        { kind: 'size-cap', delta: -4096, fill: 'multibyte' },
        { kind: 'nul', at: 31330, count: 6 },
        { kind: 'duplicate', at: 154077, length: 72, to: 399429 },
        { kind: 'invalid-utf8', at: 838564, bytes: [192, 175] },
      ]),
    reports: [['APIM002'], [BUDGET]],
  },
  {
    name: 'terraform-unterminated-template-memory',
    why:
      'found by the fuzzer: `"${` written 500 times without an end in a 2.6 MB file (comment lines after it): tree-sitter-terraform ' +
      'grows the wasm heap to 2 GB in 9 s and aborts ("RuntimeError: Aborted()"); the runtime is dead after that, so every later ' +
      'Terraform or Bicep parse in the process fails (the server keeps running but lints nothing); since the nesting cap, what ' +
      'lies past 128 levels is not parsed',
    files: () =>
      file('main.tf', `${BACKEND(`validate_certificate_chain = false`)}locals {\n  x = ${'"${'.repeat(500)}1\n}\n${`# ${'é'.repeat(99)}\n`.repeat(26_000)}`),
    reports: [['APIM001', TOO_DEEP]],
  },
  {
    name: 'bicep-quote-run',
    why:
      'found by the fuzzer: a line of 10,000 `"` after a Bicep backend: tree-sitter-bicep takes about 5 s (12 s at 20,000) and ' +
      'returns a tree, so the 1.5 s Bicep parse budget is not honoured on this input (its progress callback does not stop it)',
    files: () => file('main.bicep', `${BICEP_BACKEND}${'"'.repeat(10_000)}\n`),
    reports: [['APIM001'], [BUDGET]],
  },
  {
    name: 'bicep-nested-interpolations-damaged',
    why:
      "found by the fuzzer: `'${` nested 100,000 deep (closed) in a 500 kB Bicep file whose head was cut: the parse ran 2.1 s past " +
      'its 1.5 s budget, the grammar recovering from the damage a few microseconds for each character of the nesting (since the ' +
      'nesting cap, what lies past 128 levels is not parsed)',
    files: () =>
      fuzzed('test/fixtures/rules/APIM002/bicep-avm-mcr.bicep', [
        [{ kind: 'delete', at: 104878, length: 210 }],
        [
          { kind: 'deep', at: 988391, depth: 100000, shape: 4, balanced: true, asValue: true },
          { kind: 'flip', at: 507443, mask: 61 },
        ],
      ]),
    reports: [[TOO_DEEP]],
  },
  {
    name: 'bicep-nested-interpolations-long-lines',
    why:
      "found by the fuzzer: `'${` nested 100,000 deep and lines of 10,000 blanks and `a` in a Bicep file: 2.7 s, the parse " + 'stopped well past its budget',
    files: () =>
      fuzzed('test/fixtures/rules/APIM002/bicep-avm-mcr.bicep', [
        [
          { kind: 'long-line', at: 84214, length: 10000, fill: ' ', afterEquals: true },
          { kind: 'long-line', at: 757196, length: 10000, fill: 'a', afterEquals: true },
        ],
        [
          { kind: 'deep', at: 195630, depth: 100000, shape: 4, balanced: true, asValue: false },
          { kind: 'deep', at: 39554, depth: 10, shape: 1, balanced: true, asValue: true },
        ],
      ]),
    reports: [[BUDGET], [TOO_DEEP]],
  },
  {
    name: 'terraform-nested-interpolations',
    why: 'found by the fuzzer: `"${` nested 100,000 deep (closed) in an azapi backend, with a flipped byte and invalid UTF-8: 2.3 s',
    files: () =>
      fuzzed('test/fixtures/rules/APIM005/azapi-backend.tf', [
        [
          { kind: 'invalid-utf8', at: 725742, bytes: [254, 254, 255] },
          { kind: 'deep', at: 36287, depth: 100000, shape: 4, balanced: true, asValue: false },
        ],
        [{ kind: 'flip', at: 59748, mask: 244 }],
      ]),
    reports: [[TOO_DEEP, 'APIM005']],
  },
  {
    name: 'terraform-size-cap-comments-after-damage',
    why:
      'found by the fuzzer: a stray `]` after the last block of a file padded to the 5 MB cap with comment lines: the grammar ' +
      'recovers from the error about a microsecond for every character after it, 3.6 s for the comments alone and 5 s for the ' +
      'lint (since then, runs of comments over 32 kB are left out of the parse)',
    files: () =>
      fuzzed('test/fixtures/rules/APIM005/circuit-breaker-only.tf', [
        [
          { kind: 'deep', at: 405076, depth: 10, shape: 2, balanced: true, asValue: false },
          { kind: 'long-line', at: 574249, length: 100000, fill: '/', afterEquals: false },
          { kind: 'flip', at: 924824, mask: 27 },
        ],
        [{ kind: 'size-cap', delta: 0, fill: 'ascii' }],
      ]),
    reports: [[]],
  },
  {
    name: 'bicep-unclosed-multiline-string-at-size-cap',
    why:
      "found by the fuzzer: a `'''` string that never closes in a Bicep file padded to 4 kB under the 5 MB cap: the grammar lexed " +
      'it to the end of the text at every step of its recovery, 6 s past a 3.6 s budget (since then its line is left out of the ' +
      'parse up to the next statement)',
    files: () =>
      fuzzed('test/fixtures/rules/APIM020/bicep-renamed.bicep', [
        [
          { kind: 'unterminated', at: 564681, text: "'''", lineStart: false },
          { kind: 'duplicate', at: 3657, length: 57, to: 387728 },
        ],
        [
          { kind: 'newlines', style: 'mixed' },
          { kind: 'size-cap', delta: -4096, fill: 'multibyte' },
        ],
      ]),
    reports: [[]],
  },
  {
    name: 'policy-broken-prolog-deep',
    why:
      'found by the fuzzer: a 3.4 MB policy file whose XML declaration was cut short, then `<choose><when>` nested 100,000 ' +
      'deep: saxes, given an error handler, went on after the first error and built an Error at every later step (4 s)',
    files: () => file('policy.xml', `<?xml version="1.0" encoding="ut${'<choose><when condition="@(true)">'.repeat(100_000)}`),
    reports: [[]],
  },
];

function file(name: string, text: string): InputFile[] {
  const format = name.endsWith('.bicep') ? 'bicep' : name.endsWith('.xml') ? 'policy' : 'terraform';
  return [{ name, bytes: new Uint8Array(Buffer.from(text, 'utf8')), format }];
}

/**
 * A seed fixture with the mutations a fuzz run applied to it (mutations.ts), as that run made it: one list, or one
 * list for each edit of the run, applied in turn.
 */
function fuzzed(seed: string, mutations: Mutation[] | Mutation[][]): InputFile[] {
  const format = seed.endsWith('.bicep') ? 'bicep' : 'terraform';
  const steps = Array.isArray(mutations[0]) ? (mutations as Mutation[][]) : [mutations as Mutation[]];
  let bytes: Uint8Array = new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, seed)));
  for (const step of steps) bytes = applyMutations(bytes, format, step);
  return [{ name: path.basename(seed), bytes, format }];
}
