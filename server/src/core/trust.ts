// A backend's effective TLS trust in words: one line for a code lens, a few for a hover. Both read the same model
// the rules read, so what the editor shows and what the linter reports cannot disagree.
import { hasPins } from './api-versions';
import type { CertificateInfo } from './certificates/types';
import { isHostName } from './hosts';
import { asBool, asString, tierOf, type Backend, type Bound, type Pin, type Val } from './model';
import { LineIndex } from './text';

export interface TrustSummary {
  /** e.g. `TLS: pinned to Contoso Issuing CA 01`, `TLS: trusts any certificate`. */
  lens: string;
  /** Markdown for a hover. */
  hover: string;
}

export function summarizeTrust(backend: Backend, certificates: readonly CertificateInfo[], textOf: (file: string) => string | undefined): TrustSummary {
  const trust = trustOf(backend, certificates);
  const { chainFlag, nameFlag, url } = trust;
  const certOf = (pin: Pin) => matchCertificate(pin.thumbprint, certificates);
  const lens = trust.label;
  const misplaced = misplacedOf(backend);

  const tier = tierOf(backend.service?.sku?.val);
  const sku = asString(backend.service?.sku?.val);
  const lines: string[] = [`**Backend TLS trust** — \`${backend.name}\``, ''];
  if (url !== undefined) lines.push(`- URL: \`${url}\``);
  lines.push(
    `- Service: ${backend.service ? `\`${backend.service.name}\`${sku ? `, ${sku} (${tier === 'v2' ? 'v2 tier: the service CA store is ignored for backends' : 'classic tier'})` : ''}` : 'not found in this workspace'}`,
  );
  if (backend.pool) lines.push('- Pool: load-balances over member backends, each with its own url and TLS settings');
  lines.push(`- Chain validation: ${flag(chainFlag, textOf)}`);
  lines.push(`- Name validation: ${flag(nameFlag, textOf)}`);
  if (backend.pins.length === 0) lines.push('- Pins: none');
  for (const pin of backend.pins) {
    const cert = certOf(pin);
    const what =
      pin.kind === 'issuer' ? `issuer \`${thumb(pin.thumbprint)}\` for \`${asString(pin.name) ?? '?'}\`` : `certificate \`${thumb(pin.thumbprint)}\``;
    const version = pin.apiVersion ? ` (api-version ${pin.apiVersion.value}, set by \`${pin.owner}\`)` : ` (set by \`${pin.owner}\`)`;
    const problem = pinProblem(pin);
    lines.push(`- Pin: ${what}${version}${problem ? ` — **${problem}**` : ''}`);
    if (cert)
      lines.push(
        `  - matches \`${cert.file.split('/').pop()}\`: ${cert.subject}, ${cert.isCa ? 'CA' : 'leaf'}, expires ${cert.notAfter.toISOString().slice(0, 10)}`,
      );
  }
  for (const m of misplaced) {
    lines.push(
      `- Ignored: \`${m.path}\` (set by \`${m.owner}\` at ${where(m.key.file, m.key.start, textOf)}) — a path the API never reads; it belongs at \`${m.expected}\``,
    );
  }
  if (trust.working.length > 0) lines.push('', 'Pins take precedence: APIM validates the name and the chain against them whatever the flags say.');
  return { lens: `TLS: ${lens}`, hover: lines.join('\n') };
}

/** A backend's trust state, as the lens, the hover and the inventory name it. */
export type TrustState =
  'pool' | 'plain-http' | 'pinned' | 'pin-ignored' | 'pin-cannot-match' | 'trusts-any' | 'name-only' | 'chain-only' | 'depends-on-inputs' | 'default';

export interface BackendTrust {
  state: TrustState;
  /** The state in words: `pinned to Contoso Issuing CA 01`, `trusts any certificate`, `pin ignored: api-version 2024-05-01`. */
  label: string;
  /** The validation flags as the API ends up with them: the overlay's when one sets them, else the backend's own. */
  chainFlag?: EffectiveFlag;
  nameFlag?: EffectiveFlag;
  /** `false` when explicitly off, `true` when on or default, undefined when an input decides. */
  chain: boolean | undefined;
  name: boolean | undefined;
  url?: string;
  /** Pins that can work (a pin whose list the linter cannot read counts as one it cannot judge). */
  working: Pin[];
  /** What the other pins cannot do, each once. */
  problems: string[];
}

export interface EffectiveFlag {
  bound: Bound;
  /** The overlay that sets it, when one does. */
  by?: string;
}

/** What the backend and its overlays wrote where the API never reads it. */
function misplacedOf(backend: Backend) {
  return [...(backend.misplaced ?? []), ...backend.overlays.flatMap((o) => o.misplaced ?? [])];
}

