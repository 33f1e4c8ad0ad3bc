// Every backend instance at a glance (DESIGN §4c): its service and tier, URL host, trust state, pins with the
// certificate files that match them, the findings on it, and how far it is along the migration (0 insecure → 1 name
// validation back on → 2 issuing CA known → 3 pinned → 4 cleaned up), with the reason it is not at the next stage.
// Pure: it reads the model and findings the linter made, the workspace's certificates, and live facts when given.
import type { CertificateInfo } from '../certificates/types';
import { urlHostOf } from '../hosts';
import { asBool, asString, tierOf, type Backend, type Model, type Service } from '../model';
import { LineIndex } from '../text';
import { matchCertificate, pinProblem, trustOf, type BackendTrust, type EffectiveFlag, type TrustState } from '../trust';
import type { Finding, Span } from '../types';
import { migrationStage } from './stage';
import {
  STATE_LABELS,
  STATE_ORDER,
  type CertificateRef,
  type FlagState,
  type Inventory,
  type InventoryEntry,
  type InventoryFinding,
  type InventoryPin,
  type IssuingCa,
  type LiveFacts,
  type ServiceSummary,
  type Tally,
} from './types';

export interface InventoryInput {
  model: Model;
  /** The findings of the lint that read `model` (suppressed ones are not findings). */
  findings: readonly Finding[];
  /** The certificate files of the workspace, as read. */
  certificates: readonly CertificateInfo[];
  textOf: (file: string) => string | undefined;
  /** What a live check saw, per backend instance (`Backend.name`). */
  live?: ReadonlyMap<string, LiveFacts>;
  /** How a file is shown: a path relative to where the user ran the command, say. */
  displayPath?: (file: string) => string;
}

export function buildInventory(input: InventoryInput): Inventory {
  return inventoryWithSources(input).inventory;
}

/** The inventory, and the backend of the model each entry is about (the server adds editor facts from it). */
export function inventoryWithSources(input: InventoryInput): { inventory: Inventory; backendOf: Map<InventoryEntry, Backend> } {
  const show = input.displayPath ?? ((file: string) => file);
  const lines = new Map<string, LineIndex>();
  const lineOf = (file: string, offset: number): number => {
    let index = lines.get(file);
    if (!index) lines.set(file, (index = new LineIndex(input.textOf(file) ?? '')));
    return index.positionAt(offset).line + 1;
  };
  const services = new Map<Service | undefined, ServiceSummary>();
  const backends: InventoryEntry[] = [];
  const backendOf = new Map<InventoryEntry, Backend>();
  for (const backend of input.model.backends) {
    const entry = entryOf(backend, input, show, lineOf);
    backends.push(entry);
    backendOf.set(entry, backend);
    let summary = services.get(backend.service);
    if (!summary) services.set(backend.service, (summary = serviceSummary(backend.service, show, lineOf)));
    count(summary, entry);
  }
  const byService = [...services.values()].sort((a, b) => (a.address === null ? 1 : b.address === null ? -1 : compare(a.address, b.address)));
  const order = new Map(byService.map((s, i) => [s.address, i]));
  backends.sort((a, b) => order.get(a.service)! - order.get(b.service)! || compare(a.file, b.file) || a.line - b.line || compare(a.address, b.address));
  const totals = emptyTally();
  for (const entry of backends) count(totals, entry);
  return { inventory: { backends, services: byService, totals }, backendOf };
}

