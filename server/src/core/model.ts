// The format-neutral model the rules read. Each format (Terraform, ARM, Bicep) builds its part of it, and
// every value keeps the span of the text that wrote it, so a finding lands where the user must edit.
import type { Span } from './types';

/** A resolved value: known (with where it was written), or unknown. Absent values are `undefined`. */
export type Val = PrimVal | ObjectVal | ListVal | UnknownVal;

export interface PrimVal {
  kind: 'prim';
  value: boolean | number | string | null;
  span: Span;
  /** The literal is a quoted string in the source (so an edit must keep the quotes). */
  quoted: boolean;
}

export interface ObjectVal {
  kind: 'object';
  entries: Map<string, Val>;
  span: Span;
  /** Where each key is written, when the object is written as a literal (a fix that moves or adds a member needs it). */
  keys?: Map<string, Span>;
}

export interface ListVal {
  kind: 'list';
  items: Val[];
  span: Span;
}

export interface UnknownVal {
  kind: 'unknown';
  span?: Span;
  /** The known leading text of a string whose tail is unknown (`"http://${var.host}"` → `http://`). */
  prefix?: string;
}

export const UNKNOWN: UnknownVal = { kind: 'unknown' };

/** A value together with the attribute that consumes it (the place named in relatedInformation). */
export interface Bound {
  val: Val;
  consumer: Span;
  /** How the consumer is named in messages, e.g. `tls.validate_certificate_chain`. */
  consumerName: string;
  /**
   * Set when nobody wrote the value: a registry module deploys it because the user's entry omits an input (the AVM
   * Bicep module before 0.13.0 and `tls`). `val.span` is then the entry, not a literal.
   */
  implied?: ImpliedValue;
}

/** A value a module deploys for an omitted input, and how to write that input explicitly instead. */
export interface ImpliedValue {
  /** Why, in one sentence, e.g. "avm/res/api-management/service 0.9.0 deploys … when tls is omitted (0.13.0 …)". */
  note: string;
  /** The object literal (the user's entry) that omits the input. */
  entry: Span;
  /** The input to write, e.g. `tls`, and the names its flags have in it. */
  member: string;
  chainKey: string;
  nameKey: string;
}

/** A block's extent: where it starts and ends, and the inside of its braces (for edits that add or remove parts). */
export interface BlockSpan extends Span {
  bodyStart: number;
  bodyEnd: number;
}

export interface Backend {
  /** e.g. `azurerm_api_management_backend.orders["eu"]`. */
  name: string;
  /** The resource address without an instance key, as references write it: `azurerm_api_management_backend.orders`. */
  address: string;
  /** The `for_each` key of this instance, if any. */
  key?: string;
  /**
   * The resource repeats (`for_each`, a Bicep `for`) over a collection the linter cannot read: this one backend stands
   * for every instance, whose keys are unknown.
   */
  keysUnknown?: boolean;
  /** The resource kind that declares it, in the words of its format: `azurerm`, `azapi`, `arm`, `bicep`. */
  kind: string;
  /**
   * The resource is written with a full PUT built from its own fields (azurerm), so any change to it drops what an
   * overlay set on the backend until the overlay is applied again.
   */
  fullPut?: boolean;
  header: Span;
  block: BlockSpan;
  /** The backend's own name in APIM (the last segment of its resource ID). */
  backendName?: Val;
  url?: Bound;
  validateChain?: Bound;
  validateName?: Bound;
  /** The backend's own `tls {}` (or `dynamic "tls"`) blocks. */
  tlsBlocks: BlockSpan[];
  /** Per-backend CA or certificate pins: from its overlays, or its own body (azapi, ARM, Bicep). */
  pins: Pin[];
  /** The azapi overlays that patch this backend. */
  overlays: Overlay[];
  /** The service the backend belongs to, when the configuration says which. */
  service?: Service;
  /**
   * A backend pool (`type: Pool`): it has no url of its own and its members carry TLS, so no url or TLS rule applies
   * (its readers leave url, flags and pins unset).
   */
  pool?: boolean;
  /** The api-version the backend is written with, where the resource says it (an azapi type, ARM, Bicep). */
  apiVersion?: ApiVersion;
  /** Pins or validation flags written at a path the API never reads (APIM017); they are neither pins nor flags. */
  misplaced?: Misplaced[];
  /**
   * Set when the tool that deploys the backend validates its api-version against a schema of its own (`azapi_resource`):
   * the versions of the tool the configuration admits decide whether the api-version is known to it (APIM018).
   */
  deployer?: Deployer;
  /** The evaluation run (environment) the backend was read in, when its unit has several (`dev`, `prod`). */
  environment?: string;
}