/** The effective trust of a backend: pins first (when they can work), then the validation flags. */
export function trustOf(backend: Backend, certificates: readonly CertificateInfo[]): BackendTrust {
  const chainFlag = effectiveFlag(backend, 'validateChain');
  const nameFlag = effectiveFlag(backend, 'validateName');
  const chainVal = chainFlag ? asBool(chainFlag.bound.val) : true;
  const nameVal = nameFlag ? asBool(nameFlag.bound.val) : true;
  const url = asString(backend.url?.val);
  // A pin the API ignores or that can never match is no pin: the state says so instead of "pinned".
  const judged = backend.pins.map((p) => ({ pin: p, problem: pinProblem(p) }));
  const working = judged.filter((b) => !b.problem).map((b) => b.pin);
  const known = working.filter((p) => !p.uncertain);
  const issuers = known.filter((p) => p.kind === 'issuer');
  const leaves = known.filter((p) => p.kind === 'certificate');
  // Pins written where the API never reads them are no pins either: the state says where they went.
  const ignored = misplacedOf(backend)
    .filter((m) => m.holdsPins)
    .map((m) => `pin ignored: ${m.path} is a path the API never reads`);
  const problems = [...new Set([...judged.map((b) => b.problem).filter((p): p is string => !!p), ...ignored])];
  const certOf = (pin: Pin) => matchCertificate(pin.thumbprint, certificates);
  const base = { chainFlag, nameFlag, chain: chainVal, name: nameVal, url, working, problems };
  const at = (state: TrustState, label: string): BackendTrust => {
    const note = known.length > 0 && problems.length > 0 ? ` (${problems.length === 1 ? problems[0] : `${problems.length} pins ignored`})` : '';
    return { ...base, state, label: label + note };
  };
  if (backend.pool) return at('pool', 'backend pool: its members carry TLS');
  if (url !== undefined && /^\s*http:\/\//i.test(url)) return at('plain-http', 'no TLS: plain http://');
  if (issuers.length === 1) {
    const cert = certOf(issuers[0]);
    return at('pinned', `pinned to ${cert ? commonName(cert.subject) : `issuer ${short(issuers[0].thumbprint)}`}`);
  }
  if (issuers.length > 1) return at('pinned', `pinned to ${issuers.length} issuing CAs`);
  if (leaves.length > 0) return at('pinned', `pinned to ${leaves.length === 1 ? 'one certificate' : `${leaves.length} certificates`}`);
  if (working.length > 0) return at('depends-on-inputs', 'trust depends on input values');
  if (problems.length > 0) return at(problems[0].startsWith('pin ignored') ? 'pin-ignored' : 'pin-cannot-match', problems[0]);
  if (chainVal === false && nameVal === false) return at('trusts-any', 'trusts any certificate');
  if (chainVal === false) return at('name-only', nameVal === undefined ? 'chain not checked' : 'name checked, chain not');
  if (nameVal === false) return at('chain-only', chainVal === undefined ? 'name not checked' : 'chain checked, name not');
  if (chainVal === undefined || nameVal === undefined) return at('depends-on-inputs', 'trust depends on input values');
  return at('default', 'default trust');
}

/**
 * One backend read once per environment (a Terraform module with alternative var files): one lens and one hover that
 * show per-environment values where they differ ("Chain validation: `false` in dev; `true` in prod, staging"), and
 * the plain summary where they agree. `backends` are the instances of one backend, one per environment.
 */
export function summarizeAcrossEnvironments(
  backends: readonly Backend[],
  certificates: readonly CertificateInfo[],
  textOf: (file: string) => string | undefined,
): TrustSummary {
  const each = backends.map((b) => ({ env: b.environment ?? '', summary: summarizeTrust(b, certificates, textOf) }));
  if (each.length <= 1 || each.every((e) => e.summary.hover === each[0].summary.hover)) return each[0].summary;
  const lens = byEnvironment(each.map((e) => ({ env: e.env, value: e.summary.lens.replace(/^TLS: /, '') })));
  // Lines are matched by their label (`- Chain validation:`), the n-th of a label with the n-th.
  const keyed = each.map((e) => {
    const seen = new Map<string, number>();
    return e.summary.hover.split('\n').map((line) => {
      const label = /^- [^:`]+:/.exec(line)?.[0] ?? line;
      const n = (seen.get(label) ?? 0) + 1;
      seen.set(label, n);
      return { key: `${label}#${n}`, label, line };
    });
  });
  const order: string[] = [];
  for (const lines of keyed) for (const l of lines) if (!order.includes(l.key)) order.push(l.key);
  const hover = order.map((key) => {
    const values = keyed.map((lines, i) => ({ env: each[i].env, line: lines.find((l) => l.key === key) }));
    const first = values.find((v) => v.line)!.line!;
    if (first.label === first.line || values.every((v) => v.line?.line === first.line)) return first.line;
    const value = (line: string | undefined) => (line === undefined ? 'none' : line.slice(first.label.length).trim());
    return `${first.label} ${byEnvironment(values.map((v) => ({ env: v.env, value: value(v.line?.line) })))}`;
  });
  return { lens: `TLS: ${lens}`, hover: hover.join('\n') };
}

/**
 * `a in dev; b in prod, staging`: values grouped by the environments that have them, in the order first met. Where a
 * value says where it is set ("`false` — set at dev.tfvars:2"), the places follow in parentheses.
 */
function byEnvironment(values: ReadonlyArray<{ env: string; value: string }>): string {
  const groups = new Map<string, { envs: string[]; where: string[] }>();
  for (const { env, value } of values) {
    const m = /^(.*?) — (.*)$/.exec(value);
    const head = m ? m[1] : value;
    const group = groups.get(head) ?? { envs: [], where: [] };
    group.envs.push(env);
    if (m && !group.where.includes(m[2])) group.where.push(m[2]);
    groups.set(head, group);
  }
  if (groups.size === 1 && values.every((v) => v.value === values[0].value)) return values[0].value;
  const places = (where: string[]) => (where.every((w) => w.startsWith('set at ')) ? `set at ${where.map((w) => w.slice(7)).join(', ')}` : where.join(', '));
  return [...groups].map(([head, { envs, where }]) => `${head} in ${envs.join(', ')}${where.length ? ` (${places(where)})` : ''}`).join('; ');
}

export function matchCertificate(thumbprint: Val | undefined, certificates: readonly CertificateInfo[]): CertificateInfo | undefined {
  const t = asString(thumbprint);
  if (!t) return undefined;
  const normalized = t.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return certificates.find((c) => c.sha1 === normalized);
}

/**
 * What a pin cannot do, in the lens's words: ignored by the API at its api-version, or unable to match because its
 * thumbprint is no SHA-1 or its name no host name. Undefined for a pin that can work.
 */
export function pinProblem(pin: Pin): string | undefined {
  if (pin.uncertain) return undefined;
  if (pin.apiVersion && hasPins(pin.apiVersion.value) === false) return `pin ignored: api-version ${pin.apiVersion.value}`;
  const t = pin.thumbprint;
  if (t?.kind === 'prim' && typeof t.value === 'string' && !/^[0-9a-f]{40}$/i.test(t.value.replace(/[\s:\-\u200b-\u200f\u202a-\u202e\u2060\ufeff]/g, ''))) {
    return 'pin cannot match: thumbprint is not 40 hex digits';
  }
  const n = pin.name;
  if (pin.kind === 'issuer' && n?.kind === 'prim' && typeof n.value === 'string' && !isHostName(n.value)) {
    return `pin cannot match: name ${JSON.stringify(n.value)} is no host name`;
  }
  return undefined;
}

/** A validation flag as the API ends up with it: the overlay's value when an overlay sets it, else the backend's own. */
function effectiveFlag(backend: Backend, key: 'validateChain' | 'validateName'): EffectiveFlag | undefined {
  const overlay = backend.overlays.find((o) => o[key] !== undefined);
  if (overlay) return { bound: overlay[key]!, by: overlay.name };
  const own = backend[key];
  return own ? { bound: own } : undefined;
}

function flag(setting: EffectiveFlag | undefined, textOf: (file: string) => string | undefined): string {
  if (!setting) return '`true` (default)';
  const v = setting.bound.val;
  const b = asBool(v);
  const by = setting.by ? ` by \`${setting.by}\`` : '';
  if (b === undefined) return `unknown (depends on an input value)${setting.by ? `, set${by}` : ''}`;
  return `\`${b}\` — set${by}${v.span ? ` at ${where(v.span.file, v.span.start, textOf)}` : ''}`;
}

function where(file: string, offset: number, textOf: (file: string) => string | undefined): string {
  const text = textOf(file);
  const line = text === undefined ? undefined : new LineIndex(text).positionAt(offset).line + 1;
  return `${file.split('/').pop()}${line ? `:${line}` : ''}`;
}

function commonName(subject: string): string {
  return /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1] ?? subject;
}

function thumb(v: Val | undefined): string {
  return asString(v) ?? '?';
}

function short(v: Val | undefined): string {
  const t = asString(v);
  return t ? `${t.slice(0, 8)}…` : '?';
}
