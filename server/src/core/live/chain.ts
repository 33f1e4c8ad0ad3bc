// The presented chain, walked as a TLS client would: from the leaf, each certificate's issuer found among the
// presented ones (OpenSSL's issuer check: names and key identifiers) and its signature verified with the issuer's
// key; where the backend stops sending, the issuer is looked for in the trust anchors (Node's bundled public roots,
// standing in for APIM's; a classic service's CA store). node:crypto parses and verifies; nothing here opens anything.
import { X509Certificate } from 'node:crypto';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { readCertificates } from '../certificates/read';
import type { CertificateInfo } from '../certificates/types';

/** One certificate of the path, with what the checks need beyond CertificateInfo. */
export interface ChainCertificate extends CertificateInfo {
  /** subjectAltName DNS names and IP addresses; the subject's CN. */
  dnsNames: string[];
  ipAddresses: string[];
  commonName?: string;
  selfSigned: boolean;
  /** Sent by the backend; false for the public root or CA store certificate the walk ended on. */
  presented: boolean;
  /** Where a certificate not presented came from. */
  anchor?: 'public-root' | 'ca-store';
}

/** How the walk from the leaf ended. */
export type ChainEnd =
  /** At a root of Node's bundled list (presented or not). */
  | 'public-root'
  /** At a self-signed root the backend sent that no public list holds: an internal CA (or a self-signed leaf). */
  | 'internal-root'
  /** At a CA certificate of the service's CA store (classic tiers). */
  | 'ca-store'
  /**
   * At a CA the backend sent whose issuer it did not send and no anchor holds: usually an internal root that servers
   * leave out (as they should), or an intermediate missing above the issuing CA.
   */
  | 'unknown-root'
  /** At the leaf, whose issuer the backend did not send and no anchor holds: the backend omits its issuing CA. */
  | 'incomplete';

export interface ChainAnalysis {
  /** The path, leaf first; anchors that were not presented come last. */
  path: ChainCertificate[];
  end: ChainEnd;
  /** Indexes into `path` of links whose signature does not verify with the next certificate's key. */
  badSignatures: number[];
  /** The issuer the backend did not send, when `end` is `incomplete` or `unknown-root`. */
  missingIssuer?: string;
  /** The CA that signs the leaf (what a `serverX509Names` pin names): path[1], or the leaf itself when self-signed. */
  issuingCa?: ChainCertificate;
  /** Presented certificates that are not on the path (sent but unrelated, or duplicates). */
  unused: number;
}

/** Trust anchors: public roots as PEM (`tls.rootCertificates`), CA store certificates as the workspace read them. */
export interface TrustAnchors {
  publicRoots: readonly string[];
  caStore: readonly CertificateInfo[];
}

/** Chains are a handful of certificates; a longer walk is a loop or garbage. */
const MAX_DEPTH = 10;

export function analyseChain(presented: readonly Uint8Array[], anchors: TrustAnchors): ChainAnalysis | { error: string } {
  const parsed: Parsed[] = [];
  for (const [i, der] of presented.entries()) {
    const entry = parse(der, true);
    if (!entry) return { error: `certificate ${i + 1} the backend presented could not be read` };
    parsed.push(entry);
  }
  if (parsed.length === 0) return { error: 'the backend presented no certificate' };

  const roots = publicRootsOf(anchors.publicRoots);
  const path: ChainCertificate[] = [parsed[0].info];
  const used = new Set([0]);
  const badSignatures: number[] = [];
  let current = parsed[0];
  let end: ChainEnd = 'incomplete';
  let missingIssuer: string | undefined;
  while (path.length <= MAX_DEPTH) {
    const fingerprint = current.cert.fingerprint256;
    const isPublicRoot = roots.some((r) => r.cert.fingerprint256 === fingerprint);
    if (isPublicRoot || current.info.selfSigned) {
      end = isPublicRoot ? 'public-root' : 'internal-root';

      break;
    }
    const next = parsed.findIndex((p, i) => !used.has(i) && current.cert.checkIssued(p.cert));
    if (next >= 0) {
      if (!verifies(current.cert, parsed[next].cert)) badSignatures.push(path.length - 1);
      used.add(next);
      path.push(parsed[next].info);
      current = parsed[next];
      continue;
    }
    const root = roots.find((r) => current.cert.checkIssued(r.cert) && verifies(current.cert, r.cert));
    const rootInfo = root && parse(root.der, false)?.info;
    if (rootInfo) {
      path.push({ ...rootInfo, anchor: 'public-root' });
      end = 'public-root';
      break;
    }
    const info = current.info;
    const stored = anchors.caStore.find((c) => c.sha1 === info.sha1 || issues(c, info));
    if (stored) {
      // The workspace keeps what it read of a CA store file, not its key: the link is matched by names and key identifiers.
      if (stored.sha1 !== info.sha1) path.push(anchorInfo(stored));
      end = 'ca-store';
      break;
    }
    missingIssuer = info.issuer;
    if (path.length > 1) end = 'unknown-root';
    break;
  }
  return {
    path,
    end,
    badSignatures,
    missingIssuer,
    issuingCa: path.length > 1 ? path[1] : path[0].selfSigned ? path[0] : undefined,
    unused: parsed.length - used.size,
  };
}

