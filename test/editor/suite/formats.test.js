// Every kind of file the extension activates on, opened the way a user opens it: a .tfvars on its own (its .tf is
// never opened), an ARM template, and a JSON file that is not a template and must stay clean.
const assert = require('assert');
const vscode = require('vscode');
const {
  EXTENSION_ID,
  SOURCE,
  assertRange,
  codeOf,
  findings,
  openInEditor,
  revertAndClose,
  valueRange,
  waitFor,
  waitForFindings,
  workspaceUri,
} = require('./helpers');

suite('File formats', () => {
  suiteSetup(async () => {
    await waitFor('the language client to run', () => {
      const api = vscode.extensions.getExtension(EXTENSION_ID).exports;
      return api && api.client && api.client.isRunning();
    });
  });

  test('the extension activates on .tf, .tfvars, .bicep and ARM template JSON', () => {
    // One extension host can be activated only once, so the manifest is what proves the other triggers.
    const events = vscode.extensions.getExtension(EXTENSION_ID).packageJSON.activationEvents;
    for (const event of [
      'workspaceContains:**/*.tf',
      'workspaceContains:**/*.tfvars',
      'onLanguage:terraform',
      'workspaceContains:**/*.bicep',
      'onLanguage:bicep',
      'onLanguage:json',
      'onLanguage:jsonc',
    ]) {
      assert.ok(events.includes(event), `activationEvents has ${event}: ${JSON.stringify(events)}`);
    }
  });

  test('a .tfvars opened on its own is terraform, gets its finding, and fixing the value clears it', async () => {
    const doc = await openInEditor('tfvars-alone/terraform.tfvars');
    try {
      assert.strictEqual(doc.languageId, 'terraform');
      assert.ok(!vscode.workspace.textDocuments.some((t) => t.uri.path.endsWith('/tfvars-alone/main.tf')), 'main.tf stays closed');
      const [d] = await waitForFindings(doc.uri, 'APIM001');
      assertRange(d.range, valueRange(doc.getText(), 'chain_check', 'false'), 'tfvars APIM001');
      assert.ok(d.code.target.path.endsWith('/docs/rules/APIM001.md'), `docs link: ${d.code.target}`);
      // Typing the fix in the tfvars is enough: the variable's consumer is read from the closed main.tf.
      const range = valueRange(doc.getText(), 'chain_check', 'false');
      const edit = new vscode.WorkspaceEdit();
      edit.replace(doc.uri, range, 'true');
      assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applied');
      await waitFor('APIM001 to go from the tfvars', () => findings(doc.uri, 'APIM001').length === 0);
    } finally {
      await revertAndClose();
    }
  });

  test('an environment’s var file gets its finding on the literal, naming the environment; the other one none', async () => {
    const doc = await openInEditor('environments/env/dev.tfvars');
    try {
      const [d] = await waitForFindings(doc.uri, 'APIM001');
      assertRange(d.range, valueRange(doc.getText(), 'chain_check', 'false'), 'dev.tfvars APIM001');
      assert.match(d.message, /\(In environment dev\.\)$/);
      const prod = workspaceUri('environments/env/prod.tfvars');
      assert.deepStrictEqual(findings(prod, 'APIM001'), [], 'prod sets true');
    } finally {
      await revertAndClose();
    }
  });

  test('an ARM template azuredeploy.json is JSON, reports APIM001 on the false literal with its docs link', async () => {
    const doc = await openInEditor('arm/azuredeploy.json');
    try {
      assert.ok(['json', 'jsonc'].includes(doc.languageId), `language ${doc.languageId}`);
      const found = await waitForFindings(doc.uri, 'APIM001');
      assert.strictEqual(found.length, 1, `one APIM001: ${JSON.stringify(found.map((d) => d.range))}`);
      const [d] = found;
      assert.strictEqual(d.source, SOURCE);
      assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.ok(d.code.target instanceof vscode.Uri, 'the code links to its docs page');
      assert.strictEqual(d.code.target.scheme, 'https');
      assert.ok(d.code.target.path.endsWith('/docs/rules/APIM001.md'), `docs link: ${d.code.target}`);
      const text = doc.getText();
      const at = text.indexOf('"validateCertificateChain": ') + '"validateCertificateChain": '.length;
      assert.strictEqual(text.slice(at, at + 5), 'false');
      assertRange(d.range, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 5)), 'ARM APIM001');
      // Only the chain is off in this template.
      assert.deepStrictEqual(findings(doc.uri, 'APIM002'), []);
    } finally {
      await revertAndClose();
    }
  });

  test('a package.json at the workspace root that looks like backend TLS settings gets no findings', async () => {
    const json = await openInEditor('package.json');
    const template = await openInEditor('arm/azuredeploy.json');
    try {
      assert.ok(['json', 'jsonc'].includes(json.languageId), `language ${json.languageId}`);
      // The server handles messages in order: once an edit to the template made after package.json was opened
      // is linted, whatever opening package.json would have produced has been published.
      const before = (await waitForFindings(template.uri, 'APIM001'))[0].range.start.line;
      const edit = new vscode.WorkspaceEdit();
      edit.insert(template.uri, new vscode.Position(1, 0), '\n');
      assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applied');
      await waitFor('APIM001 to move down a line', () => findings(template.uri, 'APIM001').some((d) => d.range.start.line === before + 1));
      const ours = vscode.languages.getDiagnostics(json.uri).filter((d) => d.source === SOURCE);
      assert.deepStrictEqual(
        ours.map((d) => `${codeOf(d)}@${d.range.start.line}`),
        [],
        'no findings on package.json',
      );
    } finally {
      await revertAndClose();
      await vscode.window.showTextDocument(json, { preview: false });
      await revertAndClose();
    }
  });
});