function entryOf(backend: Backend, input: InventoryInput, show: (file: string) => string, lineOf: (file: string, offset: number) => number): InventoryEntry {
  const trust = trustOf(backend, input.certificates);
  const url = asString(backend.url?.val);
  const host = urlHostOf(backend.url?.val)?.host;
  const service = backend.service;
  const sku = asString(service?.sku?.val);
  const findings = input.findings.filter((f) => findingConcerns(f, backend));
  const live = input.live?.get(backend.name) ?? null;
  const pins: InventoryPin[] = backend.pins
    .filter((p) => !p.uncertain)
    .map((p) => {
      const cert = matchCertificate(p.thumbprint, input.certificates);
      return {
        kind: p.kind,
        name: asString(p.name) ?? null,
        thumbprint: asString(p.thumbprint) ?? null,
        apiVersion: p.apiVersion?.value ?? null,
        owner: p.owner,
        problem: pinProblem(p) ?? null,
        certificate: cert ? certificateRef(cert, show) : null,
      };
    });
  const issuingCa = issuingCaOf(trust, pins, host, input.certificates, live, show);
  const stage = migrationStage({ backend, trust, pins, issuingCa, findings, live, dependsOn: input.model.dependsOn, host });
  return {
    address: backend.name,
    resource: shownAddress(backend.address, backend.header.file, show),
    key: backend.key ?? null,
    keysUnknown: backend.keysUnknown === true,
    name: asString(backend.backendName) ?? null,
    kind: backend.kind,
    file: show(backend.header.file),
    line: lineOf(backend.header.file, backend.header.start),
    service: service ? serviceKey(service, show) : null,
    serviceName: asString(service?.serviceName) ?? null,
    sku: sku ?? null,
    tier: tierOf(service?.sku?.val) ?? null,
    url: url ?? null,
    host: host ?? null,
    state: trust.state,
    stateLabel: STATE_LABELS[trust.state],
    trust: trust.label,
    chainValidation: flagState(trust.chainFlag),
    nameValidation: flagState(trust.nameFlag),
    pins,
    issuingCa,
    findings: findings.map((f) => findingOf(f, show, lineOf)),
    stage: stage.stage,
    reason: stage.reason,
    live,
    environment: backend.environment ?? null,
  };
}

/**
 * Whether a finding is about this backend instance: written at one of its values (wherever that value sits, a
 * tfvars file or a `locals` map entry), or inside its block or an overlay's, unless it names another instance of
 * the same `for_each`.
 */
