// What a finding offers and says, through the real server over stdio: the code actions in one order on every rule
// (preferred fix first, suppression last, "Explain" before it), APIM004's removal and its message once every backend
// is pinned, findings in ARM templates and Bicep that speak their own format, and a configuration file that names
// rules by name and says what is wrong with it in words.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { codes, fileUri, type LspClient, startServer } from '../support/lsp-client';

const BACKEND = `resource "azurerm_api_management_backend" "orders" {
  name                = "orders"
  resource_group_name = "rg-apim"
  api_management_name = azurerm_api_management.apim.name
  protocol            = "http"
  url                 = "https://orders.internal.contoso.com/api"

  tls {
    validate_certificate_chain = false
    validate_certificate_name  = false
  }
}
`;

const SERVICE = `resource "azurerm_api_management" "apim" {
  name                = "apim-contoso"
  location            = "westeurope"
  resource_group_name = "rg-apim"
  publisher_name      = "Contoso"
  publisher_email     = "apis@contoso.com"
  sku_name            = "StandardV2_1"

  certificate {
    encoded_certificate = filebase64("certs/contoso-issuing.cer")
    store_name          = "CertificateAuthority"
  }
}
`;

const OVERLAY = `
resource "azapi_update_resource" "orders_tls" {
  type        = "Microsoft.ApiManagement/service/backends@2025-03-01-preview"
  resource_id = azurerm_api_management_backend.orders.id
  body = {
    properties = {
      tls = {
        serverX509Names = [{
          name                        = "orders.internal.contoso.com"
          issuerCertificateThumbprint = "CBB1D641C07D753D903D4D73E194B0D0CEAEF021"
        }]
      }
    }
  }

  lifecycle {
    replace_triggered_by = [azurerm_api_management_backend.orders]
  }
}
`;

const ARM = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.ApiManagement/service",
      "apiVersion": "2024-05-01",
      "name": "apim-contoso",
      "location": "westeurope",
      "sku": { "name": "StandardV2", "capacity": 1 },
      "properties": {
        "publisherEmail": "api@contoso.com",
        "publisherName": "Contoso",
        "certificates": [{ "encodedCertificate": "MIIB", "storeName": "Root" }]
      }
    },
    {
      "type": "Microsoft.ApiManagement/service/backends",
      "apiVersion": "2024-05-01",
      "name": "apim-contoso/orders",
      "dependsOn": ["[resourceId('Microsoft.ApiManagement/service', 'apim-contoso')]"],
      "properties": {
        "protocol": "http",
        "url": "https://orders.internal.contoso.com/api",
        "tls": { "validateCertificateChain": false }
      }
    },
    {
      "type": "Microsoft.ApiManagement/service/backends",
      "apiVersion": "2024-05-01",
      "name": "apim-contoso/billing",
      "dependsOn": ["[resourceId('Microsoft.ApiManagement/service', 'apim-contoso')]"],
      "properties": { "protocol": "http", "url": "https://billing.internal/api" }
    }
  ]
}
`;

const BICEP = `resource apim 'Microsoft.ApiManagement/service@2024-05-01' = {
  name: 'apim-contoso'
  location: 'westeurope'
  sku: {
    name: 'StandardV2'
    capacity: 1
  }
  properties: {
    publisherEmail: 'api@contoso.com'
    publisherName: 'Contoso'
    certificates: [
      {
        encodedCertificate: 'MIIB'
        storeName: 'Root'
      }
    ]
  }
}

resource orders 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  parent: apim
  name: 'orders'
  properties: {
    protocol: 'http'
    url: 'https://orders.internal.contoso.com/api'
    tls: {
      validateCertificateChain: false
    }
  }
}

