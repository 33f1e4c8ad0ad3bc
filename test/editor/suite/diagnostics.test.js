// (b)-(d) Findings on the file the user opened, the quick fix for APIM002, and a finding in a closed .tfvars file.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const {
  SOURCE,
  assertRange,
  codeOf,
  extensionPath,
  findings,
  openInEditor,
  setText,
  valueRange,
  waitFor,
  waitForFindings,
  workspaceUri,
} = require('./helpers');

suite('Diagnostics and quick fixes', () => {
  let doc;
  let original;

  suiteSetup(async () => {
    doc = await openInEditor('main.tf');
    original = doc.getText();
  });

  teardown(async () => {
    // A test that edited main.tf leaves it as it found it for the next one.
    if (doc.getText() !== original) await setText(doc, original);
  });

  test('APIM001 and APIM002 appear on the false literals in main.tf', async () => {
    const text = doc.getText();
    const expected = {
      APIM001: valueRange(text, 'validate_certificate_chain', 'false'),
      APIM002: valueRange(text, 'validate_certificate_name', 'false'),
    };
    for (const id of Object.keys(expected)) {
      const found = await waitForFindings(doc.uri, id);
      // The billing backend's chain flag comes from terraform.tfvars, so its finding is not on main.tf.
      assert.strictEqual(found.length, 1, `one ${id} on main.tf: ${JSON.stringify(found.map((d) => d.range))}`);
      const [d] = found;
      assert.strictEqual(d.source, SOURCE);
      assert.strictEqual(codeOf(d), id);
      assert.ok(d.code.target instanceof vscode.Uri, `${id} links to its docs page`);
      assert.strictEqual(d.code.target.scheme, 'https');
      assert.ok(d.code.target.path.endsWith(`/docs/rules/${id}.md`), `${id} docs link: ${d.code.target}`);
      // The link points into the repository on GitHub (not reachable here): the page it names must exist in it.
      const page = path.join(extensionPath(), 'docs', 'rules', `${id}.md`);
      assert.ok(fs.existsSync(page) && fs.readFileSync(page, 'utf8').startsWith(`# ${id}`), `${id}'s docs page ${page} exists`);
      assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning, `${id} severity`);
      assert.ok(d.message.length > 0, `${id} has a message`);
      assertRange(d.range, expected[id], id);
    }
  });

  test('the preferred quick fix sets validate_certificate_name = true and clears APIM002 only', async () => {
    const [name] = await waitForFindings(doc.uri, 'APIM002');
    // Asking for resolved items gives the edit even if the server computes it lazily.
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, name.range, vscode.CodeActionKind.QuickFix.value, 10);
    const fix = (actions || []).find((a) => a.isPreferred && /validate_certificate_name = true/.test(a.title));
    assert.ok(fix, `a preferred "Set validate_certificate_name = true" among ${JSON.stringify((actions || []).map((a) => a.title))}`);
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind && fix.kind.value}`);
    assert.ok(fix.edit, 'the quick fix carries its edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the edit applied');
    assert.match(doc.getText(), /validate_certificate_name\s*=\s*true/);
    assert.match(doc.getText(), /validate_certificate_chain\s*=\s*false/);
    await waitFor('APIM002 to disappear after the fix', () => findings(doc.uri, 'APIM002').length === 0);
    assert.strictEqual(findings(doc.uri, 'APIM001').length, 1, 'APIM001 stays');
  });

  test('a value in terraform.tfvars is reported on the tfvars file, which was never opened', async () => {
    const tfvars = workspaceUri('terraform.tfvars');
    // Reading the file through the file system, not as a document, keeps it closed for the server.
    const tfvarsText = Buffer.from(await vscode.workspace.fs.readFile(tfvars)).toString('utf8');
    const [d] = await waitForFindings(tfvars, 'APIM001');
    assert.ok(!vscode.workspace.textDocuments.some((t) => t.uri.toString() === tfvars.toString()), 'tfvars is not open');
    assert.strictEqual(d.source, SOURCE);
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    assertRange(d.range, valueRange(tfvarsText, 'validate_chain', 'false'), 'tfvars APIM001');
    // The finding points back at the attribute that consumes the variable.
    const consumer = valueRange(doc.getText(), 'validate_certificate_chain', 'var.validate_chain', 1);
    const related = (d.relatedInformation || []).find((r) => r.location.uri.toString() === doc.uri.toString());
    assert.ok(related, `relatedInformation points into main.tf: ${JSON.stringify(d.relatedInformation)}`);
    assert.strictEqual(related.location.range.start.line, consumer.start.line, 'related location is the consuming attribute');
  });
});
