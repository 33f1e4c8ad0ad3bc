// The pin command's questions as the user meets them in VS Code: quick picks whose order and preselection the test
// reads from the extension (what is on screen) and answers with VS Code's own quick-open commands, as the keyboard
// would (Enter, Down, Space). Nothing is written before the last answer; files the edit changed that were not open
// are saved. "Explain APIMxxx" opens the packaged rule page in the Markdown preview.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { makeCert, makeChain, sha1 } = require('./certs');
const { extensionApi, findings, waitFor, waitForFindings, workspaceUri } = require('./helpers');

const HOST = 'tic.internal.contoso.com';

function backend(name, url, tls = '\n  tls {\n    validate_certificate_chain = false\n  }\n') {
  return (
    `resource "azurerm_api_management_backend" "${name}" {\n  name                = "${name}"\n  resource_group_name = "rg-apim"\n` +
    `  api_management_name = "apim-contoso"\n  protocol            = "http"\n  url                 = "${url}"\n${tls}}\n`
  );
}

const PARTNERS = `locals {
  partner_backends = {
    fabrikam = {
      url            = "https://api.fabrikam.com/shipping/v2"
      validate_chain = true
    }
    customs = {
      url            = "https://customs-gateway.contoso.com"
      validate_chain = false
    }
  }
}

resource "azurerm_api_management_backend" "partner" {
  for_each = local.partner_backends

  name                = "\${each.key}-backend"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = each.value.url

  tls {
    validate_certificate_chain = each.value.validate_chain
    validate_certificate_name  = true
  }
}
`;

const VERSIONS = 'terraform {\n  required_providers {\n    azurerm = {\n      source = "hashicorp/azurerm"\n    }\n  }\n}\n';

