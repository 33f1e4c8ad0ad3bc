// Ties the rule registry to everything that must mention each rule: its docs page, its fixtures (at least one
// firing and one clean), the config schema, and the README rules table. Both directions: nothing extra either.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { RULES, RULE_IDS } from '../../server/src/core/rules';
import { docsUrl } from '../../server/src/core/types';
import { ALL_FORMATS, formatOf } from '../../server/src/core/formats';
import { fixtureFiles, readExpectations } from '../support/fixtures';
import { REPO_ROOT } from '../support/parser';

const read = (p: string) => fs.readFileSync(path.join(REPO_ROOT, p), 'utf8');

describe('rule registry', () => {
  test('ids are unique, APIM###, and names kebab-case', () => {
    assert.equal(new Set(RULE_IDS).size, RULE_IDS.length);
    for (const r of RULES) {
      assert.match(r.id, /^APIM\d{3}$/);
      assert.match(r.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
      assert.ok(r.summary.length > 20, `${r.id} has a summary`);
    }
  });

  test('every rule has a docs page titled with its id and name, and there are no others', () => {
    const pages = fs.readdirSync(path.join(REPO_ROOT, 'docs', 'rules')).filter((f) => /^APIM\d{3}\.md$/.test(f));
    assert.deepEqual(pages.map((p) => p.replace('.md', '')).sort(), [...RULE_IDS].sort());
    for (const r of RULES) {
      const page = read(`docs/rules/${r.id}.md`);
      assert.match(page.split('\n')[0], new RegExp(`^# ${r.id}: ${r.name}\\s*$`));
      assert.match(page, new RegExp(`\\b${r.defaultSeverity}\\b`, 'i'), `${r.id} page states its default severity`);
      assert.ok(docsUrl(r.id).endsWith(`/docs/rules/${r.id}.md`));
    }
  });

  test('every rule has a firing and a clean fixture per format it supports, and every fixture folder is a rule', () => {
    const dirs = fs.readdirSync(path.join(REPO_ROOT, 'test', 'fixtures', 'rules'));
    assert.deepEqual([...dirs].sort(), [...RULE_IDS].sort());
    for (const rule of RULES) {
      const id = rule.id;
      const dir = path.join(REPO_ROOT, 'test', 'fixtures', 'rules', id);
      const firing = new Set<string>();
      const clean = new Set<string>();
      for (const name of fs.readdirSync(dir)) {
        if (/\.fixed\./.test(name)) continue;
        const files = fixtureFiles(path.join(dir, name));
        const annotations = files.flatMap((f) => readExpectations(f, fs.readFileSync(f, 'utf8')));
        const formats = new Set(files.map((f) => formatOf(f)));
        for (const format of formats) {
          if (!format) continue;
          if (annotations.some((a) => a.ruleId === id && formatOf(a.file) === format)) firing.add(format);
          else if (annotations.length === 0) clean.add(format);
        }
      }
      for (const format of rule.formats ?? ALL_FORMATS) {
        assert.ok(firing.has(format), `${id} has a firing ${format} fixture`);
        assert.ok(clean.has(format), `${id} has a clean ${format} fixture`);
      }
    }
  });

  test('every rule page states the formats the rule declares, and claims none it does not', () => {
    const words: Record<string, string> = { terraform: 'Terraform', arm: 'ARM templates', bicep: 'Bicep' };
    for (const r of RULES) {
      const page = read(`docs/rules/${r.id}.md`);
      const declared = (r.formats ?? ALL_FORMATS).map((f) => words[f]);
      const header = page.split(/\n\s*\n/)[1]?.replace(/\s+/g, ' ') ?? '';
      const stated = /\*\*Formats:\*\*\s*([^·]+)/.exec(header)?.[1].trim();
      assert.ok(stated, `${r.id} page states its formats in its header ("**Formats:** ...")`);
      assert.deepEqual(stated.split(/\s*,\s*/), declared, `${r.id} page's formats`);
      // Round one's pages said "Only Terraform is checked today" long after ARM and Bicep were.
      const claim = /\bonly (terraform|arm[\w ]*|bicep)\b[^.]*\b(is|are) (checked|read|linted)\b/i.exec(page);
      if (claim) assert.ok(declared.length === 1 && claim[1].toLowerCase().startsWith(declared[0].split(' ')[0].toLowerCase()), `${r.id} page: "${claim[0]}"`);
      assert.doesNotMatch(page, /when their parsers land/, `${r.id} page promises parsers that exist`);
    }
  });

  test('the config schema lists exactly the registered rules, by id and by name', () => {
    const schema = JSON.parse(read('schemas/apim-tls-lint.schema.json'));
    assert.deepEqual(Object.keys(schema.properties.rules.properties).sort(), [...RULE_IDS, ...RULES.map((r) => r.name)].sort());
  });

  test('the README rules table has one row per rule, linking its docs page', () => {
    const readme = read('README.md');
    const rows = [...readme.matchAll(/^\|\s*\[(APIM\d{3})\]\(docs\/rules\/(APIM\d{3})\.md\)\s*\|\s*`?([a-z0-9-]+)`?\s*\|\s*(\w+)\s*\|/gm)];
    assert.deepEqual(rows.map((m) => m[1]).sort(), [...RULE_IDS].sort());
    for (const m of rows) {
      const rule = RULES.find((r) => r.id === m[1])!;
      assert.equal(m[2], m[1], 'the link goes to the rule’s own page');
      assert.equal(m[3], rule.name);
      assert.equal(m[4].toLowerCase(), rule.defaultSeverity);
    }
  });
});
