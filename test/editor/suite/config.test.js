// (e) .apim-tls-lint.json: rule severities from the file on disk, and problems in the file reported on it.
const assert = require('assert');
const vscode = require('vscode');
const { SOURCE, findings, openInEditor, waitFor, waitForFindings, workspaceUri } = require('./helpers');

suite('Configuration file', () => {
  let doc;
  let configUri;
  let original;

  suiteSetup(async () => {
    doc = await openInEditor('main.tf');
    configUri = workspaceUri('.apim-tls-lint.json');
    original = await vscode.workspace.fs.readFile(configUri);
  });

  suiteTeardown(async () => {
    await vscode.workspace.fs.writeFile(configUri, original);
  });

  test('turning APIM002 off on disk removes its findings, and restoring the file brings them back', async () => {
    await waitForFindings(doc.uri, 'APIM002');
    await vscode.workspace.fs.writeFile(configUri, Buffer.from('{"rules":{"APIM002":"off"}}\n'));
    await waitFor('APIM002 to be switched off', () => findings(doc.uri, 'APIM002').length === 0);
    assert.strictEqual(findings(doc.uri, 'APIM001').length, 1, 'other rules still report');
    await vscode.workspace.fs.writeFile(configUri, original);
    await waitForFindings(doc.uri, 'APIM002');
  });

  test('a broken configuration, typed in an editor, is a diagnostic on the configuration file', async () => {
    const config = await vscode.workspace.openTextDocument(configUri);
    const editor = await vscode.window.showTextDocument(config, { preview: false });
    const text = config.getText();
    const problems = () => vscode.languages.getDiagnostics(configUri).filter((d) => d.source === SOURCE);
    try {
      await editor.edit((b) => b.replace(new vscode.Range(config.positionAt(0), config.positionAt(text.length)), '{"rules":{"APIM002":"loud"}}\n'));
      await waitFor('a problem reported on .apim-tls-lint.json', () => problems().length > 0);
      // The server keeps linting Terraform while its configuration is broken.
      await waitForFindings(doc.uri, 'APIM001');
    } finally {
      await editor.edit((b) => b.replace(new vscode.Range(config.positionAt(0), config.positionAt(config.getText().length)), text));
      await config.save();
    }
    await waitFor('the problem on .apim-tls-lint.json to clear', () => problems().length === 0);
  });
});
