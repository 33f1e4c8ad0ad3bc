// The client's own behaviour: restarting the server and the apimTls.enable setting.
const assert = require('assert');
const vscode = require('vscode');
const { extensionApi, findings, openInEditor, waitFor, waitForFindings } = require('./helpers');

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
