// A fast-check run over policy XML as people (and half-finished edits) write it: fragments of elements, attributes,
// policy expressions, named values, host interpolations, references, comments and CDATA, cut and joined at random,
// read alone and embedded in every host shape (heredoc, quoted HCL, JSON string, Bicep strings, a file() target).
// Nothing may throw, and every finding must lie inside its file. Fixed seed, so a failure is reproducible.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { bicepStringText, hclStringText, jsonStringText } from '../../server/src/core/policies/host-strings';
import { readPolicy } from '../../server/src/core/policies/read-policy';
import { lintTexts } from '../support/fixtures';

const FRAGMENTS = [
  '<policies>',
  '</policies>',
  '<inbound>',
  '</inbound>',
  '<set-backend-service base-url="http://a.contoso.com" />',
  '<set-backend-service backend-id="tic-backend" />',
  '<set-backend-service backend-id="',
  '<send-request mode="new"><set-url>',
  '</set-url></send-request>',
  '<send-one-way-request><set-url>http://',
  '@(context.Request.Headers.GetValueOrDefault("a", "<b>"))',
  '@{ return "}"; }',
  '@(',
  '@{',
  '"',
  "'",
  '<',
  '>',
  '/>',
  '&amp;',
  '&#x41;',
  '&bogus;',
  '{{named-value}}',
  '{{',
  '${var.x}',
  '${',
  '%{ if x }',
  '$${',
  '<!-- c -->',
  '<!--',
  '<![CDATA[ <x> ]]>',
  '\\"',
  '\\n',
  '\\u0041',
  '\n',
  '\r\n',
  '  ',
  '\u0000',
  '😀',
  'XML',
];

const policyText = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })), { maxLength: 40 }).map((parts) => parts.join(''));

function inRange(findings: Array<{ file: string; start: number; end: number }>, texts: Map<string, string>): void {
  for (const f of findings) {
    const length = texts.get(f.file)?.length ?? -1;
    assert.ok(f.start >= 0 && f.start <= f.end && f.end <= length, `finding ${f.start}-${f.end} inside ${f.file} (${length})`);
  }
}

describe('policy XML under random input', () => {
  test('the reader never throws, and every value it returns lies inside the text', () => {
    fc.assert(
      fc.property(policyText, (text) => {
        const read = readPolicy(text);
        for (const v of [...(read?.urls ?? []), ...(read?.backendIds ?? [])]) assert.ok(v.start >= 0 && v.start <= v.end && v.end <= text.length);
      }),
      { seed: 1313, numRuns: 2000 },
    );
  });

  test('every host shape maps its text back inside the host string, whatever the text holds', () => {
    fc.assert(
      fc.property(policyText, (text) => {
        const shapes: Array<[string, (h: string) => ReturnType<typeof hclStringText>]> = [
          [`x = <<-XML\n    ${text.replace(/\n/g, '\n    ')}\n  XML\n`, (h) => hclStringText(h, 4, h.length - 1)],
          [`x = "${text.replace(/[\r\n]/g, ' ')}"`, (h) => hclStringText(h, 4, h.length)],
          [JSON.stringify(text), (h) => jsonStringText(h, 0, h.length)],
          [`'''${text.replace(/'''/g, '')}'''`, (h) => bicepStringText(h, 0, h.length)],
          [`'${text.replace(/[\r\n']/g, ' ')}'`, (h) => bicepStringText(h, 0, h.length)],
        ];
        for (const [host, read] of shapes) {
          const mapped = read(host);
          if (!mapped) continue;
          const whole = mapped.map.toSource(0, mapped.text.length);
          assert.ok(whole.start >= 0 && whole.start <= whole.end && whole.end <= host.length);
          readPolicy(mapped.text, mapped.map.opaqueRanges());
        }
      }),
      { seed: 1314, numRuns: 1000 },
    );
  });

  test('linting random policies in every host format never throws and keeps findings inside their files', async () => {
    const samples = fc.sample(policyText, { seed: 1315, numRuns: 120 });
    for (const text of samples) {
      const texts = new Map([
        ['/f/apis/orders/policy.xml', `<policies>${text}</policies>`],
        [
          '/f/tf/main.tf',
          `resource "azurerm_api_management_backend" "b" {\n  name = "tic-backend"\n  api_management_name = "apim"\n  url = "https://x"\n}\n` +
            `resource "azurerm_api_management_api_policy" "p" {\n  api_name = "a"\n  api_management_name = "apim"\n  xml_content = <<-XML\n    <policies>${text.replace(/\n/g, '\n    ')}</policies>\n  XML\n}\n` +
            `resource "azurerm_api_management_api_policy" "q" {\n  api_name = "q"\n  api_management_name = "apim"\n  xml_content = file("\${path.module}/q.xml")\n}\n`,
        ],
        ['/f/tf/q.xml', `<policies>${text}</policies>`],
        [
          '/f/arm/t.json',
          JSON.stringify({
            $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
            resources: [
              { type: 'Microsoft.ApiManagement/service/apis/policies', apiVersion: '2024-05-01', name: 'apim/a/policy', properties: { value: text } },
            ],
          }),
        ],
        [
          '/f/bicep/main.bicep',
          `resource p 'Microsoft.ApiManagement/service/policies@2024-05-01' = {\n  name: 'apim/policy'\n  properties: {\n    value: '''${text.replace(/'''/g, '')}'''\n  }\n}\n`,
        ],
      ]);
      const { findings } = await lintTexts(texts);
      inRange(findings, texts);
    }
  });
});
