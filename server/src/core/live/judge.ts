// The verdict of a live check (DESIGN §4b): an observed handshake judged against a backend's configuration as the
// APIM gateway would judge it. Checks (protocol, cipher, chain, trust for the tier, each pin, name, expiry), one
// sentence of outcome naming the cause as the gateway would fail, what to do, and the pin that would trust what the
// backend really presents. Pure: the observation and the trust anchors come in, nothing goes out but data.
import { certificateNameMatches } from '../hosts';
import type { LiveBackendConfig } from './backend-config';
import { analyseChain, certificateNames, type ChainAnalysis, type ChainCertificate, type TrustAnchors } from './chain';
import { chainCheck, cipherCheck, cn, expiryChecks, nameCheck, pinCheck, protocolCheck, trustCheck, type LiveCheck } from './checks';
import { gatewayOffer, type GatewayOffer } from './gateway';
import { TLS_VERSIONS, TLS_VERSION_LABELS, type Observation, type ProbeFailure, type ProbeTarget, type TlsVersion } from './observation';

export type { CheckStatus, LiveCheck } from './checks';

/** Why APIM answers 500, in the gateway's categories. */
export type FailureCause = 'no-common-protocol' | 'no-common-cipher' | 'pin-mismatch' | 'incomplete-chain' | 'untrusted-chain' | 'name-mismatch' | 'expired';

/** How the outcome names each cause: the gateway's own categories of a failed backend handshake. */
export const CAUSE_LABELS: Record<FailureCause, string> = {
  'no-common-protocol': 'no common protocol',
  'no-common-cipher': 'no common cipher suite',
  'pin-mismatch': 'pin does not match what is presented',
  'incomplete-chain': 'incomplete chain',
  'untrusted-chain': 'untrusted chain',
  'name-mismatch': 'name mismatch',
  expired: 'expired certificate',
};

export interface ChainEntry {
  role: 'leaf' | 'issuing CA' | 'intermediate' | 'root';
  subject: string;
  issuer: string;
  /** 40 uppercase hex digits: APIM's thumbprint form. */
  sha1: string;
  notBefore: string;
  notAfter: string;
  isCa: boolean;
  /** Sent by the backend; otherwise found among the trust anchors. */
  presented: boolean;
  /** Where a certificate not presented came from. */
  anchor?: 'public-root' | 'ca-store';
  /** The names the leaf carries (subjectAltName, else CN). */
  names?: string[];
}

/** What to pin so that APIM trusts exactly what the backend presents (DESIGN §4b "here is what a pin would be"). */
export interface SuggestedPin {
  /** `issuer`: serverX509Names with the issuing CA; `certificate`: serverCertificateThumbprints with the leaf. */
  kind: 'issuer' | 'certificate';
  /** The name the leaf really carries that covers the URL host (a wildcard stays a wildcard). */
  name: string;
  thumbprint: string;
  /** The pinned certificate (the issuing CA, or the leaf). */
  certificate: ChainCertificate;
  /** Said beside the pin when it has a catch (a leaf pin breaks at renewal; the name does not cover the host). */
  caveat?: string;
}

export interface LiveVerdict {
  backend: string;
  url: string;
  target: ProbeTarget;
  tier: 'v2' | 'classic' | undefined;
  tierSource: string;
  /** accept: APIM will call it; reject: 500 BackendConnectionFailure; unknown: could not check, or depends on something unseen. */
  verdict: 'accept' | 'reject' | 'unknown';
  cause?: FailureCause;
  /** Every cause that fails, the first (the one the gateway meets first) being `cause`. */
  causes: FailureCause[];
  /** Validation is off and nothing is pinned: APIM accepts any certificate. */
  acceptsAnything: boolean;
  /** The one-sentence answer. */
  outcome: string;
  /** What to do about it, when something is to be done. */
  todo?: string;
  checks: LiveCheck[];
  chain: ChainEntry[];
  suggestedPin?: SuggestedPin;
  /** The certificates the backend sent that the chain walk used, leaf first (what "Pin what it presents" pins from). */
  presented: ChainCertificate[];
  /** Versions the backend accepted, and the suite it chose from APIM's, for the output. */
  versionsAccepted: TlsVersion[];
  cipher?: string;
  durationMs: number;
  at: string;
}

