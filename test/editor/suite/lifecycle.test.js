// The client's own behaviour: restarting the server and the apimTls.enable setting.
const assert = require('assert');
const vscode = require('vscode');
const { extensionApi, findings, openInEditor, setText, waitFor, waitForFindings } = require('./helpers');

suite('Server lifecycle', () => {
  let doc;
  let api;

  suiteSetup(async () => {
    doc = await openInEditor('main.tf');
    api = await extensionApi();
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('apimTls').update('enable', undefined, vscode.ConfigurationTarget.Global);
  });

  test('restartServer starts a fresh server that reports again', async () => {
    const before = api.client;
    await api.restartServer();
    assert.ok(api.client && api.client.isRunning(), 'a client runs after the restart');
    assert.notStrictEqual(api.client, before, 'the restart made a new client');
    await waitForFindings(doc.uri, 'APIM001');
  });

  test('a server killed with SIGKILL is restarted by the client and reports again after an edit', async () => {
    await waitForFindings(doc.uri, 'APIM001');
    const client = api.client;
    // vscode-languageclient keeps the server's child process in a private field; no public API exposes its pid.
    const pid = client && client._serverProcess && client._serverProcess.pid;
    assert.ok(typeof pid === 'number', 'the server process id is known');
    process.kill(pid, 'SIGKILL');
    await waitFor('the client to notice the crash and start a new server', () => {
      const next = client._serverProcess;
      return client.isRunning() && next && typeof next.pid === 'number' && next.pid !== pid;
    });
    assert.strictEqual(api.client, client, 'the same client restarted its server');
    assert.throws(() => process.kill(pid, 0), 'the killed server is gone');
    // The new server has the open documents again: an edit moves the finding, which only a live server reports.
    const before = (await waitForFindings(doc.uri, 'APIM001'))[0].range.start.line;
    const original = doc.getText();
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(0, 0), '\n');
    try {
      assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applied');
      await waitFor('APIM001 to move down a line', () => findings(doc.uri, 'APIM001').some((d) => d.range.start.line === before + 1));
    } finally {
      await setText(doc, original);
    }
    await waitFor('APIM001 back on its line', () => findings(doc.uri, 'APIM001').some((d) => d.range.start.line === before));
  });

  test('apimTls.enable = false stops the server and clears its findings; true starts it again', async () => {
    await waitForFindings(doc.uri, 'APIM001');
    const settings = () => vscode.workspace.getConfiguration('apimTls');
    await settings().update('enable', false, vscode.ConfigurationTarget.Global);
    await waitFor('the client to stop', () => api.client === undefined);
    await waitFor('findings to clear', () => findings(doc.uri, 'APIM001').length === 0);
    await settings().update('enable', true, vscode.ConfigurationTarget.Global);
    await waitFor('the client to run again', () => api.client && api.client.isRunning());
    await waitForFindings(doc.uri, 'APIM001');
  });
});
