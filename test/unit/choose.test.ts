// Choosing the certificate to pin from a file: the issuing CA of a leaf in a bundle, whatever the order; a choice
// for the user when the file does not say.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { chooseIssuingCa, isSelfSigned, rankCertificates } from '../../server/src/core/certificates/choose';
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

  test('root + issuing CA without a leaf: the issuing CA (the lowest of the chain), in either order', () => {
    assert.deepEqual(chooseIssuingCa(read(chain.root.pem + chain.issuing.pem)), { kind: 'chosen', index: 1 });
    assert.deepEqual(chooseIssuingCa(read(chain.issuing.pem + chain.root.pem)), { kind: 'chosen', index: 0 });
  });

  test('root + intermediate + issuing CA without a leaf: the issuing CA; the others ranked below it', async () => {
    const intermediate = await makeCertificate({ subject: 'CN=Contoso Policy CA, O=Contoso', issuer: chain.root, ca: true });
    const issuing = await makeCertificate({ subject: 'CN=Contoso Issuing CA 02, O=Contoso', issuer: intermediate, ca: true });
    const certs = read(chain.root.pem + intermediate.pem + issuing.pem);
    assert.deepEqual(chooseIssuingCa(certs), { kind: 'chosen', index: 2 });
    assert.deepEqual(
      rankCertificates(certs).map((r) => [r.index, r.role]),
      [
        [2, 'issuing'],
        [1, 'intermediate'],
        [0, 'root'],
      ],
    );
  });

  test('two issuing CAs under one root: ask, issuing CAs first, the root last and labelled as the wrong choice', async () => {
    const second = await makeCertificate({ subject: 'CN=Contoso Issuing CA 02, O=Contoso', issuer: chain.root, ca: true });
    const choice = chooseIssuingCa(read(chain.root.pem + chain.issuing.pem + second.pem));
    assert.equal(choice.kind, 'ask');
    const candidates = choice.kind === 'ask' ? choice.candidates : [];
    assert.deepEqual(
      candidates.map((c) => [c.index, c.role]),
      [
        [1, 'issuing'],
        [2, 'issuing'],
        [0, 'root'],
      ],
    );
    assert.equal(candidates[0].label, 'issuing CA (what APIM pins)');
    assert.equal(candidates[2].label, "root — APIM's pin wants the issuing CA, not the root");
  });

  test('a leaf whose issuer is not in the file: ask, the root below, the leaf last', () => {
    const choice = chooseIssuingCa(read(chain.leaf.pem + chain.root.pem));
    assert.deepEqual(choice.kind === 'ask' && choice.candidates.map((c) => [c.index, c.role]), [
      [1, 'root'],
      [0, 'leaf'],
    ]);
  });

  test('a CA with the right name but another key does not count as the issuer', async () => {
    const impostor = await makeCertificate({ subject: chain.issuing.cert.subject, issuer: chain.root, ca: true });
    const certs = read(chain.leaf.pem + impostor.pem + chain.root.pem);
    const choice = chooseIssuingCa(certs);
    assert.deepEqual(choice.kind === 'ask' && choice.candidates.map((c) => [c.index, c.role]), [
      [1, 'unrelated'],
      [2, 'root'],
      [0, 'leaf'],
    ]);
  });

  test('leaves of two different issuing CAs: ask', async () => {
    const other = await makeChain({ host: 'billing.internal.contoso.com' });
    const otherIssuing = await makeCertificate({ subject: 'CN=Fabrikam Issuing CA, O=Fabrikam', issuer: other.root, ca: true });
    const otherLeaf = await makeCertificate({ subject: 'CN=billing, O=Fabrikam', issuer: otherIssuing, ca: false });
    const certs = read(chain.leaf.pem + chain.issuing.pem + otherLeaf.pem + otherIssuing.pem);
    const choice = chooseIssuingCa(certs);
    assert.deepEqual(choice.kind === 'ask' && choice.candidates.map((c) => c.index), [1, 3, 0, 2]);
  });

  test('a self-signed certificate is a root; one signed by another CA is not', () => {
    const [leaf, issuing, root] = read(chain.bundlePem);
    assert.equal(isSelfSigned(root), true);
    assert.equal(isSelfSigned(issuing), false);
    assert.equal(isSelfSigned(leaf), false);
  });

  test("a leaf's names are its subjectAltName DNS names; a CA's CN that is no host name is none", () => {
    const [leaf, issuing] = read(chain.bundlePem);
    assert.deepEqual(leaf.names, ['orders.internal.contoso.com']);
    assert.deepEqual(issuing.names, []);
  });
});
