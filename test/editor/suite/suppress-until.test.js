// Expiring suppressions in VS Code: the light bulb's "Suppress APIM001 until <date>" writes a directive thirty days
// ahead that silences the finding, and a directive whose date has passed shows in the Problems panel with its
// finding back.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { applyQuickFix, findings, revertAndClose, waitFor, waitForFindings, workspaceUri } = require('./helpers');

const backend = (tls) => `resource "azurerm_api_management_backend" "staging" {
  name                = "staging"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://staging.contoso.com"
  tls {
${tls}  }
}
`;

suite('Suppressions that expire', () => {
  const root = () => workspaceUri('suppress-until').fsPath;

  teardown(revertAndClose);

  suiteTeardown(() => {
    fs.rmSync(root(), { recursive: true, force: true });
  });

  async function open(name, text) {
    const file = path.join(root(), name, 'main.tf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc;
  }

  test('"Suppress APIM001 until <date>" writes the directive 30 days ahead and silences the finding', async () => {
    const doc = await open('quick-fix', backend('    validate_certificate_chain = false\n'));
    const [finding] = await waitForFindings(doc.uri, 'APIM001');
    const before = Date.now();
    const fix = await applyQuickFix(doc, finding, /^Suppress APIM001 until \d{4}-\d{2}-\d{2}$/);
    const date = fix.title.slice(-10);
    const days = [before, Date.now()].map((ms) => new Date(ms + 30 * 86400000).toISOString().slice(0, 10));
    assert.ok(days.includes(date), `${date} is 30 days from today`);
    assert.strictEqual(doc.getText(), backend(`    # apim-tls-lint-disable-next-line APIM001 until ${date}\n    validate_certificate_chain = false\n`));
    await waitFor('APIM001 silenced', () => findings(doc.uri, 'APIM001').length === 0);
  });

  test('an expired directive is marked in the Problems panel and its finding is back', async () => {
    const doc = await open(
      'expired',
      backend('    # apim-tls-lint-disable-next-line APIM001 until 2020-01-31 -- staging\n    validate_certificate_chain = false\n'),
    );
    const [back] = await waitForFindings(doc.uri, 'APIM001');
    assert.match(back.message, /Its suppression expired on 2020-01-31\.$/);
    const [mark] = await waitForFindings(doc.uri, 'expired-suppression');
    assert.strictEqual(mark.severity, vscode.DiagnosticSeverity.Information);
    assert.strictEqual(doc.getText(mark.range), '2020-01-31');
    assert.match(String(mark.code.target), /\/docs\/suppression\.md$/);
  });
});