/** The certificate names a host as RFC 6125 reads them: subjectAltName DNS names, else the subject's CN. */
export function certificateNames(cert: Pick<ChainCertificate, 'dnsNames' | 'ipAddresses' | 'commonName'>): string[] {
  if (cert.dnsNames.length || cert.ipAddresses.length) return [...cert.dnsNames, ...cert.ipAddresses];
  return cert.commonName ? [cert.commonName] : [];
}

function parse(der: Uint8Array, presented: boolean): Parsed | undefined {
  const read = readCertificates(der, 'presented.der');
  if (!read.ok || read.certificates.length !== 1) return undefined;
  let cert: X509Certificate;
  let extra: Pick<ChainCertificate, 'dnsNames' | 'ipAddresses' | 'commonName'>;
  try {
    cert = new X509Certificate(der);
    extra = namesOf(der);
  } catch {
    return undefined;
  }
  // Not checkIssued(itself): OpenSSL also wants keyCertSign there, which a self-signed leaf usually lacks.
  const selfSigned = cert.subject === cert.issuer && verifies(cert, cert);
  const info: ChainCertificate = { ...read.certificates[0], file: '', ...extra, selfSigned, presented };
  return { der, cert, info };
}

function verifies(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function namesOf(der: Uint8Array): Pick<ChainCertificate, 'dnsNames' | 'ipAddresses' | 'commonName'> {
  const cert = new x509.X509Certificate(der);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const items = san?.names.items ?? [];
  return {
    dnsNames: items.filter((n) => n.type === 'dns').map((n) => n.value),
    ipAddresses: items.filter((n) => n.type === 'ip').map((n) => n.value),
    commonName: new x509.Name(cert.subject).getField('CN')[0],
  };
}

/** Whether `ca` issued `cert` as far as names and key identifiers tell (the CA store keeps no key to verify with). */
function issues(ca: CertificateInfo, cert: CertificateInfo): boolean {
  if (normalizeName(ca.subject) !== normalizeName(cert.issuer)) return false;
  return !ca.subjectKeyId || !cert.authorityKeyId || ca.subjectKeyId === cert.authorityKeyId;
}

function anchorInfo(c: CertificateInfo): ChainCertificate {
  return { ...c, dnsNames: [], ipAddresses: [], selfSigned: normalizeName(c.subject) === normalizeName(c.issuer), presented: false, anchor: 'ca-store' };
}

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

type Parsed = { der: Uint8Array; cert: X509Certificate; info: ChainCertificate };

// Parsing Node's ~140 roots costs ~20 ms: once per list, and only with node:crypto (names are read for the one used).
let rootCache: { list: readonly string[]; parsed: Array<{ der: Uint8Array; cert: X509Certificate }> } | undefined;

function publicRootsOf(list: readonly string[]): Array<{ der: Uint8Array; cert: X509Certificate }> {
  if (rootCache?.list === list) return rootCache.parsed;
  const parsed: Array<{ der: Uint8Array; cert: X509Certificate }> = [];
  for (const pem of list) {
    const der = pemToDer(pem);
    try {
      if (der) parsed.push({ der, cert: new X509Certificate(der) });
    } catch {
      // A root Node itself cannot read trusts nothing.
    }
  }
  rootCache = { list, parsed };
  return parsed;
}

function pemToDer(pem: string): Uint8Array | undefined {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem)?.[1];
  return body ? new Uint8Array(Buffer.from(body.replace(/\s+/g, ''), 'base64')) : undefined;
}