/** A TLS property written where the API does not read it: `properties.properties.tls`, `tls` at the body root, `serverX509Name`. */
export interface Misplaced {
  /** The key as written. */
  key: Span;
  /** The path the API does not read, as written, e.g. `properties.properties.tls`. */
  path: string;
  /** Where the API reads it, e.g. `properties.tls` or `properties.tls.serverX509Names`. */
  expected: string;
  /** Pins (serverX509Names, serverCertificateThumbprints) are among what is misplaced. */
  holdsPins: boolean;
  /** Who wrote it: the backend or an overlay. */
  owner: string;
  /**
   * How to move it: the member (key to value) and the object it belongs in, when that object does not hold the key
   * already. Absent when no safe move exists.
   */
  move?: { key: Span; member: Span; into: ObjectVal; intoKey: string; rename?: string; emptiesParent?: Span };
}

/** A tool whose plan validates a resource's api-version against the schema it embeds (azapi's `azapi_resource`). */
export interface Deployer {
  /** The provider, e.g. `azapi`. */
  tool: string;
  /** The version constraints the configuration puts on it (every module in the call chain), with where each is written. */
  constraints: Array<{ value: string; span: Span }>;
  /** Where a constraint would be added when none is written (the module's `required_providers` entry or block). */
  declaredAt?: Span;
}
/** One pin: `serverX509Names[i]` (`name` + issuer thumbprint) or `serverCertificateThumbprints[i]`. */
export interface Pin {
  kind: 'issuer' | 'certificate';
  span: Span;
  name?: Val;
  thumbprint?: Val;
  /** The api-version of the resource that writes the pin. */
  apiVersion?: ApiVersion;
  /** Who writes the pin: the overlay or the backend itself. */
  owner: string;
  /**
   * Set when no pin list is written as such: `tls` (or the body above it) is an expression the linter cannot read,
   * so pins may or may not exist. A list key written with an unknown value is a pin, not uncertain.
   */
  uncertain?: boolean;
}

export interface ApiVersion {
  value: string;
  /** The version text alone, e.g. inside `"Microsoft.ApiManagement/service/backends@2024-05-01"`. */
  span: Span;
}

/** An azapi resource that patches a backend's properties (Terraform's way to set what azurerm cannot). */
export interface Overlay {
  name: string;
  address: string;
  key?: string;
  header: Span;
  block: BlockSpan;
  /** The `type` value and whether it names a backend type at all. */
  type?: Bound;
  isBackendType: boolean;
  apiVersion?: ApiVersion;
  /** What `resource_id` names: a backend instance name, `unknown` (not resolvable), or `none` (names no backend of the module). */
  target: { kind: 'backend'; backend: Backend } | { kind: 'unknown' } | { kind: 'none'; span: Span };
  /** `body.properties.tls` is set. */
  tls?: Bound;
  validateChain?: Bound;
  validateName?: Bound;
  pins: Pin[];
  /** Pins or flags the overlay writes at a path the API never reads (APIM017). */
  misplaced?: Misplaced[];
  /** The addresses `lifecycle { replace_triggered_by = [...] }` lists. */
  replaceTriggeredBy: string[];
  /**
   * The `replace_triggered_by` attribute itself: its span, the list when written as one (for edits that add to it)
   * with the span of each item, and whether it holds anything other than plain resource references (then what it
   * triggers on is unknown).
   */
  replaceTriggeredByAttr?: { span: Span; list?: Span; items: Span[]; opaque: boolean };
  lifecycle?: BlockSpan;
}

/** A reference in a `depends_on` list. */
export interface DependsOnRef {
  span: Span;
  /** The referenced address, e.g. `azurerm_api_management_backend.orders` (index included if written). */
  address: string;
  owner: string;
}

