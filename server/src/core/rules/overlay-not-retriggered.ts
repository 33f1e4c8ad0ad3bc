import { replace } from '../fixes/hcl';
import { addTrigger, backendReference, triggerListing } from '../fixes/terraform-edits';
import type { TextEdit } from '../types';
import type { Rule } from './rule';

export const overlayNotRetriggered: Rule = {
  meta: {
    id: 'APIM011',
    name: 'overlay-not-retriggered',
    defaultSeverity: 'info',
    summary: 'A pinning azapi_update_resource is not re-applied when azurerm rewrites its backend.',
    // azapi overlays, depends_on and lifecycle exist only in Terraform.
    formats: ['terraform'],
  },
  check(model, ctx) {
    for (const overlay of model.overlays) {
      if (!overlay.address.startsWith('azapi_update_resource.') || !overlay.isBackendType) continue;
      if (overlay.target.kind !== 'backend' || !overlay.pins.some((p) => !p.uncertain)) continue;
      const backend = overlay.target.backend;
      if (!backend.fullPut || overlay.replaceTriggeredByAttr?.opaque) continue;
      const text = ctx.textOf(overlay.block.file);
      const listed = triggerListing(overlay, backend, text);
      if (listed.kind === 'instance') continue;
      const reference = backendReference(backend, overlay);
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
