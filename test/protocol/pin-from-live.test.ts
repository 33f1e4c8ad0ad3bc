// "Pin what it presents" through the real server over stdio, as any LSP client sends it: `apimTls.pinBackend` with
// `fromLive` pins what a local TLS server on 127.0.0.1 presented to the live check (the issuing CA's SHA-1, checked
// against openssl, and the name its leaf carries), and every question of the pin flow still stands between the
// verdict and the file: a leaf-only or self-signed backend, a certificate whose names miss the URL host, which
// for_each instance. Chains are generated per run; the servers are started and closed by the tests.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test, type TestContext } from 'node:test';
import type { CheckBackendLiveArgs, PinApplied, PinBackendArgs, PinBackendResult, PinConfirmation } from '../../server/src/custom-messages';
import type { LiveReport } from '../../server/src/core/live/report';
import { makeCertificate, makeChain, type TestCert, type TestChain } from '../support/certs';
import { hclAccepts } from '../support/hcl';
import { fileUri, type LspClient, startServer } from '../support/lsp-client';
import { Editor } from '../support/lsp-editor';
import { closedPort, startTlsServer } from '../support/tls-servers';

const HOST = 'tic.localtest';

let chain: TestChain;
before(async () => {
  chain = await makeChain({ host: HOST });
});

/** A v2 service and one backend with chain validation off, at `url`. */
function module(url: string): string {
  return `resource "azurerm_api_management" "apim" {
  name                = "apim-contoso"
  location            = "westeurope"
  resource_group_name = "rg-apim"
  publisher_name      = "Contoso"
  publisher_email     = "api@contoso.example"
  sku_name            = "StandardV2_1"
}

resource "azurerm_api_management_backend" "tic" {
  name                = "tic-backend"
  resource_group_name = "rg-apim"
  api_management_name = azurerm_api_management.apim.name
  protocol            = "http"
  url                 = "${url}"

  tls {
    validate_certificate_chain = false
  }
}
`;
}

