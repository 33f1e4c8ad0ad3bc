// Which certificate of a file to pin. APIM wants the CA that directly signs the backend's leaf, so in a bundle
// (leaf + issuing CA + root, as servers send and people paste) that CA is found by the leaf's issuer; when the file
// does not say (several CAs and no leaf, or a leaf whose issuer is not there), the user must choose.
import type { CertificateInfo } from './types';

export type IssuingCaChoice = { kind: 'chosen'; index: number } | { kind: 'ask'; candidates: number[] };

/**
 * One certificate is the choice. In a bundle, the CA whose subject (and subject key identifier, when both sides
 * carry one) matches the issuer (authority key identifier) of a leaf in the bundle; several leaves must agree on
 * it. Otherwise every certificate is a candidate, CAs first, in file order. Indexes are positions in `certs`.
 */
export function chooseIssuingCa(certs: readonly CertificateInfo[]): IssuingCaChoice {
  if (certs.length === 1) return { kind: 'chosen', index: 0 };
  const issuers = new Set<number>();
  for (const leaf of certs) {
    if (leaf.isCa) continue;
    const signer = certs.findIndex((ca) => ca !== leaf && ca.isCa && signs(ca, leaf));
    if (signer >= 0) issuers.add(signer);
  }
  if (issuers.size === 1) return { kind: 'chosen', index: [...issuers][0] };
  const order = certs.map((_, i) => i);
  return { kind: 'ask', candidates: [...order.filter((i) => certs[i].isCa), ...order.filter((i) => !certs[i].isCa)] };
}

/** Whether `ca` is the certificate that issued `cert`, as far as names and key identifiers tell. */
function signs(ca: CertificateInfo, cert: CertificateInfo): boolean {
  if (normalizeName(ca.subject) !== normalizeName(cert.issuer)) return false;
  return !ca.subjectKeyId || !cert.authorityKeyId || ca.subjectKeyId === cert.authorityKeyId;
}

/** Distinguished names as different tools print them: spacing around `=` and `,` and letter case do not matter. */
function normalizeName(dn: string): string {
  return dn
    .split(/\s*,\s*/)
    .map((rdn) =>
      rdn
        .replace(/\s*=\s*/, '=')
        .trim()
        .toLowerCase(),
    )
    .join(',');
}
