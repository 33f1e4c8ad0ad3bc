// Inputs that take the Terraform path seconds today, found by the issue or by the fuzzer, whose cause lies in the
// Terraform parse and its recovery (the parse budget of issue 11, not this suite's files). `npm run fuzz` runs them
// first against its time bound and counts them apart; `npm test` lists them as todo, not as passes.
import type { InputFile } from './check';

export interface KnownSlow {
  name: string;
  /** What is slow, and where the time goes. */
  why: string;
  files(): InputFile[];
}

const BACKEND = (tls: string) =>
  `resource "azurerm_api_management_backend" "orders" {\n  name = "orders"\n  url  = "https://orders.contoso.com/api"\n  tls {\n    ${tls}\n  }\n}\n`;

const tf = (text: string): InputFile[] => [{ name: 'main.tf', bytes: new Uint8Array(Buffer.from(text, 'utf8')), format: 'terraform' }];

export const KNOWN_SLOW: KnownSlow[] = [
  {
    name: 'terraform-whitespace-run',
    why: '`validate_certificate_chain = <40,000 spaces>false` (valid HCL): the bare tree-sitter-terraform parse grows with the square of the run',
    files: () => tf(BACKEND(`validate_certificate_chain = ${' '.repeat(40_000)}false`)),
  },
  {
    name: 'terraform-quote-run',
    why: 'a line of 80,000 `"`: the bare tree-sitter-terraform parse takes many seconds',
    files: () => tf(`${BACKEND('validate_certificate_chain = false')}\n${'"'.repeat(80_000)}\n`),
  },
  {
    name: 'terraform-nested-templates',
    why: '`"${` nested 40,000 deep: the bare tree-sitter-terraform parse takes about 9 s',
    files: () => tf(`${BACKEND('validate_certificate_chain = false')}locals {\n  x = ${'"${'.repeat(40_000)}1${'}"'.repeat(40_000)}\n}\n`),
  },
  {
    name: 'terraform-recovery-regions',
    why:
      'found by the fuzzer: 40,000 unterminated `true ? ` leave thousands of damaged regions, and recoverRegion (parse/hcl-ast.ts) ' +
      'runs its chunk-start regex from each region to the next block start, over the rest of the file each time: ~9 s of RegExp for a ' +
      '300 kB file (the bare parse takes 0.3 s); the backend after the damage also goes unlinted',
    files: () => tf(`locals {\n  backends = {\n    ${'true ? '.repeat(40_000)}\n  }\n}\n${BACKEND('validate_certificate_chain = false')}`),
  },
  {
    name: 'terraform-near-size-cap-multibyte',
    why: 'found by the fuzzer: a file just under the 5 MB cap made of comment lines of "é" (2.6 M UTF-16 units): its parse alone takes about 5 s',
    files: () => {
      const line = `# ${'é'.repeat(99)}\n`;
      const count = Math.floor((5 * 1024 * 1024 - 4096) / Buffer.byteLength(line, 'utf8'));
      return tf(BACKEND('validate_certificate_chain = false') + line.repeat(count));
    },
  },
];
