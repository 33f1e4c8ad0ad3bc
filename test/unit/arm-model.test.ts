// ARM template reading beyond the rule fixtures: the expression evaluator, parameters-file discovery, JSON property
// removal that keeps comments, and the pin edit for an ARM backend.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTree, type ParseError } from 'jsonc-parser';
import { removeJsonProperty } from '../../server/src/core/arm/edits';
import { evaluateString, parseExpression, type ArmScope } from '../../server/src/core/arm/expressions';
import { extractArmModel } from '../../server/src/core/arm/extract';
import { parametersFileCandidates } from '../../server/src/core/arm/parameters';
import { PIN_API_VERSION } from '../../server/src/core/api-versions';
import { planArmPin } from '../../server/src/core/fixes/pin-arm';
import type { Val } from '../../server/src/core/model';
import { applyEdits, lintTexts } from '../support/fixtures';

const SPAN = { file: '/t.json', start: 0, end: 10 };
const scope = (params: Record<string, Val> = {}): ArmScope => ({
  file: '/t.json',
  parameter: (n) => params[n] ?? { kind: 'unknown' },
  variable: () => ({ kind: 'unknown' }),
});
const prim = (value: boolean | string | null): Val => ({
  kind: 'prim',
  value,
  span: { file: '/p.json', start: 5, end: 10 },
  quoted: typeof value === 'string',
});
const value = (s: string, params?: Record<string, Val>) => {
  const v = evaluateString(s, SPAN, scope(params));
  return v.kind === 'prim' ? v.value : v.kind;
};

describe('ARM expressions', () => {
  test('parses calls, strings with doubled quotes, property access and indexes', () => {
    assert.ok(parseExpression("if(not(empty(parameters('tls'))), parameters('tls'), json('null'))"));
    assert.ok(parseExpression("parameters('a').b[0]['c']"));
    assert.ok(parseExpression("concat('it''s', 'x')"));
    assert.equal(parseExpression("concat('a'"), undefined);
  });

  test('evaluates the deterministic functions and leaves the rest unknown', () => {
    assert.equal(value("[if(not(empty(parameters('x'))), 'yes', 'no')]", { x: prim('v') }), 'yes');
    assert.equal(value("[if(equals(parameters('env'), 'dev'), false(), true())]"), 'unknown');
    assert.equal(value("[if(parameters('c'), 'same', 'same')]"), 'same', 'both branches agree');
    assert.equal(value("[coalesce(json('null'), 'b')]"), 'b');
    assert.equal(value("[bool('False')]"), false);
    assert.equal(value("[format('{0}/{1}', 'svc', toLower('ORDERS'))]"), 'svc/orders');
    assert.equal(value("[concat('a', 'b')]"), 'ab');
    assert.equal(value('[uniqueString(resourceGroup().id)]'), 'unknown');
    const url = evaluateString("[concat('http://', parameters('host'))]", SPAN, scope());
    assert.equal(url.kind === 'unknown' && url.prefix, 'http://', 'the known head of a string is kept');
  });

  test('a parameter keeps the span of the value it was given', () => {
    const v = evaluateString("[parameters('flag')]", SPAN, scope({ flag: prim(false) }));
    assert.deepEqual(v.kind === 'prim' && v.span, { file: '/p.json', start: 5, end: 10 });
  });
});

describe('ARM parameters files', () => {
  test('candidates: <name>.parameters.json, then parameters.json in the same folder', () => {
    assert.deepEqual(parametersFileCandidates('/a/azuredeploy.json'), [
      '/a/azuredeploy.parameters.json',
      '/a/azuredeploy.parameters.jsonc',
      '/a/parameters.json',
    ]);
  });

  test('a parameters file is covered only when paired with a template', () => {
    const params = {
      path: '/x/other.parameters.json',
      text: '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}',
    };
    assert.deepEqual(extractArmModel([params]).files, []);
  });
});

