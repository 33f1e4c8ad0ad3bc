// Reading certificate files, checked against OpenSSL: thumbprints, subjects and dates of a real root → issuing CA
// → leaf chain in every format the reader takes, and a refusal for everything else. Files live in a temporary
// folder; private keys written there exist only to prove that files holding them are refused.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../server/src/cli/cli';
import { isCertificateFile, readCertificates } from '../../server/src/core/certificates/read';
import type { CertificateInfo, CertificateReadResult } from '../../server/src/core/certificates/types';
import { makeChain, makeCrl, privateKeyPem, type TestChain } from '../support/certs';

const DAY = 24 * 60 * 60 * 1000;
let dir: string;
let chain: TestChain;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-certs-'));
  chain = await makeChain();
  write('root.pem', chain.root.pem);
  write('issuing.cer', chain.issuing.der);
  write('issuing.crt', chain.issuing.pem);
  write('leaf.der', chain.leaf.der);
  write('bundle.pem', chain.bundlePem);
  openssl(['crl2pkcs7', '-nocrl', '-certfile', file('bundle.pem'), '-outform', 'DER', '-out', file('bundle.p7b')]);
  openssl(['crl2pkcs7', '-nocrl', '-certfile', file('bundle.pem'), '-outform', 'PEM', '-out', file('bundle-pem.p7b')]);
});

after(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string): string {
  return path.join(dir, name);
}

function write(name: string, content: string | Uint8Array): string {
  fs.writeFileSync(file(name), content);
  return file(name);
}

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function read(name: string): CertificateReadResult {
  return readCertificates(new Uint8Array(fs.readFileSync(file(name))), file(name));
}

function certificates(name: string): CertificateInfo[] {
  const result = read(name);
  assert.ok(result.ok, `${name} is read: ${result.ok ? '' : result.reason}`);
  return result.certificates;
}

function reason(name: string): string {
  const result = read(name);
  assert.ok(!result.ok, `${name} is refused`);
  return result.reason;
}

/** What OpenSSL says of a single-certificate file: SHA-1 and SHA-256 without colons, subject, notAfter. */
function opensslView(name: string, inform: 'PEM' | 'DER') {
  const base = ['x509', '-in', file(name), '-inform', inform, '-noout'];
  const hex = (out: string) => out.trim().split('=').pop()!.replace(/:/g, '');
  const subject = openssl([...base, '-subject', '-nameopt', 'RFC2253'])
    .trim()
    .replace(/^subject=/, '');
  return {
    sha1: hex(openssl([...base, '-fingerprint', '-sha1'])),
    sha256: hex(openssl([...base, '-fingerprint', '-sha256'])),
    // RFC 2253 lists the most specific part first; the reader shows the DN in its encoded order.
    subject: subject
      .split(/(?<!\\),/)
      .reverse()
      .join(', '),
    notAfter: new Date(
      openssl([...base, '-enddate'])
        .trim()
        .replace(/^notAfter=/, ''),
    ),
  };
}

function assertMatchesOpenssl(info: CertificateInfo, name: string, inform: 'PEM' | 'DER') {
  const view = opensslView(name, inform);
  assert.equal(info.sha1, view.sha1, `SHA-1 of ${name}`);
  assert.equal(info.sha256, view.sha256, `SHA-256 of ${name}`);
  assert.equal(info.subject, view.subject, `subject of ${name}`);
  assert.equal(info.notAfter.getTime(), view.notAfter.getTime(), `notAfter of ${name}`);
  assert.match(info.sha1, /^[0-9A-F]{40}$/);
  assert.match(info.sha256, /^[0-9A-F]{64}$/);
}

