// (a) Activation and the language contribution: opening a .tf file starts the extension and its server.
const assert = require('assert');
const vscode = require('vscode');
const { EXTENSION_ID, openInEditor, waitFor } = require('./helpers');

suite('Activation', () => {
  test('opening main.tf activates the extension with the terraform language', async () => {
    console.log(
      `VS Code ${vscode.version}, ui ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}, remote ${vscode.env.remoteName}, Node ${process.version}`,
    );
    const doc = await openInEditor('main.tf');
    assert.strictEqual(doc.languageId, 'terraform');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    await waitFor('the extension to activate', () => extension.isActive);
    const api = extension.exports;
    assert.strictEqual(typeof api.restartServer, 'function', 'activate returns the test API');
    await waitFor('the language client to run', () => api.client && api.client.isRunning());
  });

  test('the restart command is registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('apimTls.restartServer'));
  });
});
