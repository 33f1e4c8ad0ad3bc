// Writes the regression fixtures of hostile input (issue 10) that are too big or too binary to write by hand: ARM
// templates nested 5,000 objects and 10,000 arrays deep, a url built by 10,000 nested concat() calls, and
// certificate files named wrongly before (DER public keys, UTF-16 PEM). The JSON fixtures carry caret annotations
// like the rule fixtures. Run after `npx tsc -p .`:  node out/test/support/make-hostile-fixtures.js
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './parser';

export const HOSTILE_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'hostile');

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** A template with one backend whose chain validation is off (APIM001), `extra` added to its properties. */
function backendTemplate(comment: string, url: string, extra: string): string {
  return [
    ...comment.split('\n').map((l) => `// ${l}`),
    '{',
    `  "$schema": "${SCHEMA}",`,
    '  "contentVersion": "1.0.0.0",',
    '  "resources": [',
    '    {',
    '      "type": "Microsoft.ApiManagement/service/backends",',
    '      "apiVersion": "2024-05-01",',
    '      "name": "apim-contoso/orders",',
    '      "properties": {',
    '        "protocol": "http",',
    `        "url": ${url},`,
    TLS_LINE,
    caret(TLS_LINE.indexOf('false'), 'APIM001', 5),
    `        "extension": ${extra}`,
    '      }',
    '    }',
    '  ]',
    '}',
    '',
  ].join('\n');
}

const TLS_LINE = '        "tls": { "validateCertificateChain": false },';

/** The caret line under `width` characters from column `column` (0-based) of the line above it. */
function caret(column: number, rule: string, width = 1): string {
  return `//${' '.repeat(column - 2)}${'^'.repeat(width)} ${rule}`;
}

function main(): void {
  fs.mkdirSync(HOSTILE_FIXTURES, { recursive: true });
  // The resource's properties sit at depth 4; the nesting under "extension" starts at depth 5, so the object that
  // opens at depth 129 (the 125th line of the nesting) is the first one not read.
  const objects: string[] = [];
  for (let i = 1; i <= 5000; i++) {
    objects.push(`  {"a":`);
    if (i === 125) objects.push(caret(2, 'nesting-too-deep'));
  }
  write(
    'arm-deep-objects.json',
    backendTemplate(
      '5,000 objects nested under a backend\'s properties: jsonc-parser\'s parseTree recursed once per level and the\nlint ended in "Maximum call stack size exceeded". What is nested past 128 levels is not read (one info finding\nsays so where it starts); the backend above it is linted.',
      '"https://orders.contoso.com/api"',
      `\n${objects.join('\n')}\n  1${'}'.repeat(5000)}`,
    ),
  );
  const arrays = '['.repeat(10000) + ']'.repeat(10000);
  const arraysText = backendTemplate(
    "10,000 nested arrays under a backend's properties: the same stack overflow as 5,000 objects. The first array\nnot read is the one that opens at depth 129.",
    '"https://orders.contoso.com/api"',
    arrays,
  );
  const line = '        "extension": ';
  write('arm-deep-arrays.json', arraysText.replace(`${line}${arrays}\n`, `${line}${arrays}\n${caret(line.length + 124, 'nesting-too-deep')}\n`));
  write(
    'arm-concat-url.json',
    backendTemplate(
      "A url written as 10,000 nested concat() calls: the expression parser recursed once per call and overflowed the\nstack. Past 64 levels an expression is not read (its value is unknown, so no rule judges the url); the\nbackend's other findings stay.",
      `"[${'concat('.repeat(10000)}'https://orders.contoso.com/api'${')'.repeat(10000)}]"`,
      '{}',
    ),
  );
  writeCertificates();
}

/** DER public keys (PKCS#1 and SubjectPublicKeyInfo) from a fresh RSA key that is then deleted, and UTF-16 PEM. */
function writeCertificates(): void {
  const dir = path.join(HOSTILE_FIXTURES, 'certificates');
  fs.mkdirSync(dir, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-hostile-'));
  try {
    const key = path.join(tmp, 'key.pem');
    openssl(['genrsa', '-out', key, '2048']);
    openssl(['rsa', '-in', key, '-RSAPublicKey_out', '-outform', 'DER', '-out', path.join(dir, 'rsa-pkcs1-public.der')]);
    openssl(['rsa', '-in', key, '-pubout', '-outform', 'DER', '-out', path.join(dir, 'rsa-spki-public.cer')]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const der = path.join(REPO_ROOT, 'examples', 'certs', 'contoso-issuing-ca-01.cer');
  const pem = openssl(['x509', '-inform', 'DER', '-in', der]).replace(/\n/g, '\r\n');
  fs.writeFileSync(path.join(dir, 'issuing-ca-utf16le-bom.pem'), Buffer.from('\ufeff' + pem, 'utf16le'));
  fs.writeFileSync(path.join(dir, 'issuing-ca-utf16be.pem'), Buffer.from(pem, 'utf16le').swap16());
}

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function write(name: string, text: string): void {
  fs.writeFileSync(path.join(HOSTILE_FIXTURES, name), text);
  console.log(`wrote ${path.relative(REPO_ROOT, path.join(HOSTILE_FIXTURES, name))} (${text.length} characters)`);
}

if (require.main === module) main();
