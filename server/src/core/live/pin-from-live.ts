// "Pin what it presents" (DESIGN §4b): what a live check saw, in the form the pin flow takes from a certificate file.
// The presented chain becomes the file's certificates (leaf first, as a server sends them), the certificate to pin is
// the one the verdict suggests (the issuing CA; the leaf itself when the backend is self-signed or sends no CA), and
// the name is the one the leaf really carries, so the pin edit needs no file and no guess. The pin flow's own checks
// (which instance, a leaf or a self-signed certificate confirmed, the leaf's names against the URL host) still apply:
// the server's `apimTls.pinBackend` with `fromLive` and the CLI's `pin --from-live` both go through `livePinRequest`.
import type { CertificateInfo } from '../certificates/types';
import type { PinAnswers, PinRequest } from '../fixes/pin-flow';
import { certificateNameMatches } from '../hosts';
import { asString, type Backend } from '../model';
import type { LiveVerdict } from './judge';

export interface LivePinSource {
  /** The presented certificates, leaf first; `file` names where they came from (`live:https://host:port`). */
  certificates: CertificateInfo[];
  /** Which of them to pin. */
  certificateIndex: number;
  /** The pin's `name`: the name the leaf carries that covers the URL host (a wildcard stays a wildcard). */
  name: string;
  /** Whether `name` covers the URL host; when it does not, the pin flow asks before pinning anything. */
  nameCoversHost: boolean;
  kind: 'issuer' | 'certificate';
  /** Said before pinning when the pin has a catch (a leaf pin breaks at renewal; the name misses the host). */
  caveat?: string;
}

export type LivePinRequest = { ok: true; request: PinRequest; source: LivePinSource; presentedAt: string } | { ok: false; reason: string };

/**
 * The pin flow's request that pins `backend` (the instance the verdict is of, found at `offset` of `file`) to what it
 * presented. `answers` are the user's answers to the flow's questions so far; they win over what the verdict
 * suggests (a confirmation's options carry the complete answers), except the instance, which is the verdict's.
 */
export function livePinRequest(verdict: LiveVerdict, at: { file: string; offset: number; backend: Backend }, answers: PinAnswers = {}): LivePinRequest {
  const { backend } = at;
  if (verdict.backend !== backend.name) return { ok: false, reason: `The live check is of ${verdict.backend}, not of ${backend.name}.` };
  const url = asString(backend.url?.val);
  if (url !== verdict.url) {
    return { ok: false, reason: `The URL of ${backend.name} changed since its live check (${verdict.url}): check it live again.` };
  }
  if (answers.instances !== undefined && (answers.instances.length !== 1 || answers.instances[0] !== backend.key)) {
    return { ok: false, reason: `What ${backend.name} presents pins that instance alone: each instance of a for_each backend presents its own certificate.` };
  }
  const source = pinSourceFromLive(verdict);
  if ('reason' in source) return { ok: false, reason: source.reason };
  const suggested: PinAnswers = { certificateIndex: source.certificateIndex };
  // A name that misses the host is left to the pin flow, which says so and asks, as it does for a file's leaf.
  if (source.nameCoversHost) suggested.name = source.name;
  if (backend.key !== undefined) suggested.instances = [backend.key];
  const given = Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined && v !== null)) as PinAnswers;
  return {
    ok: true,
    request: { file: at.file, offset: at.offset, certificates: source.certificates, answers: { ...suggested, ...given }, origin: 'live' },
    source,
    presentedAt: verdict.at,
  };
}

export function pinSourceFromLive(verdict: LiveVerdict): LivePinSource | { reason: string } {
  const pin = verdict.suggestedPin;
  if (!pin) return { reason: `The live check of ${verdict.backend} saw no certificate to pin: ${verdict.outcome}` };
  const origin = `live:https://${verdict.target.host}:${verdict.target.port}`;
  // The first certificate a server presents is its own, whatever its basicConstraints say: a self-signed server
  // certificate often carries CA:TRUE (openssl req -x509 writes it), and APIM pins it by its own thumbprint.
  const presented = verdict.presented.map((c, index) => ({ ...certificateInfoOf(c), file: origin, index, ...(index === 0 ? { isCa: false } : {}) }));
  const certificateIndex = verdict.presented.findIndex((c) => c.sha1 === pin.thumbprint);
  if (certificateIndex < 0) return { reason: `The certificate to pin (${pin.thumbprint}) is not one the backend presented.` };
  const nameCoversHost = certificateNameMatches(pin.name, verdict.target.host);
  return { certificates: presented, certificateIndex, name: pin.name, nameCoversHost, kind: pin.kind, caveat: pin.caveat };
}

/** CertificateInfo's own fields, without what the chain walk added. */
function certificateInfoOf(c: CertificateInfo): CertificateInfo {
  const { file, index, subject, issuer, isCa, notBefore, notAfter, sha1, sha256, subjectKeyId, authorityKeyId, names } = c;
  return { file, index, subject, issuer, isCa, notBefore, notAfter, sha1, sha256, subjectKeyId, authorityKeyId, names };
}
