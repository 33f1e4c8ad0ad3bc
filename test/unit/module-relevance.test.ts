// Terraform modules that name no APIM or azapi resource, and call no module that does, hold nothing a rule reads:
// their files are not parsed at all. A module that calls one that does is read (its values flow down), and a module
// that starts naming a backend is read from then on.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { builtinFormats } from '../../server/src/core/builtin-formats';
import type { TerraformParser } from '../../server/src/core/parse/terraform-parser';
import { Workspace } from '../../server/src/core/workspace';
import { testParser } from '../support/parser';

const FILES: Record<string, string> = {
  '/w/envs/prod/main.tf': `module "api" {\n  source         = "../../modules/api"\n  validate_chain = false\n}\n`,
  '/w/envs/prod/variables.tf': `variable "region" {\n  default = "westeurope"\n}\n`,
  '/w/modules/api/main.tf': `resource "azurerm_api_management_backend" "orders" {\n  name = "orders"\n  url  = "https://orders.contoso.com"\n  tls {\n    validate_certificate_chain = var.validate_chain\n  }\n}\n`,
  '/w/modules/api/variables.tf': `variable "validate_chain" {\n  type    = bool\n  default = true\n}\n`,
  '/w/modules/storage/main.tf': `resource "azurerm_storage_account" "sa" {\n  name = var.name\n}\n`,
  '/w/modules/storage/variables.tf': `variable "name" {\n  default = "st"\n}\n`,
};

/** The Terraform parser, recording the texts it was asked to parse. */
async function countingParser(): Promise<{ parser: TerraformParser; parsed: string[] }> {
  const real = await testParser();
  const parsed: string[] = [];
  return {
    parsed,
    parser: {
      parse: (text, old) => (parsed.push(text), real.parse(text, old)),
      parseRanges: (text, ranges, rowOf) => (parsed.push(text), real.parseRanges(text, ranges, rowOf)),
    },
  };
}

describe('modules that cannot contribute', () => {
  test('are not parsed, while the caller of a module with a backend is, and its value is found', async () => {
    const { parser, parsed } = await countingParser();
    const ws = new Workspace(builtinFormats(parser));
    for (const [p, t] of Object.entries(FILES)) ws.setFile(p, t);
    const { findings } = ws.lint();
    assert.deepEqual(
      findings.map((f) => [f.file, f.ruleId, ws.textOf(f.file)!.slice(f.start, f.end)]),
      [['/w/envs/prod/main.tf', 'APIM001', 'false']],
    );
    for (const file of ['/w/modules/storage/main.tf', '/w/modules/storage/variables.tf']) {
      assert.ok(!parsed.includes(FILES[file]), `${file} was not parsed`);
    }
    for (const file of ['/w/envs/prod/main.tf', '/w/modules/api/main.tf', '/w/modules/api/variables.tf']) {
      assert.ok(parsed.includes(FILES[file]), `${file} was parsed`);
    }
  });

  test('a module that starts naming a backend is read from then on, open or not', async () => {
    const { parser } = await countingParser();
    const ws = new Workspace(builtinFormats(parser));
    for (const [p, t] of Object.entries(FILES)) ws.setFile(p, t);
    ws.openFile('/w/modules/storage/main.tf', FILES['/w/modules/storage/main.tf']);
    assert.equal(ws.lint(['/w/modules/storage/main.tf']).findings.length, 0);
    const backend = `resource "azurerm_api_management_backend" "typed" {\n  name = "typed"\n  url  = "http://typed.contoso.com"\n}\n`;
    const at = FILES['/w/modules/storage/main.tf'].length;
    ws.editFile('/w/modules/storage/main.tf', [{ start: at, end: at, text: backend }]);
    assert.deepEqual(
      ws.lint(['/w/modules/storage/main.tf']).findings.map((f) => f.ruleId),
      ['APIM012'],
    );
  });
});
