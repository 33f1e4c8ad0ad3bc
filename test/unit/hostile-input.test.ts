// Valid but pathological input must be linted within the parse budget or reported with one notice, never hang the
// linter; files over the size cap are judged by their bytes, and say so in words that do not contradict themselves.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { blankRunsAsComments } from '../../server/src/core/parse/hcl-blank-runs';
import { budgeted, PARSE_BUDGET_CODE } from '../../server/src/core/parse/parse-budget';
import { FILE_TOO_LARGE_CODE, MAX_FILE_SIZE } from '../../server/src/core/workspace';
import { lintTexts } from '../support/fixtures';

const HEADER = `resource "azurerm_api_management_backend" "orders" {\n  name = "orders"\n  url  = "https://orders.contoso.com"\n  tls {\n    validate_certificate_chain = `;
const FOOTER = `\n  }\n}\n`;

describe('pathological Terraform', () => {
  test('forty thousand blanks before a value: handed to the parser as a comment, and the false is still found', async () => {
    const text = `${HEADER}${' '.repeat(40_000)}false${FOOTER}`;
    const prepared = blankRunsAsComments(text);
    assert.equal(prepared.length, text.length, 'offsets do not move');
    assert.match(prepared, /validate_certificate_chain = +\/\* +\*\/ false/, 'the run reaches the parser as one comment');
    assert.equal(prepared.slice(text.indexOf('false')), text.slice(text.indexOf('false')));
    const { findings } = await lintTexts(new Map([['/h/main.tf', text]]));
    assert.deepEqual(
      findings.map((f) => [f.ruleId, text.slice(f.start, f.end)]),
      [['APIM001', 'false']],
    );
  });

  test('blanks inside strings, comments and heredocs are text and stay', () => {
    const run = ' '.repeat(300);
    const text = `a = "${run}"\n# ${run}\nb = <<EOT\n${run}x\nEOT\n/*${run}*/\nc = [1,${run}2]\n`;
    const prepared = blankRunsAsComments(text);
    assert.equal(prepared.length, text.length);
    assert.equal(prepared.slice(0, text.indexOf('c = [')), text.slice(0, text.indexOf('c = [')), 'strings, comments and heredocs untouched');
    assert.match(prepared.slice(text.indexOf('c = [')), /^c = \[1, \/\* +\*\/ 2\]/, 'the run between list items became a comment');
  });

  for (const [name, value] of [
    ['80,000 quotes', '"'.repeat(80_000)],
    ['a run of a million characters of ${', `"${'${'.repeat(500_000)}"`],
  ] as const) {
    test(`${name}: one info notice that the parse ran out of time, nothing else`, async () => {
      const text = `${HEADER}${value}${FOOTER}`;
      const { findings } = await lintTexts(new Map([['/h/main.tf', text]]));
      assert.deepEqual(
        findings.map((f) => [f.ruleId, f.severity, f.start]),
        [[PARSE_BUDGET_CODE, 'info', 0]],
      );
      assert.match(findings[0].message, /took longer than its time budget/);
    });
  }
});

describe('over-budget parses are remembered', () => {
  /** A stand-in for tree-sitter that reads 4,000 characters before its deadline, counting how often it is run. */
  function slowParser() {
    const calls: string[] = [];
    const parser = {
      parse(text: string, _old: unknown, options: { progressCallback?: (s: { currentOffset: number; hasError: boolean }) => boolean }) {
        calls.push(text);
        for (let offset = 8000; offset <= text.length * 2; offset += 8000) {
          if (options.progressCallback?.({ currentOffset: offset, hasError: false })) return null;
        }
        return null;
      },
      reset() {},
    };
    return { run: budgeted(parser as unknown as Parameters<typeof budgeted>[0]), calls };
  }

  test('a text that starts like one that ran out of time is not parsed again; one changed before that point is', () => {
    const { run, calls } = slowParser();
    const text = 'x'.repeat(10_000);
    assert.equal(run(text, { budgetMs: -1 }), null);
    assert.equal(calls.length, 1);
    assert.equal(run(`${text}typed at the end`, { budgetMs: -1 }), null, 'an edit after the costly part');
    assert.equal(run(`${text.slice(0, 9_000)}y${text.slice(9_001)}`, { budgetMs: -1 }), null, 'an edit past where the parser stopped');
    assert.equal(calls.length, 1, 'neither edit spent the budget again');
    run(`y${text.slice(1)}`, { budgetMs: -1 });
    assert.equal(calls.length, 2, 'an edit before the stopping point is parsed again');
  });
});

describe('the size cap', () => {
  test('counts bytes: a file of multibyte characters under 5 M code units but over 5 MB is skipped', async () => {
    // 'é' is one UTF-16 code unit and two UTF-8 bytes.
    const text = `# ${'é'.repeat(Math.ceil(MAX_FILE_SIZE / 2) + 10)}\n${HEADER}false${FOOTER}`;
    assert.ok(text.length < MAX_FILE_SIZE, 'under the cap in code units');
    const { findings } = await lintTexts(new Map([['/h/main.tf', text]]));
    assert.deepEqual(
      findings.map((f) => f.ruleId),
      [FILE_TOO_LARGE_CODE],
    );
    const bytes = Buffer.byteLength(text, 'utf8');
    assert.match(findings[0].message, new RegExp(`has ${bytes.toLocaleString('en')} bytes, more than the limit of 5,242,880 bytes`));
  });

  test('a file just over the cap does not read as "at 5.0 MB it is over the 5 MB limit"', async () => {
    const text = `${HEADER}false${FOOTER}${'#'.repeat(MAX_FILE_SIZE)}`;
    const { findings } = await lintTexts(new Map([['/h/main.tf', text]]));
    assert.equal(findings.length, 1);
    assert.doesNotMatch(findings[0].message, /at 5\.0 MB/);
    assert.match(findings[0].message, /more than the limit/);
  });
});
