// The server commands through the real server over stdio: `apimTls.pinBackend` computes the pin edit and sends it
// with workspace/applyEdit, which this test client applies to its own copies and reports back with didChange (or
// didOpen, for a file it did not have open), as VS Code does; `apimTls.readCertificates` reads a file. Certificates
// are generated per run and checked against openssl; private keys exist only in the temp workspace.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test, type TestContext } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { makeChain, makeCrl, privateKeyPem, type TestChain } from '../support/certs';
import { hclAccepts } from '../support/hcl';
import { codes, fileUri, type LspClient, startServer, summarize } from '../support/lsp-client';
import { Editor } from '../support/lsp-editor';
import type { PinApplied, PinBackendArgs, PinBackendResult, ReadCertificatesResult } from '../../server/src/custom-messages';

const HOST = 'orders.internal.contoso.com';

const MAIN = `resource "azurerm_api_management_backend" "orders" {
  name                = "orders"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://${HOST}/api"

  tls {
    validate_certificate_chain = false
    validate_certificate_name  = false
  }
}

resource "azurerm_api_management_api_policy" "orders" {
  api_name            = "orders-api"
  api_management_name = "apim-contoso"
  resource_group_name = "rg-apim"
  xml_content         = "<policies><inbound><set-backend-service backend-id=\\"orders\\" /></inbound></policies>"

  depends_on = [azurerm_api_management_backend.orders]
}
`;

const VERSIONS = `terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.0"
    }
  }
}
`;

let chain: TestChain;
before(async () => {
  chain = await makeChain({ host: HOST });
});

