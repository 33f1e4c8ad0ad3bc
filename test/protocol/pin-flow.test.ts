// "A pin must be right, or not written" (DESIGN §4), through the real server over stdio: a for_each backend pinned per
// instance on the bundled examples, the issuing CA chosen by its place in the chain, a root or a leaf pinned only when
// confirmed, the leaf's names checked against the URL host, azapi required with its version. Every question leaves
// the files as they were; the answers travel back with the same command, as any LSP client would send them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test, type TestContext } from 'node:test';
import type { CodeLens, Hover } from 'vscode-languageserver-protocol';
import type { PinApplied, PinBackendArgs, PinBackendResult } from '../../server/src/custom-messages';
import { makeCertificate, makeChain, type TestChain } from '../support/certs';
import { hclAccepts } from '../support/hcl';
import { codes, fileUri, type LspClient, startServer } from '../support/lsp-client';
import { Editor } from '../support/lsp-editor';
import { REPO_ROOT } from '../support/parser';

const EXAMPLES = path.join(REPO_ROOT, 'examples');

function backend(name: string, url: string, tls = ''): string {
  return (
    `resource "azurerm_api_management_backend" "${name}" {\n  name                = "${name}"\n  resource_group_name = "rg-apim"\n` +
    `  api_management_name = "apim-contoso"\n  protocol            = "http"\n  url                 = "${url}"\n${tls}}\n`
  );
}

const CHAIN_OFF = '\n  tls {\n    validate_certificate_chain = false\n  }\n';

let chain: TestChain;
before(async () => {
  chain = await makeChain({ host: 'tic.contoso.com' });
});

