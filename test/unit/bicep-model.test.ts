// The Bicep side of the model: the parse budget, parameters JSON files, spreads and the parser's rewrites.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { extractBicepModel, BICEP_PARSE_BUDGET_CODE } from '../../server/src/core/bicep/extract';
import { prepareBicepText } from '../../server/src/core/parse/bicep-parser';
import { testBicepParser } from '../support/parser';
import { lintTexts } from '../support/fixtures';

const BACKEND = (tls: string) => `param tls object = {}
param extra object
resource b 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  name: 'apim/b'
  properties: {
    url: 'https://b.contoso.com'
    tls: ${tls}
  }
}
`;

describe('Bicep extraction', () => {
  test('a parse over its time budget gives one info notice for the file, not a hang', async () => {
    const real = await testBicepParser();
    const many = Array.from({ length: 400 }, (_, i) => `var v${i} = 'https://\${a${i}}.\${b}/\${c}/x'`).join('\n');
    assert.equal(real.parse(many, false, 0), null, 'a zero budget cancels the parse');
    assert.ok(real.parse(BACKEND('tls'), false), 'the parser recovers after a cancelled parse');
    const result = extractBicepModel({ kind: 'bicep', parse: () => null }, [{ path: 'x/main.bicep', text: BACKEND('tls') }]);
    assert.deepEqual(
      result.notices.map((n) => [n.file, n.ruleId, n.severity]),
      [['x/main.bicep', BICEP_PARSE_BUDGET_CODE, 'info']],
    );
  });

  test('rewrites keep every offset: spreads and .bicepparam assignments', () => {
    const text = 'var a = {\n  ...base\n  x: { ...(c ? {} : {}), y: 1 }\n}\nparam p = 1\n';
    const out = prepareBicepText(text, true);
    assert.equal(out.length, text.length);
    assert.equal(out, 'var a = {\n  _: base\n  x: { _: (c ? {} : {}), y: 1 }\n}\nvar   p = 1\n');
  });

  test('a parameters JSON file beside the template gives params; the finding is on its value', async () => {
    const json =
      '{\n  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",\n  "parameters": {\n    "tls": { "value": { "validateCertificateChain": false } }\n  }\n}\n';
    const { findings } = await lintTexts(
      new Map([
        ['p/main.bicep', BACKEND('tls')],
        ['p/main.parameters.json', json],
      ]),
    );
    const hit = findings.filter((f) => f.ruleId === 'APIM001');
    assert.equal(hit.length, 1);
    assert.equal(hit[0].file, 'p/main.parameters.json');
    assert.equal(json.slice(hit[0].start, hit[0].end), 'false');
    assert.equal(hit[0].related[0]?.file, 'p/main.bicep', 'related information points at the resource');
  });

  test('a spread the linter cannot read leaves what it may set unknown (no finding), and known keys after it still count', async () => {
    const quiet = await lintTexts(new Map([['s/main.bicep', BACKEND('{ ...extra }')]]));
    assert.deepEqual(
      quiet.findings.map((f) => f.ruleId),
      [],
    );
    const loud = await lintTexts(new Map([['t/main.bicep', BACKEND('{\n      ...extra\n      validateCertificateName: false\n    }')]]));
    assert.deepEqual(
      loud.findings.map((f) => f.ruleId),
      [],
    );
    const known = await lintTexts(new Map([['u/main.bicep', BACKEND('{\n      ...tls\n      validateCertificateName: false\n    }')]]));
    assert.deepEqual(
      known.findings.map((f) => f.ruleId),
      ['APIM002'],
    );
  });
});
