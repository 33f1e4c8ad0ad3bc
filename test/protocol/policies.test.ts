// Policies and backends through the real server over stdio: a backend's rename (prepareRename, rename) moves every
// policy `backend-id` that names it, in files the editor never opened (a file() policy, an APIOps-style template); the
// APIM001 finding carries the policies that route to the backend; its hover lists them; a policy file is linted too.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { Hover, Range, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileUri, startServer } from '../support/lsp-client';

const BACKENDS = `resource "azurerm_api_management_backend" "tic" {
  name                = "tic-backend-insecure"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://tic.contoso.internal/api"

  tls {
    validate_certificate_chain = false
  }
}

resource "azurerm_api_management_api_policy" "orders" {
  api_name            = "orders"
  api_management_name = "apim-contoso"
  resource_group_name = "rg-apim"
  xml_content         = file("\${path.module}/policies/orders.xml")
}
`;

const ORDERS_POLICY = `<policies>
  <inbound>
    <base />
    <set-backend-service backend-id="tic-backend-insecure" />
  </inbound>
</policies>
`;

const TEMPLATE = JSON.stringify(
  {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    resources: [
      {
        type: 'Microsoft.ApiManagement/service/apis/policies',
        apiVersion: '2024-05-01',
        name: 'apim-contoso/billing/policy',
        properties: { format: 'rawxml', value: '<policies>\n  <inbound><set-backend-service backend-id="tic-backend-insecure" /></inbound>\n</policies>' },
      },
    ],
  },
  null,
  2,
);

const FILES = { 'infra/main.tf': BACKENDS, 'infra/policies/orders.xml': ORDERS_POLICY, 'arm/billing.json': TEMPLATE };

describe('policies and backends over stdio', () => {
  test('rename of a backend moves the policy references in files that are not open, and nothing else', async (t) => {
    const { client, root } = await startServer(t, FILES);
    await client.initialize(root);
    const mainPath = path.join(root, 'infra/main.tf');
    const uri = fileUri(mainPath);
    await client.open(uri, BACKENDS);
    const doc = TextDocument.create(uri, 'terraform', 1, BACKENDS);
    const position = doc.positionAt(BACKENDS.indexOf('tic-backend-insecure') + 3);
    // The workspace is indexed in the background: the rename waits for the policy files to be known.
    await client.waitForDiagnostics(fileUri(path.join(root, 'arm/billing.json')), 'the template linted', () => true);

    const prepared = await client.connection.sendRequest<{ range: Range; placeholder: string }>('textDocument/prepareRename', {
      textDocument: { uri },
      position,
    });
    assert.equal(prepared.placeholder, 'tic-backend-insecure');
    assert.equal(doc.getText(prepared.range), 'tic-backend-insecure');

    const edit = await client.connection.sendRequest<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position, newName: 'tic-backend' });
    const changes = edit.changes!;
    assert.deepEqual(
      Object.keys(changes).sort(),
      [fileUri(path.join(root, 'arm/billing.json')), fileUri(path.join(root, 'infra/main.tf')), fileUri(path.join(root, 'infra/policies/orders.xml'))].sort(),
    );
    const apply = (rel: string, text: string) => TextDocument.applyEdits(TextDocument.create('x', 'x', 1, text), changes[fileUri(path.join(root, rel))]);
    assert.equal(apply('infra/policies/orders.xml', ORDERS_POLICY), ORDERS_POLICY.replace('tic-backend-insecure', 'tic-backend'));
    assert.equal(apply('arm/billing.json', TEMPLATE), TEMPLATE.replace('tic-backend-insecure', 'tic-backend'));
    assert.equal(apply('infra/main.tf', BACKENDS), BACKENDS.replace('tic-backend-insecure', 'tic-backend'));

    // A name the API rejects is refused with a reason the editor shows; so is a place that holds no backend name.
    await assert.rejects(
      client.connection.sendRequest('textDocument/rename', { textDocument: { uri }, position, newName: 'tic backend' }),
      /cannot be a backend's name/,
    );
    assert.equal(await client.connection.sendRequest('textDocument/prepareRename', { textDocument: { uri }, position: { line: 5, character: 30 } }), null);
  });

  test("APIM001 names the policies that route to the backend, and the backend's hover lists them", async (t) => {
    const { client, root } = await startServer(t, FILES);
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'infra/main.tf'));
    await client.waitForDiagnostics(fileUri(path.join(root, 'arm/billing.json')), 'the workspace indexed', () => true);
    await client.open(uri, BACKENDS);
    const published = await client.waitForDiagnostics(uri, 'APIM001 with its related policies', (p) => p.diagnostics.some((d) => d.code === 'APIM001'));
    const chain = published.diagnostics.find((d) => d.code === 'APIM001')!;
    assert.deepEqual(chain.relatedInformation?.map((r) => `${path.basename(r.location.uri)}: ${r.message}`).sort(), [
      "billing.json: Used by the policy of API 'billing'",
      "orders.xml: Used by the policy of API 'orders'",
    ]);
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 45 } });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /Routed to by 2 policies/);
    assert.match(value, /the policy of API 'orders' — orders\.xml:4/);
    assert.match(value, /the policy of API 'billing' — billing\.json:\d+/);
  });

  test('a policy file is linted as it is typed: a broken edit clears its findings, the fixed text brings them back', async (t) => {
    const policy = '<policies><inbound><set-backend-service base-url="http://legacy.contoso.com" /></inbound></policies>\n';
    const { client, root } = await startServer(t, { 'apis/legacy/policy.xml': policy });
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'apis/legacy/policy.xml'));
    await client.open(uri, policy, 1, 'xml');
    const first = await client.waitForDiagnostics(uri, 'APIM019', (p) => p.diagnostics.some((d) => d.code === 'APIM019'));
    assert.equal(first.diagnostics[0].range.start.character, policy.indexOf('http://'));
    const cut = policy.indexOf(' />');
    await client.change(uri, [{ range: { start: { line: 0, character: cut }, end: { line: 0, character: cut + 3 } }, text: '' }]);
    await client.waitForDiagnostics(uri, 'nothing for broken XML', (p) => p.version === 2 && p.diagnostics.length === 0);
    await client.change(uri, [{ range: { start: { line: 0, character: cut }, end: { line: 0, character: cut } }, text: ' />' }]);
    await client.waitForDiagnostics(uri, 'APIM019 again', (p) => p.version === 3 && p.diagnostics.some((d) => d.code === 'APIM019'));
    assert.ok(fs.existsSync(path.join(root, 'apis/legacy/policy.xml')));
  });
});
