// The checks of a live verdict (DESIGN §4b), each a status and one sentence of facts: the TLS versions and cipher
// suites the backend shares with APIM, the chain as walked, trust for the tier, each pin, the name, the dates.
// judge.ts puts them together and says what they add up to.
import { certificateNameMatches } from '../hosts';
import type { LiveBackendConfig, LivePin } from './backend-config';
import { certificateNames, type ChainAnalysis, type ChainCertificate } from './chain';
import { gatewaySuiteOf, type GatewayOffer } from './gateway';
import { TLS_VERSIONS, TLS_VERSION_LABELS, type Observation, type TlsVersion } from './observation';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown' | 'skip';

export interface LiveCheck {
  id: 'connection' | 'protocol' | 'cipher' | 'chain' | 'trust' | 'pin' | 'name' | 'expiry' | 'client-certificate';
  status: CheckStatus;
  /** A few words: `Name`, `Pin serverX509Names[0]`. */
  title: string;
  /** One sentence with the facts. */
  detail: string;
}

export function protocolCheck(observation: Observation, offer: GatewayOffer, accepted: TlsVersion[]): { check: LiveCheck; usable: TlsVersion[] } {
  const title = 'Protocol';
  const words = (vs: readonly TlsVersion[]) => (vs.length ? vs.map((v) => TLS_VERSION_LABELS[v]).join(', ') : 'none');
  const common = offer.versions.filter((v) => accepted.includes(v));
  const maybe = offer.maybeVersions.filter((v) => accepted.includes(v));
  const facts = `the backend accepts ${words(accepted)}; APIM offers ${words(offer.versions)}${offer.maybeVersions.length ? ` (and ${words(offer.maybeVersions)} where the service enables it)` : ''}`;
  if (common.length > 0) {
    const best = common[common.length - 1];
    if (best === 'TLSv1' || best === 'TLSv1.1') {
      const detail = `Only ${TLS_VERSION_LABELS[best]} is common, through the service's legacy backend switch: ${facts}. Move the backend to TLS 1.2.`;
      return { check: { id: 'protocol', status: 'warn', title, detail }, usable: common };
    }
    return { check: { id: 'protocol', status: 'pass', title, detail: `${TLS_VERSION_LABELS[best]} is common: ${facts}.` }, usable: common };
  }
  if (maybe.length > 0) {
    const detail = `The backend speaks only ${words(maybe)}, which a classic tier uses only when backend TLS 1.3 is enabled on the service: ${facts}.`;
    return { check: { id: 'protocol', status: 'unknown', title, detail }, usable: [] };
  }
  if (TLS_VERSIONS.every((v) => observation.versions[v].kind === 'unknown')) {
    return { check: { id: 'protocol', status: 'unknown', title, detail: 'No version probe got an answer.' }, usable: [] };
  }
  return { check: { id: 'protocol', status: 'fail', title, detail: `No common TLS version: ${facts}.` }, usable: [] };
}

export function cipherCheck(observation: Observation, offer: GatewayOffer, usable: TlsVersion[]): LiveCheck {
  const title = 'Cipher';
  if (usable.length === 0)
    return { id: 'cipher', status: 'skip', title, detail: 'Not judged without a common TLS 1.0–1.2 version (TLS 1.3 suites are fixed).' };
  const outcome = observation.cipher;
  switch (outcome.kind) {
    case 'accepted': {
      const suite = gatewaySuiteOf(outcome.cipher);
      const legacy = suite?.switchable ? ' (a legacy suite APIM keeps behind a switch)' : '';
      return {
        id: 'cipher',
        status: 'pass',
        title,
        detail: `${outcome.cipher} over ${outcome.protocol}, one of APIM's ${offer.suites.length} suites${legacy}.`,
      };
    }
    case 'refused':
      return {
        id: 'cipher',
        status: 'fail',
        title,
        detail: `No common cipher suite: the backend accepts none of APIM's ${offer.suites.length} suites (${offer.suites
          .slice(0, 4)
          .map((s) => s.iana)
          .join(', ')}, …).`,
      };
    case 'not-tried':
      return { id: 'cipher', status: 'skip', title, detail: outcome.reason };
    default:
      return { id: 'cipher', status: 'unknown', title, detail: `The cipher probe got no answer: ${outcome.failure.message}` };
  }
}

