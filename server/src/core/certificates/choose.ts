// Which certificate of a file to pin. APIM wants the CA that directly signs the backend's leaf (the issuing CA), so in
// a bundle (leaf + issuing CA + root, as servers send and people paste) that CA is found by the leaf's issuer, and in a
// chain without a leaf it is the lowest CA: the one no other CA of the file was signed by. When the file does not say
// (two issuing CAs, a leaf whose issuer is missing), the user chooses from a list that puts the issuing CA first and
// says of a root that it is the wrong choice.
import type { CertificateInfo } from './types';

/** What a certificate is within its file, as far as pinning goes. */
export type CertificateRole = 'issuing' | 'intermediate' | 'root' | 'unrelated' | 'leaf';

export interface RankedCertificate {
  /** Position in the file. */
  index: number;
  role: CertificateRole;
  /** The role in words, for a quick pick: `issuing CA (what APIM pins)`. */
  label: string;
}

export type IssuingCaChoice = { kind: 'chosen'; index: number } | { kind: 'ask'; candidates: RankedCertificate[] };

export const ROLE_LABELS: Record<CertificateRole, string> = {
  issuing: 'issuing CA (what APIM pins)',
  intermediate: 'intermediate CA — it signs another CA of this file, not the backend certificate',
  root: "root — APIM's pin wants the issuing CA, not the root",
  unrelated: 'CA — it did not sign the leaf certificate in this file',
  leaf: 'leaf — pins this one certificate, which breaks at every renewal',
};

/**
 * One certificate is the choice; so is the single issuing CA of a file (the CA that signed its leaves, or without a
 * leaf the lowest CA of its chain). Otherwise the user must choose among all certificates, ranked: issuing CAs,
 * intermediates, CAs unrelated to the leaf, roots, leaves.
 */
export function chooseIssuingCa(certs: readonly CertificateInfo[]): IssuingCaChoice {
  if (certs.length === 1) return { kind: 'chosen', index: 0 };
  const ranked = rankCertificates(certs);
  const issuing = ranked.filter((r) => r.role === 'issuing');
  if (issuing.length === 1) return { kind: 'chosen', index: issuing[0].index };
  return { kind: 'ask', candidates: ranked };
}

/** Every certificate of the file with its role, in the order a choice lists them (file order within a role). */
export function rankCertificates(certs: readonly CertificateInfo[]): RankedCertificate[] {
  const leaves = certs.filter((c) => !c.isCa);
  const signsLeaf = (ca: CertificateInfo) => leaves.some((leaf) => signs(ca, leaf));
  const signsCa = (ca: CertificateInfo) => certs.some((other) => other !== ca && other.isCa && signs(ca, other));
  const anySigner = certs.some((c) => c.isCa && signsLeaf(c));
  const roleOf = (c: CertificateInfo): CertificateRole => {
    if (!c.isCa) return 'leaf';
    if (signsLeaf(c)) return 'issuing';
    if (isSelfSigned(c)) return 'root';
    if (signsCa(c)) return 'intermediate';
    // Without a leaf, the lowest CA of the chain is the issuing one; with a leaf, only the CA that signed it is.
    return leaves.length === 0 && !anySigner ? 'issuing' : 'unrelated';
  };
  const order: CertificateRole[] = ['issuing', 'intermediate', 'unrelated', 'root', 'leaf'];
  return certs
    .map((c, index) => ({ index, role: roleOf(c) }))
    .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role) || a.index - b.index)
    .map((r) => ({ ...r, label: ROLE_LABELS[r.role] }));
}

/** Whether `ca` is the certificate that issued `cert`, as far as names and key identifiers tell. */
export function signs(ca: CertificateInfo, cert: CertificateInfo): boolean {
  if (normalizeName(ca.subject) !== normalizeName(cert.issuer)) return false;
  return !ca.subjectKeyId || !cert.authorityKeyId || ca.subjectKeyId === cert.authorityKeyId;
}

/** A root: issued by itself (its issuer is its subject, and its key identifiers agree). */
export function isSelfSigned(cert: CertificateInfo): boolean {
  return signs(cert, cert);
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
