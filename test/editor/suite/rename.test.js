// Rename of a backend in VS Code (F2, through vscode.executeDocumentRenameProvider as the editor calls it): the
// backend's name and every policy `backend-id` naming it change in one workspace edit, the policy file the editor
// never opened included; a name APIM rejects is refused with the server's reason.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { extensionApi, findings, revertAndClose, waitFor, waitForFindings, workspaceUri } = require('./helpers');

const MAIN = `resource "azurerm_api_management_backend" "tic" {
  name                = "tic-backend-insecure"
  resource_group_name = "rg-apim"
  api_management_name = "apim-rename"
  protocol            = "http"
  url                 = "https://tic.contoso.internal/api"

  tls {
    validate_certificate_chain = false
  }
}

resource "azurerm_api_management_api_policy" "orders" {
  api_name            = "orders"
  api_management_name = "apim-rename"
  resource_group_name = "rg-apim"
  xml_content         = file("\${path.module}/policies/orders.xml")
}
`;

const POLICY = `<policies>
  <inbound>
    <set-backend-service backend-id="tic-backend-insecure" />
  </inbound>
</policies>
`;

suite('Rename a backend', () => {
  const root = () => workspaceUri('rename').fsPath;

  teardown(revertAndClose);

  suiteTeardown(() => {
    fs.rmSync(root(), { recursive: true, force: true });
  });

  test('F2 on the backend name renames it and the backend-id of a policy file that is not open', async () => {
    const main = path.join(root(), 'main.tf');
    const policy = path.join(root(), 'policies', 'orders.xml');
    fs.mkdirSync(path.dirname(policy), { recursive: true });
    fs.writeFileSync(policy, POLICY);
    fs.writeFileSync(main, MAIN);
    // The server reads the workspace when it starts: a fresh one knows the policy file without waiting on the file
    // watcher, which a machine busy with the rest of the suite may deliver late.
    await (await extensionApi()).restartServer();
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(main));
    await vscode.window.showTextDocument(doc, { preview: false });
    // The server knows the policy once APIM001 names it as the backend's blast radius.
    await waitFor('APIM001 related to the policy file', () =>
      findings(doc.uri, 'APIM001').some((d) => (d.relatedInformation || []).some((r) => r.location.uri.fsPath === policy)),
    );
    const position = doc.positionAt(MAIN.indexOf('tic-backend-insecure') + 4);

    const edit = await vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', doc.uri, position, 'tic-backend');
    assert.ok(edit, 'the rename provider answers with an edit');
    assert.deepStrictEqual(
      edit
        .entries()
        .map(([uri]) => path.relative(root(), uri.fsPath))
        .sort(),
      ['main.tf', path.join('policies', 'orders.xml')],
    );
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
    assert.strictEqual(doc.getText(), MAIN.replace('tic-backend-insecure', 'tic-backend'));
    const policyDoc = await vscode.workspace.openTextDocument(vscode.Uri.file(policy));
    assert.strictEqual(policyDoc.getText(), POLICY.replace('tic-backend-insecure', 'tic-backend'));
    // After the rename the policy still routes to the backend: APIM001 still names it, and nothing is left behind.
    await waitFor('APIM001 still related to the policy', () =>
      findings(doc.uri, 'APIM001').some((d) => (d.relatedInformation || []).some((r) => r.location.uri.fsPath === policy)),
    );
    assert.deepStrictEqual(findings(policyDoc.uri, 'APIM020'), []);

    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', doc.uri, position, 'tic backend')),
      /cannot be a backend's name/,
    );
    await waitForFindings(doc.uri, 'APIM001');
  });
});