export function judgeLive(observation: Observation, config: LiveBackendConfig, publicRoots: readonly string[]): LiveVerdict {
  const now = new Date(observation.at);
  const offer = gatewayOffer(config.gateway);
  const accepted = TLS_VERSIONS.filter((v) => observation.versions[v].kind === 'accepted');
  const base = {
    backend: config.label,
    url: config.url,
    target: observation.target,
    tier: config.gateway.tier,
    tierSource: config.tierSource,
    acceptsAnything: config.pins.length === 0 && !config.pinsUncertain && config.validateChain === false && config.validateName === false,
    versionsAccepted: accepted,
    cipher: observation.cipher.kind === 'accepted' ? observation.cipher.cipher : undefined,
    durationMs: observation.durationMs,
    at: observation.at,
    causes: [] as FailureCause[],
    presented: [] as ChainCertificate[],
  };
  const handshake = observation.chain;
  const presented = handshake.ok ? handshake.chain : handshake.chain;
  if (!presented || presented.length === 0) return unreachable(base, handshake.ok ? undefined : handshake.failure);

  const analysis = analyseChain(presented, { publicRoots, caStore: config.caStore } satisfies TrustAnchors);
  if ('error' in analysis) {
    const checks: LiveCheck[] = [{ id: 'chain', status: 'unknown', title: 'Chain', detail: `Could not read the chain: ${analysis.error}.` }];
    return { ...base, verdict: 'unknown', outcome: `Could not check ${config.label}: ${analysis.error}.`, checks, chain: [] };
  }
  base.presented = analysis.path.filter((c) => c.presented);
  const leaf = analysis.path[0];
  const checks: LiveCheck[] = [];
  const protocol = protocolCheck(observation, offer, accepted);
  checks.push(protocol.check);
  checks.push(cipherCheck(observation, offer, protocol.usable));
  const chainValidated = config.validateChain !== false || config.pins.length > 0;
  const pinChecks = config.pins.map((pin, i) => pinCheck(pin, i, analysis, leaf));
  // A matching pin is the trust: a leaf pinned by its own thumbprint needs no chain behind it.
  const pinned = pinChecks.some((c) => c.status === 'pass');
  checks.push(chainCheck(analysis, chainValidated, pinned));
  if (config.pinsUncertain) {
    pinChecks.push({ id: 'pin', status: 'unknown', title: 'Pins', detail: 'Pins may be set by a value the linter cannot read.' });
  }
  checks.push(trustCheck(config, analysis, pinChecks));
  checks.push(...pinChecks);
  checks.push(nameCheck(config, leaf));
  checks.push(...expiryChecks(analysis, leaf, now, chainValidated, config.expiryWarningDays));
  if ((handshake.ok && handshake.clientCertificateRequired) || (!handshake.ok && handshake.failure.kind === 'client-certificate-required')) {
    checks.push({
      id: 'client-certificate',
      status: 'unknown',
      title: 'Client certificate',
      detail:
        'The backend requires a client certificate (mutual TLS). APIM presents one only when the backend names it ' +
        '(credentials certificate); the probe has none, so the rest of the handshake was not seen.',
    });
  }

  const suggestedPin = suggestPin(analysis, leaf, config.host);
  const chain = chainEntries(analysis);
  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length > 0) {
    const { cause, why, todo } = explainFailure(config, checks, analysis, leaf, suggestedPin, offer, accepted);
    const causes = [cause, ...failedCauses(checks, analysis).filter((c) => c !== cause)];
    const also =
      causes.length > 1
        ? ` It would fail on ${causes
            .slice(1)
            .map((c) => CAUSE_LABELS[c])
            .join(' and ')} too.`
        : '';
    const outcome = `APIM will answer 500 BackendConnectionFailure (${CAUSE_LABELS[cause]}): ${why}${also}`;
    return { ...base, verdict: 'reject', cause, causes, outcome, todo, checks, chain, suggestedPin };
  }
  const unknown = checks.filter((c) => c.status === 'unknown');
  if (unknown.length > 0) {
    const what = unknown.map((c) => c.detail.replace(/\.$/, '')).join('; ');
    return {
      ...base,
      verdict: 'unknown',
      outcome: `APIM's answer for ${config.label} depends on what this check cannot see: ${what}.`,
      checks,
      chain,
      suggestedPin,
    };
  }
  const warnings = checks.filter((c) => c.status === 'warn').map((c) => c.detail);
  const pinWords = suggestedPin ? pinWordsOf(suggestedPin) : undefined;
  if (base.acceptsAnything) {
    return {
      ...base,
      verdict: 'accept',
      outcome: `APIM accepts anything from ${config.label}: certificate validation is off, so any certificate passes.`,
      todo: pinWords ? `Pin what it presents instead: ${pinWords}.` : undefined,
      checks,
      chain,
      suggestedPin,
    };
  }
  const why = acceptReason(config, analysis, leaf);
  const todo =
    config.validateChain === false && config.pins.length === 0 && pinWords
      ? `Chain validation is off: pin what it presents (${pinWords}) and turn it back on.`
      : warnings.length
        ? `Warning: ${warnings.join(' ')}`
        : undefined;
  return { ...base, verdict: 'accept', outcome: `APIM will accept ${config.label}: ${why}.`, todo, checks, chain, suggestedPin };
}

