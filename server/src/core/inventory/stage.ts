// Where a backend stands in the staged migration off the insecure workaround (DESIGN §4c): 0 insecure → 1 name
// validation back on → 2 issuing CA known → 3 pinned → 4 cleaned up, and the one reason it is not at the next stage,
// said so that the reader knows what to do next.
import { asBool, asString, tierOf, type Backend, type DependsOnRef } from '../model';
import type { BackendTrust } from '../trust';
import type { Finding } from '../types';
import type { InventoryPin, IssuingCa, LiveFacts, MigrationStage } from './types';

export interface StageInput {
  backend: Backend;
  trust: BackendTrust;
  pins: InventoryPin[];
  issuingCa: IssuingCa | null;
  /** The findings on this backend. */
  findings: readonly Finding[];
  live: LiveFacts | null;
  dependsOn: readonly DependsOnRef[];
  host: string | undefined;
}

/** Findings that keep a pinned backend from counting as cleaned up, and what each means in a few words. */
const LEFT_OVER: Readonly<Record<string, string>> = {
  APIM005: 'a pin on an api-version without pins (APIM005)',
  APIM006: 'a thumbprint to normalize (APIM006)',
  APIM007: 'a pin name that does not match the URL host (APIM007)',
  APIM008: 'a tls {} block the overlay overrides (APIM008)',
  APIM010: 'a validation flag left false next to the pin (APIM010)',
  APIM011: 'an overlay not re-applied when azurerm rewrites the backend (APIM011)',
  APIM016: 'a pinned CA certificate expiring or expired (APIM016)',
  APIM022: 'a pin name to fill in (APIM022)',
};

export function migrationStage(input: StageInput): { stage: MigrationStage; reason: string } {
  const { trust, live, issuingCa } = input;
  const at = (stage: MigrationStage, why: string) => ({ stage, reason: `stage ${stage}: ${why}` });
  if (trust.state === 'pool') return at(4, 'nothing to migrate — a pool sends traffic to its member backends, each listed with its own stage');
  if (trust.state === 'plain-http') return at(0, 'plain http:// — no TLS at all; give the backend a certificate and switch its URL to https://');
  if (trust.state === 'pinned' && live?.pinMismatch) {
    const would = live.pinWouldBe ? ` — update it to ${live.pinWouldBe.thumbprint}${live.issuingCa ? ` (${commonName(live.issuingCa.subject)})` : ''}` : '';
    return at(2, `the pin does not match what the backend presents (live check)${would}`);
  }
  if (trust.state === 'pinned') {
    const left = leftOver(input);
    if (left.length === 0) return at(4, 'cleaned up — pinned, no redundant flags, no CA store v2 ignores, dependents wait for the overlay');
    return at(3, `not cleaned up — ${left.join('; ')}`);
  }
  if (trust.state === 'depends-on-inputs' && trust.working.length > 0) {
    return at(1, 'pins depend on input values the linter cannot read — a live check shows what the backend presents');
  }
  if (trust.name === false) return at(0, `name validation is off (${flagWords(input.backend)}) — turn it back on (APIM002's quick fix)`);
  if (trust.name === undefined) return at(0, 'name validation depends on an input value the linter cannot read — make sure it is true');
  if (live?.publicRoot && live.verdict === 'accept' && trust.chain !== false) {
    return at(4, 'a public CA issues its certificate (live check) and validation is on — no pin needed');
  }
  if (!issuingCa) {
    if (live && !live.reachable) return at(1, `issuing CA unknown — the live check could not reach the backend (${live.outcome.replace(/\.$/, '')})`);
    if (live?.pinWouldBe?.kind === 'certificate') {
      return at(1, "issuing CA unknown — the backend presents only its own certificate; find the issuing CA's file, or pin the leaf");
    }
    const publicNote = trust.state === 'default' ? "; a public CA's certificate needs no pin" : '';
    return at(1, `issuing CA unknown — no certificate file in the workspace matches, run a live check${publicNote}`);
  }
  const ca = caWords(issuingCa);
  if (trust.state === 'pin-ignored') return at(2, `${trust.label} — the pin to ${ca} does nothing until it uses api-version 2025-03-01-preview`);
  if (trust.state === 'pin-cannot-match') return at(2, `${trust.label} — correct the pin to ${ca}`);
  return at(2, `not pinned — pin ${ca}`);
}

/** What keeps a pinned backend from stage 4: left-over findings, a CA store v2 ignores, depends_on on the backend. */
function leftOver(input: StageInput): string[] {
  const { backend } = input;
  const left = new Set<string>();
  for (const f of input.findings) if (LEFT_OVER[f.ruleId]) left.add(LEFT_OVER[f.ruleId]);
  const service = backend.service;
  if (service && tierOf(service.sku?.val) === 'v2') {
    const stored = service.caStore.filter((c) => /^(root|certificateauthority)$/i.test(asString(c.storeName) ?? '')).length;
    if (stored > 0) left.add(`the service's CA store still holds ${stored === 1 ? 'a certificate' : `${stored} certificates`} v2 ignores (APIM004)`);
  }
  const overlays = new Set(backend.overlays.map((o) => o.address));
  const waiting = input.dependsOn.filter(
    (d) => (d.address === backend.address || d.address.startsWith(`${backend.address}[`)) && !overlays.has(d.owner) && backend.overlays.length > 0,
  );
  if (waiting.length) left.add(`depends_on in ${[...new Set(waiting.map((d) => d.owner))].join(', ')} names the backend, not its overlay (APIM009)`);
  return [...left];
}

/** Where name validation is switched off, in the words of the resource: `validate_certificate_name = false`. */
function flagWords(backend: Backend): string {
  const overlay = backend.overlays.find((o) => o.validateName !== undefined && asBool(o.validateName.val) === false);
  return overlay ? `validateCertificateName = false in ${overlay.name}` : `${backend.validateName?.consumerName ?? 'name validation'} = false`;
}

function caWords(ca: IssuingCa): string {
  const name = ca.subject ? commonName(ca.subject) : undefined;
  const thumb = ca.sha1 ? `${ca.sha1.slice(0, 8)}…` : undefined;
  const from = ca.source === 'certificate file' && ca.file ? `, from ${ca.file}` : ca.source === 'live check' ? ', presented to the live check' : '';
  return name ? `${name} (${thumb ?? 'thumbprint unknown'}${from})` : `issuer ${thumb}${from}`;
}

function commonName(subject: string): string {
  return /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1] ?? subject;
}
