// Choosing the certificate to pin from a file: the issuing CA of a leaf in a bundle, whatever the order; a choice
// for the user when the file does not say.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { chooseIssuingCa } from '../../server/src/core/certificates/choose';
import { readCertificates } from '../../server/src/core/certificates/read';
import type { CertificateInfo } from '../../server/src/core/certificates/types';
import { makeCertificate, makeChain, type TestChain } from '../support/certs';

let chain: TestChain;

before(async () => {
  chain = await makeChain();
});

function read(pem: string): CertificateInfo[] {
  const result = readCertificates(new TextEncoder().encode(pem), 'bundle.pem');
  assert.ok(result.ok);
  return result.certificates;
}

describe('chooseIssuingCa', () => {
  test('key identifiers are read', () => {
    const [leaf, issuing, root] = read(chain.bundlePem);
    assert.match(issuing.subjectKeyId ?? '', /^[0-9A-F]+$/);
    assert.equal(leaf.authorityKeyId, issuing.subjectKeyId);
    assert.equal(issuing.authorityKeyId, root.subjectKeyId);
  });

  test('one certificate is the choice, CA or leaf', () => {
    assert.deepEqual(chooseIssuingCa(read(chain.issuing.pem)), { kind: 'chosen', index: 0 });
    assert.deepEqual(chooseIssuingCa(read(chain.leaf.pem)), { kind: 'chosen', index: 0 });
  });

  test('leaf + issuing + root: the issuing CA, not the root nor the leaf, in any order', () => {
    const certs = read(chain.bundlePem);
    const choice = chooseIssuingCa(certs);
    assert.equal(choice.kind, 'chosen');
    assert.equal(certs[choice.kind === 'chosen' ? choice.index : -1].sha1, read(chain.issuing.pem)[0].sha1);
    const reversed = read(chain.root.pem + chain.issuing.pem + chain.leaf.pem);
    assert.deepEqual(chooseIssuingCa(reversed), { kind: 'chosen', index: 1 });
  });

  test('CAs without a leaf: ask, CAs first', () => {
    assert.deepEqual(chooseIssuingCa(read(chain.root.pem + chain.issuing.pem)), { kind: 'ask', candidates: [0, 1] });
    assert.deepEqual(chooseIssuingCa(read(chain.leaf.pem + chain.root.pem)), { kind: 'ask', candidates: [1, 0] });
  });

  test('a CA with the right name but another key does not count as the issuer', async () => {
    const impostor = await makeCertificate({ subject: chain.issuing.cert.subject, issuer: chain.root, ca: true });
    const certs = read(chain.leaf.pem + impostor.pem + chain.root.pem);
    assert.deepEqual(chooseIssuingCa(certs), { kind: 'ask', candidates: [1, 2, 0] });
  });

  test('leaves of two different issuing CAs: ask', async () => {
    const other = await makeChain({ host: 'billing.internal.contoso.com' });
    const otherIssuing = await makeCertificate({ subject: 'CN=Fabrikam Issuing CA, O=Fabrikam', issuer: other.root, ca: true });
    const otherLeaf = await makeCertificate({ subject: 'CN=billing, O=Fabrikam', issuer: otherIssuing, ca: false });
    const certs = read(chain.leaf.pem + chain.issuing.pem + otherLeaf.pem + otherIssuing.pem);
    assert.deepEqual(chooseIssuingCa(certs), { kind: 'ask', candidates: [1, 3, 0, 2] });
  });
});
