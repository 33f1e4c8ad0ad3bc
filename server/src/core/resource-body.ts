// The body of an API Management resource as Azure's REST API defines it: `properties.tls` with its pins, the service's
// `properties.certificates` and `customProperties` switches, and the api-version written with the type. azapi (an HCL
// object), ARM (JSON) and Bicep (an object literal) all write this same body, so each format reads its syntax into
// values and this file reads the values.
import {
  gatewaySecuritySwitch,
  member,
  type ApiVersion,
  type Bound,
  type CaStoreEntry,
  type Misplaced,
  type ObjectVal,
  type Pin,
  type ServiceSwitch,
  type UnknownVal,
  type Val,
} from './model';
import type { Span } from './types';

/** How a format reads a member of an object value (Bicep's objects with an unreadable spread answer "unknown"). */
export type MemberOf = (val: Val | undefined, key: string) => Val | undefined;

/**
 * `properties.tls.serverX509Names` and `serverCertificateThumbprints`, each item a pin. A list read from nowhere
 * (a variable with no value) has no span: its pin is located at the tls it sits in.
 */
export function pinsOf(tls: Val | undefined, apiVersion: ApiVersion | undefined, owner: string, get: MemberOf = member): Pin[] {
  const pins: Pin[] = [];
  const uncertain = tls?.kind === 'unknown' ? true : undefined;
  const names = get(tls, 'serverX509Names');
  if (names?.kind === 'list') {
    for (const item of names.items) {
      if (item.kind === 'unknown') continue;
      pins.push({ kind: 'issuer', span: item.span, name: get(item, 'name'), thumbprint: get(item, 'issuerCertificateThumbprint'), apiVersion, owner });
    }
  } else if (names?.kind === 'unknown') {
    pins.push({ kind: 'issuer', span: names.span ?? tls?.span ?? { file: '', start: 0, end: 0 }, apiVersion, owner, uncertain });
  }
  const thumbs = get(tls, 'serverCertificateThumbprints');
  if (thumbs?.kind === 'list') {
    for (const item of thumbs.items) if (item.kind !== 'unknown') pins.push({ kind: 'certificate', span: item.span, thumbprint: item, apiVersion, owner });
  } else if (thumbs?.kind === 'unknown') {
    pins.push({ kind: 'certificate', span: thumbs.span ?? tls?.span ?? { file: '', start: 0, end: 0 }, apiVersion, owner, uncertain });
  }
  return pins;
}

/** The version part of a `type@version` string value (azapi's `type`, Bicep's type string), with its own span inside it. */
export function apiVersionOf(type: Val | undefined): ApiVersion | undefined {
  if (!type || type.kind !== 'prim' || typeof type.value !== 'string') return undefined;
  const at = type.value.lastIndexOf('@');
  if (at < 0) return undefined;
  const value = type.value.slice(at + 1);
  // Offsets inside the literal are exact only when the source holds the string as written (no escapes).
  const direct = type.quoted && type.span.end - type.span.start === type.value.length + 2;
  const start = direct ? type.span.start + 1 + at + 1 : type.span.start;
  return { value, span: { file: type.span.file, start, end: direct ? start + value.length : type.span.end } };
}

/** The service CA store: each known item of `properties.certificates` with its `storeName`. */
export function caStoreOf(certificates: Val | undefined, get: MemberOf = member): CaStoreEntry[] {
  if (certificates?.kind !== 'list') return [];
  return certificates.items.filter((c): c is Exclude<Val, UnknownVal> => c.kind !== 'unknown').map((c) => ({ header: c.span, storeName: get(c, 'storeName') }));
}

/**
 * The backend protocol and cipher switches among `customProperties` (any other key is left out); `boundOf` says where
 * the format's resource reads each key's value.
 */
export function gatewaySwitchesOf(
  customProperties: Val | undefined,
  boundOf: (key: string, val: Val) => Bound | undefined,
): { backendProtocols: ServiceSwitch[]; ciphers: ServiceSwitch[] } {
  const out = { backendProtocols: [] as ServiceSwitch[], ciphers: [] as ServiceSwitch[] };
  if (customProperties?.kind !== 'object') return out;
  for (const [key, val] of customProperties.entries) {
    const sw = gatewaySecuritySwitch(key);
    const bound = sw && boundOf(key, val);
    if (sw && bound) (sw.kind === 'protocol' ? out.backendProtocols : out.ciphers).push({ setting: key, label: sw.label, bound });
  }
  return out;
}

