// Terraform edits that several fixes share: removing a backend's own `tls` block, pointing a reference at another
// resource, and making an overlay re-apply when azurerm rewrites its backend. The rules (APIM008, APIM009, APIM011)
// and the pin command build their edits from these, so a quick fix and a pin write the same text.
import type { Backend, BlockSpan, Overlay } from '../model';
import type { Span, TextEdit } from '../types';
import { appendToBody, appendToList, hclString, isClosedBlock, removeLines, replace } from './hcl';

/** Removes a backend's `tls {}` or `dynamic "tls"` block with its lines. */
export function removeTlsBlock(block: BlockSpan, text: string): TextEdit {
  return removeLines(block.file, text, block.start, block.end);
}

/** The index a reference is written with (`["eu"]`, `[each.key]`), and its key when that is a literal. */
export function referenceIndex(written: string): { text?: string; key?: string } {
  const m = /^[\w-]+\.[\w-]+\s*(\[([\s\S]*)\])\s*$/.exec(written);
  if (!m) return {};
  const inner = m[2].trim();
  if (/^\d+$/.test(inner)) return { text: m[1], key: inner };
  if (/^"(?:[^"\\$%]|\\.)*"$/.test(inner)) {
    try {
      return { text: m[1], key: String(JSON.parse(inner)) };
    } catch {
      return { text: m[1] };
    }
  }
  return { text: m[1] };
}

/**
 * A reference as written (`azurerm_api_management_backend.orders[each.key]`) pointed at `address` instead: the
 * index is kept when the new resource is keyed like the old one, and any attribute after it stays.
 */
export function retargetReference(written: string, address: string, keepIndex: boolean): string {
  const m = /^\s*[\w-]+\.[\w-]+(\s*\[[^\]]*\])?([\s\S]*)$/.exec(written);
  if (!m) return address;
  return address + (keepIndex && m[1] ? m[1].trim() : '') + m[2].trimEnd();
}

export type TriggerListing = { kind: 'instance' } | { kind: 'attribute'; span: Span; text: string; instance: string } | { kind: 'none' };

/**
 * Whether `replace_triggered_by` names the backend: as a resource or instance (any change triggers), or only
 * through one of its attributes (`...tic.id`: only a change of that value triggers, and an ID does not change).
 */
export function triggerListing(overlay: Overlay, backend: Backend, text: string | undefined): TriggerListing {
  if (!overlay.replaceTriggeredBy.includes(backend.address)) return { kind: 'none' };
  if (text === undefined) return { kind: 'instance' };
  let attribute: TriggerListing = { kind: 'none' };
  for (const item of overlay.replaceTriggeredByAttr?.items ?? []) {
    const written = text.slice(item.start, item.end);
    const m = /^([\w-]+\.[\w-]+)(\s*\[[^\]]*\])?((?:\s*(?:\.[\w-]+|\[[^\]]*\]))*)\s*$/.exec(written);
    if (!m || m[1] !== backend.address) continue;
    if (!m[3]) return { kind: 'instance' };
    attribute = { kind: 'attribute', span: item, text: written, instance: m[1] + (m[2] ?? '').trim() };
  }
  return attribute.kind === 'none' ? { kind: 'instance' } : attribute;
}

/**
 * How the overlay refers to its backend instance: the whole resource, `[each.key]` when the overlay iterates over
 * the same keys, or the one instance it pins.
 */
export function backendReference(backend: Backend, overlay: Overlay): string {
  if (backend.key === undefined) return backend.address;
  if (overlay.key === backend.key) return `${backend.address}[each.key]`;
  if (overlay.key === undefined) return `${backend.address}[${hclString(backend.key)}]`;
  return backend.address;
}

/**
 * Whether a resource address can be written as a reference: `type.name` with both parts identifiers. Tree-sitter
 * reads labels HCL rejects (a quoted name with a line break in it), and no edit can name such a resource.
 */
export function isReferenceable(address: string): boolean {
  return /^[A-Za-z_][\w-]*\.[A-Za-z_][\w-]*$/.test(address);
}

/** Adds the reference to `replace_triggered_by`, adding the attribute or the whole `lifecycle` block as needed. */
export function addTrigger(overlay: Overlay, text: string, reference: string): TextEdit | undefined {
  const file = overlay.block.file;
  if (!isReferenceable(reference.replace(/\[[^\]]*\]$/, ''))) return undefined;
  if (overlay.replaceTriggeredByAttr) {
    const list = overlay.replaceTriggeredByAttr.list;
    return list && text[list.end - 1] === ']' ? appendToList(file, text, list, reference) : undefined;
  }
  if (!isClosedBlock(text, overlay.lifecycle ?? overlay.block)) return undefined;
  if (overlay.lifecycle) return appendToBody(file, text, overlay.lifecycle, [`replace_triggered_by = [${reference}]`]);
  return appendToBody(file, text, overlay.block, ['lifecycle {', `  replace_triggered_by = [${reference}]`, '}'], true);
}

/**
 * The edit that makes the overlay re-apply on every change to its backend, or undefined when it already does (or
 * its `replace_triggered_by` is an expression no edit can safely extend).
 */
export function retriggerEdit(overlay: Overlay, backend: Backend, text: string | undefined): TextEdit | undefined {
  if (overlay.replaceTriggeredByAttr?.opaque) return undefined;
  const listed = triggerListing(overlay, backend, text);
  if (listed.kind === 'instance') return undefined;
  if (listed.kind === 'attribute') return replace(listed.span.file, listed.span.start, listed.span.end, listed.instance);
  return text === undefined ? undefined : addTrigger(overlay, text, backendReference(backend, overlay));
}