suite('Pin questions', () => {
  let api;
  let certs;
  let chain;
  let second;
  const modules = [];

  suiteSetup(async () => {
    api = await extensionApi();
    await waitFor('the language client running', () => api.client && api.client.isRunning());
    certs = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-questions-'));
    chain = await makeChain(HOST);
    second = await makeCert('CN=Editor Test Issuing CA 02, O=Contoso', chain.root, true);
    fs.writeFileSync(path.join(certs, 'cas.pem'), chain.root.pem + chain.issuing.pem + second.pem);
    fs.writeFileSync(path.join(certs, 'root.pem'), chain.root.pem);
    fs.writeFileSync(path.join(certs, 'leaf.pem'), chain.leaf.pem);
    fs.writeFileSync(path.join(certs, 'issuing.pem'), chain.issuing.pem);
  });

  teardown(async () => {
    // A failed test may leave its question open; close it so the next test starts clean.
    if (api.openQuestion()) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const dir of modules) fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(certs, { recursive: true, force: true });
  });

  /** A module folder of its own in the workspace, with `files`; its main.tf opened in an editor. */
  async function module(name, files) {
    const dir = workspaceUri(`questions-${name}`).fsPath;
    fs.mkdirSync(dir, { recursive: true });
    modules.push(dir);
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'main.tf')));
    await vscode.window.showTextDocument(doc, { preview: false });
    await waitFor(`findings on ${name}/main.tf`, () => vscode.languages.getDiagnostics(doc.uri).length > 0);
    return doc;
  }

  /** Runs the pin command at `marker` of `doc` with a certificate file, without waiting for it. */
  function startPin(doc, marker, certificate) {
    const position = doc.positionAt(doc.getText().indexOf(marker) + 1);
    const args = { uri: doc.uri.toString(), position: { line: position.line, character: position.character }, certificatePath: path.join(certs, certificate) };
    return Promise.resolve(vscode.commands.executeCommand('apimTls.pinBackendFromCaFile', args));
  }

  /** The open question, once one whose title matches `title` is on screen with an active (or ticked) item. */
  function question(title) {
    return waitFor(`a question titled ${title}`, () => {
      const q = api.openQuestion();
      return q && title.test(q.title) && (q.many ? q.items.length > 0 : q.active.length > 0) && q;
    });
  }

  /** Moves the highlight down `steps` items, then presses Enter. */
  async function choose(title, steps = 0) {
    for (let i = 0; i < steps; i++) {
      const before = api.openQuestion().active[0];
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      await waitFor('the highlight to move', () => api.openQuestion() && api.openQuestion().active[0] !== before);
    }
    const open = api.openQuestion();
    assert.ok(open && title.test(open.title), `the question ${title} is still open`);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }

  test('several CAs: the issuing CAs first with the first one highlighted, the root last and marked wrong; Enter pins it', async () => {
    const doc = await module('choices', { 'main.tf': backend('tic', `https://${HOST}/api`) });
    const pinning = startPin(doc, '"tic" {', 'cas.pem');
    const q = await question(/Which certificate/);
    assert.deepStrictEqual(q.items, ['CN=Editor Test Issuing CA, O=Contoso', 'CN=Editor Test Issuing CA 02, O=Contoso', 'CN=Editor Test Root CA, O=Contoso']);
    assert.deepStrictEqual(q.active, ['CN=Editor Test Issuing CA, O=Contoso'], 'the issuing CA is highlighted, not the root');
    await choose(/Which certificate/);
    const result = await pinning;
    assert.ok(result && result.applied, JSON.stringify(result));
    assert.strictEqual(result.thumbprint, sha1(chain.issuing.der));
    assert.match(doc.getText(), new RegExp(`issuerCertificateThumbprint = "${result.thumbprint}"`));
  });

  test('a root alone: the question says why it is wrong; Cancel writes nothing', async () => {
    const doc = await module('root', { 'main.tf': backend('tic', `https://${HOST}/api`) });
    const before = doc.getText();
    const pinning = startPin(doc, '"tic" {', 'root.pem');
    const q = await question(/self-signed root CA/);
    assert.match(q.placeholder, /issuing CA/);
    assert.deepStrictEqual(q.items, ['Pick the issuing CA file instead…', 'Pin the root anyway', 'Cancel']);
    assert.deepStrictEqual(q.active, ['Pick the issuing CA file instead…'], 'the safe answer is highlighted');
    await choose(/self-signed root CA/, 2);
    const result = await pinning;
    assert.ok(result && 'confirm' in result, `the question was the last answer: ${JSON.stringify(result)}`);
    assert.strictEqual(doc.getText(), before, 'nothing written');
    assert.strictEqual(doc.isDirty, false);
  });

  test('a leaf-only file: the question says renewals break the pin; "Pin the leaf certificate anyway" writes it', async () => {
    const doc = await module('leaf', { 'main.tf': backend('tic', `https://${HOST}/api`) });
    const pinning = startPin(doc, '"tic" {', 'leaf.pem');
    const q = await question(/backend's own certificate \(a leaf\)/);
    assert.match(q.placeholder, /breaks at every renewal/);
    assert.deepStrictEqual(q.items, ['Pick the issuing CA file instead…', 'Pin the leaf certificate anyway', 'Cancel']);
    assert.strictEqual(doc.getText().includes('serverCertificateThumbprints'), false, 'nothing written while asking');
    await choose(/a leaf/, 1);
    const result = await pinning;
    assert.ok(result && result.applied && result.kind === 'certificate', JSON.stringify(result));
    assert.match(doc.getText(), new RegExp(`serverCertificateThumbprints = \\["${sha1(chain.leaf.der)}"\\]`));
  });

  test('a for_each backend: the instances are ticked where validation is off; Enter pins what is ticked', async () => {
    const doc = await module('instances', { 'main.tf': PARTNERS });
    await waitForFindings(doc.uri, 'APIM001');
    const pinning = startPin(doc, '"partner" {', 'issuing.pem');
    const q = await question(/Which instances of azurerm_api_management_backend\.partner/);
    assert.strictEqual(q.many, true);
    assert.deepStrictEqual(q.items, ['fabrikam', 'customs']);
    assert.deepStrictEqual(q.selected, ['customs'], 'customs, whose chain validation is off, is ticked');
    await choose(/Which instances/);
    const result = await pinning;
    assert.ok(result && result.applied, JSON.stringify(result));
    const text = doc.getText();
    assert.match(text, /customs = \{\s*name\s*=\s*"customs-gateway\.contoso\.com"/);
    assert.doesNotMatch(text.slice(text.indexOf('resource "azapi_update_resource"')), /fabrikam/, 'fabrikam is not pinned');
    await waitFor('APIM001 on customs gone', () => findings(doc.uri, 'APIM001').length === 0);
  });

  test('the files the edit changed that were not open are saved; the open one stays as the edit left it', async () => {
    const doc = await module('save', { 'main.tf': backend('tic', `https://${HOST}/api`), 'versions.tf': VERSIONS });
    const versions = path.join(path.dirname(doc.uri.fsPath), 'versions.tf');
    const result = await startPin(doc, '"tic" {', 'issuing.pem');
    assert.ok(result && result.applied, JSON.stringify(result));
    assert.deepStrictEqual([...result.changed].sort(), [doc.uri.toString(), vscode.Uri.file(versions).toString()].sort());
    await waitFor('versions.tf saved with azapi', () =>
      /azapi = \{\s*source\s*=\s*"Azure\/azapi"\s*version\s*=\s*"~> 2\.0"/.test(fs.readFileSync(versions, 'utf8')),
    );
    const versionsDoc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === versions);
    assert.ok(!versionsDoc || !versionsDoc.isDirty, 'no unsaved versions.tf left behind');
    assert.strictEqual(doc.isDirty, true, 'main.tf was open: it is left for the user to review and save');
    assert.doesNotMatch(fs.readFileSync(doc.uri.fsPath, 'utf8'), /azapi_update_resource/);
  });

  test('"Explain APIM001" shows the packaged rule page in the Markdown preview', async () => {
    const doc = await module('explain', { 'main.tf': backend('tic', `https://${HOST}/api`) });
    const [finding] = await waitForFindings(doc.uri, 'APIM001');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, finding.range, vscode.CodeActionKind.QuickFix.value, 10);
    const titles = actions.map((a) => a.title);
    // The suppressions last: on this line, then until a date 30 days ahead.
    assert.strictEqual(titles[titles.length - 2], 'Suppress APIM001 on this line', `suppressions last: ${JSON.stringify(titles)}`);
    assert.match(titles[titles.length - 1], /^Suppress APIM001 until \d{4}-\d{2}-\d{2}$/, `suppressions last: ${JSON.stringify(titles)}`);
    const explain = actions.find((a) => a.title === 'Explain APIM001');
    assert.ok(explain && explain.command, `an Explain action among ${JSON.stringify(titles)}`);
    const page = await vscode.commands.executeCommand(explain.command.command, ...(explain.command.arguments || []));
    assert.ok(page, 'a page was shown');
    assert.strictEqual(path.basename(page.fsPath), 'APIM001.md');
    assert.match(fs.readFileSync(page.fsPath, 'utf8'), /^# APIM001: chain-validation-disabled/);
    await waitFor('a Markdown preview of APIM001.md', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => /APIM001\.md/.test(t.label) && t.input instanceof vscode.TabInputWebview),
    );
  });
});
