// A live check's verdict as plain JSON: what `probe --format json` prints and what the LSP command returns, one shape
// for scripts and editors. Certificates appear as subject, issuer, SHA-1 and dates, never as their bytes.
import type { ChainEntry, FailureCause, LiveCheck, LiveVerdict } from './judge';
import type { TlsVersion } from './observation';

export interface LiveReport {
  backend: string;
  url: string;
  host: string;
  port: number;
  /** The address dialled instead of the URL host (a tunnel or jump host). */
  connect?: { host: string; port: number };
  tier: 'v2' | 'classic' | null;
  tierSource: string;
  verdict: 'accept' | 'reject' | 'unknown';
  cause: FailureCause | null;
  causes: FailureCause[];
  acceptsAnything: boolean;
  outcome: string;
  todo: string | null;
  checks: LiveCheck[];
  chain: ChainEntry[];
  suggestedPin: SuggestedPinReport | null;
  versionsAccepted: TlsVersion[];
  cipher: string | null;
  durationMs: number;
  /** ISO 8601: when the probe ran. */
  at: string;
}

export interface SuggestedPinReport {
  kind: 'issuer' | 'certificate';
  name: string;
  thumbprint: string;
  subject: string;
  notAfter: string;
  caveat: string | null;
}

export function liveReport(v: LiveVerdict): LiveReport {
  const pin = v.suggestedPin;
  return {
    backend: v.backend,
    url: v.url,
    host: v.target.host,
    port: v.target.port,
    connect: v.target.connect,
    tier: v.tier ?? null,
    tierSource: v.tierSource,
    verdict: v.verdict,
    cause: v.cause ?? null,
    causes: v.causes,
    acceptsAnything: v.acceptsAnything,
    outcome: v.outcome,
    todo: v.todo ?? null,
    checks: v.checks,
    chain: v.chain,
    suggestedPin: pin
      ? {
          kind: pin.kind,
          name: pin.name,
          thumbprint: pin.thumbprint,
          subject: pin.certificate.subject,
          notAfter: pin.certificate.notAfter.toISOString(),
          caveat: pin.caveat ?? null,
        }
      : null,
    versionsAccepted: v.versionsAccepted,
    cipher: v.cipher ?? null,
    durationMs: v.durationMs,
    at: v.at,
  };
}
