// "Check live" in the editor: the code lens on a backend runs the live check against a TLS server this test starts
// on 127.0.0.1 (the URL host tic.localtest is reached with `connect`, so no name is looked up), and the panel shows
// the verdict, the checks and the presented chain; its "Pin what it presents" link writes the pin of what the server
// presented. Certificates are made per run (certs.js); the server's key lives in memory only.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const tls = require('tls');
const vscode = require('vscode');
const { makeChain, sha1 } = require('./certs');
const { EXTENSION_ID, extensionApi, findingKeys, waitFor, workspaceUri } = require('./helpers');

const HOST = 'tic.localtest';

suite('Check live', () => {
  let chain;
  let server;
  let port;
  let moduleUri;
  let serverConnections = 0;

  suiteSetup(async () => {
    const api = await extensionApi();
    await waitFor('the language client running', () => api.client && api.client.isRunning());
    chain = await makeChain(HOST, { root: 'Live Test Root CA', issuing: 'Live Test Issuing CA' });
    server = tls.createServer({ key: chain.leaf.keyPem, cert: chain.leaf.pem + chain.issuing.pem }, (socket) => socket.end());
    server.on('connection', () => serverConnections++);
    server.on('tlsClientError', () => undefined);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = server.address().port;
    moduleUri = workspaceUri('live-test/main.tf');
    fs.mkdirSync(path.dirname(moduleUri.fsPath), { recursive: true });
    fs.writeFileSync(moduleUri.fsPath, moduleText(port));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(path.dirname(moduleUri.fsPath), { recursive: true, force: true });
    await new Promise((resolve) => server.close(resolve));
  });

  test('the lens on the backend checks it live and the panel shows the verdict and the presented chain', async () => {
    const doc = await vscode.workspace.openTextDocument(moduleUri);
    await vscode.window.showTextDocument(doc, { preview: false });
    const lens = await waitFor('a "Check live" code lens', async () => {
      const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri)) || [];
      return lenses.find((l) => l.command && l.command.title === 'Check live');
    });
    const backendLine = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('"azurerm_api_management_backend" "tic"'));
    assert.strictEqual(lens.range.start.line, backendLine, 'the lens sits on the backend block');
    assert.strictEqual(lens.command.command, 'apimTls.checkBackendLive');

    const report = await vscode.commands.executeCommand(lens.command.command, { ...lens.command.arguments[0], connect: `127.0.0.1:${port}` });
    assert.ok(report && report.verdict, `a verdict: ${JSON.stringify(report)}`);
    assert.strictEqual(report.verdict, 'accept', report.outcome);
    assert.match(report.outcome, /^APIM will accept azurerm_api_management_backend\.tic: it checks only the name/);
    assert.strictEqual(report.suggestedPin.thumbprint, sha1(chain.issuing.der));

    const api = await extensionApi();
    const view = api.liveCheckView;
    assert.ok(view, 'a live check panel was shown');
    assert.strictEqual(view.title, 'Live check: tic');
    assert.ok(view.html.includes('APIM will accept azurerm_api_management_backend.tic'), 'the panel shows the verdict');
    assert.ok(view.html.includes(sha1(chain.issuing.der)), 'the panel shows the issuing CA SHA-1');
    assert.ok(view.html.includes('Presented chain'));
    const tab = await waitFor('the panel open as a tab', () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Live check: tic' && t.input instanceof vscode.TabInputWebview),
    );
    assert.ok(tab);
  });

  test('"Pin what it presents" in the panel writes the presented issuing CA and the name the leaf carries, and the module lints clean', async () => {
    const doc = await vscode.workspace.openTextDocument(moduleUri);
    await vscode.window.showTextDocument(doc, { preview: false });
    await waitFor('APIM001 on the backend with chain validation off', () => findingKeys(doc.uri).some((k) => k.startsWith('APIM001@')));
    const lens = await waitFor('a "Check live" code lens', async () => {
      const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri)) || [];
      return lenses.find((l) => l.command && l.command.title === 'Check live');
    });
    await vscode.commands.executeCommand(lens.command.command, { ...lens.command.arguments[0], connect: `127.0.0.1:${port}` });
    const api = await extensionApi();
    const html = api.liveCheckView.html;

    // The link as the panel renders it; VS Code runs a command URI with the JSON array of its query as arguments.
    const link = /<a class="button" href="([^"]+)">Pin what it presents<\/a>/.exec(html);
    assert.ok(link, 'the panel offers "Pin what it presents"');
    const href = link[1].replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));
    const command = /^command:([^?]+)\?(.*)$/.exec(href);
    assert.ok(command, href);
    assert.strictEqual(command[1], 'apimTls.pinBackendFromLive');
    const args = JSON.parse(decodeURIComponent(command[2]));
    assert.strictEqual(args[0].backend, 'azurerm_api_management_backend.tic');
    const connections = serverConnections;
    const result = await vscode.commands.executeCommand(command[1], ...args);

    assert.ok(result && result.applied, `the pin was applied: ${JSON.stringify(result)}`);
    assert.strictEqual(serverConnections, connections, 'pinned from the check the panel shows, without connecting again');
    const text = doc.getText();
    assert.match(text, new RegExp(`issuerCertificateThumbprint = "${sha1(chain.issuing.der)}"`), text);
    assert.match(text, new RegExp(`name\\s+= "${HOST.replace('.', '\\.')}"`));
    assert.doesNotMatch(text, /validate_certificate_chain = false/);
    await waitFor('the module linting clean', () => findingKeys(doc.uri).length === 0);
  });

  test('the command is in the palette under APIM TLS', async () => {
    const contributed = vscode.extensions.getExtension(EXTENSION_ID).packageJSON.contributes.commands;
    for (const id of ['apimTls.checkBackendLive', 'apimTls.pinBackendFromLive']) {
      assert.strictEqual(contributed.find((c) => c.command === id).category, 'APIM TLS', id);
      assert.ok((await vscode.commands.getCommands(true)).includes(id), id);
    }
  });
});

function moduleText(port) {
  return `resource "azurerm_api_management" "apim" {
  name     = "apim-live"
  sku_name = "StandardV2_1"
}

resource "azurerm_api_management_backend" "tic" {
  name                = "tic-backend"
  resource_group_name = "rg-apim"
  api_management_name = azurerm_api_management.apim.name
  protocol            = "http"
  url                 = "https://${HOST}:${port}/api"

  tls {
    validate_certificate_chain = false
  }
}
`;
}
