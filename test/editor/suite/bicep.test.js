// Bicep and JSON in the editor: a .bicep file gets its findings and quick fixes; JSON that is not an ARM template
// gets nothing, even when it looks like a backend's TLS settings.
const assert = require('assert');
const vscode = require('vscode');
const { EXTENSION_ID, SOURCE, assertRange, codeOf, findings, openInEditor, setText, waitFor, waitForFindings } = require('./helpers');

suite('Bicep and JSON', () => {
  let doc;
  let original;

  suiteSetup(async () => {
    doc = await openInEditor('bicep/main.bicep');
    original = doc.getText();
  });

  teardown(async () => {
    if (doc.getText() !== original) await setText(doc, original);
  });

  test('opening main.bicep runs the extension with the bicep language and reports APIM001 with its docs link', async () => {
    assert.strictEqual(doc.languageId, 'bicep');
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    await waitFor('the extension to activate', () => extension.isActive);
    await waitFor('the language client to run', () => extension.exports.client && extension.exports.client.isRunning());
    const found = await waitForFindings(doc.uri, 'APIM001');
    assert.strictEqual(found.length, 1, `one APIM001: ${JSON.stringify(found.map((d) => d.range))}`);
    const [d] = found;
    assert.strictEqual(d.source, SOURCE);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(d.code.target instanceof vscode.Uri && d.code.target.path.endsWith('/docs/rules/APIM001.md'), `docs link: ${d.code.target}`);
    assertRange(d.range, rangeOf(doc.getText(), 'validateCertificateChain: ', 'false'), 'APIM001');
  });

  test('the preferred APIM002 quick fix sets validateCertificateName: true in the Bicep text and clears APIM002', async () => {
    const [name] = await waitForFindings(doc.uri, 'APIM002');
    assertRange(name.range, rangeOf(doc.getText(), 'validateCertificateName: ', 'false'), 'APIM002');
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, name.range, vscode.CodeActionKind.QuickFix.value, 10);
    const fix = (actions || []).find((a) => a.isPreferred && a.edit && /validateCertificateName/.test(a.title));
    assert.ok(fix, `a preferred fix with an edit among ${JSON.stringify((actions || []).map((a) => a.title))}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applied');
    assert.match(doc.getText(), /validateCertificateName: true\n/);
    assert.match(doc.getText(), /validateCertificateChain: false\n/);
    await waitFor('APIM002 to disappear after the fix', () => findings(doc.uri, 'APIM002').length === 0);
    assert.strictEqual(findings(doc.uri, 'APIM001').length, 1, 'APIM001 stays');
  });

  test('an unrelated settings.json that looks like backend TLS settings gets no findings', async () => {
    const json = await openInEditor('bicep/settings.json');
    assert.ok(['json', 'jsonc'].includes(json.languageId), `language ${json.languageId}`);
    // Messages reach the server in order: once an edit made after the open is linted, anything the open would
    // have produced has been published.
    await waitForFindings(doc.uri, 'APIM001');
    const before = findings(doc.uri, 'APIM001')[0].range.start.line;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(1, 0), '\n');
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applied');
    await waitFor('APIM001 to move down a line', () => findings(doc.uri, 'APIM001').some((d) => d.range.start.line === before + 1));
    const ours = vscode.languages.getDiagnostics(json.uri).filter((d) => d.source === SOURCE);
    assert.deepStrictEqual(
      ours.map((d) => `${codeOf(d)}@${d.range.start.line}`),
      [],
      'no findings on settings.json',
    );
  });
});

/** The range of `literal` where it first follows `prefix` in `text`. */
function rangeOf(text, prefix, literal) {
  const at = text.indexOf(prefix);
  assert.ok(at >= 0, `"${prefix}" is in the text`);
  const start = at + prefix.length;
  assert.strictEqual(text.slice(start, start + literal.length), literal);
  const pos = (offset) => {
    const before = text.slice(0, offset);
    return new vscode.Position(before.split('\n').length - 1, offset - (before.lastIndexOf('\n') + 1));
  };
  return new vscode.Range(pos(start), pos(start + literal.length));
}
