// The pin edit on ARM and Bicep backends through Workspace.planPin: the issuing CA's thumbprint and the URL host
// written into properties.tls.serverX509Names, false flags dropped, the api-version raised; the result parses, lints
// clean and a second pin changes nothing.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseTree, type ParseError } from 'jsonc-parser';
import type { CertificateInfo } from '../../server/src/core/certificates/types';
import { applyEdits, lintTexts } from '../support/fixtures';
import { REPO_ROOT, testBicepParser } from '../support/parser';
import { applyMutations } from '../fuzz/mutations';

const CA: CertificateInfo = {
  file: '/w/certs/issuing-ca.cer',
  index: 0,
  subject: 'CN=Contoso Issuing CA 01, O=Contoso',
  issuer: 'CN=Contoso Root CA, O=Contoso',
  isCa: true,
  notBefore: new Date('2024-01-01T00:00:00Z'),
  notAfter: new Date('2030-01-01T00:00:00Z'),
  sha1: 'C54CD3D82A01A49B61C6B4C3D3F935762F553A83',
  sha256: '0'.repeat(64),
  names: [],
};

const PIN_RULES = ['APIM001', 'APIM002', 'APIM003', 'APIM005', 'APIM006', 'APIM007', 'APIM010'];

async function pin(file: string, text: string, marker: string): Promise<string> {
  const { workspace } = await lintTexts(new Map([[file, text]]));
  const plan = workspace.planPin({ file, offset: text.indexOf(marker), certificates: [CA] });
  assert.ok(plan.ok, plan.ok ? '' : 'reason' in plan ? plan.reason : JSON.stringify(plan.question));
  assert.equal(plan.thumbprint, CA.sha1);
  return applyEdits(new Map([[file, text]]), plan.edits).get(file)!;
}

async function assertPinnedAndStable(file: string, fixed: string, marker: string): Promise<void> {
  assert.match(fixed, /serverX509Names/);
  assert.match(fixed, /C54CD3D82A01A49B61C6B4C3D3F935762F553A83/);
  assert.match(fixed, /orders\.internal\.contoso\.com/);
  assert.match(fixed, /2025-03-01-preview/);
  assert.doesNotMatch(fixed, /validateCertificate(Chain|Name)['"]?\s*:\s*false/);
  const { findings, workspace } = await lintTexts(new Map([[file, fixed]]));
  assert.deepEqual(
    findings.filter((f) => PIN_RULES.includes(f.ruleId)).map((f) => `${f.ruleId}: ${f.message}`),
    [],
  );
  const again = workspace.planPin({ file, offset: fixed.indexOf(marker), certificates: [CA] });
  assert.ok(again.ok);
  assert.deepEqual(again.edits, [], 'pinning twice changes nothing');
}

describe('pin edit for Bicep backends', () => {
  const FILE = '/w/bicep/main.bicep';

  const cases: Array<{ name: string; text: string }> = [
    {
      name: 'false flags in a tls object',
      text: `resource apim 'Microsoft.ApiManagement/service@2024-05-01' existing = {
  name: 'apim-contoso'
}

resource orders 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  parent: apim
  name: 'orders'
  properties: {
    url: 'https://orders.internal.contoso.com/api'
    protocol: 'http'
    tls: {
      validateCertificateChain: false
      validateCertificateName: false
    }
  }
}
`,
    },
    {
      name: 'no tls object yet, four-space indentation',
      text: `resource orders 'Microsoft.ApiManagement/service/backends@2023-05-01-preview' = {
    name: 'apim-contoso/orders'
    properties: {
        url: 'https://orders.internal.contoso.com'
        protocol: 'http'
    }
}
`,
    },
    {
      name: 'a nested backend: the parent service type carries the version',
      text: `resource apim 'Microsoft.ApiManagement/service@2024-05-01' = {
  name: 'apim-contoso'
  location: 'westeurope'
  sku: {
    name: 'StandardV2'
    capacity: 1
  }
  properties: {
    publisherEmail: 'api@contoso.com'
    publisherName: 'Contoso'
  }

  resource orders 'backends' = {
    name: 'orders'
    properties: {
      url: 'https://orders.internal.contoso.com'
      protocol: 'http'
      tls: {
        validateCertificateChain: false
      }
    }
  }
}
`,
    },
  ];

  for (const c of cases) {
    test(c.name, async () => {
      const fixed = await pin(FILE, c.text, 'orders.internal');
      const parser = await testBicepParser();
      const tree = parser.parse(fixed, false);
      assert.ok(tree, 'parsed within the budget');
      const hasError = tree.rootNode.hasError;
      tree.delete();
      assert.equal(hasError, false, `the pinned file parses without errors:\n${fixed}`);
      await assertPinnedAndStable(FILE, fixed, 'orders.internal');
    });
  }

  test('a tls object built from a parameter is refused with a reason', async () => {
    const text = `param tls object = { validateCertificateChain: false }

resource orders 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  name: 'apim/orders'
  properties: {
    url: 'https://orders.internal.contoso.com'
    protocol: 'http'
    tls: tls
  }
}
`;
    const { workspace } = await lintTexts(new Map([[FILE, text]]));
    const plan = workspace.planPin({ file: FILE, offset: text.indexOf('orders.internal'), certificates: [CA] });
    assert.equal(plan.ok, false);
    assert.match(plan.ok ? '' : 'reason' in plan ? plan.reason : JSON.stringify(plan.question), /expression/);
  });
});

describe('pin edit for ARM template backends', () => {
  const FILE = '/w/arm/azuredeploy.json';
  const TEMPLATE = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      // Chain validation was switched off on migration night.
      "type": "Microsoft.ApiManagement/service/backends",
      "apiVersion": "2024-05-01",
      "name": "apim-contoso/orders",
      "properties": {
        "url": "https://orders.internal.contoso.com/api",
        "protocol": "http",
        "tls": {
          "validateCertificateChain": false,
          "validateCertificateName": false
        }
      }
    }
  ]
}
`;

  test('writes serverX509Names, drops the false flags, raises apiVersion, keeps comments', async () => {
    const fixed = await pin(FILE, TEMPLATE, 'orders.internal');
    const errors: ParseError[] = [];
    parseTree(fixed, errors);
    assert.deepEqual(errors, [], `valid JSON with comments:\n${fixed}`);
    assert.match(fixed, /\/\/ Chain validation was switched off on migration night\./);
    await assertPinnedAndStable(FILE, fixed, 'orders.internal');
  });

  test('found by the fuzzer: a value nested 100 deep (under the cap) is refused with a reason, not a crash', async () => {
    // jsonc-parser's formatter, which the edit goes through, throws on some text nested about a hundred levels deep.
    const fixture = new Uint8Array(fs.readFileSync(path.join(REPO_ROOT, 'test/fixtures/rules/APIM020/arm-clean.json')));
    const mutated = applyMutations(fixture, 'arm', [{ kind: 'deep', at: 451907, depth: 100, shape: 1, balanced: true, asValue: true }]);
    const text = Buffer.from(mutated).toString('utf8');
    const { workspace } = await lintTexts(new Map([[FILE, text]]));
    const plan = workspace.planPin({ file: FILE, offset: text.indexOf('tic-backend'), certificates: [CA] });
    assert.equal(plan.ok, false);
    assert.match(plan.ok ? '' : 'reason' in plan ? plan.reason : '', /too deep for its JSON to be edited safely; add the pin by hand/);
  });
});
