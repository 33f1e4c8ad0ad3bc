// Each kind of quick fix, applied as the light bulb applies it: vscode.executeCodeActionProvider at the finding,
// then workspace.applyEdit. The inputs are the rule fixtures of the unit tests (test/fixtures/rules), copied into
// a module folder of their own in the workspace; after every finding of the rule is fixed, the text must equal
// the fixture's .fixed file, which the unit tests also check, and the rule must be silent.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const { applyQuickFix, extensionPath, findings, revertAndClose, waitFor, waitForFindings, workspaceUri } = require('./helpers');

// [rule, fixture under test/fixtures/rules/<rule>/, the fix's title]
const KINDS = [
  ['APIM013', 'azurerm-4x.tf', /^Set backend_\w+ to false$/],
  ['APIM013', 'arm-legacy-protocol.json', /^Set .+ to false$/],
  ['APIM005', 'ga-2024-05-01.tf', /^Use api-version /],
  ['APIM005', 'arm-old-api-version.json', /^Use api-version /],
  ['APIM006', 'separators.tf', /^Normalize thumbprint$/],
  ['APIM006', 'bicep-separators.bicep', /^Normalize thumbprint$/],
  ['APIM007', 'mismatch.tf', /^Use the URL host$/],
  ['APIM008', 'tls-block.tf', /^Remove the tls block$/],
  ['APIM009', 'single-instance-overlay.tf', /^Depend on the overlay$/],
  ['APIM010', 'azurerm-flags.tf', /^Remove the redundant flag$/],
  ['APIM011', 'missing-lifecycle.tf', /^Re-apply the overlay when the backend changes$/],
  ['APIM001', 'suppress.tf', /^Suppress APIM001 on this line$/],
];

// Two findings of different rules on one line: a wrong pin name (APIM007) and a thumbprint with colons (APIM006).
const SAME_LINE = `resource "azapi_resource" "inventory" {
  type      = "Microsoft.ApiManagement/service/backends@2025-03-01-preview"
  name      = "inventory-backend"
  parent_id = "/subscriptions/0000/resourceGroups/rg-apim/providers/Microsoft.ApiManagement/service/apim-contoso"
  body = {
    properties = {
      protocol = "http"
      url      = "https://inventory.internal.contoso.com"
      tls = {
        serverX509Names = [{ name = "inventory.contoso.com", issuerCertificateThumbprint = "cb:b1:d6:41:c0:7d:75:3d:90:3d:4d:73:e1:94:b0:d0:ce:ae:f0:21" }]
      }
    }
  }
}
`;

suite('Quick fixes of every kind', () => {
  const root = () => workspaceUri('quick-fixes').fsPath;

  teardown(revertAndClose);

  suiteTeardown(() => {
    fs.rmSync(root(), { recursive: true, force: true });
  });

  for (const [id, fixture, title] of KINDS) {
    test(`${id} "${title.source}" on ${fixture} gives the .fixed text and silences ${id}`, async () => {
      const source = path.join(extensionPath(), 'test', 'fixtures', 'rules', id, fixture);
      const expected = fs.readFileSync(source.replace(/(\.\w+)$/, '.fixed$1'), 'utf8');
      // One folder per case: a Terraform module is a folder, and the cases must not see each other's resources.
      const file = path.join(root(), `${id}-${path.basename(fixture, path.extname(fixture))}`, fixture);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.copyFileSync(source, file);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      await vscode.window.showTextDocument(doc, { preview: false });

      let remaining = (await waitForFindings(doc.uri, id)).length;
      for (let round = 0; remaining > 0; round++) {
        assert.ok(round < 10, `${id} is still reported after ${round} fixes`);
        await applyQuickFix(doc, findings(doc.uri, id)[0], title);
        const before = remaining;
        remaining =
          (await waitFor(`one ${id} fewer after the fix`, () => {
            const n = findings(doc.uri, id).length;
            return n < before && n + 1;
          })) - 1;
      }
      assert.strictEqual(doc.getText(), expected, `${fixture} after the fixes equals ${path.basename(source)}'s .fixed file`);
      assert.deepStrictEqual(findings(doc.uri, id), [], `${id} is silent`);
    });
  }

  test('suppressing a second rule on the same line extends the directive instead of adding another', async () => {
    const file = path.join(root(), 'same-line', 'main.tf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, SAME_LINE);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc, { preview: false });
    const [name] = await waitForFindings(doc.uri, 'APIM007');
    const [thumbprint] = await waitForFindings(doc.uri, 'APIM006');
    assert.strictEqual(name.range.start.line, thumbprint.range.start.line, 'both findings are on one line');
    const line = name.range.start.line;

    await applyQuickFix(doc, name, /^Suppress APIM007 on this line$/);
    assert.strictEqual(doc.lineAt(line).text, '        # apim-tls-lint-disable-next-line APIM007');
    await waitFor('APIM007 to be suppressed', () => findings(doc.uri, 'APIM007').length === 0);
    // The other finding moved down with its line and keeps its own suppress fix.
    const [moved] = await waitFor(
      'APIM006 on the next line',
      () => findings(doc.uri, 'APIM006').filter((d) => d.range.start.line === line + 1).length && findings(doc.uri, 'APIM006'),
    );

    await applyQuickFix(doc, moved, /^Suppress APIM006 on this line$/);
    assert.strictEqual(doc.lineAt(line).text, '        # apim-tls-lint-disable-next-line APIM007, APIM006');
    assert.ok(doc.lineAt(line + 1).text.includes('serverX509Names'), 'no second directive was inserted');
    await waitFor('APIM006 to be suppressed', () => findings(doc.uri, 'APIM006').length === 0);
    assert.deepStrictEqual(findings(doc.uri, 'unused-suppression'), [], 'both ids of the directive are used');
    assert.deepStrictEqual(findings(doc.uri, 'APIM007'), []);
  });
});
