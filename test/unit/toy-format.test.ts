// A format the core has never heard of (test/support/toy-format.ts) is given to the workspace beside the built-in
// ones: its backends and services are linted by every rule that applies to all formats, its findings land on its own
// characters, and a fix through its own edit builder removes what it fixes.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { builtinFormats } from '../../server/src/core/builtin-formats';
import { RULES } from '../../server/src/core/rules';
import { Workspace } from '../../server/src/core/workspace';
import { applyEdits, compareFindings, FIXTURE_NOW, fixtureCertificates, readExpectations } from '../support/fixtures';
import { REPO_ROOT, testParser } from '../support/parser';
import { toyFormat } from '../support/toy-format';

/** Certificates whose thumbprints the pins below name: one of them expired on 2026-03-01. */
const CERTS = path.join(REPO_ROOT, 'test', 'fixtures', 'rules', 'APIM016', 'bicep-expiry');

const TOY = `# One resource per line. Carets mark what each rule must find.
service svc sku=StandardV2 store=Root Backend.Protocols.Tls10=true Ciphers.TLS_RSA_WITH_AES_128_CBC_SHA=true
#                                ^^^^ APIM004
#                                                             ^^^^ APIM013
#                                                                                                       ^^^^ APIM014
backend open url=https://open.contoso.com chain=false name=false service=svc
#                                               ^^^^^ APIM001
#                                                          ^^^^^ APIM002
backend plain url=http://plain.contoso.com/api service=svc
#                 ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ APIM012
backend internal url=https://10.1.2.3/api service=svc
#       ^^^^^^^^ APIM003
backend pinned url=https://pinned.contoso.com chain=false version=2024-05-01 pin=other.contoso.com,0123456789abcdef0123456789abcdef01234567
#                                                   ^^^^^ APIM010
#                                                                 ^^^^^^^^^^ APIM005
#                                                                                ^^^^^^^^^^^^^^^^^ APIM007
#                                                                                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ APIM006
backend expired url=https://orders.internal.contoso.com version=2025-03-01-preview pin=orders.internal.contoso.com,FD1E3F5C2FE3C69C95836FEF7C56BD5E98551B89
#                                                                                                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ APIM016
backend misplaced url=https://misplaced.contoso.com properties.properties.tls=pins
#                                                   ^^^^^^^^^^^^^^^^^^^^^^^^^ APIM017
backend placeholder url=https://placeholder.contoso.com version=2025-03-01-preview pin=https://placeholder.contoso.com,0123456789ABCDEF0123456789ABCDEF01234567
#                                                                                      ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ APIM022
`;

async function lintToy(text: string) {
  const workspace = new Workspace([...builtinFormats(await testParser()), toyFormat]);
  workspace.now = () => FIXTURE_NOW;
  for (const [file, certificates] of fixtureCertificates(CERTS, true)) workspace.setCertificates(file, certificates);
  workspace.setFile('/toy/main.toy', text);
  return workspace.lint();
}

describe('a format added from outside the core', () => {
  test('its findings are exactly the annotated ones, on its own characters', async () => {
    const { findings } = await lintToy(TOY);
    assert.deepEqual(compareFindings(new Map([['/toy/main.toy', TOY]]), findings), []);
  });

  test('every rule that applies to all formats finds something in it', () => {
    const found = new Set(readExpectations('/toy/main.toy', TOY).map((e) => e.ruleId));
    const applicable = RULES.filter((r) => r.formats === undefined).map((r) => r.id);
    assert.deepEqual(
      applicable.filter((id) => !found.has(id)),
      [],
      'rules that read backends or services but find nothing in the toy file',
    );
  });

  test('a fix built by its own edit builder removes its finding', async () => {
    const { findings } = await lintToy(TOY);
    const redundant = findings.find((f) => f.ruleId === 'APIM010');
    const fix = redundant?.fixes.find((f) => f.kind === 'fix');
    assert.ok(fix, 'APIM010 offers the toy format’s removal');
    const fixed = applyEdits(new Map([['/toy/main.toy', TOY]]), fix.edits).get('/toy/main.toy')!;
    assert.ok(fixed.includes('backend pinned url=https://pinned.contoso.com version=2024-05-01'), 'the chain=false setting is gone');
    const again = await lintToy(fixed);
    assert.deepEqual(
      again.findings.filter((f) => f.ruleId === 'APIM010'),
      [],
    );
  });
});
