// What tree-sitter is given of a Terraform or Bicep text (parse/parser-input.ts): nesting past the cap blanked and
// left out, long runs of comments left out, offsets kept; and that a lint of such text reads what lies before and
// after, with one notice.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_NESTING_DEPTH, NESTING_TOO_DEEP_CODE } from '../../server/src/core/nesting-too-deep';
import { parserInput } from '../../server/src/core/parse/parser-input';
import { lintTexts } from '../support/fixtures';

const DEEP = MAX_NESTING_DEPTH + 50;

const BACKEND = `resource "azurerm_api_management_backend" "orders" {
  name = "orders"
  url  = "https://orders.contoso.com/api"
  tls {
    validate_certificate_chain = false
  }
}
`;

const BICEP_BACKEND = `resource b 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  name: 'x'
  properties: {
    url: 'https://x.contoso.com'
    tls: {
      validateCertificateChain: false
    }
  }
}
`;

describe('nesting past the cap', () => {
  test('a text that stays under the cap is handed over as it is, whole', () => {
    const text = `${BACKEND}locals {\n  x = ${'['.repeat(MAX_NESTING_DEPTH - 1)}${']'.repeat(MAX_NESTING_DEPTH - 1)}\n}\n`;
    assert.deepEqual(parserInput(text, 'hcl'), { text });
  });

  test('brackets in strings, comments and heredocs, and escaped interpolations, are not levels', () => {
    const many = '('.repeat(DEEP);
    const text =
      `locals {\n  a = "${many}"\n  # ${many}\n  // ${many}\n  /* ${many} */\n  b = <<EOT\n${many}\nEOT\n` +
      `  c = "${'$${'.repeat(DEEP)}"\n  d = <<-EOT\n    ${'%%{'.repeat(DEEP)}\n    EOT\n}\n`;
    assert.deepEqual(parserInput(text, 'hcl'), { text });
    const bicep = `var a = '${many}'\n// ${many}\nvar b = '''\n${"${'".repeat(DEEP)}\n'''\nvar c = '\\'${many}'\n`;
    assert.deepEqual(parserInput(bicep, 'bicep'), { text: bicep });
  });

  test('a closed bracket past the cap keeps its opener and closer; its inside is blanked and not parsed', () => {
    const value = `${'['.repeat(DEEP)}1${']'.repeat(DEEP)}`;
    const head = `${BACKEND}locals {\n  x = `;
    const text = `${head}${value}\n}\n`;
    const input = parserInput(text, 'hcl');
    // locals { is the first level.
    const cut = head.length + MAX_NESTING_DEPTH - 1;
    assert.equal(input.cutAt, cut);
    assert.equal(input.text.length, text.length, 'offsets do not move');
    assert.equal(input.text.slice(0, cut + 1), text.slice(0, cut + 1));
    const close = head.length + value.length - (MAX_NESTING_DEPTH - 1) - 1;
    assert.match(input.text.slice(cut + 1, close), /^ +$/);
    assert.equal(input.text.slice(close), text.slice(close));
    assert.deepEqual(input.ranges, [
      { start: 0, end: cut + 1 },
      { start: close, end: text.length },
    ]);
  });

  test('an interpolation past the cap is blanked as string text and left out whole, in strings and heredocs', () => {
    for (const [open, close] of [
      ['"', '"'],
      ['<<EOT\n', '\nEOT'],
    ]) {
      const text = `locals {\n  x = ${open}${'${"'.repeat(DEEP)}1${'"}'.repeat(DEEP)}${close}\n}\n`;
      const input = parserInput(text, 'hcl');
      const at = input.cutAt!;
      assert.equal(text.slice(at, at + 2), '${');
      assert.equal(input.text.length, text.length);
      const end = input.ranges![1].start;
      assert.match(input.text.slice(at, end), /^_+$/);
      assert.equal(text.slice(end - 1, end), '}', 'the interpolation is left out up to its closing brace');
    }
  });

  test('a level past the cap that never closes: left out up to the next top-level block, which is read again', async () => {
    const text = `locals {\n  x = ${'['.repeat(DEEP)}\n  y = 1\n}\n\n${BACKEND}`;
    const input = parserInput(text, 'hcl');
    assert.equal(input.text.length, text.length);
    const header = text.indexOf('resource');
    assert.deepEqual(input.ranges, [
      { start: 0, end: input.cutAt! + 1 },
      { start: header, end: text.length },
    ]);
    const { findings } = await lintTexts(new Map([['/deep/main.tf', text]]));
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.start]),
      [
        [NESTING_TOO_DEEP_CODE, input.cutAt],
        ['APIM001', header + BACKEND.indexOf('false')],
      ].sort((a, b) => (a[1] as number) - (b[1] as number)),
    );
  });

  test('without a block after it, the text handed over ends where that level opened', () => {
    const text = `${BACKEND}locals {\n  x = ${'{'.repeat(DEEP)}\n`;
    const input = parserInput(text, 'hcl');
    assert.equal(input.text, text.slice(0, input.cutAt));
    assert.deepEqual(input.ranges, [{ start: 0, end: input.cutAt }]);
  });

  test("Bicep: `'${` nested past the cap between two backends; both are linted, the notice where the cut begins", async () => {
    const text = `${BICEP_BACKEND}var deep = ${"'${".repeat(DEEP)}1${"}'".repeat(DEEP)}\n${BICEP_BACKEND.replace('resource b ', 'resource c ')}`;
    const input = parserInput(text, 'bicep');
    assert.equal(input.cutAt, text.indexOf("'${") + 3 * MAX_NESTING_DEPTH + 1);
    const { findings } = await lintTexts(new Map([['/deep/main.bicep', text]]));
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['APIM001', NESTING_TOO_DEEP_CODE, 'APIM001'],
    );
    assert.match(findings[1].message, /more than 128 levels deep/);
  });
});

