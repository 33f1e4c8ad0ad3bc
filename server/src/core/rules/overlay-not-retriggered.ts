import type { Backend, Overlay } from '../model';
import { appendToBody, appendToList, hclString, replace } from '../fixes/hcl';
import type { Span, TextEdit } from '../types';
import type { Rule } from './rule';

export const overlayNotRetriggered: Rule = {
  meta: {
    id: 'APIM011',
    name: 'overlay-not-retriggered',
    defaultSeverity: 'info',
    summary: 'A pinning azapi_update_resource is not re-applied when azurerm rewrites its backend.',
  },
  check(model, ctx) {
    for (const overlay of model.overlays) {
      if (!overlay.address.startsWith('azapi_update_resource.') || !overlay.isBackendType) continue;
      if (overlay.target.kind !== 'backend' || !overlay.pins.some((p) => !p.uncertain)) continue;
      const backend = overlay.target.backend;
      if (backend.kind !== 'azurerm' || overlay.replaceTriggeredByAttr?.opaque) continue;
      const text = ctx.textOf(overlay.block.file);
      const listed = listing(overlay, backend, text);
      if (listed.kind === 'instance') continue;
      const reference = referenceTo(backend, overlay);
      // A for_each overlay's block serves all its instances: name the resources, not the first instance.
      const overlayName = overlay.key === undefined ? overlay.name : overlay.address;
      const backendName = overlay.key !== undefined && overlay.key === backend.key ? backend.address : backend.name;
      const message =
        listed.kind === 'attribute'
          ? `${overlayName} is re-applied only when ${listed.text} changes, not on every change to ${backendName}: azurerm ` +
            'rewrites the backend with a full PUT on any change, which drops the pins. List the backend itself in replace_triggered_by.'
          : `${overlayName} is not re-applied when ${backendName} changes: azurerm rewrites the backend with a full PUT, ` +
            'which drops the pins until the next apply. Add lifecycle { replace_triggered_by = [...] } naming the backend.';
      let edit: TextEdit | undefined;
      if (listed.kind === 'attribute') edit = replace(listed.span.file, listed.span.start, listed.span.end, listed.instance);
      else if (text !== undefined) edit = addTrigger(overlay, text, reference);
      ctx.report({
        span: overlay.header,
        message,
        related: [{ ...backend.header, message: `${backend.name} is written by azurerm` }],
        fixes: edit ? [{ title: 'Re-apply the overlay when the backend changes', kind: 'fix', isPreferred: true, edits: [edit] }] : [],
      });
    }
  },
};

type Listing = { kind: 'instance' } | { kind: 'attribute'; span: Span; text: string; instance: string } | { kind: 'none' };

/**
 * Whether `replace_triggered_by` names the backend: as a resource or instance (any change triggers), or only
 * through one of its attributes (`...tic.id`: only a change of that value triggers, and an ID does not change).
 */
function listing(overlay: Overlay, backend: Backend, text: string | undefined): Listing {
  if (!overlay.replaceTriggeredBy.includes(backend.address)) return { kind: 'none' };
  if (text === undefined) return { kind: 'instance' };
  let attribute: Listing = { kind: 'none' };
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
function referenceTo(backend: Backend, overlay: Overlay): string {
  if (backend.key === undefined) return backend.address;
  if (overlay.key === backend.key) return `${backend.address}[each.key]`;
  if (overlay.key === undefined) return `${backend.address}[${hclString(backend.key)}]`;
  return backend.address;
}

/** Adds the reference to `replace_triggered_by`, adding the attribute or the whole `lifecycle` block as needed. */
function addTrigger(overlay: Overlay, text: string, reference: string): TextEdit | undefined {
  const file = overlay.block.file;
  if (overlay.replaceTriggeredByAttr) {
    const list = overlay.replaceTriggeredByAttr.list;
    return list ? appendToList(file, text, list, reference) : undefined;
  }
  if (overlay.lifecycle) return appendToBody(file, text, overlay.lifecycle, [`replace_triggered_by = [${reference}]`]);
  return appendToBody(file, text, overlay.block, ['lifecycle {', `  replace_triggered_by = [${reference}]`, '}'], true);
}
