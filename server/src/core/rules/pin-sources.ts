// The resources that write backend pins, for the rules that check the pins themselves: azapi overlays of a backend
// type (linked to a backend or not) and azapi backends that carry pins in their own body.
import { isHostName } from '../hosts';
import { replace } from '../fixes/hcl';
import type { ApiVersion, Backend, BlockSpan, Model, Pin, PrimVal } from '../model';
import type { Fix, RelatedInfo, Span } from '../types';

export interface PinWriter {
  /** The resource instance, e.g. `azapi_update_resource.orders_tls["eu"]`. */
  name: string;
  block: BlockSpan;
  apiVersion?: ApiVersion;
  pins: Pin[];
  /** The backend the pins apply to, when it is known. */
  backend?: Backend;
}

export function pinWriters(model: Model): PinWriter[] {
  const out: PinWriter[] = [];
  for (const o of model.overlays) {
    if (!o.isBackendType || o.pins.length === 0) continue;
    out.push({ name: o.name, block: o.block, apiVersion: o.apiVersion, pins: o.pins, backend: o.target.kind === 'backend' ? o.target.backend : undefined });
  }
  for (const b of model.backends) {
    // A backend pinned only by overlays (azurerm) has no pins of its own; azapi, ARM and Bicep backends may.
    const own = b.pins.filter((p) => p.owner === b.name);
    if (own.length) out.push({ name: b.name, block: b.block, apiVersion: own[0].apiVersion, pins: own, backend: b });
  }
  return out;
}

/** A link to the resource that uses a value written elsewhere (a tfvars file, a locals map); none when it is inside. */
export function usedBy(writer: PinWriter, span: Span, what: string): RelatedInfo[] {
  const b = writer.block;
  if (span.file === b.file && span.start >= b.start && span.end <= b.end) return [];
  return [{ file: b.file, start: b.start, end: b.bodyStart, message: `Used by ${writer.name} as ${what}` }];
}

/**
 * "Use the URL host": the pin's name literal rewritten to `host`, keeping its quotes. None for a name built from
 * references or escapes, which stays the user's to change, nor for a URL host that is no host name itself (it would
 * only swap one placeholder for another).
 */
export function useUrlHostFixes(name: PrimVal, host: string | undefined, text: string | undefined): Fix[] {
  const original = text?.slice(name.span.start, name.span.end);
  if (host === undefined || !isHostName(host) || !name.quoted || original === undefined || !/^(?:"[^"\\$%]*"|'[^'\\$]*')$/.test(original)) return [];
  const edit = replace(name.span.file, name.span.start, name.span.end, `${original[0]}${host}${original[0]}`);
  return [{ title: 'Use the URL host', kind: 'fix', isPreferred: true, edits: [edit] }];
}
