// The format-neutral model the rules read. Each format (Terraform today; ARM and Bicep later) builds it, and
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
}

export interface Backend {
  /** e.g. `azurerm_api_management_backend.orders["eu"]`. */
  name: string;
  kind: 'azurerm' | 'azapi';
  header: Span;
  url?: Bound;
  validateChain?: Bound;
  validateName?: Bound;
  /** Per-backend CA or certificate pins (azapi overlay, ARM/Bicep `properties.tls`). */
  pins: Pin[];
}

export interface Pin {
  span: Span;
}

export interface ServiceSwitch {
  /** The switch as the user wrote it, e.g. `backend_tls10_enabled` or the customProperties key. */
  setting: string;
  /** What it controls, in words: `TLS 1.0`, `3DES ciphers`. */
  label: string;
  bound: Bound;
}

/** A certificate uploaded to the service-wide CA store (classic tiers use it for backend trust; v2 ignores it). */
export interface CaStoreEntry {
  header: Span;
  storeName?: Val;
}

export interface Service {
  name: string;
  header: Span;
  /** `sku_name` (`StandardV2_1`) or ARM `sku.name` (`StandardV2`), as written. */
  sku?: Bound;
  backendProtocols: ServiceSwitch[];
  ciphers: ServiceSwitch[];
  caStore: CaStoreEntry[];
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
