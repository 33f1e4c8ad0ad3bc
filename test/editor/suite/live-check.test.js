// "Check live" in the editor: the code lens on a backend runs the live check against a TLS server this test starts
// on 127.0.0.1 (the URL host tic.localtest is reached with `connect`, so no name is looked up), and the panel shows
// the verdict, the checks and the presented chain. Certificates are made here with the repository's @peculiar/x509;
// the server's key lives in memory only.
const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const tls = require('tls');
const vscode = require('vscode');
const { EXTENSION_ID, extensionApi, waitFor, workspaceUri } = require('./helpers');

const HOST = 'tic.localtest';

suite('Check live', () => {
  let chain;
  let server;
  let port;
  let moduleUri;

  suiteSetup(async () => {
    const api = await extensionApi();
    await waitFor('the language client running', () => api.client && api.client.isRunning());
    chain = await makeChain();
    server = tls.createServer({ key: chain.leaf.keyPem, cert: chain.leaf.pem + chain.issuing.pem }, (socket) => socket.end());
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

  test('the command is in the palette under APIM TLS', async () => {
    const contributed = vscode.extensions.getExtension(EXTENSION_ID).packageJSON.contributes.commands;
    assert.strictEqual(contributed.find((c) => c.command === 'apimTls.checkBackendLive').category, 'APIM TLS');
    assert.ok((await vscode.commands.getCommands(true)).includes('apimTls.checkBackendLive'));
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

function sha1(der) {
  return crypto.createHash('sha1').update(der).digest('hex').toUpperCase();
}

/** root → issuing CA → leaf for tic.localtest, EC P-256, with the leaf's key as PEM for the TLS server. */
async function makeChain() {
  const modules = path.join(vscode.extensions.getExtension(EXTENSION_ID).extensionPath, 'node_modules');
  require(path.join(modules, 'reflect-metadata'));
  const x509 = require(path.join(modules, '@peculiar/x509'));
  const { webcrypto } = crypto;
  x509.cryptoProvider.set(webcrypto);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const make = async (subject, issuer, ca) => {
    const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
    const extensions = [new x509.BasicConstraintsExtension(ca, undefined, true), await x509.SubjectKeyIdentifierExtension.create(keys.publicKey)];
    if (issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
    if (ca) extensions.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true));
    else extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: HOST }]));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: '01' + crypto.randomBytes(8).toString('hex'),
      subject,
      issuer: issuer ? issuer.cert.subject : subject,
      notBefore: new Date(Date.now() - 86400000),
      notAfter: new Date(Date.now() + 365 * 86400000),
      publicKey: keys.publicKey,
      signingKey: issuer ? issuer.keys.privateKey : keys.privateKey,
      signingAlgorithm: alg,
      extensions,
    });
    const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
    return { cert, keys, pem: cert.toString('pem') + '\n', der: Buffer.from(cert.rawData), keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
  };
  const root = await make('CN=Live Test Root CA, O=Contoso', undefined, true);
  const issuing = await make('CN=Live Test Issuing CA, O=Contoso', root, true);
  const leaf = await make(`CN=${HOST}, O=Contoso`, issuing, false);
  return { root, issuing, leaf };
}