describe('readCertificates: formats', () => {
  test('is synchronous', () => {
    const result = read('root.pem');
    assert.equal(typeof (result as unknown as { then?: unknown }).then, 'undefined');
  });

  test('a PEM root CA', () => {
    const [root] = certificates('root.pem');
    assertMatchesOpenssl(root, 'root.pem', 'PEM');
    assert.equal(root.isCa, true);
    assert.equal(root.subject, root.issuer, 'self-signed');
    assert.equal(root.index, 0);
    assert.equal(root.file, file('root.pem'));
  });

  test('a DER .cer issuing CA and the same certificate as PEM .crt', () => {
    const [der] = certificates('issuing.cer');
    const [pem] = certificates('issuing.crt');
    assertMatchesOpenssl(der, 'issuing.cer', 'DER');
    assert.equal(der.sha1, pem.sha1);
    assert.equal(der.isCa, true);
    assert.match(der.subject, /CN=Contoso Test Issuing CA 01/);
    assert.match(der.issuer, /CN=Contoso Test Root CA/);
  });

  test('a DER leaf is not a CA', () => {
    const [leaf] = certificates('leaf.der');
    assertMatchesOpenssl(leaf, 'leaf.der', 'DER');
    assert.equal(leaf.isCa, false);
    assert.match(leaf.issuer, /CN=Contoso Test Issuing CA 01/);
  });

  test('a PEM bundle: leaf, issuing CA and root, in file order', () => {
    const certs = certificates('bundle.pem');
    assert.deepEqual(
      certs.map((c) => c.index),
      [0, 1, 2],
    );
    assert.deepEqual(
      certs.map((c) => c.sha1),
      [opensslView('leaf.der', 'DER').sha1, opensslView('issuing.cer', 'DER').sha1, opensslView('root.pem', 'PEM').sha1],
    );
    assert.deepEqual(
      certs.map((c) => c.isCa),
      [false, true, true],
    );
  });

  test('PKCS#7 .p7b made by openssl crl2pkcs7, DER and PEM', () => {
    const expected = ['leaf.der', 'issuing.cer', 'root.pem'].map((n) => opensslView(n, n.endsWith('.pem') ? 'PEM' : 'DER').sha1).sort();
    for (const name of ['bundle.p7b', 'bundle-pem.p7b']) {
      const certs = certificates(name);
      assert.deepEqual(certs.map((c) => c.sha1).sort(), expected, name);
      assert.deepEqual(
        certs.map((c) => c.index),
        [0, 1, 2],
      );
    }
  });

  test('streamed PKCS#7 (BER, indefinite lengths) from openssl cms -stream', async () => {
    write('issuing.key.pem', await privateKeyPem(chain.issuing));
    write('data.txt', 'hello');
    // The signer's own certificate goes in once: OpenSSL refuses it a second time through -certfile.
    write('leaf-root.pem', chain.leaf.pem + chain.root.pem);
    openssl([
      ...['cms', '-sign', '-binary', '-stream', '-outform', 'DER', '-in', file('data.txt')],
      ...['-signer', file('issuing.crt'), '-inkey', file('issuing.key.pem'), '-certfile', file('leaf-root.pem'), '-out', file('streamed.p7b')],
    ]);
    const bytes = fs.readFileSync(file('streamed.p7b'));
    assert.equal(bytes[1], 0x80, 'the outer length is indefinite');
    const expected = ['leaf.der', 'issuing.cer', 'root.pem'].map((n) => opensslView(n, n.endsWith('.pem') ? 'PEM' : 'DER').sha1).sort();
    assert.deepEqual(
      certificates('streamed.p7b')
        .map((c) => c.sha1)
        .sort(),
      expected,
    );
  });

  test("OpenSSL's TRUSTED CERTIFICATE form gives the certificate's own thumbprint", () => {
    write('trusted.pem', openssl(['x509', '-in', file('root.pem'), '-trustout', '-addtrust', 'serverAuth']));
    assert.match(fs.readFileSync(file('trusted.pem'), 'utf8'), /BEGIN TRUSTED CERTIFICATE/);
    assert.equal(certificates('trusted.pem')[0].sha1, opensslView('root.pem', 'PEM').sha1);
  });

  test('text around PEM blocks, CRLF line ends and bare base64 DER are read', () => {
    write('with-text.crt', `subject=${chain.issuing.cert.subject}\r\n` + chain.issuing.pem.replace(/\n/g, '\r\n') + '\r\n');
    assert.equal(certificates('with-text.crt')[0].sha1, opensslView('issuing.cer', 'DER').sha1);
    write('bare.cer', Buffer.from(chain.issuing.der).toString('base64'));
    assert.equal(certificates('bare.cer')[0].sha1, opensslView('issuing.cer', 'DER').sha1);
  });

  test('isCertificateFile knows the extensions a workspace scan looks for', () => {
    for (const f of ['a.cer', 'a.CRT', 'dir/a.pem', 'a.der', 'a.p7b']) assert.ok(isCertificateFile(f), f);
    for (const f of ['a.pfx', 'a.p12', 'a.key', 'a.tf', 'a.cer.txt']) assert.ok(!isCertificateFile(f), f);
  });
});

