// `apim-tls-lint thumbprint FILE` through runCli: generated root → issuing CA → leaf chains written in every
// format, each printed SHA-1 checked against `openssl x509 -fingerprint -sha1`, and refused files exiting 2.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../server/src/cli/cli';
import { makeChain, makeCrl, privateKeyPem, type TestChain } from '../support/certs';

let dir: string;
let chain: TestChain;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-thumbprint-'));
  chain = await makeChain();
  fs.writeFileSync(path.join(dir, 'bundle.pem'), chain.bundlePem);
  fs.writeFileSync(path.join(dir, 'issuing.cer'), chain.issuing.der);
  fs.writeFileSync(path.join(dir, 'leaf.pem'), chain.leaf.pem);
  fs.writeFileSync(path.join(dir, 'key.pem'), await privateKeyPem(chain.leaf));
  fs.writeFileSync(path.join(dir, 'crl.pem'), (await makeCrl(chain.issuing)).pem);
  fs.writeFileSync(path.join(dir, 'empty.crt'), '');
  openssl(['crl2pkcs7', '-nocrl', '-certfile', path.join(dir, 'bundle.pem'), '-outform', 'DER', '-out', path.join(dir, 'bundle.p7b')]);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

function openssl(args: string[], input?: string): string {
  return execFileSync('openssl', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** openssl's SHA-1 of a PEM certificate, in APIM's form. */
function opensslSha1(pem: string): string {
  const out = openssl(['x509', '-noout', '-fingerprint', '-sha1'], pem);
  return out
    .slice(out.indexOf('=') + 1)
    .trim()
    .replace(/:/g, '')
    .toUpperCase();
}

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

describe('apim-tls-lint thumbprint', () => {
  test('a PEM bundle: one line per certificate in file order, SHA-1 equal to openssl, CA or leaf, notAfter', async () => {
    const { code, stdout, stderr } = await run(['thumbprint', 'bundle.pem']);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    const expected = [chain.leaf, chain.issuing, chain.root];
    lines.forEach((line, i) => {
      const [sha1, subject, kind, notAfter] = line.split('  ');
      assert.equal(sha1, opensslSha1(expected[i].pem));
      assert.match(sha1, /^[0-9A-F]{40}$/);
      assert.equal(subject, expected[i].cert.subject);
      assert.equal(kind, i === 0 ? 'leaf' : 'CA');
      assert.equal(notAfter, expected[i].cert.notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z'));
    });
  });

  test('DER and PKCS#7 files give the same thumbprints as openssl', async () => {
    const der = await run(['thumbprint', 'issuing.cer']);
    assert.equal(der.code, 0);
    assert.equal(der.stdout.split('  ')[0], opensslSha1(chain.issuing.pem));
    const p7b = await run(['thumbprint', path.join(dir, 'bundle.p7b')]);
    assert.equal(p7b.code, 0);
    const printed = p7b.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('  ')[0])
      .sort();
    assert.deepEqual(printed, [chain.leaf, chain.issuing, chain.root].map((c) => opensslSha1(c.pem)).sort());
  });

  for (const [file, what] of [
    ['key.pem', /private key/],
    ['crl.pem', /revocation list/],
    ['empty.crt', /empty/],
    ['missing.pem', /does not exist/],
  ] as const) {
    test(`${file} is refused with its reason on stderr and exit 2`, async () => {
      const { code, stdout, stderr } = await run(['thumbprint', file]);
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, what);
      assert.doesNotMatch(stderr, /BEGIN|MII/, 'nothing of the file is echoed');
    });
  }

  test('usage: no file or two files exit 2; --help documents the subcommand', async () => {
    assert.equal((await run(['thumbprint'])).code, 2);
    assert.equal((await run(['thumbprint', 'a.pem', 'b.pem'])).code, 2);
    const help = await run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /apim-tls-lint thumbprint FILE/);
  });
});