/** A backend pool (`properties.type` is `Pool`): its members carry TLS, the pool has no url of its own. */
export function isPool(properties: Val | undefined, get: MemberOf = member): boolean {
  const type = get(properties, 'type');
  return type?.kind === 'prim' && typeof type.value === 'string' && type.value.trim().toLowerCase() === 'pool';
}

/** The keys of `properties.tls` the API reads. */
const TLS_KEYS = ['validateCertificateChain', 'validateCertificateName', 'serverX509Names', 'serverCertificateThumbprints'];
const PIN_KEYS = new Set(['serverX509Names', 'serverCertificateThumbprints']);

/**
 * TLS settings written where the API never reads them (DESIGN §1a): `properties.properties.tls` (an old Microsoft
 * example), `tls` at the body's root, and a key of `properties.tls` misspelt by a letter `s` (`serverX509Name`). Case
 * alone is not a misspelling: the resource provider reads keys without regard to case.
 */
export function misplacedTls(body: Val | undefined, owner: string): Misplaced[] {
  if (body?.kind !== 'object') return [];
  const out: Misplaced[] = [];
  const props = body.entries.get('properties');
  const inner = props?.kind === 'object' ? props.entries.get('properties') : undefined;
  const innerTls = inner?.kind === 'object' ? inner.entries.get('tls') : undefined;
  if (props?.kind === 'object' && inner?.kind === 'object' && innerTls) {
    const parentKey = props.keys?.get('properties');
    out.push(
      misplaced(owner, inner, 'tls', innerTls, 'properties.properties.tls', 'properties.tls', props, 'tls', {
        emptiesParent: inner.entries.size === 1 && parentKey ? { file: parentKey.file, start: parentKey.start, end: inner.span.end } : undefined,
      }),
    );
  }
  const rootTls = body.entries.get('tls');
  if (rootTls) out.push(misplaced(owner, body, 'tls', rootTls, 'tls', 'properties.tls', props?.kind === 'object' ? props : undefined, 'tls'));
  const tls = props?.kind === 'object' ? props.entries.get('tls') : undefined;
  if (tls?.kind === 'object') {
    for (const [key, val] of tls.entries) {
      const canonical = TLS_KEYS.find((k) => k !== key && k.toLowerCase() !== key.toLowerCase() && plural(k) === plural(key));
      if (!canonical) continue;
      const found = misplaced(owner, tls, key, val, `properties.tls.${key}`, `properties.tls.${canonical}`, tls, canonical, { rename: canonical });
      found.holdsPins = PIN_KEYS.has(canonical);
      out.push(found);
    }
  }
  return out.filter((m) => m.key.file !== '');
}

/** A key without a trailing `s`, lowercased: `serverX509Name` and `serverX509Names` are one key misspelt. */
function plural(key: string): string {
  return key.toLowerCase().replace(/s$/, '');
}

function misplaced(
  owner: string,
  parent: ObjectVal,
  key: string,
  val: Val,
  path: string,
  expected: string,
  into: ObjectVal | undefined,
  intoKey: string,
  extra: { emptiesParent?: Span; rename?: string } = {},
): Misplaced {
  const keySpan = parent.keys?.get(key) ?? val.span ?? { file: '', start: 0, end: 0 };
  const holdsPins = val.kind === 'object' ? [...PIN_KEYS].some((k) => val.entries.has(k)) : val.kind === 'unknown';
  const valSpan = val.span;
  const movable = !!parent.keys?.get(key) && valSpan?.file === keySpan.file && into && (extra.rename !== undefined || !into.entries.has(intoKey));
  return {
    key: keySpan,
    path,
    expected,
    holdsPins,
    owner,
    move: movable ? { key: keySpan, member: { file: keySpan.file, start: keySpan.start, end: valSpan.end }, into, intoKey, ...extra } : undefined,
  };
}
