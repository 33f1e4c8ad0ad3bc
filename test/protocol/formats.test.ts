// ARM template JSON and Bicep through the real server bundle over stdio: what the editor sends for these formats,
// what is published for them, and that JSON which is not a template never produces a finding.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver-protocol';
import { codes, fileUri, startServer as start } from '../support/lsp-client';

const TEMPLATE = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "apimName": { "type": "string", "defaultValue": "apim-contoso" },
    "validateChain": {
      "type": "bool",
      "defaultValue": false
    }
  },
  "resources": [
    {
      "type": "Microsoft.ApiManagement/service/backends",
      "apiVersion": "2024-05-01",
      "name": "[format('{0}/{1}', parameters('apimName'), 'orders')]",
      "properties": {
        "protocol": "http",
        "url": "https://orders.contoso.com/api",
        "tls": {
          "validateCertificateChain": "[parameters('validateChain')]",
          "validateCertificateName": true
        }
      }
    }
  ]
}
`;

const BICEP = `resource apim 'Microsoft.ApiManagement/service@2024-05-01' existing = {
  name: 'apim-contoso'
}

resource orders 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  parent: apim
  name: 'orders'
  properties: {
    protocol: 'http'
    url: 'https://orders.contoso.com/api'
    tls: {
      validateCertificateChain: false
      validateCertificateName: false
    }
  }
}
`;

/** Looks like a backend's TLS settings, but has no deployment template $schema: it is not linted. */
const NOT_A_TEMPLATE = `{
  "name": "orders",
  "properties": {
    "url": "https://orders.contoso.com/api",
    "tls": { "validateCertificateChain": false, "validateCertificateName": false }
  }
}
`;

const PACKAGE_LIKE = `{
  "name": "my-app",
  "version": "1.0.0",
  "validateCertificateChain": false,
  "scripts": { "build": "tsc" }
}
`;

const DIRECTIVE = '// apim-tls-lint-disable-next-line APIM001';

describe('ARM templates and Bicep over stdio', () => {
  test('an ARM template: APIM001 on the parameter default that disables chain validation', async (t) => {
    const { client, root } = await start(t, {});
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'azuredeploy.json'));
    await client.open(uri, TEMPLATE, 3, 'json');
    const p = await client.waitForDiagnostics(uri, 'APIM001 on the template', (p) => codes(p.diagnostics).join() === 'APIM001');
    assert.equal(p.version, 3);
    const d = p.diagnostics[0];
    assert.deepEqual(d.range, rangeAfter(TEMPLATE, '"type": "bool",\n      "defaultValue": ', 'false'), 'on the default value');
    assert.equal(d.source, 'apim-tls-lint');
    assert.match(d.codeDescription?.href ?? '', /\/docs\/rules\/APIM001\.md$/);
  });

  test('JSON that is not a template gets no findings, open or on disk', async (t) => {
    const files = { 'config/settings.json': NOT_A_TEMPLATE, 'package.json': PACKAGE_LIKE, 'app/appsettings.json': PACKAGE_LIKE };
    const { client, root } = await start(t, files);
    await client.initialize(root);
    const uris = Object.keys(files).map((rel) => fileUri(path.join(root, rel)));
    for (const [i, rel] of Object.keys(files).entries()) await client.open(uris[i], files[rel as keyof typeof files], 1, 'json');
    // Typing into it must not make it a template either.
    await client.change(uris[0], [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: '  "x": 1,\n' }]);
    // Messages are handled in order and lints are batched: once the template opened last is published, anything the
    // JSON files would have produced has been published too.
    const template = fileUri(path.join(root, 'azuredeploy.json'));
    await client.open(template, TEMPLATE, 1, 'json');
    await client.waitForDiagnostics(template, 'the template after the JSON files', (p) => codes(p.diagnostics).join() === 'APIM001');
    for (const uri of uris) assert.deepEqual(client.history(uri), [], `nothing is published for ${uri}`);
  });

  test('a JSON document that gains a template $schema is linted, and forgotten when it loses it', async (t) => {
    const { client, root } = await start(t, {});
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.json'));
    const plain = TEMPLATE.replace('deploymentTemplate.json', 'something-else.json');
    await client.open(uri, plain, 1, 'json');
    const at = plain.indexOf('something-else.json');
    const range = { start: positionAt(plain, at), end: positionAt(plain, at + 'something-else.json'.length) };
    await client.change(uri, [{ range, text: 'deploymentTemplate.json' }]);
    await client.waitForDiagnostics(uri, 'APIM001 once it is a template', (p) => codes(p.diagnostics).join() === 'APIM001');
    const range2 = { start: positionAt(TEMPLATE, at), end: positionAt(TEMPLATE, at + 'deploymentTemplate.json'.length) };
    await client.change(uri, [{ range: range2, text: 'something-else.json' }]);
    await client.waitForDiagnostics(uri, 'cleared once it is not', (p) => p.diagnostics.length === 0);
  });

  test('a Bicep file: APIM001 and APIM002 on the false literals, and the set-to-true fix', async (t) => {
    const { client, root } = await start(t, {});
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.bicep'));
    await client.open(uri, BICEP, 5, 'bicep');
    const p = await client.waitForDiagnostics(uri, 'APIM001 and APIM002', (p) => codes(p.diagnostics).join() === 'APIM001,APIM002');
    assert.equal(p.version, 5);
    const byCode = new Map(p.diagnostics.map((d) => [d.code, d]));
    assert.deepEqual(byCode.get('APIM001')!.range, rangeAfter(BICEP, 'validateCertificateChain: ', 'false'));
    assert.deepEqual(byCode.get('APIM002')!.range, rangeAfter(BICEP, 'validateCertificateName: ', 'false'));
    const diagnostic = byCode.get('APIM002')!;
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    const fix = actions.find((a) => a.isPreferred && a.edit);
    assert.ok(fix, `a preferred fix with an edit among ${actions.map((a) => a.title).join(' | ')}`);
    const fixed = applyTextEdits(BICEP, fix.edit!.changes![uri]);
    assert.equal(fixed, BICEP.replace('validateCertificateName: false', 'validateCertificateName: true'));
  });

  test('a // suppression comment silences APIM001 in an ARM template and in a Bicep file', async (t) => {
    const { client, root } = await start(t, {});
    await client.initialize(root);
    const template = TEMPLATE.replace('      "defaultValue": false', `      ${DIRECTIVE}\n      "defaultValue": false`);
    const bicep = BICEP.replace('      validateCertificateChain: false', `      ${DIRECTIVE}\n      validateCertificateChain: false`);
    const armUri = fileUri(path.join(root, 'arm/azuredeploy.json'));
    const bicepUri = fileUri(path.join(root, 'bicep/main.bicep'));
    await client.open(armUri, template, 1, 'json');
    await client.open(bicepUri, bicep, 1, 'bicep');
    await client.waitForDiagnostics(armUri, 'the template without APIM001', (p) => p.version === 1 && p.diagnostics.length === 0);
    const p = await client.waitForDiagnostics(bicepUri, 'the Bicep file with APIM002 only', (p) => codes(p.diagnostics).join() === 'APIM002');
    assert.deepEqual(p.diagnostics[0].range, rangeAfter(bicep, 'validateCertificateName: ', 'false'));
  });

  test('templates and Bicep files on disk are indexed and published without being opened', async (t) => {
    const { client, root } = await start(t, { 'infra/azuredeploy.json': TEMPLATE, 'infra/main.bicep': BICEP, 'infra/other.json': NOT_A_TEMPLATE });
    await client.initialize(root);
    const armUri = fileUri(path.join(root, 'infra/azuredeploy.json'));
    const bicepUri = fileUri(path.join(root, 'infra/main.bicep'));
    await client.waitForDiagnostics(armUri, 'APIM001 on the template', (p) => codes(p.diagnostics).join() === 'APIM001');
    await client.waitForDiagnostics(bicepUri, 'APIM001 and APIM002 on the Bicep file', (p) => codes(p.diagnostics).join() === 'APIM001,APIM002');
    assert.deepEqual(client.history(fileUri(path.join(root, 'infra/other.json'))), []);
  });
});

function positionAt(text: string, offset: number) {
  return TextDocument.create('x:', 'json', 0, text).positionAt(offset);
}

/** The LSP range of `literal` where it first follows `prefix` in `text`. */
function rangeAfter(text: string, prefix: string, literal: string) {
  const at = text.indexOf(prefix);
  assert.ok(at >= 0, `"${prefix}" is in the text`);
  const start = at + prefix.length;
  assert.equal(text.slice(start, start + literal.length), literal);
  return { start: positionAt(text, start), end: positionAt(text, start + literal.length) };
}

function applyTextEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('x:', 'json', 0, text), edits);
}