export function findingConcerns(f: Finding, backend: Backend): boolean {
  const values: Array<Span | undefined> = [
    backend.validateChain?.val.span,
    backend.validateName?.val.span,
    backend.url?.val.span,
    ...backend.pins.map((p) => p.span),
    ...backend.overlays.flatMap((o) => [o.validateChain?.val.span, o.validateName?.val.span]),
  ];
  if (values.some((s) => s && within(f, s))) return true;
  const blocks: Span[] = [backend.block, ...backend.overlays.map((o) => o.block)];
  if (!blocks.some((b) => within(f, b))) return false;
  if (backend.key === undefined) return true;
  const named = [...f.message.matchAll(/\["([^"]*)"\]/g)].map((m) => m[1]);
  return named.length === 0 || named.includes(backend.key) || !f.message.includes(backend.address);
}

function within(inner: Span, outer: Span): boolean {
  return inner.file === outer.file && outer.start <= inner.start && inner.end <= outer.end;
}

/**
 * The CA that issues the backend's certificate, as far as anything says: a pin's thumbprint (and the workspace file
 * with that SHA-1), a live check's presented chain, or a certificate file of the workspace holding a leaf for the URL
 * host together with the CA that signed it.
 */
function issuingCaOf(
  trust: BackendTrust,
  pins: InventoryPin[],
  host: string | undefined,
  certificates: readonly CertificateInfo[],
  live: LiveFacts | null,
  show: (file: string) => string,
): IssuingCa | null {
  const issuerPins = pins.filter((p) => p.kind === 'issuer' && p.thumbprint && /^[0-9a-f]{40}$/i.test(p.thumbprint.replace(/[\s:]/g, '')));
  const pinned = issuerPins.find((p) => !p.problem) ?? issuerPins[0];
  if (pinned && trust.state !== 'plain-http' && !live?.pinMismatch) {
    const thumbprint = pinned.thumbprint!.replace(/[\s:]/g, '').toUpperCase();
    const c = pinned.certificate;
    return { subject: c?.subject ?? null, sha1: thumbprint, notAfter: c?.notAfter ?? null, source: 'pin', file: c?.file ?? null };
  }
  if (live?.issuingCa)
    return { subject: live.issuingCa.subject, sha1: live.issuingCa.sha1, notAfter: live.issuingCa.notAfter.slice(0, 10), source: 'live check', file: null };
  const ca = host ? issuingCaFile(host, certificates) : undefined;
  if (ca) return { subject: ca.subject, sha1: ca.sha1, notAfter: ca.notAfter.toISOString().slice(0, 10), source: 'certificate file', file: show(ca.file) };
  return null;
}

/** A CA certificate of the workspace that signed a leaf certificate of the workspace issued to `host`. */
function issuingCaFile(host: string, certificates: readonly CertificateInfo[]): CertificateInfo | undefined {
  const leaves = certificates.filter((c) => !c.isCa && c.names.some((n) => hostMatches(n, host)));
  for (const leaf of leaves) {
    const ca = certificates.find(
      (c) =>
        c.isCa &&
        sameName(c.subject, leaf.issuer) &&
        (leaf.authorityKeyId === undefined || c.subjectKeyId === undefined || leaf.authorityKeyId === c.subjectKeyId),
    );
    if (ca) return ca;
  }
  return undefined;
}

function hostMatches(name: string, host: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (n === h) return true;
  const dot = h.indexOf('.');
  return n.startsWith('*.') && dot > 0 && h.slice(dot + 1) === n.slice(2);
}

function sameName(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .split(/,\s*/)
      .map((p) => p.trim().toLowerCase())
      .sort()
      .join(',');
  return norm(a) === norm(b);
}

function flagState(flag: EffectiveFlag | undefined): FlagState {
  if (!flag) return 'default';
  const b = asBool(flag.bound.val);
  return b === undefined ? 'unknown' : b ? 'true' : 'false';
}

function certificateRef(c: CertificateInfo, show: (file: string) => string): CertificateRef {
  return { file: show(c.file), subject: c.subject, notAfter: c.notAfter.toISOString().slice(0, 10), isCa: c.isCa };
}

function findingOf(f: Finding, show: (file: string) => string, lineOf: (file: string, offset: number) => number): InventoryFinding {
  return { ruleId: f.ruleId, severity: f.severity, message: f.message, file: show(f.file), line: lineOf(f.file, f.start) };
}

function serviceSummary(service: Service | undefined, show: (file: string) => string, lineOf: (file: string, offset: number) => number): ServiceSummary {
  return {
    address: service ? serviceKey(service, show) : null,
    name: asString(service?.serviceName) ?? null,
    sku: asString(service?.sku?.val) ?? null,
    tier: tierOf(service?.sku?.val) ?? null,
    file: service ? show(service.header.file) : null,
    line: service ? lineOf(service.header.file, service.header.start) : null,
    ...emptyTally(),
  };
}

/** A service's address as shown: ARM services are named by their file and offset, and the file is shown as files are. */
function serviceKey(service: Service, show: (file: string) => string): string {
  return shownAddress(service.address, service.header.file, show);
}

function shownAddress(address: string, file: string, show: (file: string) => string): string {
  return address.startsWith(`${file}#`) ? `${show(file)}${address.slice(file.length)}` : address;
}

/** A tally of no backends, every state and stage at zero. */
export function emptyTally(): Tally {
  const byState = Object.fromEntries(STATE_ORDER.map((s) => [s, 0])) as Record<TrustState, number>;
  return { backends: 0, pinned: 0, byState, byStage: [0, 0, 0, 0, 0] };
}

function count(tally: Tally, entry: InventoryEntry): void {
  tally.backends++;
  if (entry.state === 'pinned') tally.pinned++;
  tally.byState[entry.state]++;
  tally.byStage[entry.stage]++;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