export function chainCheck(analysis: ChainAnalysis, validated: boolean, pinned: boolean): LiveCheck {
  const title = 'Chain';
  const presented = analysis.path.filter((c) => c.presented).length + analysis.unused;
  if (analysis.badSignatures.length > 0) {
    // A forged link is never excused by a pin: the pinned issuer is the one whose key signed the leaf.
    const i = analysis.badSignatures[0];
    const by = analysis.path[i + 1] ? `by ${cn(analysis.path[i + 1])}` : 'by itself';
    const status = validated ? 'fail' : 'warn';
    const off = validated ? '' : ' (APIM does not check it: chain validation is off)';
    return { id: 'chain', status, title, detail: `${cn(analysis.path[i])} is not signed ${by}: its signature does not verify${off}.` };
  }
  const bad = validated && !pinned ? 'fail' : 'warn';
  const off = pinned ? ' (the matching pin stands in for it)' : validated ? '' : ' (APIM does not check it: chain validation is off)';
  if (analysis.end === 'incomplete') {
    const last = analysis.path[analysis.path.length - 1];
    return {
      id: 'chain',
      status: bad,
      title,
      detail: `Incomplete: the backend sends ${presented} certificate${presented === 1 ? '' : 's'} and not the issuer of ${cn(last)} (${analysis.missingIssuer})${off}.`,
    };
  }
  const walk = analysis.path.map(cn).join(' → ');
  if (analysis.end === 'unknown-root') {
    return {
      id: 'chain',
      status: 'pass',
      title,
      detail: `Every link verifies: ${walk}; the root above, ${cn({ subject: analysis.missingIssuer ?? '' })}, is not sent (servers leave it out) and is in no public list: an internal root.`,
    };
  }
  const ends =
    analysis.end === 'public-root'
      ? 'a public root'
      : analysis.end === 'ca-store'
        ? "a CA of the service's CA store"
        : analysis.path.length === 1
          ? 'itself (self-signed)'
          : 'an internal root';
  const notSent = analysis.path.some((c) => !c.presented) ? ' (not sent, as usual)' : '';
  return { id: 'chain', status: 'pass', title, detail: `Complete, every link verifies: ${walk}, ending in ${ends}${notSent}.` };
}

export function trustCheck(config: LiveBackendConfig, analysis: ChainAnalysis, pinChecks: LiveCheck[]): LiveCheck {
  const title = `Trust (${config.gateway.tier ?? 'tier not known'})`;
  if (config.pins.length > 0) {
    const matched = pinChecks.some((c) => c.status === 'pass');
    const unknown = pinChecks.some((c) => c.status === 'unknown');
    const status: CheckStatus = matched ? 'pass' : unknown ? 'unknown' : 'fail';
    const detail = matched
      ? 'Decided by the pins: one matches what the backend presents.'
      : unknown
        ? 'Decided by the pins, which the linter cannot read in full.'
        : 'Decided by the pins: none matches what the backend presents.';
    return { id: 'trust', status, title, detail };
  }
  if (config.validateChain === false) return { id: 'trust', status: 'skip', title, detail: 'Chain validation is off: APIM trusts any certificate.' };
  if (config.validateChain === undefined)
    return { id: 'trust', status: 'unknown', title, detail: 'Chain validation depends on an input value the linter cannot know.' };
  const root = analysis.path[analysis.path.length - 1];
  if (analysis.badSignatures.length > 0) return { id: 'trust', status: 'fail', title, detail: 'A chain whose signatures do not verify is trusted by nobody.' };
  switch (analysis.end) {
    case 'public-root':
      return { id: 'trust', status: 'pass', title, detail: `Ends in ${cn(root)}, a public root (Node's bundled list stands in for APIM's).` };
    case 'ca-store':
      return { id: 'trust', status: 'pass', title, detail: `Ends in ${cn(root)}, a CA certificate of the service's CA store (classic tiers trust it).` };
    case 'incomplete':
      return {
        id: 'trust',
        status: 'fail',
        title,
        detail: 'APIM cannot build the chain to a CA it trusts: the backend does not send its intermediate certificates.',
      };
    default: {
      // A root the backend does not send is named by the issuer of the last certificate it does send.
      const rootName = analysis.end === 'unknown-root' ? `${cn({ subject: analysis.missingIssuer ?? '' })} (not sent)` : cn(root);
      const detail =
        config.gateway.tier === 'v2'
          ? `Ends in ${rootName}, an internal root: v2 tiers trust an internal CA only through a pin on the backend.`
          : config.gateway.tier === 'classic'
            ? `Ends in ${rootName}, an internal root that is not in the service's CA store (as far as the workspace's certificate files show).`
            : `Ends in ${rootName}, an internal root: trusted only through a pin (v2) or the service's CA store (classic).`;
      return { id: 'trust', status: 'fail', title, detail };
    }
  }
}