describe('server commands over stdio', () => {
  test('initialize announces apimTls.pinBackend, apimTls.readCertificates and apimTls.checkBackendLive', async (t) => {
    const { client } = await start(t, {});
    const result = await client.initialize(undefined);
    assert.deepEqual(result.capabilities.executeCommandProvider?.commands, ['apimTls.pinBackend', 'apimTls.readCertificates', 'apimTls.checkBackendLive']);
  });

  test('pinning from a leaf + issuing + root bundle writes the issuing CA pin, and the module lints clean', async (t) => {
    const { client, root, editor } = await start(t, {
      'main.tf': MAIN,
      'versions.tf': VERSIONS,
      'certs/bundle.pem': chain.bundlePem,
      'certs/issuing.pem': chain.issuing.pem,
    });
    await client.initialize(root, { workspace: { applyEdit: true } });
    const uri = fileUri(path.join(root, 'main.tf'));
    const versionsUri = fileUri(path.join(root, 'versions.tf'));
    await editor.open(uri, MAIN);
    await client.waitForDiagnostics(uri, 'APIM001 and APIM002', (p) => codes(p.diagnostics).join() === 'APIM001,APIM002');

    const position = editor.positionOf(uri, '"orders" {');
    const result = await pin(client, { uri, position, certificatePath: path.join(root, 'certs/bundle.pem') });
    const issuingSha1 = opensslSha1(path.join(root, 'certs/issuing.pem'));
    assert.ok('thumbprint' in result, `a pin: ${JSON.stringify(result)}`);
    assert.equal(result.applied, true);
    assert.equal(result.thumbprint, issuingSha1, 'the issuing CA, not the root or the leaf');
    assert.notEqual(result.thumbprint, opensslSha1(pemFile(root, 'leaf.pem', chain.leaf.pem)));
    assert.equal(result.backend, 'azurerm_api_management_backend.orders');
    assert.equal(result.kind, 'issuer');
    assert.match(result.subject, /Contoso Test Issuing CA 01/);
    assert.equal(result.placeholder, undefined, 'the URL host is known');
    assert.equal(editor.applied.length, 1, 'one workspace/applyEdit');
    assert.equal(editor.applied[0].label, 'Pin issuing CA');

    const main = editor.text(uri);
    assert.match(main, /resource "azapi_update_resource" "orders_tls" \{/);
    assert.match(main, /"Microsoft\.ApiManagement\/service\/backends@2025-03-01-preview"/);
    assert.match(main, new RegExp(`name\\s*=\\s*"${HOST.replace(/\./g, '\\.')}"`));
    assert.match(main, new RegExp(`issuerCertificateThumbprint\\s*=\\s*"${issuingSha1}"`));
    assert.match(main, /depends_on = \[azapi_update_resource\.orders_tls\]/, 'depends_on retargeted to the overlay');
    assert.doesNotMatch(main, /validate_certificate_chain = false/, "the backend's tls block is gone");
    assert.match(editor.text(versionsUri), /azapi\s*=\s*\{\s*source\s*=\s*"Azure\/azapi"/, 'azapi in required_providers');
    for (const u of [uri, versionsUri]) assert.ok(hclAccepts(editor.text(u)), `${u} parses with HashiCorp's parser`);

    const version = editor.version(uri);
    const after = await client.waitForDiagnostics(uri, `diagnostics for version ${version}`, (p) => p.version === version);
    assert.deepEqual(summarize(after.diagnostics), '(none)', 'the module lints clean');
    await roundTrip(client, uri);
    assert.deepEqual(client.latest(versionsUri)?.diagnostics ?? [], [], 'versions.tf lints clean');

    // Twice: the existing overlay takes the pin; there is still one overlay and one pin.
    const again = await pin(client, { uri, position: editor.positionOf(uri, '"orders" {'), certificatePath: path.join(root, 'certs/bundle.pem') });
    assert.ok(!('choices' in again), JSON.stringify(again));
    const twice = editor.text(uri);
    assert.equal(twice, main, 'the second pin changes nothing');
    assert.equal(count(twice, 'resource "azapi_update_resource"'), 1, 'one overlay');
    assert.equal(count(twice, issuingSha1), 1, 'one pin');
    assert.ok(hclAccepts(twice));
    await roundTrip(client, uri);
    assert.equal(summarize(client.latest(uri)!.diagnostics), '(none)');
    assert.deepEqual(
      client.log.filter((l) => / failed: /.test(l)),
      [],
      'no handler threw',
    );
  });

  test('a position on a finding pins its backend; a leaf chosen on purpose pins serverCertificateThumbprints', async (t) => {
    const { client, root, editor } = await start(t, { 'main.tf': MAIN, 'bundle.pem': chain.bundlePem });
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    await editor.open(uri, MAIN);
    const p = await client.waitForDiagnostics(uri, 'APIM002', (p) => codes(p.diagnostics).includes('APIM002'));
    const finding = p.diagnostics.find((d) => d.code === 'APIM002')!;
    const args = { uri, position: finding.range.start, certificatePath: path.join(root, 'bundle.pem'), certificateIndex: 0 };
    const asked = await pin(client, args);
    assert.ok('confirm' in asked && asked.confirm.check === 'leaf', `a leaf is pinned only when confirmed: ${JSON.stringify(asked)}`);
    const result = await pin(client, { ...args, accept: ['leaf'] });
    assert.ok('thumbprint' in result && result.applied, JSON.stringify(result));
    assert.equal(result.kind, 'certificate');
    assert.equal(result.thumbprint, opensslSha1(pemFile(root, 'leaf.pem', chain.leaf.pem)));
    assert.match(editor.text(uri), new RegExp(`serverCertificateThumbprints\\s*=\\s*\\[\\s*"${result.thumbprint}"`));
    assert.ok(hclAccepts(editor.text(uri)));
  });

  test('root + issuing CA and no leaf: the issuing CA is pinned without a choice', async (t) => {
    const { client, root, editor } = await start(t, { 'main.tf': MAIN, 'cas.pem': chain.root.pem + chain.issuing.pem });
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    await editor.open(uri, MAIN);
    await client.waitForDiagnostics(uri, 'the first diagnostics');
    const result = await pin(client, { uri, position: editor.positionOf(uri, 'protocol'), certificatePath: path.join(root, 'cas.pem') });
    assert.ok('thumbprint' in result && result.applied, `pinned at once: ${JSON.stringify(result)}`);
    const issuingSha1 = opensslSha1(pemFile(root, 'issuing.pem', chain.issuing.pem));
    assert.equal(result.thumbprint, issuingSha1, 'the issuing CA, not the root');
    assert.equal(result.kind, 'issuer');
    assert.match(editor.text(uri), new RegExp(`issuerCertificateThumbprint\\s*=\\s*"${issuingSha1}"`));
    assert.doesNotMatch(editor.text(uri), new RegExp(opensslSha1(pemFile(root, 'root.pem', chain.root.pem))));
  });

  test('a backend whose URL host is unknown gets a name placeholder, returned as a range of the edited text', async (t) => {
    const text = MAIN.replace(`"https://${HOST}/api"`, 'var.backend_url') + '\nvariable "backend_url" {\n  type = string\n}\n';
    const { client, root, editor } = await start(t, { 'main.tf': text, 'bundle.pem': chain.bundlePem });
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    await editor.open(uri, text);
    await client.waitForDiagnostics(uri, 'the first diagnostics');
    const result = await pin(client, { uri, position: editor.positionOf(uri, '"orders" {'), certificatePath: path.join(root, 'bundle.pem') });
    assert.ok('thumbprint' in result && result.applied, JSON.stringify(result));
    assert.ok(result.placeholder, 'a placeholder to fill in');
    assert.equal(result.placeholder.uri, uri);
    const doc = TextDocument.create(uri, 'terraform', 0, editor.text(uri));
    const { start: s, end: e } = result.placeholder.range;
    const line = doc.getText({ start: { line: s.line, character: 0 }, end: { line: s.line + 1, character: 0 } });
    assert.match(line, /^\s*name\s*=/, `the placeholder is on the pin's name line: ${JSON.stringify(line)}`);
    assert.ok(doc.offsetAt(e) >= doc.offsetAt(s) && e.line === s.line);
  });

  test('every refused file kind returns its message, applies nothing, and echoes nothing of the file', async (t) => {
    const keyPem = await privateKeyPem(chain.leaf);
    const { client, root, editor } = await start(t, {
      'main.tf': MAIN,
      'leaf.key.pem': keyPem,
      'with-key.pem': chain.leaf.pem + keyPem,
      'empty.cer': '',
      'garbage.cer': Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 7919 + 13) % 256)),
      'notes.crt': 'this is not a certificate\n',
    });
    const crl = await makeCrl(chain.issuing);
    fs.writeFileSync(path.join(root, 'revoked.crl.pem'), crl.pem);
    openssl([
      'pkcs12',
      '-export',
      '-passout',
      'pass:x',
      '-inkey',
      path.join(root, 'leaf.key.pem'),
      '-in',
      pemFile(root, 'leaf.pem', chain.leaf.pem),
      '-out',
      path.join(root, 'bundle.pfx'),
    ]);
    fs.copyFileSync(path.join(root, 'bundle.pfx'), path.join(root, 'disguised.cer'));
    openssl(['req', '-new', '-key', path.join(root, 'leaf.key.pem'), '-subj', `/CN=${HOST}`, '-out', path.join(root, 'request.csr.pem')]);
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    await editor.open(uri, MAIN);
    await client.waitForDiagnostics(uri, 'the first diagnostics');

    const keyBody = keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const cases: Array<[string, RegExp]> = [
      ['leaf.key.pem', /leaf\.key\.pem holds a private key/],
      ['with-key.pem', /with-key\.pem holds a private key/],
      ['bundle.pfx', /PKCS#12 \(PFX\)/],
      ['disguised.cer', /PKCS#12 \(PFX\)/],
      ['request.csr.pem', /certificate signing request/],
      ['revoked.crl.pem', /revocation list/],
      ['empty.cer', /empty/],
      ['garbage.cer', /not a certificate file/],
      ['notes.crt', /no certificate in it/],
      ['missing.cer', /missing\.cer does not exist/],
    ];
    for (const [name, expected] of cases) {
      const certificatePath = path.join(root, name);
      const pinned = await pin(client, { uri, position: editor.positionOf(uri, '"orders" {'), certificatePath });
      assert.ok('error' in pinned && !('thumbprint' in pinned), `${name}: ${JSON.stringify(pinned)}`);
      assert.equal(pinned.applied, false, name);
      assert.match(pinned.error!, expected, name);
      const read = await client.connection.sendRequest<ReadCertificatesResult>('workspace/executeCommand', {
        command: 'apimTls.readCertificates',
        arguments: [{ certificatePath }],
      });
      assert.ok('error' in read, `${name}: ${JSON.stringify(read)}`);
      assert.match(read.error, expected, name);
      for (const response of [JSON.stringify(pinned), JSON.stringify(read)]) {
        for (let i = 0; i + 16 <= keyBody.length; i += 16)
          assert.ok(!response.includes(keyBody.slice(i, i + 16)), `${name}: nothing of the key in the response`);
      }
    }
    assert.equal(editor.applied.length, 0, 'no edit was sent');
    assert.equal(editor.text(uri), MAIN);
  });

  test('readCertificates returns each certificate of a bundle with the thumbprints openssl computes', async (t) => {
    const { client, root } = await start(t, { 'bundle.pem': chain.bundlePem });
    await client.initialize(root);
    openssl(['crl2pkcs7', '-nocrl', '-certfile', path.join(root, 'bundle.pem'), '-outform', 'DER', '-out', path.join(root, 'bundle.p7b')]);
    const expected = (['leaf', 'issuing', 'root'] as const).map((n) => {
      const f = pemFile(root, `${n}.pem`, chain[n].pem);
      return { sha1: opensslSha1(f), sha256: opensslFingerprint(f, '-sha256') };
    });
    for (const name of ['bundle.pem', 'bundle.p7b']) {
      const result = await client.connection.sendRequest<ReadCertificatesResult>('workspace/executeCommand', {
        command: 'apimTls.readCertificates',
        arguments: [{ certificatePath: path.join(root, name) }],
      });
      assert.ok('certificates' in result, `${name}: ${JSON.stringify(result)}`);
      assert.deepEqual(
        result.certificates.map((c) => ({ sha1: c.sha1, sha256: c.sha256 })),
        expected,
        name,
      );
      assert.deepEqual(
        result.certificates.map((c) => c.isCa),
        [false, true, true],
        name,
      );
      assert.match(result.certificates[0].subject, new RegExp(HOST.replace(/\./g, '\\.')));
      for (const c of result.certificates) assert.ok(Date.parse(c.notBefore) < Date.parse(c.notAfter));
    }
  });

  test('code actions on APIM001 and APIM002 offer one pin action per backend, running the client command', async (t) => {
    const { client, root, editor } = await start(t, { 'main.tf': MAIN });
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    await editor.open(uri, MAIN);
    const p = await client.waitForDiagnostics(uri, 'APIM001 and APIM002', (p) => codes(p.diagnostics).join() === 'APIM001,APIM002');
    const byCode = new Map(p.diagnostics.map((d) => [d.code, d]));
    const pinActions = async (range: Diagnostic['range'], diagnostics: Diagnostic[]) => {
      const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
      return actions.filter((a) => a.command?.command === 'apimTls.pinBackendFromCaFile');
    };
    const chainAction = await pinActions(byCode.get('APIM001')!.range, [byCode.get('APIM001')!]);
    assert.equal(chainAction.length, 1);
    assert.equal(chainAction[0].title, 'Pin issuing CA from certificate file…');
    assert.equal(chainAction[0].isPreferred, true, 'preferred on APIM001');
    assert.equal(chainAction[0].edit, undefined, 'the client computes nothing: the command asks for the file');
    assert.deepEqual(chainAction[0].command!.arguments, [{ uri, position: byCode.get('APIM001')!.range.start }]);

    const nameAction = await pinActions(byCode.get('APIM002')!.range, [byCode.get('APIM002')!]);
    assert.equal(nameAction.length, 1);
    assert.equal(nameAction[0].isPreferred, false, 'on APIM002 setting the flag to true is the preferred fix');

    const both = await pinActions({ start: { line: 0, character: 0 }, end: { line: 12, character: 0 } }, p.diagnostics);
    assert.equal(both.length, 1, 'one pin action for the backend');
    assert.deepEqual(codes(both[0].diagnostics!), ['APIM001', 'APIM002']);
  });
});

async function start(t: TestContext, files: Record<string, string | Buffer>): Promise<{ client: LspClient; root: string; editor: Editor }> {
  const { client, root } = await startServer(t, files);
  return { client, root, editor: new Editor(client) };
}

function pin(client: LspClient, args: PinBackendArgs): Promise<PinBackendResult & Partial<PinApplied>> {
  return client.connection.sendRequest('workspace/executeCommand', { command: 'apimTls.pinBackend', arguments: [args] });
}

/** A request round trip: anything the server had queued (a lint after a change) has run when it is answered. */
async function roundTrip(client: LspClient, uri: string): Promise<void> {
  await client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [] },
  });
}

function pemFile(root: string, name: string, pem: string): string {
  const file = path.join(root, '.openssl', name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, pem);
  return file;
}

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function opensslFingerprint(file: string, digest: '-sha1' | '-sha256'): string {
  return openssl(['x509', '-in', file, '-noout', '-fingerprint', digest]).trim().replace(/^.*=/, '').replace(/:/g, '').toUpperCase();
}

function opensslSha1(file: string): string {
  return opensslFingerprint(file, '-sha1');
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}
