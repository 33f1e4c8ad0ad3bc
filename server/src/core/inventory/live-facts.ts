// A live check's verdict as the facts an inventory row shows: the names and issuing CA the backend presents, the
// verdict, and the pin that would trust it. Pure: the verdict comes from the probe (server/src/live) and the judge.
import type { LiveVerdict } from '../live/judge';
import type { LiveFacts } from './types';

export function liveFactsOf(v: LiveVerdict): LiveFacts {
  const leaf = v.chain.find((c) => c.role === 'leaf');
  const issuing = v.chain.find((c) => c.role === 'issuing CA');
  const pin = v.suggestedPin;
  return {
    verdict: v.verdict,
    outcome: v.outcome,
    reachable: v.chain.length > 0,
    presentedNames: leaf?.names ?? [],
    issuingCa: issuing ? { subject: issuing.subject, sha1: issuing.sha1, notAfter: issuing.notAfter } : null,
    pinWouldBe: pin ? { kind: pin.kind, name: pin.name, thumbprint: pin.thumbprint } : null,
    // Servers do not send their root; the judge adds the public root it found, marked as such.
    publicRoot: v.chain.some((c) => c.anchor === 'public-root'),
    pinMismatch: v.causes.includes('pin-mismatch'),
    at: v.at,
  };
}