type Base = Omit<LiveVerdict, 'verdict' | 'outcome' | 'checks' | 'chain' | 'cause' | 'todo' | 'suggestedPin'>;

/** No certificate was seen: the connection failed, or the backend speaks no version or suite APIM could agree on. */
function unreachable(base: Base, failure: ProbeFailure | undefined): LiveVerdict {
  const f: ProbeFailure = failure ?? { kind: 'other', message: 'The backend presented no certificate.' };
  const detail = `${f.message}${f.hint ? ` ${f.hint}` : ''}`;
  if (f.kind === 'protocol-version' || f.kind === 'no-shared-cipher') {
    const cause: FailureCause = f.kind === 'protocol-version' ? 'no-common-protocol' : 'no-common-cipher';
    const check: LiveCheck = { id: f.kind === 'protocol-version' ? 'protocol' : 'cipher', status: 'fail', title: 'Handshake', detail };
    const outcome = `APIM will answer 500 BackendConnectionFailure (${CAUSE_LABELS[cause]}): ${f.message}`;
    return { ...base, verdict: 'reject', cause, causes: [cause], outcome, todo: f.hint, checks: [check], chain: [] };
  }
  const check: LiveCheck = { id: 'connection', status: 'unknown', title: 'Connection', detail };
  return { ...base, verdict: 'unknown', outcome: `Could not check ${base.backend}: ${f.message}`, todo: f.hint, checks: [check], chain: [] };
}

