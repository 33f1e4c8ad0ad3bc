// Inputs that took seconds, or ended the parser, found by the issue or by the fuzzer. The parse budgets (with the
// remembered costly heads and blank runs read as comments) and the Terraform recovery's chunk starts found once per
// file now answer each within the bound: `npm run fuzz` runs them first against its time bound and reports them apart,
// and `npm test` lints each and checks what it reports (test/unit/hostile-input.test.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/parser';
import type { InputFile } from './check';
import { applyMutations, type Mutation } from './mutations';
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
    why: '`"${` nested 40,000 deep: the bare tree-sitter-terraform parse takes about 9 s',
    files: () => file('main.tf', `${BACKEND('validate_certificate_chain = false')}locals {\n  x = ${'"${'.repeat(40_000)}1${'}"'.repeat(40_000)}\n}\n`),
    reports: [[BUDGET]],
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
      '3 s and the lint 20 s, the damaged regions being parsed again chunk by chunk',
    files: () =>
      fuzzed('test/fixtures/rules/APIM010/shared-with-unpinned/main.tf', [
        { kind: 'duplicate', at: 801263, length: 102, to: 960100 },
        { kind: 'deep', at: 931184, depth: 1000, shape: 2, balanced: false, asValue: true },
        { kind: 'unterminated', at: 128267, text: '"', lineStart: true },
        { kind: 'long-line', at: 689884, length: 40000, fill: '{', afterEquals: false },
        { kind: 'long-line', at: 361781, length: 10000, fill: '{', afterEquals: true },
      ]),
    reports: [['APIM015'], [BUDGET]],
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
      'Terraform or Bicep parse in the process fails (the server keeps running but lints nothing)',
    files: () =>
      file('main.tf', `${BACKEND(`validate_certificate_chain = false`)}locals {\n  x = ${'"${'.repeat(500)}1\n}\n${`# ${'é'.repeat(99)}\n`.repeat(26_000)}`),
    reports: [[BUDGET]],
  },
  {
    name: 'bicep-quote-run',
    why:
      'found by the fuzzer: a line of 10,000 `"` after a Bicep backend: tree-sitter-bicep takes about 5 s (12 s at 20,000) and ' +
      'returns a tree, so the 1.5 s Bicep parse budget is not honoured on this input (its progress callback does not stop it)',
    files: () => file('main.bicep', `${BICEP_BACKEND}${'"'.repeat(10_000)}\n`),
    reports: [['APIM001'], [BUDGET]],
  },
];

function file(name: string, text: string): InputFile[] {
  return [{ name, bytes: new Uint8Array(Buffer.from(text, 'utf8')), format: name.endsWith('.bicep') ? 'bicep' : 'terraform' }];
}

/** A seed fixture with the mutations a fuzz run applied to it (mutations.ts), as that run made it. */
function fuzzed(seed: string, mutations: Mutation[]): InputFile[] {
  const bytes = applyMutations(new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, seed))), 'terraform', mutations);
  return [{ name: path.basename(seed), bytes, format: 'terraform' }];
}