export function pinCheck(pin: LivePin, index: number, analysis: ChainAnalysis, leaf: ChainCertificate): LiveCheck {
  const list = pin.kind === 'issuer' ? 'serverX509Names' : 'serverCertificateThumbprints';
  const title = `Pin ${list}[${index}]`;
  if (!pin.known) return { id: 'pin', status: 'unknown', title, detail: 'Its value depends on an input the linter cannot know.' };
  const thumbprint = pin.thumbprint?.replace(/[^0-9a-f]/gi, '').toUpperCase();
  if (pin.kind === 'certificate') {
    if (thumbprint === leaf.sha1) return { id: 'pin', status: 'pass', title, detail: `${thumbprint} is the leaf certificate ${cn(leaf)}.` };
    return { id: 'pin', status: 'fail', title, detail: `${thumbprint ?? '(empty)'} is not the leaf the backend presents (${cn(leaf)}, ${leaf.sha1}).` };
  }
  const names = certificateNames(leaf);
  const nameOk = pin.name !== undefined && names.some((n) => certificateNameMatches(n, pin.name!));
  const nameWords = nameOk
    ? `name ${pin.name} is carried by the certificate`
    : `name ${pin.name ?? '(empty)'} is not a name the certificate carries (${names.join(', ') || 'none'})`;
  const issuing = analysis.issuingCa;
  if (thumbprint === undefined) {
    const trusted = analysis.end !== 'incomplete' && analysis.badSignatures.length === 0;
    return {
      id: 'pin',
      status: nameOk && trusted ? 'pass' : 'fail',
      title,
      detail: `No issuer thumbprint: ${nameWords}${trusted ? '' : ', and the chain is incomplete'}.`,
    };
  }
  if (!issuing) {
    return {
      id: 'pin',
      status: 'fail',
      title,
      detail: `The backend does not send the CA that signs its certificate, so issuer ${thumbprint} cannot match; ${nameWords}.`,
    };
  }
  if (thumbprint === issuing.sha1) {
    if (analysis.badSignatures.includes(0)) {
      return { id: 'pin', status: 'fail', title, detail: `Issuer ${thumbprint} is the CA presented as issuer, but its key did not sign the certificate.` };
    }
    return { id: 'pin', status: nameOk ? 'pass' : 'fail', title, detail: `Issuer ${thumbprint} is the presented issuing CA ${cn(issuing)}; ${nameWords}.` };
  }
  const other = analysis.path.find((c) => c.sha1 === thumbprint);
  const which = other
    ? other === leaf
      ? ` (that is the leaf itself; serverX509Names wants the CA that signs it)`
      : ` (that is ${cn(other)}, higher up the chain; APIM pins the CA that directly signs the leaf)`
    : '';
  return {
    id: 'pin',
    status: 'fail',
    title,
    detail: `Issuer ${thumbprint}${which} does not match: the backend presents issuing CA ${cn(issuing)} with SHA-1 ${issuing.sha1}; ${nameWords}.`,
  };
}

export function nameCheck(config: LiveBackendConfig, leaf: ChainCertificate): LiveCheck {
  const title = 'Name';
  const names = certificateNames(leaf);
  const match = names.find((n) => certificateNameMatches(n, config.host));
  if (match) return { id: 'name', status: 'pass', title, detail: `The certificate carries ${match}, which covers ${config.host}.` };
  const facts = `The certificate is for ${names.join(', ') || 'no name at all'}, not ${config.host}`;
  if (config.pins.length > 0 || config.validateName === true) return { id: 'name', status: 'fail', title, detail: `${facts}.` };
  if (config.validateName === undefined) return { id: 'name', status: 'unknown', title, detail: `${facts}, and name validation depends on an input value.` };
  return { id: 'name', status: 'warn', title, detail: `${facts} (name validation is off, so APIM does not check).` };
}

const DAY = 24 * 60 * 60 * 1000;

export function expiryChecks(analysis: ChainAnalysis, leaf: ChainCertificate, now: Date, validated: boolean, warningDays: number): LiveCheck[] {
  const checks: LiveCheck[] = [];
  const subjects = analysis.issuingCa && analysis.issuingCa !== leaf ? [leaf, analysis.issuingCa] : [leaf];
  for (const cert of subjects) {
    const what = cert === leaf ? 'Leaf' : 'Issuing CA';
    const title = `Expiry (${cert === leaf ? 'leaf' : 'issuing CA'})`;
    const until = cert.notAfter.toISOString().slice(0, 10);
    if (cert.notAfter < now) {
      checks.push({ id: 'expiry', status: validated ? 'fail' : 'warn', title, detail: `${what} ${cn(cert)} expired on ${until}.` });
    } else if (cert.notBefore > now) {
      checks.push({
        id: 'expiry',
        status: validated ? 'fail' : 'warn',
        title,
        detail: `${what} ${cn(cert)} is not valid before ${cert.notBefore.toISOString().slice(0, 10)}.`,
      });
    } else {
      const days = Math.floor((cert.notAfter.getTime() - now.getTime()) / DAY);
      const status: CheckStatus = days < warningDays ? 'warn' : 'pass';
      checks.push({ id: 'expiry', status, title, detail: `${what} ${cn(cert)} is valid until ${until} (${days} day${days === 1 ? '' : 's'} left).` });
    }
  }
  return checks;
}

/** A certificate as the output names it: its CN, else its whole subject. */
export function cn(cert: { subject: string }): string {
  return /(?:^|,\s*)CN=([^,]+)/.exec(cert.subject)?.[1] ?? cert.subject;
}
