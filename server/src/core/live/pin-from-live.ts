// "Pin what it presents" (DESIGN §4b): what a live check saw, in the form the pin flow takes from a certificate file.
// The presented chain becomes the file's certificates (leaf first, as a server sends them), the certificate to pin is
// the one the verdict suggests (the issuing CA; the leaf itself when the backend is self-signed or sends no CA), and
// the name is the one the leaf really carries, so the pin edit needs no file and no guess.
import type { CertificateInfo } from '../certificates/types';
import type { LiveVerdict } from './judge';

export interface LivePinSource {
  /** The presented certificates, leaf first; `file` names where they came from (`live:https://host:port`). */
  certificates: CertificateInfo[];
  /** Which of them to pin. */
  certificateIndex: number;
  /** The pin's `name`: the name the leaf carries that covers the URL host (a wildcard stays a wildcard). */
  name: string;
  kind: 'issuer' | 'certificate';
  /** Said before pinning when the pin has a catch (a leaf pin breaks at renewal; the name misses the host). */
  caveat?: string;
}

export function pinSourceFromLive(verdict: LiveVerdict): LivePinSource | { reason: string } {
  const pin = verdict.suggestedPin;
  if (!pin) return { reason: `The live check of ${verdict.backend} saw no certificate to pin: ${verdict.outcome}` };
  const origin = `live:https://${verdict.target.host}:${verdict.target.port}`;
  const presented = verdict.presented.map((c, index) => ({ ...certificateInfoOf(c), file: origin, index }));
  const certificateIndex = verdict.presented.findIndex((c) => c.sha1 === pin.thumbprint);
  if (certificateIndex < 0) return { reason: `The certificate to pin (${pin.thumbprint}) is not one the backend presented.` };
  return { certificates: presented, certificateIndex, name: pin.name, kind: pin.kind, caveat: pin.caveat };
}

/** CertificateInfo's own fields, without what the chain walk added. */
function certificateInfoOf(c: CertificateInfo): CertificateInfo {
  const { file, index, subject, issuer, isCa, notBefore, notAfter, sha1, sha256, subjectKeyId, authorityKeyId, names } = c;
  return { file, index, subject, issuer, isCa, notBefore, notAfter, sha1, sha256, subjectKeyId, authorityKeyId, names };
}