describe('readCertificates: refusals', () => {
  /** Every line of base64 of a key must be absent from what the reader returns. */
  function assertKeyAbsent(result: CertificateReadResult, keyText: string) {
    const out = JSON.stringify(result);
    for (const line of keyText.split(/\r?\n/)) {
      if (line && !line.startsWith('-----')) assert.ok(!out.includes(line), 'no line of the key appears in the result');
    }
  }

  test('a PKCS#8 private key PEM, alone or beside a certificate', async () => {
    const key = await privateKeyPem(chain.leaf);
    write('leaf.key.pem', key);
    write('leaf-with-key.pem', chain.leaf.pem + key);
    write('key-first.crt', key + chain.leaf.pem);
    for (const name of ['leaf.key.pem', 'leaf-with-key.pem', 'key-first.crt']) {
      const result = read(name);
      assert.ok(!result.ok);
      assert.match(result.reason, /private key/);
      assert.match(result.reason, /nothing was read/);
      assert.ok(result.reason.startsWith(name), 'the message names the file');
      assertKeyAbsent(result, key);
    }
  });

  test('OpenSSL private keys: traditional RSA and EC PEM, encrypted PKCS#8, and DER keys under certificate names', () => {
    const rsa = write('rsa.pem', openssl(['genrsa', '-traditional', '2048']));
    write('ec.pem', openssl(['ecparam', '-name', 'prime256v1', '-genkey']));
    write('enc.pem', openssl(['pkcs8', '-topk8', '-in', rsa, '-passout', 'pass:x']));
    openssl(['rsa', '-in', rsa, '-traditional', '-outform', 'DER', '-out', file('rsa-pkcs1.cer')]);
    openssl(['pkey', '-in', rsa, '-outform', 'DER', '-out', file('rsa-pkcs8.der')]);
    openssl(['ec', '-in', file('ec.pem'), '-outform', 'DER', '-out', file('ec.crt')]);
    openssl(['pkcs8', '-topk8', '-in', rsa, '-passout', 'pass:x', '-outform', 'DER', '-out', file('enc.der')]);
    assert.match(fs.readFileSync(rsa, 'utf8'), /BEGIN RSA PRIVATE KEY/);
    assert.match(fs.readFileSync(file('ec.pem'), 'utf8'), /BEGIN EC PRIVATE KEY/);
    assert.match(fs.readFileSync(file('enc.pem'), 'utf8'), /BEGIN ENCRYPTED PRIVATE KEY/);
    for (const name of ['rsa.pem', 'ec.pem', 'enc.pem', 'rsa-pkcs1.cer', 'rsa-pkcs8.der', 'ec.crt', 'enc.der']) {
      const result = read(name);
      assert.ok(!result.ok, `${name} is refused`);
      assert.match(result.reason, /private key/, name);
      if (name.endsWith('.pem')) assertKeyAbsent(result, fs.readFileSync(file(name), 'utf8'));
    }
  });

  test('PKCS#12 / PFX, by extension and by structure', async () => {
    write('leaf.key.pem', await privateKeyPem(chain.leaf));
    openssl(['pkcs12', '-export', '-passout', 'pass:x', '-inkey', file('leaf.key.pem'), '-in', file('bundle.pem'), '-out', file('bundle.pfx')]);
    fs.copyFileSync(file('bundle.pfx'), file('bundle.p12'));
    fs.copyFileSync(file('bundle.pfx'), file('disguised.cer'));
    for (const name of ['bundle.pfx', 'bundle.p12', 'disguised.cer']) assert.match(reason(name), /PKCS#12 \(PFX\)/, name);
  });

  test('certificate signing requests, PEM and DER', async () => {
    write('leaf.key.pem', await privateKeyPem(chain.leaf));
    openssl(['req', '-new', '-key', file('leaf.key.pem'), '-subj', '/CN=orders.internal.contoso.com', '-out', file('request.pem')]);
    openssl(['req', '-new', '-key', file('leaf.key.pem'), '-subj', '/CN=orders.internal.contoso.com', '-outform', 'DER', '-out', file('request.der')]);
    assert.match(reason('request.pem'), /certificate signing request/);
    assert.match(reason('request.der'), /certificate signing request/);
  });

  test('certificate revocation lists, PEM and DER', async () => {
    const crl = await makeCrl(chain.issuing);
    write('issuing.crl.pem', crl.pem);
    write('issuing.crl.der', crl.der);
    openssl(['crl', '-in', file('issuing.crl.der'), '-inform', 'DER', '-out', file('openssl.crl.pem')]);
    assert.match(fs.readFileSync(file('openssl.crl.pem'), 'utf8'), /BEGIN X509 CRL/);
    for (const name of ['issuing.crl.pem', 'issuing.crl.der', 'openssl.crl.pem']) assert.match(reason(name), /revocation list/, name);
  });

  test('public keys, empty files and garbage', () => {
    write('ec-key.pem', openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout']));
    write('public.pem', openssl(['pkey', '-in', file('ec-key.pem'), '-pubout']));
    assert.match(reason('public.pem'), /public key/);
    write('empty.cer', '');
    write('blank.pem', ' \r\n\t\n');
    assert.match(reason('empty.cer'), /empty/);
    assert.match(reason('blank.pem'), /empty/);
    write('notes.crt', 'This is where the certificate will go.\n');
    assert.match(reason('notes.crt'), /text with no certificate/);
    write('zero.crt', '0 certificates here\n');
    assert.match(reason('zero.crt'), /text with no certificate/);
    write('random.der', new Uint8Array([0x01, 0xff, 0x10, 0x00, 0x42]));
    assert.match(reason('random.der'), /neither PEM text nor DER/);
    write('sequence.der', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]));
    assert.match(reason('sequence.der'), /no known certificate format/);
    write('truncated.der', chain.leaf.der.subarray(0, 100));
    assert.ok(!read('truncated.der').ok);
    write('truncated.pem', chain.leaf.pem.slice(0, 200));
    assert.match(reason('truncated.pem'), /truncated/);
    write('truncated-bundle.pem', chain.leaf.pem + chain.issuing.pem.slice(0, 200));
    assert.match(reason('truncated-bundle.pem'), /truncated/);
    write('broken-body.pem', '-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n');
    assert.match(reason('broken-body.pem'), /not a readable certificate/);
    write('bundle-with-bad.pem', chain.leaf.pem + '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    assert.match(reason('bundle-with-bad.pem'), /PEM block 2/);
  });

  test('DER public keys are named public keys: PKCS#1 RSAPublicKey and SubjectPublicKeyInfo (RSA and EC)', () => {
    const rsa = write('pub-rsa.key', openssl(['genrsa', '-traditional', '2048']));
    openssl(['rsa', '-in', rsa, '-RSAPublicKey_out', '-outform', 'DER', '-out', file('rsa-pkcs1-public.der')]);
    openssl(['rsa', '-in', rsa, '-pubout', '-outform', 'DER', '-out', file('rsa-spki.cer')]);
    write('pub-ec.key', openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout']));
    openssl(['pkey', '-in', file('pub-ec.key'), '-pubout', '-outform', 'DER', '-out', file('ec-spki.der')]);
    // OpenSSL itself reads each file as the public key it is.
    assert.match(openssl(['rsa', '-RSAPublicKey_in', '-inform', 'DER', '-in', file('rsa-pkcs1-public.der'), '-noout', '-text']), /Public-Key: \(2048 bit\)/);
    assert.match(openssl(['pkey', '-pubin', '-inform', 'DER', '-in', file('ec-spki.der'), '-noout', '-text']), /Public-Key: \(256 bit\)/);
    assert.equal(
      reason('rsa-pkcs1-public.der'),
      'rsa-pkcs1-public.der holds a public key (PKCS#1 RSAPublicKey, DER), not a certificate: APIM pins certificates by thumbprint.',
    );
    assert.equal(
      reason('rsa-spki.cer'),
      'rsa-spki.cer holds a public key (SubjectPublicKeyInfo, DER), not a certificate: APIM pins certificates by thumbprint.',
    );
    assert.equal(reason('ec-spki.der'), 'ec-spki.der holds a public key (SubjectPublicKeyInfo, DER), not a certificate: APIM pins certificates by thumbprint.');
  });

  test('DER private keys that start with integers stay private keys: PKCS#1 RSA (9 integers), DSA (6), and odd pairs', () => {
    const rsa = write('priv-rsa.key', openssl(['genrsa', '-traditional', '1024']));
    openssl(['rsa', '-in', rsa, '-traditional', '-outform', 'DER', '-out', file('rsa-private.der')]);
    write('dsa-params.pem', openssl(['dsaparam', '1024']));
    write('dsa.key', openssl(['gendsa', file('dsa-params.pem')]));
    openssl(['dsa', '-in', file('dsa.key'), '-outform', 'DER', '-out', file('dsa-private.cer')]);
    for (const name of ['rsa-private.der', 'dsa-private.cer']) assert.match(reason(name), /holds a private key; nothing was read/, name);
    // Two integers of which the first is a one-byte version are no RSAPublicKey: refused as a key, the safe side.
    write('version-pair.der', new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x05]));
    assert.match(reason('version-pair.der'), /private key/);
  });

  test('UTF-16 PEM files, little- and big-endian, with and without a byte order mark', () => {
    const utf16 = (text: string, bigEndian: boolean, bom: boolean) => {
      const units = Buffer.from((bom ? '\ufeff' : '') + text, 'utf16le');
      return new Uint8Array(bigEndian ? units.swap16() : units);
    };
    for (const big of [false, true]) {
      for (const bom of [false, true]) {
        const name = `bundle-utf16${big ? 'be' : 'le'}${bom ? '-bom' : ''}.pem`;
        write(name, utf16(chain.bundlePem.replace(/\n/g, '\r\n'), big, bom));
        assert.deepEqual(
          certificates(name).map((c) => c.sha1),
          certificates('bundle.pem').map((c) => c.sha1),
          `${name} gives the bundle's certificates`,
        );
      }
    }
    // What iconv writes for Windows' "Unicode" is the same bytes.
    execFileSync('sh', ['-c', `iconv -f UTF-8 -t UTF-16 < '${file('issuing.crt')}' > '${file('iconv-utf16.crt')}'`]);
    assert.equal(certificates('iconv-utf16.crt')[0].sha1, opensslView('issuing.crt', 'PEM').sha1);
    write('notes-utf16.crt', utf16('Nothing here yet.\r\n', false, true));
    assert.match(reason('notes-utf16.crt'), /text with no certificate/);
  });

  test('a UTF-16 private key is refused before anything of it is decoded, and none of it is in the message', async () => {
    const key = await privateKeyPem(chain.leaf);
    for (const [name, bytes] of [
      ['key-utf16le.pem', Buffer.from('\ufeff' + key, 'utf16le')],
      ['key-utf16be.pem', Buffer.from(key + chain.leaf.pem, 'utf16le').swap16()],
    ] as const) {
      write(name, new Uint8Array(bytes));
      const result = read(name);
      assert.ok(!result.ok);
      assert.match(result.reason, /^key-utf16..\.pem holds a private key; nothing was read/);
      assertKeyAbsent(result, key);
    }
  });

  test('random bytes never throw', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 300; i++) {
      const bytes = new Uint8Array(1 + (next() % 300)).map(() => next() % 256);
      if (i % 3 === 0) bytes[0] = 0x30;
      const result = readCertificates(bytes, `random-${i}.cer`);
      assert.equal(typeof result.ok, 'boolean');
    }
    // Corrupted copies of a real certificate: one byte changed anywhere.
    for (let i = 0; i < chain.issuing.der.length; i += 7) {
      const bytes = new Uint8Array(chain.issuing.der);
      bytes[i] ^= 0x5a;
      assert.equal(typeof readCertificates(bytes, 'flipped.cer').ok, 'boolean');
    }
  });
});

