// What the server publishes after edits, through the real bundle over stdio: an open document of any format whose new
// text yields nothing to read is published empty for that version (never left showing old findings), and a file whose
// lint is slow (a Bicep parse that spends its time budget) is linted when typing pauses, not once per keystroke.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { codes, fileUri, startServer as start } from '../support/lsp-client';

const BACKEND_TF = `resource "azurerm_api_management_backend" "orders" {
  name = "orders"
  url  = "https://orders.contoso.com/api"
  tls {
    validate_certificate_chain = false
  }
}
`;

const BACKEND_BICEP = `resource orders 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  name: 'apim-contoso/orders'
  properties: {
    url: 'https://orders.contoso.com/api'
    tls: {
      validateCertificateChain: false
    }
  }
}
`;

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const BACKEND_ARM = JSON.stringify(
  {
    $schema: SCHEMA,
    resources: [
      {
        type: 'Microsoft.ApiManagement/service/backends',
        apiVersion: '2024-05-01',
        name: 'apim-contoso/orders',
        properties: { url: 'https://orders.contoso.com/api', tls: { validateCertificateChain: false } },
      },
    ],
  },
  null,
  2,
);

describe('publication after edits', () => {
  for (const { name, file, languageId, text, emptied } of [
    { name: 'Terraform', file: 'main.tf', languageId: 'terraform', text: BACKEND_TF, emptied: '# nothing here yet\n' },
    { name: 'ARM', file: 'azuredeploy.json', languageId: 'json', text: BACKEND_ARM, emptied: `{ "$schema": "${SCHEMA}", "resources": [] }\n` },
    { name: 'Bicep', file: 'main.bicep', languageId: 'bicep', text: BACKEND_BICEP, emptied: '// nothing here yet\n' },
  ]) {
    test(`${name}: a document whose new text holds nothing is published empty for that version`, async (t) => {
      const { client, root } = await start(t, {});
      await client.initialize(root);
      const uri = fileUri(path.join(root, file));
      await client.open(uri, text, 1, languageId);
      await client.waitForDiagnostics(uri, 'APIM001 on the opened text', (p) => p.version === 1 && codes(p.diagnostics).includes('APIM001'));
      const version = await client.change(uri, [{ text: emptied }]);
      const p = await client.waitForDiagnostics(uri, `diagnostics for version ${version}`, (p) => p.version === version);
      assert.deepEqual(p.diagnostics, []);
    });
  }

  test('an edit storm in a Bicep file that spends its parse budget is linted when the typing pauses', async (t) => {
    const { client, root } = await start(t, {});
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'slow.bicep'));
    // tree-sitter-bicep recovers slowly from a run of closing braces that close nothing: this one takes longer than the
    // parse budget. (A run of `${` did too, until nesting past 128 levels was left out of the parse.)
    const text = `${BACKEND_BICEP}var slow = ${'}'.repeat(20_000)}\n// notes: `;
    await client.open(uri, text, 1, 'bicep');
    const first = await client.waitForDiagnostics(uri, 'the budget notice', (p) => p.version === 1, 30_000);
    assert.deepEqual(codes(first.diagnostics), ['parse-budget-exceeded']);
    // Fifteen keystrokes at the end of the file, sent back to back as fast typing does.
    let at = text.length;
    const sends: Promise<number>[] = [];
    for (let i = 0; i < 15; i++) {
      const position = { line: text.split('\n').length - 1, character: at - text.lastIndexOf('\n') - 1 };
      sends.push(client.change(uri, [{ range: { start: position, end: position }, text: 'x' }]));
      at++;
    }
    const versions = await Promise.all(sends);
    const last = versions[versions.length - 1];
    const final = await client.waitForDiagnostics(uri, `diagnostics for version ${last}`, (p) => p.version === last, 30_000);
    assert.deepEqual(codes(final.diagnostics), ['parse-budget-exceeded']);
    const published = client.history(uri).map((p) => p.version);
    assert.ok(published.length <= 3, `linted once the storm paused, not per keystroke: versions published ${published.join(', ')}`);
  });
});