describe('the pin flow over stdio', () => {
  test('examples/backends.tf: pinning customs (on its finding) leaves fabrikam untouched and pins customs to its own host', async (t) => {
    const { client, root, editor } = await start(t, { ...examples(), 'certs/issuing.pem': chain.issuing.pem });
    const uri = fileUri(path.join(root, 'backends.tf'));
    const before = fs.readFileSync(path.join(root, 'backends.tf'), 'utf8');
    await editor.open(uri, before);
    const published = await client.waitForDiagnostics(uri, 'APIM001 on the customs entry', (p) =>
      p.diagnostics.some((d) => /partner\["customs"\]/.test(d.message)),
    );
    const customs = published.diagnostics.find((d) => /partner\["customs"\]/.test(d.message))!;

    const result = await pin(client, { uri, position: customs.range.start, certificatePath: path.join(root, 'certs/issuing.pem') });
    assert.ok('thumbprint' in result && result.applied, JSON.stringify(result));
    assert.equal(result.backend, 'azurerm_api_management_backend.partner["customs"]');
    const text = editor.text(uri);
    const overlay = blockOf(text, 'resource "azapi_update_resource" "partner_tls"');
    assert.match(overlay, /customs = \{\s*name\s*=\s*"customs-gateway\.contoso\.com"/, 'customs pinned to its own host');
    assert.doesNotMatch(overlay, /fabrikam/, 'fabrikam is not pinned');
    assert.doesNotMatch(overlay, /<backend host>/, 'no placeholder: each.value.url is known');
    assert.match(overlay, /resource_id = azurerm_api_management_backend\.partner\[each\.key\]\.id/);
    assert.equal(blockOf(text, '    fabrikam = {'), blockOf(before, '    fabrikam = {'), "fabrikam's entry is as it was");
    assert.ok(hclAccepts(text), "the file parses with HashiCorp's parser");

    // The lens tells the two instances apart.
    const lens = await waitForLens(client, uri, () => editor.text(uri), 'partner', /customs: pinned to/);
    assert.match(lens, /fabrikam: default trust/);

    // Pinning fabrikam later extends the same overlay.
    const again = await pin(client, {
      uri,
      position: editor.positionOf(uri, '"partner" {'),
      certificatePath: path.join(root, 'certs/issuing.pem'),
      instances: ['fabrikam'],
    });
    assert.ok('thumbprint' in again && again.applied, JSON.stringify(again));
    const both = editor.text(uri);
    assert.equal(count(both, 'resource "azapi_update_resource" "partner_tls"'), 1, 'one overlay');
    assert.match(blockOf(both, 'resource "azapi_update_resource" "partner_tls"'), /fabrikam = \{\s*name\s*=\s*"api\.fabrikam\.com"/);
    assert.ok(hclAccepts(both));
  });

  test('from the for_each block itself the server asks which instances, preselecting the one with validation off', async (t) => {
    const { client, root, editor } = await start(t, { ...examples(), 'certs/issuing.pem': chain.issuing.pem });
    const uri = fileUri(path.join(root, 'backends.tf'));
    const before = fs.readFileSync(path.join(root, 'backends.tf'), 'utf8');
    await editor.open(uri, before);
    await client.waitForDiagnostics(uri, 'the first diagnostics');
    const result = await pin(client, { uri, position: editor.positionOf(uri, '"partner" {'), certificatePath: path.join(root, 'certs/issuing.pem') });
    assert.ok('instances' in result, JSON.stringify(result));
    assert.equal(result.backend, 'azurerm_api_management_backend.partner');
    assert.deepEqual(
      result.instances.map((i) => [i.key, i.host, i.preselected]),
      [
        ['fabrikam', 'api.fabrikam.com', false],
        ['customs', 'customs-gateway.contoso.com', true],
      ],
    );
    assert.equal(editor.applied.length, 0, 'nothing written while asking');
    assert.equal(editor.text(uri), before);
  });

  test('a root + issuing CA file pins the issuing CA without a question; a root alone asks why first', async (t) => {
    const { client, root, editor } = await start(t, {
      'main.tf': backend('tic', 'https://tic.contoso.com/api', CHAIN_OFF),
      'cas.pem': chain.root.pem + chain.issuing.pem,
      'root.pem': chain.root.pem,
    });
    const uri = fileUri(path.join(root, 'main.tf'));
    await editor.open(uri, fs.readFileSync(path.join(root, 'main.tf'), 'utf8'));
    await client.waitForDiagnostics(uri, 'APIM001', (p) => codes(p.diagnostics).includes('APIM001'));
    const position = editor.positionOf(uri, '"tic" {');

    const original = editor.text(uri);
    const asked = await pin(client, { uri, position, certificatePath: path.join(root, 'root.pem') });
    assert.ok('confirm' in asked, JSON.stringify(asked));
    assert.equal(asked.confirm.check, 'root');
    assert.match(asked.confirm.message, /self-signed root CA/);
    assert.match(asked.confirm.message, /issuing CA/);
    assert.deepEqual(
      asked.confirm.options.map((o) => [o.label, !!o.pickFile, !!o.with]),
      [
        ['Pick the issuing CA file instead…', true, true],
        ['Pin the root anyway', false, true],
        ['Cancel', false, false],
      ],
    );
    assert.equal(editor.applied.length, 0, 'nothing written before the answer');
    assert.equal(editor.text(uri), original);

    const issuing = await pin(client, { uri, position, certificatePath: path.join(root, 'cas.pem') });
    assert.ok('thumbprint' in issuing && issuing.applied, `no question: ${JSON.stringify(issuing)}`);
    assert.equal(issuing.thumbprint, opensslSha1(root, chain.issuing.pem));
  });

  test('two issuing CAs under a root: the choices list the issuing CAs first, one preselected, the root last and marked wrong', async (t) => {
    const second = await makeCertificate({ subject: 'CN=Contoso Test Issuing CA 02, O=Contoso', issuer: chain.root, ca: true });
    const { client, root, editor } = await start(t, {
      'main.tf': backend('tic', 'https://tic.contoso.com/api', CHAIN_OFF),
      'cas.pem': chain.root.pem + chain.issuing.pem + second.pem,
    });
    const uri = fileUri(path.join(root, 'main.tf'));
    await editor.open(uri, fs.readFileSync(path.join(root, 'main.tf'), 'utf8'));
    await client.waitForDiagnostics(uri, 'the first diagnostics');
    const args = { uri, position: editor.positionOf(uri, '"tic" {'), certificatePath: path.join(root, 'cas.pem') };
    const result = await pin(client, args);
    assert.ok('choices' in result, JSON.stringify(result));
    assert.deepEqual(
      result.choices.map((c) => [c.index, c.role, c.preselected]),
      [
        [1, 'issuing', true],
        [2, 'issuing', false],
        [0, 'root', false],
      ],
    );
    assert.equal(result.choices[0].label, 'issuing CA (what APIM pins)');
    assert.equal(result.choices[2].label, "root — APIM's pin wants the issuing CA, not the root");
    // Choosing the root anyway still asks why it is wrong before anything is written.
    const rootChosen = await pin(client, { ...args, certificateIndex: 0 });
    assert.ok('confirm' in rootChosen && rootChosen.confirm.check === 'root', JSON.stringify(rootChosen));
    assert.ok(rootChosen.confirm.options.some((o) => /Contoso Test Issuing CA 01 instead/.test(o.label) && o.with?.certificateIndex === 1));
    assert.equal(editor.applied.length, 0);
  });

  test('a leaf-only file asks first (renewals break the pin), offers the issuing CA file, and writes only when confirmed', async (t) => {
    const { client, root, editor } = await start(t, { 'main.tf': backend('tic', 'https://tic.contoso.com/api', CHAIN_OFF), 'leaf.pem': chain.leaf.pem });
    const uri = fileUri(path.join(root, 'main.tf'));
    await editor.open(uri, fs.readFileSync(path.join(root, 'main.tf'), 'utf8'));
    await client.waitForDiagnostics(uri, 'the first diagnostics');
    const args = { uri, position: editor.positionOf(uri, '"tic" {'), certificatePath: path.join(root, 'leaf.pem') };
    const asked = await pin(client, args);
    assert.ok('confirm' in asked, JSON.stringify(asked));
    assert.equal(asked.confirm.check, 'leaf');
    assert.match(asked.confirm.message, /breaks at every renewal/);
    assert.equal(asked.confirm.options[0].pickFile, true, 'the issuing CA file is offered first');
    assert.equal(editor.applied.length, 0, 'nothing written before the answer');

    const anyway = asked.confirm.options.find((o) => /anyway/.test(o.label))!;
    const result = await pin(client, { ...args, ...anyway.with });
    assert.ok('thumbprint' in result && result.applied, JSON.stringify(result));
    assert.equal(result.kind, 'certificate');
    assert.match(editor.text(uri), new RegExp(`serverCertificateThumbprints = \\["${opensslSha1(root, chain.leaf.pem)}"\\]`));
  });

  test("a leaf issued to another host: said before writing; the leaf's name or cancel", async (t) => {
    const other = await makeChain({ host: 'tic-api.contoso.com' });
    const { client, root, editor } = await start(t, { 'main.tf': backend('tic', 'https://tic.contoso.com/api', CHAIN_OFF), 'bundle.pem': other.bundlePem });
    const uri = fileUri(path.join(root, 'main.tf'));
    const original = fs.readFileSync(path.join(root, 'main.tf'), 'utf8');
    await editor.open(uri, original);
    await client.waitForDiagnostics(uri, 'the first diagnostics');
    const args = { uri, position: editor.positionOf(uri, '"tic" {'), certificatePath: path.join(root, 'bundle.pem') };
    const asked = await pin(client, args);
    assert.ok('confirm' in asked, JSON.stringify(asked));
    assert.equal(asked.confirm.check, 'name');
    assert.match(asked.confirm.message, /issued to tic-api\.contoso\.com, but azurerm_api_management_backend\.tic calls tic\.contoso\.com/);
    assert.equal(asked.confirm.options[0].label, 'Cancel');
    assert.equal(editor.applied.length, 0, 'nothing written before the answer');
    assert.equal(editor.text(uri), original);

    const leafName = asked.confirm.options.find((o) => o.with?.name === 'tic-api.contoso.com');
    assert.ok(leafName, `the leaf's name is offered: ${JSON.stringify(asked.confirm.options)}`);
    const result = await pin(client, { ...args, ...leafName.with });
    assert.ok('thumbprint' in result && result.applied, JSON.stringify(result));
    assert.equal(result.thumbprint, opensslSha1(root, other.issuing.pem));
    assert.match(editor.text(uri), /name\s*=\s*"tic-api\.contoso\.com"/);
  });

  test('a leaf whose only matching name is a wildcard: the wildcard is pinned, without a question', async (t) => {
    const wildcard = await makeChain({ host: '*.contoso.com' });
    const { client, root, editor } = await start(t, { 'main.tf': backend('tic', 'https://tic.contoso.com/api', CHAIN_OFF), 'bundle.pem': wildcard.bundlePem });
    const uri = fileUri(path.join(root, 'main.tf'));
    await editor.open(uri, fs.readFileSync(path.join(root, 'main.tf'), 'utf8'));
    await client.waitForDiagnostics(uri, 'the first diagnostics');
    const result = await pin(client, { uri, position: editor.positionOf(uri, '"tic" {'), certificatePath: path.join(root, 'bundle.pem') });
    assert.ok('thumbprint' in result && result.applied, JSON.stringify(result));
    assert.match(editor.text(uri), /name\s*=\s*"\*\.contoso\.com"/);
    const version = editor.version(uri);
    const after = await client.waitForDiagnostics(uri, `diagnostics for version ${version}`, (p) => p.version === version);
    assert.deepEqual(codes(after.diagnostics), [], 'the wildcard matches the URL host: no APIM007');
  });

  test('azapi is added with ~> 2.0; a module held to azapi 1.x gets a jsonencode body', async (t) => {
    const v1 = 'terraform {\n  required_providers {\n    azapi = {\n      source  = "Azure/azapi"\n      version = "~> 1.13"\n    }\n  }\n}\n';
    const { client, root, editor } = await start(t, {
      'new/main.tf': backend('tic', 'https://tic.contoso.com/api', CHAIN_OFF),
      'old/main.tf': backend('tic', 'https://tic.contoso.com/api', CHAIN_OFF),
      'old/versions.tf': v1,
      'issuing.pem': chain.issuing.pem,
    });
    for (const dir of ['new', 'old']) {
      const uri = fileUri(path.join(root, dir, 'main.tf'));
      await editor.open(uri, fs.readFileSync(path.join(root, dir, 'main.tf'), 'utf8'));
      await client.waitForDiagnostics(uri, 'the first diagnostics');
      const result = await pin(client, { uri, position: editor.positionOf(uri, '"tic" {'), certificatePath: path.join(root, 'issuing.pem') });
      assert.ok('thumbprint' in result && result.applied, JSON.stringify(result));
      assert.deepEqual(result.changed, [uri], `${dir}: the edit changes main.tf only`);
    }
    const fresh = editor.text(fileUri(path.join(root, 'new/main.tf')));
    assert.match(fresh, /azapi = \{\s*source\s*=\s*"Azure\/azapi"\s*version\s*=\s*"~> 2\.0"/);
    assert.match(fresh, /body = \{/);
    const old = editor.text(fileUri(path.join(root, 'old/main.tf')));
    assert.match(old, /body = jsonencode\(\{/);
    assert.ok(hclAccepts(old) && hclAccepts(fresh));
  });

  test('the lens says a pin on api-version 2024-05-01 is ignored, and one with a malformed thumbprint cannot match', async (t) => {
    const broken = fs
      .readFileSync(path.join(EXAMPLES, 'pinned.tf'), 'utf8')
      .replace('"C54CD3D82A01A49B61C6B4C3D3F935762F553A83"', '"C54CD3D82A01A49B61C6B4C3D3F935762F553A8"');
    const { client, root } = await start(t, { ...examples(), 'pinned.tf': broken });
    const uri = fileUri(path.join(root, 'pinned.tf'));
    await client.open(uri, broken);
    await client.waitForDiagnostics(uri, 'APIM005 and APIM006', (p) => codes(p.diagnostics).includes('APIM005') && codes(p.diagnostics).includes('APIM006'));
    assert.equal(await waitForLens(client, uri, () => broken, 'shipping', /TLS:/), 'TLS: pin ignored: api-version 2024-05-01');
    assert.equal(await waitForLens(client, uri, () => broken, 'tic', /TLS:/), 'TLS: pin cannot match: thumbprint is not 40 hex digits');
  });

  test('the hover shows a flag the overlay sets explicitly, and who sets it where', async (t) => {
    const { client, root } = await start(t, examples());
    const uri = fileUri(path.join(root, 'pinned.tf'));
    const text = fs.readFileSync(path.join(root, 'pinned.tf'), 'utf8');
    await client.open(uri, text);
    await client.waitForDiagnostics(uri, 'the first diagnostics');
    const at = text.indexOf('"tic" {') + 2;
    const line = text.slice(0, at).split('\n').length - 1;
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', {
      textDocument: { uri },
      position: { line, character: at - text.lastIndexOf('\n', at - 1) - 1 },
    });
    const value = (hover.contents as { value: string }).value;
    const overlayLine = text.slice(0, text.indexOf('validateCertificateChain = true')).split('\n').length;
    assert.match(value, new RegExp(`Chain validation: \`true\` — set by \`azapi_update_resource\\.tic_backend_tls\` at pinned\\.tf:${overlayLine}`));
    assert.doesNotMatch(value, /\(default\)/);
  });

  test('a pin with an unknown URL host leaves the placeholder, which APIM022 reports as an error until it is replaced', async (t) => {
    const text =
      backend('tic', 'https://tic.contoso.com/api', CHAIN_OFF).replace('"https://tic.contoso.com/api"', 'var.tic_url') +
      '\nvariable "tic_url" {\n  type = string\n}\n';
    const { client, root, editor } = await start(t, { 'main.tf': text, 'issuing.pem': chain.issuing.pem });
    const uri = fileUri(path.join(root, 'main.tf'));
    await editor.open(uri, text);
    await client.waitForDiagnostics(uri, 'APIM001', (p) => codes(p.diagnostics).includes('APIM001'));
    const result = await pin(client, { uri, position: editor.positionOf(uri, '"tic" {'), certificatePath: path.join(root, 'issuing.pem') });
    assert.ok('thumbprint' in result && result.placeholder, JSON.stringify(result));
    const version = editor.version(uri);
    const after = await client.waitForDiagnostics(uri, `diagnostics for version ${version}`, (p) => p.version === version);
    const placeholder = after.diagnostics.find((d) => d.code === 'APIM022');
    assert.ok(placeholder, `APIM022: ${JSON.stringify(after.diagnostics)}`);
    assert.equal(placeholder.severity, 1, 'an error');
    assert.deepEqual(
      placeholder.range.start,
      { ...result.placeholder.range.start, character: result.placeholder.range.start.character - 1 },
      'on the quoted name',
    );
  });
});

async function start(t: TestContext, files: Record<string, string | Buffer>): Promise<{ client: LspClient; root: string; editor: Editor }> {
  const { client, root } = await startServer(t, files);
  const editor = new Editor(client);
  await client.initialize(root, { workspace: { applyEdit: true } });
  return { client, root, editor };
}

/** The examples/ folder as files for a temp workspace. */
function examples(): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name), path.join(rel, e.name));
      else out[path.join(rel, e.name)] = fs.readFileSync(path.join(dir, e.name));
    }
  };
  walk(EXAMPLES, '');
  return out;
}

