// Suppressions that expire (`... APIM001 until 2026-12-31 -- reason`): the workspace clock decides, the finding comes
// back on the day named with a message that says so, the directive is marked, and the suppress actions write dates.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../../server/src/cli/cli';
import type { Finding } from '../../server/src/core/types';
import { applyEdits, FIXTURE_NOW, lintTexts } from '../support/fixtures';

const FILE = '/ws/main.tf';

const backend = (tls: string) => `resource "azurerm_api_management_backend" "staging" {
  name                = "staging"
  resource_group_name = "rg"
  api_management_name = "apim"
  protocol            = "http"
  url                 = "https://staging.example.com"
  tls {
${tls}  }
}
`;

async function lintAt(text: string, now: Date, file = FILE): Promise<Finding[]> {
  const { workspace } = await lintTexts(new Map([[file, text]]));
  workspace.now = () => now;
  return workspace.lint().findings;
}

const at = (text: string, f: Finding) => `${f.ruleId} ${JSON.stringify(text.slice(f.start, f.end))}`;

describe('suppressions with an expiry date', () => {
  const text = backend('    # apim-tls-lint-disable-next-line APIM001 until 2026-06-01 -- staging, TICKET-123\n    validate_certificate_chain = false\n');

  test('before the day they name they suppress; from that day (UTC) the finding is back and the directive is marked', async () => {
    assert.deepEqual(await lintAt(text, new Date('2026-05-31T23:59:59Z')), []);
    const findings = await lintAt(text, new Date('2026-06-01T00:00:00Z'));
    assert.deepEqual(
      findings.map((f) => at(text, f)),
      ['expired-suppression "2026-06-01"', 'APIM001 "false"'],
    );
    const [mark, back] = findings;
    assert.match(back.message, /^Certificate chain validation is disabled .* Its suppression expired on 2026-06-01\.$/);
    assert.equal(back.severity, 'warning');
    assert.deepEqual(
      back.related.map((r) => [text.slice(r.start, r.end), r.message]),
      [['2026-06-01', 'The expired suppression']],
    );
    assert.equal(mark.severity, 'info');
    assert.match(mark.message, /^This suppression expired on 2026-06-01: the findings it silenced on the next line are reported again\./);
    // Still expired a year later.
    assert.equal((await lintAt(text, new Date('2027-06-01T12:00:00Z'))).length, 2);
  });

  test('an expired directive that suppresses nothing any more is unused, not expired', async () => {
    const fixed = text.replace('validate_certificate_chain = false', 'validate_certificate_chain = true');
    assert.deepEqual(
      (await lintAt(fixed, FIXTURE_NOW)).map((f) => at(fixed, f)),
      ['unused-suppression "APIM001"'],
    );
  });

  test('the ids of an expired directive that match nothing are reported unused beside the mark', async () => {
    const two = text.replace('APIM001 until', 'APIM001, APIM002 until');
    assert.deepEqual(
      (await lintAt(two, FIXTURE_NOW)).map((f) => at(two, f)),
      ['unused-suppression "APIM002"', 'expired-suppression "2026-06-01"', 'APIM001 "false"'],
    );
  });

  test('a date that is no day of the calendar is a warning on the directive, which then suppresses nothing', async () => {
    for (const [date, message] of [
      [
        '2026-02-30',
        /^"2026-02-30" is not a date: write until YYYY-MM-DD with a day that exists \(2026-12-31\)\. Until then this directive suppresses nothing\.$/,
      ],
      ['2026-13-01', /^"2026-13-01" is not a date/],
      ['2026-6-1', /^"2026-6-1" is not a date/],
      ['tomorrow', /^"tomorrow" is not a date/],
    ] as const) {
      const bad = text.replace('2026-06-01', date);
      const findings = await lintAt(bad, new Date('2026-01-01T00:00:00Z'));
      assert.deepEqual(
        findings.map((f) => at(bad, f)),
        [`invalid-suppression ${JSON.stringify(date)}`, 'APIM001 "false"'],
      );
      assert.equal(findings[0].severity, 'warning');
      assert.match(findings[0].message, message);
    }
    const missing = text.replace('until 2026-06-01 ', 'until ');
    assert.deepEqual(
      (await lintAt(missing, FIXTURE_NOW)).map((f) => `${at(missing, f)} ${f.message.slice(0, 24)}`),
      ['invalid-suppression "until" `until` needs a date: wr', 'APIM001 "false" Certificate chain valida'],
    );
  });

  test('"Suppress … until" writes a date 30 days from the workspace clock; the directive lifts on that day', async () => {
    const open = backend('    validate_certificate_chain = false\n');
    const [finding] = await lintAt(open, FIXTURE_NOW);
    assert.deepEqual(
      finding.fixes.filter((f) => f.kind === 'suppress').map((f) => [f.title, f.isPreferred]),
      [
        ['Suppress APIM001 on this line', false],
        ['Suppress APIM001 until 2026-07-01', false],
      ],
    );
    const until = finding.fixes.find((f) => f.title === 'Suppress APIM001 until 2026-07-01')!;
    const written = applyEdits(new Map([[FILE, open]]), until.edits).get(FILE)!;
    assert.equal(written, backend('    # apim-tls-lint-disable-next-line APIM001 until 2026-07-01\n    validate_certificate_chain = false\n'));
    assert.deepEqual(await lintAt(written, FIXTURE_NOW), []);
    assert.deepEqual(
      (await lintAt(written, new Date('2026-07-01T00:00:00Z'))).map((f) => f.ruleId),
      ['expired-suppression', 'APIM001'],
    );
  });

  test('an id added to a dated directive shares its date and says so; added to an expired one, it renews the date', async () => {
    // The directive covers APIM001 only; APIM002 on its next line is not covered.
    const text2 = backend('    # apim-tls-lint-disable-next-line APIM001 until 2026-12-31 -- staging\n    validate_certificate_name = false\n');
    const [apim002] = (await lintAt(text2, FIXTURE_NOW)).filter((f) => f.ruleId === 'APIM002');
    const suppress = apim002.fixes.filter((f) => f.kind === 'suppress');
    assert.deepEqual(
      suppress.map((f) => f.title),
      ['Suppress APIM002 until 2026-12-31'],
    );
    assert.match(
      applyEdits(new Map([[FILE, text2]]), suppress[0].edits).get(FILE)!,
      /# apim-tls-lint-disable-next-line APIM001, APIM002 until 2026-12-31 -- staging\n/,
    );

    const expired = text2.replace('2026-12-31', '2026-03-31');
    const [again] = (await lintAt(expired, FIXTURE_NOW)).filter((f) => f.ruleId === 'APIM002');
    const renew = again.fixes.filter((f) => f.kind === 'suppress');
    assert.deepEqual(
      renew.map((f) => f.title),
      ['Suppress APIM002 until 2026-07-01'],
    );
    assert.match(
      applyEdits(new Map([[FILE, expired]]), renew[0].edits).get(FILE)!,
      /# apim-tls-lint-disable-next-line APIM001, APIM002 until 2026-07-01 -- staging\n/,
    );
  });

  test('the mark on an expired directive offers to renew it (a suppression, never a preferred fix)', async () => {
    const findings = await lintAt(text, FIXTURE_NOW);
    const mark = findings.find((f) => f.ruleId === 'expired-suppression')!;
    assert.deepEqual(
      mark.fixes.map((f) => [f.title, f.kind, f.isPreferred]),
      [['Renew the suppression until 2026-07-01', 'suppress', false]],
    );
    const renewed = applyEdits(new Map([[FILE, text]]), mark.fixes[0].edits).get(FILE)!;
    assert.match(renewed, /APIM001 until 2026-07-01 -- staging, TICKET-123\n/);
    assert.deepEqual(await lintAt(renewed, FIXTURE_NOW), []);
  });

  test('Bicep and ARM templates take the same directive as a // comment', async () => {
    const bicep = `resource orders 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  name: 'apim-contoso/orders'
  properties: {
    url: 'https://orders.contoso.com'
    tls: {
      validateCertificateChain: false
    }
  }
}
`;
    const [finding] = await lintAt(bicep, FIXTURE_NOW, '/ws/main.bicep');
    const until = finding.fixes.find((f) => f.title === 'Suppress APIM001 until 2026-07-01')!;
    const written = applyEdits(new Map([['/ws/main.bicep', bicep]]), until.edits).get('/ws/main.bicep')!;
    assert.match(written, /\n {6}\/\/ apim-tls-lint-disable-next-line APIM001 until 2026-07-01\n {6}validateCertificateChain: false\n/);
    assert.deepEqual(await lintAt(written, FIXTURE_NOW, '/ws/main.bicep'), []);
    assert.equal((await lintAt(written, new Date('2026-07-02T00:00:00Z'), '/ws/main.bicep')).length, 2);
  });
});

describe('expiring suppressions in the CLI (real clock)', () => {
  const roots: string[] = [];
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  test('an expired directive fails the build again and says why; a future one keeps it green', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-until-'));
    roots.push(root);
    const write = (date: string) =>
      fs.writeFileSync(
        path.join(root, 'main.tf'),
        backend(`    # apim-tls-lint-disable-next-line APIM001 until ${date} -- staging\n    validate_certificate_chain = false\n`),
      );
    const run = async () => {
      let stdout = '';
      const code = await runCli(['.'], { stdout: (t) => (stdout += t), stderr: () => undefined, cwd: root, env: {}, isTTY: false });
      return { code, stdout };
    };
    write('2020-01-31');
    const expired = await run();
    assert.equal(expired.code, 1);
    assert.match(expired.stdout, /main\.tf:8:53: info expired-suppression This suppression expired on 2020-01-31: /);
    assert.match(expired.stdout, /main\.tf:9:34: warning APIM001 Certificate chain validation is disabled .* Its suppression expired on 2020-01-31\.\n/);
    write('2999-12-31');
    assert.deepEqual(await run(), { code: 0, stdout: 'No findings in 1 file.\n' });
  });
});
