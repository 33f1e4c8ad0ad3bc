// The certificate commands in the editor: "Pin Issuing CA from Certificate File…" writes the overlay into the
// document and the findings go; "Extract Certificate Thumbprint…" copies the SHA-1. The certificates (certs.js) are
// written to a temporary folder outside the workspace; no key is written anywhere.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { makeChain, sha1 } = require('./certs');
const { EXTENSION_ID, extensionApi, findings, waitFor, waitForFindings, workspaceUri } = require('./helpers');

const HOST = 'orders.internal.contoso.com';
// Its own module folder, so the other suites' main.tf is never touched.
const MODULE = `resource "azurerm_api_management_backend" "pinme" {
  name                = "pinme-backend"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://${HOST}/api"

  tls {
    validate_certificate_chain = false
    validate_certificate_name  = false
  }
}
`;

suite('Certificate commands', () => {
  let dir;
  let chain;
  let moduleUri;

  suiteSetup(async () => {
    const api = await extensionApi();
    await waitFor('the language client running', () => api.client && api.client.isRunning());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-pin-'));
    chain = await makeChain(HOST);
    fs.writeFileSync(path.join(dir, 'bundle.pem'), chain.leaf.pem + chain.issuing.pem + chain.root.pem);
    fs.writeFileSync(path.join(dir, 'issuing.cer'), chain.issuing.der);
    moduleUri = workspaceUri('pin-test/main.tf');
    fs.mkdirSync(path.dirname(moduleUri.fsPath), { recursive: true });
    fs.writeFileSync(moduleUri.fsPath, MODULE);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(path.dirname(moduleUri.fsPath), { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('pinning a backend from a bundle writes the issuing CA overlay and its findings go', async () => {
    const doc = await vscode.workspace.openTextDocument(moduleUri);
    await vscode.window.showTextDocument(doc, { preview: false });
    await waitForFindings(doc.uri, 'APIM001');
    await waitForFindings(doc.uri, 'APIM002');

    const position = doc.positionAt(doc.getText().indexOf('"pinme" {') + 1);
    const result = await vscode.commands.executeCommand('apimTls.pinBackendFromCaFile', {
      uri: doc.uri.toString(),
      position: { line: position.line, character: position.character },
      certificatePath: path.join(dir, 'bundle.pem'),
    });
    assert.ok(result && result.applied, `the pin was applied: ${JSON.stringify(result)}`);
    assert.strictEqual(result.thumbprint, sha1(chain.issuing.der), 'the issuing CA, not the leaf or the root');
    assert.strictEqual(result.backend, 'azurerm_api_management_backend.pinme');

    const text = await waitFor('the overlay in the document', () => /resource "azapi_update_resource" "pinme_tls"/.test(doc.getText()) && doc.getText());
    assert.match(text, new RegExp(`issuerCertificateThumbprint\\s*=\\s*"${result.thumbprint}"`));
    assert.match(text, new RegExp(`name\\s*=\\s*"${HOST.replace(/\./g, '\\.')}"`));
    await waitFor('APIM001 and APIM002 gone', () => findings(doc.uri, 'APIM001').length === 0 && findings(doc.uri, 'APIM002').length === 0);
  });

  test('extracting a thumbprint copies the SHA-1 to the clipboard', async () => {
    const expected = sha1(chain.issuing.der);
    const copied = await vscode.commands.executeCommand('apimTls.extractThumbprint', path.join(dir, 'issuing.cer'));
    assert.strictEqual(copied, expected);
    assert.strictEqual(await vscode.env.clipboard.readText(), expected);

    const root = await vscode.commands.executeCommand('apimTls.extractThumbprint', { certificatePath: path.join(dir, 'bundle.pem'), index: 2 });
    assert.strictEqual(root, sha1(chain.root.der));
    assert.strictEqual(await vscode.env.clipboard.readText(), root);
  });

  test('the commands are in the palette under APIM TLS', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['apimTls.pinBackendFromCaFile', 'apimTls.extractThumbprint']) assert.ok(commands.includes(id), id);
    const contributed = vscode.extensions.getExtension(EXTENSION_ID).packageJSON.contributes.commands;
    for (const id of ['apimTls.pinBackendFromCaFile', 'apimTls.extractThumbprint']) {
      assert.strictEqual(contributed.find((c) => c.command === id).category, 'APIM TLS', id);
    }
  });
});