resource billing 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  parent: apim
  name: 'billing'
  properties: {
    protocol: 'http'
    url: 'https://billing.internal/api'
  }
}
`;

describe('what findings offer and say', () => {
  test('code actions: the preferred fix first, then the other fixes, Explain, and the suppression last', async (t) => {
    const { client, root } = await start(t, { 'main.tf': BACKEND });
    const uri = fileUri(path.join(root, 'main.tf'));
    await client.open(uri, BACKEND);
    const p = await client.waitForDiagnostics(uri, 'APIM001 and APIM002', (p) => codes(p.diagnostics).join() === 'APIM001,APIM002');
    // The dated suppression's day is the server's today + 30 (UTC); its title is compared with the day masked.
    const titles = async (d: Diagnostic) => (await actions(client, uri, d)).map((a) => a.title.replace(/ until \d{4}-\d{2}-\d{2}$/, ' until <date>'));
    assert.deepEqual(await titles(p.diagnostics.find((d) => d.code === 'APIM002')!), [
      'Set validate_certificate_name = true',
      'Pin issuing CA from certificate file…',
      'Explain APIM002',
      'Suppress APIM002 on this line',
      'Suppress APIM002 until <date>',
    ]);
    assert.deepEqual(await titles(p.diagnostics.find((d) => d.code === 'APIM001')!), [
      'Pin issuing CA from certificate file…',
      'Explain APIM001',
      'Suppress APIM001 on this line',
      'Suppress APIM001 until <date>',
    ]);
    const explain = (await actions(client, uri, p.diagnostics[0])).find((a) => a.title === 'Explain APIM001')!;
    assert.deepEqual(explain.command, { title: 'Explain APIM001', command: 'apimTls.explainRule', arguments: [{ ruleId: 'APIM001' }] });
    assert.equal(
      p.diagnostics[0].codeDescription?.href,
      'https://github.com/apim-tls-lint/apim-tls-lint/blob/main/docs/rules/APIM001.md',
      'the link stays public',
    );
  });

  test('APIM004 offers to remove the entry; its message asks for pins until every backend of the service is pinned', async (t) => {
    const { client, root } = await start(t, { 'apim.tf': SERVICE, 'main.tf': BACKEND });
    const uri = fileUri(path.join(root, 'apim.tf'));
    await client.open(uri, SERVICE);
    const unpinned = await client.waitForDiagnostics(uri, 'APIM004', (p) => codes(p.diagnostics).includes('APIM004'));
    assert.match(unpinned.diagnostics[0].message, /Pin the issuing CA on each backend that needs it \(an azapi_update_resource overlay/);
    const remove = (await actions(client, uri, unpinned.diagnostics[0])).find((a) => a.title === 'Remove this CA certificate entry');
    assert.ok(remove?.edit?.changes, 'a removal with an edit');
    assert.equal(remove.isPreferred, false, 'not preferred: the certificate may serve something else');
    const after = TextDocument.applyEdits(TextDocument.create(uri, 'terraform', 1, SERVICE), remove.edit.changes[uri]);
    assert.doesNotMatch(after, /certificate \{/);
    assert.match(after, /sku_name\s+= "StandardV2_1"\n}\n$/);

    // Every backend pinned: the message no longer asks for pins.
    const mainUri = fileUri(path.join(root, 'main.tf'));
    await client.open(mainUri, BACKEND + OVERLAY);
    const pinned = await client.waitForDiagnostics(uri, 'APIM004 once pinned', (p) => p.diagnostics.some((d) => /Every backend/.test(d.message)));
    assert.match(pinned.diagnostics[0].message, /Every backend of azurerm_api_management\.apim is pinned, so the entry does nothing: remove it/);
    assert.doesNotMatch(pinned.diagnostics[0].message, /Pin the issuing CA/);
  });

  test('ARM and Bicep findings speak their own format, never an azapi overlay; APIM004 removes their entries too', async (t) => {
    const { client, root } = await start(t, { 'arm/azuredeploy.json': ARM, 'bicep/main.bicep': BICEP });
    for (const [file, text, languageId] of [
      ['arm/azuredeploy.json', ARM, 'json'],
      ['bicep/main.bicep', BICEP, 'bicep'],
    ]) {
      const uri = fileUri(path.join(root, file));
      await client.open(uri, text, 1, languageId);
      const p = await client.waitForDiagnostics(uri, 'APIM001, APIM003 and APIM004', (p) =>
        ['APIM001', 'APIM003', 'APIM004'].every((c) => codes(p.diagnostics).includes(c)),
      );
      for (const d of p.diagnostics) {
        assert.doesNotMatch(d.message, /azapi|overlay/i, `${file} ${d.code}: ${d.message}`);
        if (d.code !== 'APIM005') assert.match(d.message, /properties\.tls\.serverX509Names in (each|the) backend resource/, `${file} ${d.code}`);
      }
      const apim004 = p.diagnostics.find((d) => d.code === 'APIM004')!;
      const remove = (await actions(client, uri, apim004)).find((a) => a.title === 'Remove this CA certificate entry');
      assert.ok(remove?.edit?.changes?.[uri], `${file}: a removal`);
      const after = TextDocument.applyEdits(TextDocument.create(uri, languageId, 1, text), remove.edit.changes[uri]);
      assert.doesNotMatch(after, /storeName/, `${file}: the entry is gone`);
    }
  });

  test('the configuration names rules by name too, and says what is wrong with it in words', async (t) => {
    const { client, root } = await start(t, {
      'main.tf': BACKEND,
      '.apim-tls-lint.json': '{ "rules": { "name-validation-disabled": "off", "APIM999": "off" }, "ignore": [ }',
    });
    const configUri = fileUri(path.join(root, '.apim-tls-lint.json'));
    const problems = await client.waitForDiagnostics(configUri, 'config problems', (p) => p.diagnostics.length >= 2);
    const messages = problems.diagnostics.map((d) => d.message);
    assert.ok(
      messages.every((m) => !/[A-Z][a-z]+(Expected|Token|Format)\b/.test(m)),
      `no parser token names: ${JSON.stringify(messages)}`,
    );
    assert.ok(
      messages.some((m) => /^Invalid JSON: a value is missing here/.test(m)),
      JSON.stringify(messages),
    );
    assert.ok(
      messages.some((m) => /^Unknown rule "APIM999"\. Rules are named by id or name: APIM001, APIM002, .*APIM022/.test(m)),
      JSON.stringify(messages),
    );
    const uri = fileUri(path.join(root, 'main.tf'));
    await client.open(uri, BACKEND);
    await client.waitForDiagnostics(uri, 'APIM002 off by its name', (p) => codes(p.diagnostics).join() === 'APIM001');
    fs.rmSync(path.join(root, '.apim-tls-lint.json'));
  });
});

async function start(t: TestContext, files: Record<string, string>): Promise<{ client: LspClient; root: string }> {
  const { client, root } = await startServer(t, files);
  await client.initialize(root);
  return { client, root };
}

function actions(client: LspClient, uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  return client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic] },
  });
}