describe('readCertificates: validity dates', () => {
  test('expired and soon-expiring certificates read with their notAfter', async () => {
    const now = Date.now();
    const expired = await makeChain({ issuingNotAfter: new Date(now - 10 * DAY) });
    const soon = await makeChain({ issuingNotAfter: new Date(now + 5 * DAY) });
    write('expired.cer', expired.issuing.der);
    write('soon.cer', soon.issuing.der);
    const [e] = certificates('expired.cer');
    const [s] = certificates('soon.cer');
    assertMatchesOpenssl(e, 'expired.cer', 'DER');
    assertMatchesOpenssl(s, 'soon.cer', 'DER');
    assert.ok(e.notAfter.getTime() < now);
    assert.ok(e.notBefore.getTime() < e.notAfter.getTime());
    assert.ok(s.notAfter.getTime() > now && s.notAfter.getTime() < now + 30 * DAY);
    // OpenSSL agrees: the one has expired, the other has not yet.
    assert.throws(() => openssl(['x509', '-in', file('expired.cer'), '-inform', 'DER', '-noout', '-checkend', '0']));
    openssl(['x509', '-in', file('soon.cer'), '-inform', 'DER', '-noout', '-checkend', '0']);
  });
});

describe('the CLI reads the certificate files it walks past', () => {
  test('a pin matching an expired CA file is reported; files it refuses are skipped without a word', async () => {
    const expired = await makeChain({ issuingNotAfter: new Date(Date.now() - 10 * DAY) });
    write('cli-issuing.cer', expired.issuing.der);
    const sha1 = opensslView('cli-issuing.cer', 'DER').sha1;
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-cli-certs-'));
    try {
      const key = await privateKeyPem(expired.leaf);
      fs.mkdirSync(path.join(root, 'certs'));
      fs.writeFileSync(path.join(root, 'certs', 'issuing.cer'), expired.issuing.der);
      fs.writeFileSync(path.join(root, 'certs', 'server.pem'), expired.leaf.pem + key);
      fs.writeFileSync(path.join(root, 'certs', 'junk.crt'), 'not a certificate');
      fs.writeFileSync(
        path.join(root, 'main.tf'),
        `resource "azurerm_api_management_backend" "orders" {
  name                = "orders-backend"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://orders.internal.contoso.com/api"
}

resource "azapi_update_resource" "orders_tls" {
  type        = "Microsoft.ApiManagement/service/backends@2025-03-01-preview"
  resource_id = azurerm_api_management_backend.orders.id
  body = {
    properties = {
      tls = {
        serverX509Names = [{
          name                        = "orders.internal.contoso.com"
          issuerCertificateThumbprint = "${sha1}"
        }]
      }
    }
  }

  lifecycle {
    replace_triggered_by = [azurerm_api_management_backend.orders]
  }
}
`,
      );
      let stdout = '';
      let stderr = '';
      const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t), cwd: root, env: {}, isTTY: false };
      const code = await runCli(['--format', 'json', '.'], io);
      const findings = JSON.parse(stdout) as Array<{ rule: string; line: number; message: string }>;
      assert.deepEqual(
        findings.map((f) => `${f.rule}@${f.line}`),
        ['APIM016@17'],
      );
      assert.match(findings[0].message, /expired on \d{4}-\d{2}-\d{2}/);
      assert.match(findings[0].message, /certs\/issuing\.cer/);
      assert.equal(code, 1);
      assert.equal(stderr, '');
      for (const line of key.split('\n').filter((l) => l && !l.startsWith('-----'))) assert.ok(!stdout.includes(line));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