describe('JSON property removal', () => {
  test('keeps comments and removes the separating comma of a last property', () => {
    const text = '{\n  "tls": {\n    // keep me\n    "a": true,\n    "validateCertificateName": false\n  }\n}\n';
    const edits = removeJsonProperty('/t.json', text, text.indexOf('false'), 'validateCertificateName')!;
    const out = applyEdits(new Map([['/t.json', text]]), edits).get('/t.json')!;
    assert.equal(out, '{\n  "tls": {\n    // keep me\n    "a": true\n  }\n}\n');
    assert.equal(removeJsonProperty('/t.json', text, text.indexOf('true'), 'validateCertificateName'), undefined, 'only a property of that name');
  });
});

const TEMPLATE = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.ApiManagement/service/backends",
      "apiVersion": "2024-05-01",
      "name": "apim-contoso/orders",
      "properties": {
        "protocol": "http",
        "url": "https://orders.internal.contoso.com/api",
        "tls": {
          // Switched off until the internal CA is trusted.
          "validateCertificateChain": false,
          "validateCertificateName": false
        }
      }
    }
  ]
}
`;

describe('pin edit for an ARM backend', () => {
  const THUMBPRINT = 'CBB1D641C07D753D903D4D73E194B0D0CEAEF021';

  async function pinned(text: string): Promise<string> {
    const model = extractArmModel([{ path: '/w/main.json', text }]).model;
    const plan = planArmPin(model.backends[0], text, { name: 'orders.internal.contoso.com', thumbprint: THUMBPRINT });
    assert.ok(plan.ok, plan.ok ? '' : plan.reason);
    return applyEdits(new Map([['/w/main.json', text]]), plan.edits).get('/w/main.json')!;
  }

  test('writes serverX509Names, drops the false flags, raises the api-version; the file then lints clean', async () => {
    const out = await pinned(TEMPLATE);
    const errors: ParseError[] = [];
    const root = parseTree(out, errors, { allowTrailingComma: false });
    assert.deepEqual(errors, []);
    assert.ok(root);
    assert.match(out, /"apiVersion": "2025-03-01-preview"/);
    assert.match(out, /\/\/ Switched off until the internal CA is trusted\./, 'comments are kept');
    assert.doesNotMatch(out, /validateCertificate/);
    const model = extractArmModel([{ path: '/w/main.json', text: out }]).model;
    const pin = model.backends[0].pins[0];
    assert.equal(pin.thumbprint?.kind === 'prim' && pin.thumbprint.value, THUMBPRINT);
    assert.equal(pin.name?.kind === 'prim' && pin.name.value, 'orders.internal.contoso.com');
    assert.equal(model.backends[0].pins[0].apiVersion?.value, PIN_API_VERSION);
    const { findings } = await lintTexts(new Map([['/w/main.json', out]]));
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      [],
    );
  });

  test('is idempotent and merges into a list already written', async () => {
    const once = await pinned(TEMPLATE);
    assert.equal(await pinned(once), once);
    const other = TEMPLATE.replace(
      '"validateCertificateName": false',
      '"validateCertificateName": false,\n          "serverX509Names": [{ "name": "old.contoso.com", "issuerCertificateThumbprint": "9F2A6C1E0B7D4E3F5A8B2C1D0E9F8A7B6C5D4E3F" }]',
    );
    const merged = await pinned(other);
    assert.match(merged, /old\.contoso\.com[\s\S]*orders\.internal\.contoso\.com/);
  });

  test('a backend without tls gets one; tls from an expression is refused with a reason', async () => {
    const bare = TEMPLATE.replace(/,\n\s*"tls": \{[\s\S]*?\n\s{8}\}/, '');
    assert.doesNotMatch(bare, /"tls"/);
    assert.match(await pinned(bare), /"serverX509Names"/);
    const expr = TEMPLATE.replace(/"tls": \{[\s\S]*?\n\s{8}\}/, `"tls": "[parameters('tls')]"`);
    const model = extractArmModel([{ path: '/w/main.json', text: expr }]).model;
    const plan = planArmPin(model.backends[0], expr, { name: 'x', thumbprint: THUMBPRINT });
    assert.equal(plan.ok, false);
  });
});
