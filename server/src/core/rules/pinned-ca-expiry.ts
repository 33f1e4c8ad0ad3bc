import type { CertificateInfo } from '../certificates/types';
import type { Model, Pin, PrimVal } from '../model';
import type { RelatedInfo } from '../types';
import type { Rule } from './rule';

const DAY = 24 * 60 * 60 * 1000;

export const pinnedCaExpiry: Rule = {
  meta: {
    id: 'APIM016',
    name: 'pinned-ca-expiry',
    defaultSeverity: 'warning',
    summary: 'A pinned thumbprint matches a workspace certificate that has expired, expires soon, or is not a CA.',
  },
  check(model, ctx) {
    if (ctx.certificates.length === 0) return;
    const now = ctx.now.getTime();
    for (const pin of allPins(model)) {
      const t = pin.thumbprint;
      if (pin.uncertain || t?.kind !== 'prim' || typeof t.value !== 'string') continue;
      const cert = matchingCertificate(t.value, ctx.certificates);
      if (!cert) continue;
      const issuerPin = pin.kind === 'issuer';
      const days = Math.ceil((cert.notAfter.getTime() - now) / DAY);
      const expired = cert.notAfter.getTime() < now;
      const expiring = !expired && cert.notAfter.getTime() - now <= ctx.config.expiryWarningDays * DAY;
      const notCa = issuerPin && !cert.isCa;
      if (!expired && !expiring && !notCa) continue;
      const date = cert.notAfter.toISOString().slice(0, 10);
      const file = displayPath(cert.file, t.span.file);
      const what = notCa
        ? `The certificate pinned as issuerCertificateThumbprint, ${cert.subject} (${file}),`
        : `${issuerPin ? 'The pinned issuing CA' : 'The pinned certificate'} ${cert.subject} (${file})`;
      let message: string;
      if (notCa) {
        message =
          `${what} is not a CA certificate, so it cannot have issued the backend's certificate and APIM will reject the backend` +
          `${expired ? ` (it also expired on ${date})` : ''}. Pin the thumbprint of the CA that signed it (${cert.issuer}), or pin this ` +
          'certificate itself under serverCertificateThumbprints.';
      } else {
        const when = expired ? `expired on ${date}` : `expires on ${date}, in ${days} day${days === 1 ? '' : 's'}`;
        message = `${what} ${when}: ${consequence(issuerPin, expired)}`;
      }
      ctx.report({ span: t.span, message, related: related(pin, t) });
    }
  },
};

function consequence(issuerPin: boolean, expired: boolean): string {
  if (issuerPin && expired) {
    return (
      "the backend's chain no longer validates, so APIM answers 500 BackendConnectionFailure. " + "Pin the CA that issues the backend's renewed certificate."
    );
  }
  if (issuerPin) {
    return (
      'after that APIM rejects the backend (500 BackendConnectionFailure). ' +
      "Have the backend's certificate reissued by the successor CA and pin that CA before then."
    );
  }
  if (expired) return 'the backend must present a renewed certificate, whose thumbprint differs, so this pin must change with it.';
  return (
    "the renewed certificate has another thumbprint, so update the pin when the backend's certificate is replaced " +
    '(or pin its issuing CA under serverX509Names instead).'
  );
}

/** Every pin of the model once: those linked to backends and those of overlays linked to none. */
function allPins(model: Model): Pin[] {
  const seen = new Set<string>();
  const out: Pin[] = [];
  for (const pin of [...model.backends.flatMap((b) => b.pins), ...model.overlays.flatMap((o) => o.pins)]) {
    const key = `${pin.span.file}|${pin.span.start}|${pin.span.end}|${pin.kind}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(pin);
  }
  return out;
}

/** APIM's form of a thumbprint is 40 uppercase hex digits; people paste it with colons, spaces or marks. */
function matchingCertificate(thumbprint: string, certificates: readonly CertificateInfo[]): CertificateInfo | undefined {
  const normalized = thumbprint.replace(/[\s:\-\u200e\u200f\ufeff]/g, '').toUpperCase();
  if (!/^[0-9A-F]{40}$/.test(normalized)) return undefined;
  const matches = certificates.filter((c) => c.sha1 === normalized);
  return matches.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.index - b.index))[0];
}

/** When the thumbprint is written elsewhere (a tfvars value), the pin that uses it. */
function related(pin: Pin, thumbprint: PrimVal): RelatedInfo[] {
  const s = thumbprint.span;
  const inside = s.file === pin.span.file && s.start >= pin.span.start && s.end <= pin.span.end;
  return inside || !pin.span.file ? [] : [{ ...pin.span, message: `Pinned by ${pin.owner}` }];
}

/** The certificate file relative to the folder of the file that pins it, when they share a root. */
function displayPath(certFile: string, fromFile: string): string {
  const from = fromFile.split('/').slice(0, -1);
  const to = certFile.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  if (common === 0 || (common === 1 && from[0] === '')) return certFile;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}
