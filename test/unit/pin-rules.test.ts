// What the pin rules (APIM005-007) rest on beyond their fixtures: the api-version list, RFC 6125 host matching,
// URL hosts, and per-finding severities that a configured severity overrides.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { compareApiVersions, hasPins, KNOWN_API_VERSIONS, PIN_API_VERSION } from '../../server/src/core/api-versions';
import { certificateNameMatches, urlHostOf } from '../../server/src/core/hosts';
import type { Val } from '../../server/src/core/model';
import { lintTexts } from '../support/fixtures';
import { REPO_ROOT } from '../support/parser';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'rules');
const read = (p: string) => fs.readFileSync(path.join(FIXTURES, p), 'utf8');
const str = (value: string): Val => ({ kind: 'prim', value, quoted: true, span: { file: 'f', start: 0, end: value.length + 2 } });

describe('api-versions', () => {
  test('pins start at 2025-03-01-preview; 2024-05-01 and the 2024 previews do not have them', () => {
    assert.equal(PIN_API_VERSION, '2025-03-01-preview');
    for (const v of ['2024-05-01', '2024-06-01-preview', '2024-10-01-preview', '2023-09-01-preview', '2021-08-01']) assert.equal(hasPins(v), false, v);
    for (const v of ['2025-03-01-preview', '2025-09-01-preview', '2026-03-01-preview']) assert.equal(hasPins(v), true, v);
  });

  test('an unknown dated version counts by its date; text that is not a version is unknown', () => {
    assert.equal(hasPins('2025-06-01'), true);
    assert.equal(hasPins('2025-03-01'), true);
    assert.equal(hasPins('2024-12-01-preview'), false);
    assert.equal(hasPins('latest'), undefined);
    assert.equal(hasPins(''), undefined);
  });

  test('ordering: by date, a preview before its GA; the known list is in order', () => {
    assert.equal(compareApiVersions('2019-12-01-preview', '2019-12-01'), -1);
    assert.equal(compareApiVersions('2024-05-01', '2024-05-01'), 0);
    assert.equal(compareApiVersions('2026-03-01-preview', '2024-05-01'), 1);
    assert.equal(compareApiVersions('x', '2024-05-01'), undefined);
    for (let i = 1; i < KNOWN_API_VERSIONS.length; i++) {
      assert.equal(compareApiVersions(KNOWN_API_VERSIONS[i - 1].version, KNOWN_API_VERSIONS[i].version), -1, KNOWN_API_VERSIONS[i].version);
    }
  });
});

describe('hosts', () => {
  test('RFC 6125: a wildcard is one whole leftmost label; case and a trailing dot do not matter', () => {
    assert.equal(certificateNameMatches('*.a.com', 'x.a.com'), true);
    assert.equal(certificateNameMatches('*.a.com', 'a.com'), false);
    assert.equal(certificateNameMatches('*.a.com', 'y.x.a.com'), false);
    assert.equal(certificateNameMatches('x*.a.com', 'xy.a.com'), false);
    assert.equal(certificateNameMatches('*.*.a.com', 'x.y.a.com'), false);
    assert.equal(certificateNameMatches('Orders.A.com.', 'orders.a.COM'), true);
    assert.equal(certificateNameMatches('10.0.0.5', '10.0.0.5'), true);
    assert.equal(certificateNameMatches('*.0.0.5', '10.0.0.5'), false);
    assert.equal(certificateNameMatches('::1', '[::1]'), true);
  });

  test('the URL host, with port, path, user info or an IPv6 literal; from a template only when it is complete', () => {
    assert.deepEqual(
      ['https://Orders.contoso.com:8443/api?x=1', 'https://u:p@h.contoso.com', 'https://[fd00::1]:443/', 'HTTPS://h.contoso.com#f'].map(
        (u) => urlHostOf(str(u))?.host,
      ),
      ['Orders.contoso.com', 'h.contoso.com', 'fd00::1', 'h.contoso.com'],
    );
    assert.equal(urlHostOf(str('https://h.contoso.com'))?.scheme, 'https');
    assert.equal(urlHostOf(str('orders.contoso.com/api')), undefined);
    assert.equal(urlHostOf(str('https:///api')), undefined);
    const span = { file: 'f', start: 0, end: 1 };
    assert.equal(urlHostOf({ kind: 'unknown', span, prefix: 'https://orders.contoso.com/' })?.host, 'orders.contoso.com');
    assert.equal(urlHostOf({ kind: 'unknown', span, prefix: 'https://orders.' }), undefined);
    assert.equal(urlHostOf({ kind: 'unknown', span }), undefined);
  });
});

describe('per-finding severity', () => {
  const lint = async (fixture: string, config?: string) => {
    const file = `/w/${path.basename(fixture)}`;
    const { findings } = await lintTexts(new Map([[file, read(fixture)]]), config, '/w');
    return findings.filter((f) => f.ruleId === fixture.slice(0, 7)).map((f) => f.severity);
  };

  test('APIM006: malformed is an error, untidy a warning', async () => {
    assert.deepEqual(await lint('APIM006/malformed.tf'), ['error', 'error', 'error']);
    assert.deepEqual(await lint('APIM006/separators.tf'), ['warning', 'warning', 'warning', 'warning']);
  });

  test('APIM007: a missing issuer thumbprint is info, a mismatch the default warning', async () => {
    assert.deepEqual(await lint('APIM007/missing-issuer-thumbprint.tf'), ['info', 'info']);
    assert.deepEqual(await lint('APIM007/mismatch.tf'), ['warning']);
  });

  test('a severity configured for the rule wins over the per-finding one', async () => {
    assert.deepEqual(await lint('APIM006/separators.tf', '{ "rules": { "APIM006": "error" } }'), ['error', 'error', 'error', 'error']);
    assert.deepEqual(await lint('APIM007/missing-issuer-thumbprint.tf', '{ "rules": { "APIM007": "warning" } }'), ['warning', 'warning']);
    assert.deepEqual(await lint('APIM006/malformed.tf', '{ "rules": { "APIM006": "off" } }'), []);
  });
});
