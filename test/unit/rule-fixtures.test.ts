// One table-driven runner over test/fixtures/rules/<ID>/: annotations checked both ways, and for every fixture
// with a `.fixed` twin, the rule's fixes applied and compared exactly, then re-linted and re-parsed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseTree, type ParseError } from 'jsonc-parser';
import { formatOf, isLintedFile } from '../../server/src/core/formats';
import { REPO_ROOT, testBicepParser, testParser } from '../support/parser';
import { applyEdits, compareFindings, fixedPathOf, fixtureFiles, isFixedFile, lintFixture, lintTexts, toPosix } from '../support/fixtures';
import { hclAccepts } from '../support/hcl';

export const RULE_FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'rules');

for (const ruleId of fs.readdirSync(RULE_FIXTURES).sort()) {
  const dir = path.join(RULE_FIXTURES, ruleId);
  describe(`${ruleId} fixtures`, () => {
    for (const name of fs.readdirSync(dir).sort()) {
      const fixture = path.join(dir, name);
      if (isFixedFile(fixture) || name.startsWith('.') || (fs.statSync(fixture).isFile() && !isLintedFile(fixture))) continue;

      test(`${name}: findings match the annotations`, async () => {
        const { findings, texts } = await lintFixture(fixture);
        assert.deepEqual(compareFindings(texts, findings), []);
      });

      const fixedTwins = fixtureFiles(fixture).filter((f) => fs.existsSync(fixedPathOf(f)));
      if (fixedTwins.length === 0) continue;
      test(`${name}: fixes give the .fixed text, remove the finding and keep the file valid`, async () => {
        const { findings, texts } = await lintFixture(fixture);
        const suppress = name.startsWith('suppress');
        const mine = findings.filter((f) => f.ruleId === ruleId);
        assert.ok(mine.length > 0, `the fixture has ${ruleId} findings to fix`);
        const edits = mine.flatMap((f) => {
          const fix = f.fixes.find((x) => (suppress ? x.kind === 'suppress' : x.kind === 'fix'));
          assert.ok(fix, `a ${suppress ? 'suppression' : 'fix'} is offered for ${ruleId} at ${f.file}:${f.start}`);
          return fix.edits;
        });
        const fixed = applyEdits(texts, edits);
        for (const f of fixedTwins) {
          assert.equal(fixed.get(toPosix(f)), fs.readFileSync(fixedPathOf(f), 'utf8'), `fixed text of ${path.basename(f)}`);
        }
        const relint = await lintTexts(fixed);
        assert.deepEqual(
          relint.findings.filter((f) => f.ruleId === ruleId).map((f) => f.message),
          [],
          'no finding left after the fix',
        );
        const parser = await testParser();
        const bicep = await testBicepParser();
        for (const [file, text] of fixed) {
          if (formatOf(file) === 'terraform') {
            const tree = parser.parse(text);
            const hasError = tree.rootNode.hasError;
            tree.delete();
            assert.equal(hasError, false, `${path.basename(file)} parses without tree-sitter errors after the fix`);
            assert.ok(hclAccepts(text), `${path.basename(file)} is accepted by HashiCorp's HCL parser after the fix`);
          } else if (formatOf(file) === 'bicep') {
            const tree = bicep.parse(text, /\.bicepparam$/i.test(file));
            assert.ok(tree, `${path.basename(file)} parses within the time budget after the fix`);
            const hasError = tree.rootNode.hasError;
            tree.delete();
            assert.equal(hasError, false, `${path.basename(file)} parses without tree-sitter-bicep errors after the fix`);
          } else if (formatOf(file) === 'arm') {
            const errors: ParseError[] = [];
            parseTree(text, errors, { allowTrailingComma: false });
            assert.deepEqual(errors, [], `${path.basename(file)} is valid JSON with comments after the fix`);
          }
        }
      });
    }
  });
}