describe('long runs of comments', () => {
  const comments = (marker: string) => `${marker} ${'x'.repeat(97)}\n`.repeat(400);

  test('a run of comment lines over 32 kB is left out of the parse, the lines around it kept', () => {
    for (const marker of ['#', '//']) {
      const run = comments(marker);
      const text = `${BACKEND}${run}${BACKEND.replace('"orders" {', '"billing" {')}`;
      const input = parserInput(text, 'hcl');
      assert.equal(input.text, text);
      assert.equal(input.cutAt, undefined);
      assert.deepEqual(input.ranges, [
        { start: 0, end: BACKEND.length },
        { start: BACKEND.length + run.length - 1, end: text.length },
      ]);
    }
  });

  test('shorter runs, and comment lines inside heredocs and strings, are parsed as they are', () => {
    const short = `${BACKEND}${'# licence text\n'.repeat(100)}`;
    assert.deepEqual(parserInput(short, 'hcl'), { text: short });
    const heredoc = `locals {\n  x = <<EOT\n${comments('#')}EOT\n}\n`;
    assert.deepEqual(parserInput(heredoc, 'hcl'), { text: heredoc });
    const bicep = `var x = '''\n${comments('//')}'''\n`;
    assert.deepEqual(parserInput(bicep, 'bicep'), { text: bicep });
  });

  test('a stray bracket before 5 MB of comment lines: the backend before it is linted, and nothing else reported', async () => {
    const text = `${BACKEND}]\n${comments('#').repeat(125)}`;
    const { findings } = await lintTexts(new Map([['/comments/main.tf', text]]));
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['APIM001'],
    );
  });
});

describe("a Bicep ''' string that never closes", () => {
  test('its line is left out up to the next statement, and the backend after it is linted', async () => {
    const text = `var note = '''\n${'never closed\n'.repeat(100)}${BICEP_BACKEND}`;
    const input = parserInput(text, 'bicep');
    assert.equal(input.text, text);
    assert.equal(input.cutAt, undefined);
    assert.deepEqual(input.ranges, [{ start: text.indexOf('resource b'), end: text.length }]);
    const { findings } = await lintTexts(new Map([['/unclosed/main.bicep', text]]));
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      ['APIM001'],
    );
  });

  test('a closed one is parsed as it is', () => {
    const text = `var note = '''\nresource x\n'''\n${BICEP_BACKEND}`;
    assert.deepEqual(parserInput(text, 'bicep'), { text });
  });
});