/** The first failure in the order the gateway meets them: handshake, then pins (or chain and trust), then name, then dates. */
function explainFailure(
  config: LiveBackendConfig,
  checks: LiveCheck[],
  analysis: ChainAnalysis,
  leaf: ChainCertificate,
  pin: SuggestedPin | undefined,
  offer: GatewayOffer,
  accepted: TlsVersion[],
): { cause: FailureCause; why: string; todo: string } {
  const failed = (id: LiveCheck['id']) => checks.find((c) => c.id === id && c.status === 'fail');
  const sendChain = 'Configure the backend to send its intermediate certificates with its own (the whole chain but the root).';
  if (failed('protocol')) {
    const legacy = accepted.filter((v) => v === 'TLSv1' || v === 'TLSv1.1');
    const only = accepted.map((v) => TLS_VERSION_LABELS[v]).join(', ') || 'no version the probe could try';
    const stopgap = legacy.length
      ? ` (or, as a stopgap, turn on the service's backend ${TLS_VERSION_LABELS[legacy[legacy.length - 1]]} switch)`
      : accepted.includes('TLSv1.3')
        ? ' (or use a classic tier with backend TLS 1.3 enabled)'
        : '';
    const offered = offer.versions.map((v) => TLS_VERSION_LABELS[v]).join(', ');
    return { cause: 'no-common-protocol', why: `the backend accepts ${only} and APIM offers ${offered}.`, todo: `Enable TLS 1.2 on the backend${stopgap}.` };
  }
  if (failed('cipher')) {
    return {
      cause: 'no-common-cipher',
      why: `the backend accepts none of the ${offer.suites.length} cipher suites APIM offers.`,
      todo: `Enable a suite APIM offers on the backend, e.g. ${offer.suites.find((s) => s.iana.includes('ECDHE_RSA_WITH_AES_128_GCM'))?.iana ?? offer.suites[0].iana}.`,
    };
  }
  if (config.pins.length > 0 && failed('trust') && analysis.badSignatures.length === 0) {
    if (!analysis.issuingCa) {
      const missing = cn({ subject: analysis.missingIssuer ?? leaf.issuer });
      return {
        cause: 'incomplete-chain',
        why: `the backend does not send ${missing}, the CA that signs its certificate, so no pin can match it.`,
        todo: sendChain,
      };
    }
    const issuing = analysis.issuingCa;
    const pinned = config.pins.map((p) => p.thumbprint?.replace(/[^0-9a-f]/gi, '').toUpperCase()).filter((t) => t);
    const nameOnly = pinned.includes(issuing.sha1) || config.pins.some((p) => p.kind === 'certificate' && p.thumbprint?.toUpperCase() === leaf.sha1);
    // A certificate that names neither the pin's name nor the URL host fails on its name first.
    if (nameOnly && failed('name')) return nameMismatch(config, leaf);
    const why = nameOnly
      ? `the pinned name is not a name the certificate carries (${certificateNames(leaf).join(', ') || 'none'}).`
      : `the pin expects issuer ${pinned.join(' or ') || '(none)'}, but the backend presents issuing CA ${cn(issuing)} with SHA-1 ${issuing.sha1}.`;
    return { cause: 'pin-mismatch', why, todo: `Update the pin to what it presents: ${pinWordsOf(pin)}.` };
  }
  if (failed('chain') || failed('trust')) {
    if (analysis.badSignatures.length > 0) {
      const i = analysis.badSignatures[0];
      return {
        cause: 'untrusted-chain',
        why: `the signature of ${cn(analysis.path[i])} does not verify with the key of the certificate it names as issuer.`,
        todo: 'Make the backend send the certificates that really issued its own (its chain file holds a wrong or stale CA).',
      };
    }
    if (analysis.end === 'incomplete') {
      const missing = cn({ subject: analysis.missingIssuer ?? leaf.issuer });
      return { cause: 'incomplete-chain', why: `the backend does not send ${missing}, the CA that signs its certificate.`, todo: sendChain };
    }
    const root = analysis.end === 'unknown-root' ? cn({ subject: analysis.missingIssuer ?? '' }) : cn(analysis.path[analysis.path.length - 1]);
    const tier = config.gateway.tier;
    const why =
      tier === 'v2'
        ? `the chain ends in ${root}, an internal root, and v2 tiers trust an internal CA only through a pin on the backend.`
        : tier === 'classic'
          ? `the chain ends in ${root}, an internal root that the service's CA store does not hold.`
          : `the chain ends in ${root}, an internal root that only a pin (v2) or the service's CA store (classic) makes trusted.`;
    const pinTodo = pin ? `Pin what it presents: ${pinWordsOf(pin)}` : 'Pin the CA that issues its certificate';
    return { cause: 'untrusted-chain', why, todo: `${pinTodo}${tier === 'classic' ? `, or upload ${root} to the service CA store` : ''}.` };
  }
  if (failed('name')) return nameMismatch(config, leaf);
  const expired = failed('expiry');
  const why = expired ? `${expired.detail.charAt(0).toLowerCase()}${expired.detail.slice(1)}` : 'a certificate of the chain is out of date.';
  return { cause: 'expired', why, todo: 'Renew the certificate on the backend.' };
}

