// Bicep templates are parsed without the statements that cannot matter: where statements start (never inside a string,
// an interpolation, a multi-line string or a comment), which are kept, and that leaving the rest out changes nothing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { relevantRanges, topLevelStatements } from '../../server/src/core/parse/bicep-relevant';
import type { BicepParser } from '../../server/src/core/parse/bicep-parser';
import { bicepFormat } from '../../server/src/core/bicep/format';
import { pruneCache } from '../../server/src/core/bicep/ast';
import { Workspace } from '../../server/src/core/workspace';
import { testBicepParser } from '../support/parser';

const TEMPLATE = `// A template with a service, a backend, and statements the linter never reads.
@description('The service')
param apimName string = 'apim-contoso'
param validateChain bool = false
param unused string = 'x'

var note = '''
resource fake 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
'''
var label = 'orders \${apimName} \${'}'} done'

resource apim 'Microsoft.ApiManagement/service@2024-05-01' existing = {
  name: apimName
}

/* resource commented 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
} */
resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'st'
  properties: {
    minimumTlsVersion: 'TLS1_2'
  }
}

@batchSize(1)
resource orders 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  parent: apim
  name: 'orders'
  properties: {
    url: 'https://orders.contoso.com/api'
    tls: {
      validateCertificateChain: validateChain
    }
  }
}

output id string = orders.id
`;

describe('Bicep statements worth parsing', () => {
  test('statements start at column 0 outside strings, interpolations, multi-line strings and comments, with their decorators', () => {
    const statements = topLevelStatements(TEMPLATE)!;
    assert.deepEqual(
      statements.map((s) => [s.keyword, TEMPLATE.slice(s.start).split('\n')[0]]),
      [
        ['param', "@description('The service')"],
        ['param', 'param validateChain bool = false'],
        ['param', "param unused string = 'x'"],
        ['var', "var note = '''"],
        ['var', "var label = 'orders ${apimName} ${'}'} done'"],
        ['resource', "resource apim 'Microsoft.ApiManagement/service@2024-05-01' existing = {"],
        ['resource', "resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {"],
        ['resource', '@batchSize(1)'],
        ['output', 'output id string = orders.id'],
      ],
    );
  });

  test('only the service, the backend and the parameters they name are parsed', () => {
    const ranges = relevantRanges(TEMPLATE)!;
    const kept = ranges.map((r) => TEMPLATE.slice(r.start, r.end)).join('');
    assert.match(kept, /param apimName/);
    assert.match(kept, /param validateChain/);
    assert.match(kept, /resource apim/);
    assert.match(kept, /resource orders/);
    for (const left of ['param unused', 'var note', 'var label', 'resource st', 'output id']) assert.ok(!kept.includes(left), `${left} is not parsed`);
  });

  test('an unclear top level (an indented statement, an open string) is parsed whole', () => {
    assert.equal(topLevelStatements("param a string\n  resource x 'y@1' = {}\n"), undefined);
    assert.equal(topLevelStatements("var a = 'open\nparam b string\n"), undefined);
    assert.equal(
      relevantRanges("param a string\nresource b 'Microsoft.ApiManagement/service@2024-05-01' = {\n  name: a\n}\n"),
      undefined,
      'nothing to leave out',
    );
  });

  test('leaving statements out changes no finding', async () => {
    const parser = await testBicepParser();
    const lint = (p: BicepParser) => {
      pruneCache(new Set());
      const ws = new Workspace([bicepFormat(p)]);
      ws.setFile('/b/main.bicep', TEMPLATE);
      return ws.lint().findings;
    };
    const partial = lint(parser);
    const whole = lint({ kind: 'bicep', parse: (text, paramFile, budget) => parser.parse(text, paramFile, budget) });
    assert.deepEqual(partial, whole);
    assert.deepEqual(
      partial.map((f) => [f.ruleId, TEMPLATE.slice(f.start, f.end)]),
      [['APIM001', 'false']],
    );
  });
});
