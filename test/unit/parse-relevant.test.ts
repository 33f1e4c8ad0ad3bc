// Closed files are parsed without the top-level blocks that cannot matter: where blocks start, and that leaving
// blocks out never changes what a lint finds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { topLevelBlockStarts } from '../../server/src/core/parse/parse-relevant';
import { Workspace } from '../../server/src/core/workspace';
import { testParser } from '../support/parser';

const BACKEND = `resource "azurerm_api_management_backend" "live" {
  name = "live"
  url  = "https://live.example.com"
  tls {
    validate_certificate_name = false
  }
}
`;

async function lintClosed(text: string): Promise<string[]> {
  const ws = new Workspace(await testParser());
  ws.setFile('/w/main.tf', text);
  return ws.lint().findings.map((f) => `${f.ruleId}@${f.start}`);
}

/** What a lint of the open document finds: the whole text is parsed there. */
async function lintOpen(text: string): Promise<string[]> {
  const ws = new Workspace(await testParser());
  ws.openFile('/w/main.tf', text);
  return ws.lint().findings.map((f) => `${f.ruleId}@${f.start}`);
}

describe('top-level block starts', () => {
  test('headers at column 0 and depth 0, with their rows', () => {
    const text = `# lead\nresource "a" "b" {\n  x = "}"\n}\n\noutput "o" {\n  value = 1\n}\n`;
    assert.deepEqual(topLevelBlockStarts(text), [
      { offset: 7, row: 1 },
      { offset: text.indexOf('output'), row: 5 },
    ]);
  });

  test('header-like lines in comments and heredocs do not start blocks', () => {
    const text = `/*\nresource "x" "y" {\n*/\nresource "a" "b" {\n  c = <<-EOT\nresource "z" "w" {\n  EOT\n}\n`;
    assert.deepEqual(topLevelBlockStarts(text), [{ offset: text.indexOf('resource "a"'), row: 3 }]);
  });

  test('an unclear top level gives no answer', () => {
    assert.equal(topLevelBlockStarts(`resource "a" "b" {\n  x = 1\n`), undefined);
    assert.equal(topLevelBlockStarts(`resource "a" "b" {\ndata = 1\n}\n`), undefined);
    assert.equal(topLevelBlockStarts(`/* never closed\nresource "a" "b" {}\n`), undefined);
    assert.equal(topLevelBlockStarts(`resource "a" "b" {\n  c = <<EOT\nno end\n}\n`), undefined);
  });
});

describe('parsing only what can matter', () => {
  const cases: Record<string, string> = {
    'a commented-out backend after a skipped block': `resource "azurerm_storage_account" "x" {\n  name = "x"\n}\n\n/*\n${BACKEND.replace('"live"', '"old"')}\noutput "old" {\n  value = 1\n}\n*/\n\n${BACKEND}`,
    'a backend inside a heredoc of a skipped block': `resource "null_resource" "s" {\n  provisioner "local-exec" {\n    command = <<EOT\n${BACKEND.replace('"live"', '"fake"')}output "y" {\nEOT\n  }\n}\n\n${BACKEND}`,
    'a damaged skipped block': `resource "azurerm_storage_account" "x" {\n  name = "x\n  tags = {\n}\n\n${BACKEND}\noutput "o" { value = 1 }\n`,
    'skipped blocks around a backend': `provider "azurerm" {\n  features {}\n}\n\n${BACKEND}\nresource "azurerm_key_vault" "kv" {\n  name = "kv"\n}\n\noutput "id" {\n  value = azurerm_key_vault.kv.id\n}\n`,
  };
  for (const [name, text] of Object.entries(cases)) {
    test(name, async () => {
      const closed = await lintClosed(text);
      assert.deepEqual(closed, await lintOpen(text));
      assert.deepEqual(closed, [`APIM002@${text.lastIndexOf('false')}`]);
    });
  }
});

describe('a file of one block that cannot matter', () => {
  test('is not parsed (an outputs.tf), while a file of one backend is, and the module lints the same', async () => {
    const parser = await testParser();
    const parsed: string[] = [];
    const spy = {
      ...parser,
      parse: (text: string, old?: Parameters<typeof parser.parse>[1]) => (parsed.push(text), parser.parse(text, old)),
      parseRanges: (text: string, ranges: Parameters<typeof parser.parseRanges>[1], rowOf: Parameters<typeof parser.parseRanges>[2]) => (
        parsed.push(ranges.map((r) => text.slice(r.start, r.end)).join('')),
        parser.parseRanges(text, ranges, rowOf)
      ),
    };
    const outputs = `# what the module gives back\noutput "backend_id" {\n  value = azurerm_api_management_backend.live.id\n}\n`;
    const ws = new Workspace(spy);
    ws.setFile('/w/main.tf', BACKEND);
    ws.setFile('/w/outputs.tf', outputs);
    const findings = ws.lint().findings.map((f) => `${f.file}:${f.ruleId}@${f.start}`);
    assert.deepEqual(findings, [`/w/main.tf:APIM002@${BACKEND.lastIndexOf('false')}`]);
    assert.ok(parsed.includes(BACKEND), 'the backend file is parsed whole');
    assert.ok(!parsed.some((t) => t.includes('output "backend_id"')), 'the output block is never handed to the parser');
  });
});