export interface ServiceSwitch {
  /** The switch as the user wrote it, e.g. `backend_tls10_enabled` or the customProperties key. */
  setting: string;
  /** What it controls, in words: `TLS 1.0`, `3DES ciphers`. */
  label: string;
  bound: Bound;
  /** What else the reader knows about the name written, e.g. that a provider release removed it. */
  note?: string;
}

const GATEWAY_SECURITY = 'microsoft.windowsazure.apimanagement.gateway.security.';
const BACKEND_PROTOCOL = /^backend\.protocols\.(tls10|tls11|ssl30)$/;
const PROTOCOL_LABELS: Record<string, string> = { tls10: 'TLS 1.0', tls11: 'TLS 1.1', ssl30: 'SSL 3.0' };

/**
 * What a key of a service's `customProperties` switches (ARM, Bicep and azapi write the same keys, in any case): a
 * legacy backend protocol or a cipher, with its label; undefined for any other key.
 */
export function gatewaySecuritySwitch(key: string): { kind: 'protocol' | 'cipher'; label: string } | undefined {
  const lower = key.toLowerCase();
  if (!lower.startsWith(GATEWAY_SECURITY)) return undefined;
  const rest = lower.slice(GATEWAY_SECURITY.length);
  const proto = BACKEND_PROTOCOL.exec(rest);
  if (proto) return { kind: 'protocol', label: PROTOCOL_LABELS[proto[1]] };
  if (rest.startsWith('ciphers.')) return { kind: 'cipher', label: key.slice(GATEWAY_SECURITY.length + 'ciphers.'.length) };
  return undefined;
}

/** A certificate uploaded to the service-wide CA store (classic tiers use it for backend trust; v2 ignores it). */
export interface CaStoreEntry {
  header: Span;
  storeName?: Val;
  /** The whole `certificate {}` block of an azurerm service (elsewhere `header` is the whole list item). */
  block?: BlockSpan;
}

export interface Service {
  name: string;
  address: string;
  header: Span;
  /** The service's `name` (for backends that name their service by a string rather than a reference). */
  serviceName?: Val;
  /** `sku_name` (`StandardV2_1`) or ARM `sku.name` (`StandardV2`), as written. */
  sku?: Bound;
  backendProtocols: ServiceSwitch[];
  ciphers: ServiceSwitch[];
  caStore: CaStoreEntry[];
}

/**
 * Whether the service's cipher switches take effect: Consumption and the v2 tiers cannot change the default cipher
 * configuration (DESIGN §1a), so a switch there changes nothing. Undefined when the SKU is not known.
 */
export function ciphersConfigurable(sku: Val | undefined): boolean | undefined {
  const s = asString(sku);
  if (s === undefined) return undefined;
  return !(tierOf(sku) === 'v2' || /^Consumption(_\d+)?$/i.test(s.trim()));
}

/** v2 tiers ignore the service CA store for backend trust; unknown when the SKU is not known. */
export function tierOf(sku: Val | undefined): 'v2' | 'classic' | undefined {
  const s = asString(sku);
  if (s === undefined) return undefined;
  return /^(Basic|Standard|Premium)V2(_\d+)?$/i.test(s.trim()) ? 'v2' : 'classic';
}

export interface Model {
  backends: Backend[];
  services: Service[];
  overlays: Overlay[];
  dependsOn: DependsOnRef[];
}

/** Terraform and Azure both convert `"false"`/`"True"` strings where a bool is expected. */
export function asBool(val: Val | undefined): boolean | undefined {
  if (!val || val.kind !== 'prim') return undefined;
  if (typeof val.value === 'boolean') return val.value;
  if (typeof val.value === 'string') {
    const s = val.value.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

export function asString(val: Val | undefined): string | undefined {
  return val && val.kind === 'prim' && typeof val.value === 'string' ? val.value : undefined;
}

export function member(val: Val | undefined, key: string): Val | undefined {
  if (!val) return undefined;
  if (val.kind === 'object') return val.entries.get(key);
  if (val.kind === 'unknown') return { kind: 'unknown', span: val.span };
  return undefined;
}

export function sameSpan(a: Span, b: Span): boolean {
  return a.file === b.file && a.start === b.start && a.end === b.end;
}