describe('apimTls.pinBackend fromLive over stdio', () => {
  test('check live, then pin what it presents: the issuing CA as openssl sees it and the name the leaf carries, without connecting again', async (t) => {
    const server = await startTlsServer(t, { chain: [chain.leaf, chain.issuing] });
    const { client, editor, uri } = await start(t, module(`https://${HOST}:${server.port}/api`));
    const at = editor.positionOf(uri, 'resource "azurerm_api_management_backend"');
    const report = await check(client, { uri, position: at, connect: `127.0.0.1:${server.port}` });
    assert.equal(report.suggestedPin?.thumbprint, opensslSha1(chain.issuing.pem));
    const connections = server.connections();

    const result = await pin(client, { uri, position: at, fromLive: true });
    assert.ok('thumbprint' in result && result.applied, JSON.stringify(result));
    assert.equal(result.thumbprint, opensslSha1(chain.issuing.pem));
    assert.equal(result.kind, 'issuer');
    assert.equal(result.backend, 'azurerm_api_management_backend.tic');
    assert.equal(result.presentedAt, report.at, 'pinned from the check the panel showed');
    assert.equal(server.connections(), connections, 'the pin came from the last verdict: no new connection');

    const text = editor.text(uri);
    const overlay = blockOf(text, 'resource "azapi_update_resource" "tic_tls"');
    assert.match(overlay, new RegExp(`name\\s+= "${HOST}"`));
    assert.match(overlay, new RegExp(`issuerCertificateThumbprint = "${opensslSha1(chain.issuing.pem)}"`));
    assert.doesNotMatch(text, /validate_certificate_chain = false/, "the backend's tls block is gone");
    assert.ok(hclAccepts(text), "the file parses with HashiCorp's parser");
    const after = await client.waitForDiagnostics(uri, 'diagnostics of the pinned text', (p) => p.version === editor.version(uri));
    assert.deepEqual(
      after.diagnostics.map((d) => `${String(d.code)} ${d.message}`),
      [],
      'the module lints clean',
    );
  });

  test('a wildcard leaf pins the wildcard; with no live check yet, the server checks first (through connect)', async (t) => {
    const host = 'tic.contoso.localtest';
    const wildcard = await makeCertificate({ subject: 'CN=*.contoso.localtest', issuer: chain.issuing, ca: false, dnsNames: ['*.contoso.localtest'] });
    const server = await startTlsServer(t, { chain: [wildcard, chain.issuing] });
    const { client, editor, uri } = await start(t, module(`https://${host}:${server.port}/api`));
    const result = await pin(client, {
      uri,
      position: editor.positionOf(uri, 'url'),
      fromLive: true,
      connect: `127.0.0.1:${server.port}`,
    });
    assert.ok('thumbprint' in result && result.applied, JSON.stringify(result));
    assert.ok(server.connections() > 0, 'the server ran the live check');
    assert.ok(client.log.some((l) => l.includes('Live check of azurerm_api_management_backend.tic: connecting to 127.0.0.1:')));
    const overlay = blockOf(editor.text(uri), 'resource "azapi_update_resource" "tic_tls"');
    assert.match(overlay, /name\s+= "\*\.contoso\.localtest"/, 'the name the leaf carries: the wildcard');
    assert.match(overlay, new RegExp(`issuerCertificateThumbprint = "${opensslSha1(chain.issuing.pem)}"`));
  });

  test('a leaf-only backend: the server asks before pinning the leaf, writes nothing until answered, then pins the leaf', async (t) => {
    const server = await startTlsServer(t, { chain: [chain.leaf] });
    const { client, editor, uri } = await start(t, module(`https://${HOST}:${server.port}/api`));
    const before = editor.text(uri);
    const position = editor.positionOf(uri, 'tls {');
    await check(client, { uri, position, connect: `127.0.0.1:${server.port}` });

    const asked = await pin(client, { uri, position, fromLive: true });
    assert.ok('confirm' in asked, JSON.stringify(asked));
    const { confirm } = asked as PinConfirmation;
    assert.equal(confirm.check, 'leaf');
    assert.match(confirm.message, /The backend presents only its own certificate, tic\.localtest, not the CA that issues it \(Contoso Test Issuing CA 01\)/);
    assert.deepEqual(
      confirm.options.map((o) => o.label),
      ['Pick the issuing CA file instead…', 'Pin the leaf certificate anyway', 'Cancel'],
    );
    assert.equal(editor.text(uri), before, 'nothing written while asking');
    assert.equal(editor.applied.length, 0);

    const anyway = confirm.options.find((o) => o.label === 'Pin the leaf certificate anyway')!;
    const result = await pin(client, { uri, position, fromLive: true, ...anyway.with });
    assert.ok('thumbprint' in result && result.applied, JSON.stringify(result));
    assert.equal(result.kind, 'certificate');
    assert.equal(result.thumbprint, opensslSha1(chain.leaf.pem));
    assert.match(editor.text(uri), new RegExp(`serverCertificateThumbprints = \\["${opensslSha1(chain.leaf.pem)}"\\]`));
  });

  test('a self-signed backend (CA:TRUE, as openssl req -x509 makes it) is pinned by its own thumbprint, after a confirmation', async (t) => {
    const self = await makeCertificate({ subject: `CN=${HOST}`, ca: true, dnsNames: [HOST] });
    const server = await startTlsServer(t, { chain: [self] });
    const { client, editor, uri } = await start(t, module(`https://${HOST}:${server.port}/api`));
    const position = editor.positionOf(uri, 'url');
    const report = await check(client, { uri, position, connect: `127.0.0.1:${server.port}` });
    assert.equal(report.suggestedPin?.kind, 'certificate');

    const asked = (await pin(client, { uri, position, fromLive: true })) as PinConfirmation;
    assert.equal(asked.confirm?.check, 'leaf', JSON.stringify(asked));
    assert.match(asked.confirm.message, /the certificate the backend presents, is self-signed: there is no CA to pin/);
    assert.deepEqual(
      asked.confirm.options.map((o) => o.label),
      ['Pin the self-signed certificate', 'Cancel'],
    );
    const result = await pin(client, { uri, position, fromLive: true, ...asked.confirm.options[0].with });
    assert.ok('thumbprint' in result && result.applied, JSON.stringify(result));
    assert.equal(result.thumbprint, opensslSha1(self.pem));
    assert.match(editor.text(uri), new RegExp(`serverCertificateThumbprints = \\["${opensslSha1(self.pem)}"\\]`));
    assert.doesNotMatch(editor.text(uri), /serverX509Names/);
  });

  test('a certificate whose names miss the URL host: the server says so and writes nothing unless told', async (t) => {
    const other = await makeCertificate({ subject: 'CN=other.localtest', issuer: chain.issuing, ca: false, dnsNames: ['other.localtest'] });
    const server = await startTlsServer(t, { chain: [other, chain.issuing] });
    const { client, editor, uri } = await start(t, module(`https://${HOST}:${server.port}/api`));
    const before = editor.text(uri);
    const position = editor.positionOf(uri, 'url');
    const asked = (await pin(client, { uri, position, fromLive: true, connect: `127.0.0.1:${server.port}` })) as PinConfirmation;
    assert.equal(asked.confirm?.check, 'name', JSON.stringify(asked));
    assert.match(
      asked.confirm.message,
      /^The backend presents a certificate issued to other\.localtest, but azurerm_api_management_backend\.tic calls tic\.localtest\./,
    );
    assert.deepEqual(
      asked.confirm.options.map((o) => o.label),
      ['Cancel', `Pin with the URL host ${HOST}`, "Pin with the leaf's name other.localtest"],
    );
    assert.equal(editor.text(uri), before);
  });

  test('a for_each backend: the instance checked live is the one pinned, with its own host', async (t) => {
    const server = await startTlsServer(t, { chain: [chain.leaf, chain.issuing] });
    const text = `resource "azurerm_api_management_backend" "tic" {
  for_each            = { eu = "https://eu.localtest:${server.port}/api", us = "https://${HOST}:${server.port}/api" }
  name                = "tic-\${each.key}"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = each.value

  tls {
    validate_certificate_chain = false
  }
}
`;
    const { client, editor, uri } = await start(t, text);
    const position = editor.positionOf(uri, 'name ');
    const asked = await pin(client, { uri, position, fromLive: true, connect: `127.0.0.1:${server.port}` });
    assert.ok('instances' in asked, `no instance checked yet: the server asks which (${JSON.stringify(asked)})`);
    assert.deepEqual(
      asked.instances.map((i) => [i.key, i.host]),
      [
        ['eu', 'eu.localtest'],
        ['us', HOST],
      ],
    );
    assert.equal(server.connections(), 0, 'asking which instance connects nowhere');

    await check(client, { uri, position, backend: 'azurerm_api_management_backend.tic["us"]', connect: `127.0.0.1:${server.port}` });
    const result = await pin(client, { uri, position, fromLive: true });
    assert.ok('thumbprint' in result && result.applied, JSON.stringify(result));
    assert.equal(result.backend, 'azurerm_api_management_backend.tic["us"]');
    const overlay = blockOf(editor.text(uri), 'resource "azapi_update_resource" "tic_tls"');
    assert.match(overlay, new RegExp(`us = \\{\\s*name\\s*= "${HOST}"\\s*thumbprint = "${opensslSha1(chain.issuing.pem)}"`));
    assert.doesNotMatch(overlay, /eu = \{/, 'the instance not checked is not pinned');

    const both = await pin(client, { uri, position, fromLive: true, instances: ['eu', 'us'] });
    assert.match((both as { error: string }).error, /pins one instance at a time/);
  });

  test('a file and fromLive together, a backend that cannot be reached: an error, nothing written', async (t) => {
    const port = await closedPort();
    const { client, editor, uri } = await start(t, module(`https://${HOST}:${port}/api`));
    const before = editor.text(uri);
    const position = editor.positionOf(uri, 'url');
    const both = await pin(client, { uri, position, fromLive: true, certificatePath: '/nowhere.pem' });
    assert.match((both as { error: string }).error, /expects \[\{ uri, position, certificatePath or fromLive: true/);
    const refused = await pin(client, { uri, position, fromLive: true, connect: `127.0.0.1:${port}`, timeoutMs: 2000 });
    assert.match((refused as { error: string }).error, /saw no certificate to pin: Could not check azurerm_api_management_backend\.tic/);
    assert.equal(editor.text(uri), before);
    assert.equal(editor.applied.length, 0);
  });
});

async function start(t: TestContext, text: string): Promise<{ client: LspClient; editor: Editor; uri: string }> {
  const { client, root } = await startServer(t, { 'main.tf': text });
  const editor = new Editor(client);
  await client.initialize(root, { workspace: { applyEdit: true } });
  const uri = fileUri(path.join(root, 'main.tf'));
  await editor.open(uri, text);
  return { client, editor, uri };
}

function check(client: LspClient, args: CheckBackendLiveArgs): Promise<LiveReport> {
  return client.connection.sendRequest('workspace/executeCommand', { command: 'apimTls.checkBackendLive', arguments: [args] });
}

function pin(client: LspClient, args: PinBackendArgs): Promise<PinBackendResult & Partial<PinApplied>> {
  return client.connection.sendRequest('workspace/executeCommand', { command: 'apimTls.pinBackend', arguments: [args] });
}

/** The text from `header` to the end of the block it opens. */
function blockOf(text: string, header: string): string {
  const start = text.indexOf(header);
  assert.ok(start >= 0, `${header} is in:\n${text}`);
  const end = text.indexOf('\n}', start);
  return text.slice(start, end < 0 ? text.length : end + 2);
}

/** SHA-1 of a PEM certificate as openssl prints it, colons dropped. */
function opensslSha1(pem: TestCert['pem']): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-openssl-'));
  const file = path.join(dir, 'cert.pem');
  fs.writeFileSync(file, pem);
  try {
    const out = execFileSync('openssl', ['x509', '-in', file, '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' });
    return out.trim().replace(/^.*=/, '').replace(/:/g, '').toUpperCase();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