/** The causes behind the failed checks, in the gateway's order. */
function failedCauses(checks: LiveCheck[], analysis: ChainAnalysis): FailureCause[] {
  const failed = new Set(checks.filter((c) => c.status === 'fail').map((c) => c.id));
  const chainCause: FailureCause = analysis.end === 'incomplete' && analysis.badSignatures.length === 0 ? 'incomplete-chain' : 'untrusted-chain';
  const causes: FailureCause[] = [];
  if (failed.has('protocol')) causes.push('no-common-protocol');
  if (failed.has('cipher')) causes.push('no-common-cipher');
  if (failed.has('pin')) causes.push('pin-mismatch');
  if (failed.has('chain') || (failed.has('trust') && !failed.has('pin'))) causes.push(chainCause);
  if (failed.has('name')) causes.push('name-mismatch');
  if (failed.has('expiry')) causes.push('expired');
  return causes;
}

function nameMismatch(config: LiveBackendConfig, leaf: ChainCertificate): { cause: FailureCause; why: string; todo: string } {
  const names = certificateNames(leaf);
  return {
    cause: 'name-mismatch',
    why: `the certificate is for ${names.join(', ') || 'no name'}, not ${config.host}.`,
    todo: `Call the backend by a name its certificate carries${names[0] ? ` (${names[0]})` : ''}, or reissue the certificate with ${config.host} in its subjectAltName.`,
  };
}

function acceptReason(config: LiveBackendConfig, analysis: ChainAnalysis, leaf: ChainCertificate): string {
  const names = certificateNames(leaf);
  const name = names.find((n) => certificateNameMatches(n, config.host)) ?? names[0];
  if (config.pins.length > 0) {
    const issuing = analysis.issuingCa;
    return `its certificate carries ${name} and matches the pin${issuing && issuing !== leaf ? ` on issuing CA ${cn(issuing)}` : ''}`;
  }
  if (config.validateChain === false) return `it checks only the name, and the certificate carries ${name}`;
  const root = analysis.path[analysis.path.length - 1];
  const via = analysis.end === 'public-root' ? `the public root ${cn(root)}` : `${cn(root)} in the service's CA store`;
  return `its certificate carries ${name} and chains to ${via}`;
}

/** The pin that trusts exactly what was presented: the issuing CA and the name the leaf carries, or the leaf itself. */
function suggestPin(analysis: ChainAnalysis, leaf: ChainCertificate, host: string): SuggestedPin | undefined {
  const names = certificateNames(leaf);
  const covering = names.find((n) => certificateNameMatches(n, host));
  const name = covering ?? names[0] ?? host;
  const nameCaveat = covering ? undefined : `the certificate does not carry ${host}: APIM will still fail on the name`;
  const issuing = analysis.issuingCa;
  if (issuing && issuing !== leaf) return { kind: 'issuer', name, thumbprint: issuing.sha1, certificate: issuing, caveat: nameCaveat };
  const caveat = issuing
    ? 'a self-signed certificate: the pin is the certificate itself, and must change when it is renewed'
    : 'the backend does not send its issuing CA, so only the leaf can be pinned, and that pin breaks at every renewal: better make the backend send its chain';
  return { kind: 'certificate', name, thumbprint: leaf.sha1, certificate: leaf, caveat: nameCaveat ? `${caveat}; ${nameCaveat}` : caveat };
}

function pinWordsOf(pin: SuggestedPin | undefined): string {
  if (!pin) return 'the issuing CA';
  return pin.kind === 'issuer'
    ? `serverX509Names name ${pin.name}, issuerCertificateThumbprint ${pin.thumbprint} (${cn(pin.certificate)})`
    : `serverCertificateThumbprints ${pin.thumbprint} (${cn(pin.certificate)})`;
}

function chainEntries(analysis: ChainAnalysis): ChainEntry[] {
  return analysis.path.map((c, i) => {
    const role: ChainEntry['role'] =
      i === 0 ? 'leaf' : c === analysis.issuingCa ? 'issuing CA' : c.selfSigned || i === analysis.path.length - 1 ? 'root' : 'intermediate';
    const entry: ChainEntry = {
      role,
      subject: c.subject,
      issuer: c.issuer,
      sha1: c.sha1,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
      isCa: c.isCa,
      presented: c.presented,
    };
    if (c.anchor) entry.anchor = c.anchor;
    if (i === 0) entry.names = certificateNames(c);
    return entry;
  });
}