function pin(client: LspClient, args: PinBackendArgs): Promise<PinBackendResult & Partial<PinApplied>> {
  return client.connection.sendRequest('workspace/executeCommand', { command: 'apimTls.pinBackend', arguments: [args] });
}

/** The title of the code lens on the header line of backend `name` in `text()`, once one matches `expected`. */
async function waitForLens(client: LspClient, uri: string, text: () => string, name: string, expected: RegExp): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const line = text()
      .split('\n')
      .findIndex((l) => l.startsWith(`resource "azurerm_api_management_backend" "${name}"`));
    const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const titles = lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
    const hit = titles.find((title) => expected.test(title));
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no lens matching ${expected} on ${name} (line ${line}): ${JSON.stringify(titles)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The text from `header` to the end of the block it opens (the next line that closes at its indentation). */
function blockOf(text: string, header: string): string {
  const start = text.indexOf(header);
  assert.ok(start >= 0, `${header} is in the text`);
  const indent = /^[ \t]*/.exec(text.slice(text.lastIndexOf('\n', start) + 1))![0];
  const end = text.indexOf(`\n${indent}}`, start);
  return text.slice(start, end < 0 ? text.length : end + indent.length + 2);
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** SHA-1 of a PEM certificate as openssl prints it, colons dropped. */
function opensslSha1(root: string, pem: string): string {
  const file = path.join(root, `.openssl-${Math.random().toString(36).slice(2)}.pem`);
  fs.writeFileSync(file, pem);
  try {
    const out = execFileSync('openssl', ['x509', '-in', file, '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' });
    return out.trim().replace(/^.*=/, '').replace(/:/g, '').toUpperCase();
  } finally {
    fs.rmSync(file);
  }
}
