import { asString } from '../model';
import type { Rule } from './rule';

export const orphanOverlay: Rule = {
  meta: {
    id: 'APIM015',
    name: 'orphan-overlay',
    defaultSeverity: 'warning',
    summary: "An azapi backend overlay's resource_id names no backend of the module, or its type is not a backend type.",
    // azapi overlays exist only in Terraform.
    formats: ['terraform'],
  },
  check(model, ctx) {
    for (const overlay of model.overlays) {
      if (!overlay.isBackendType && overlay.type) {
        const type = asString(overlay.type.val) ?? '';
        ctx.report({
          span: overlay.header,
          message:
            `${overlay.name} patches a backend but its type is ${type.split('@')[0]}, not Microsoft.ApiManagement/service/backends, ` +
            'so its TLS settings never reach the backend (or the apply fails). ' +
            'Use type = "Microsoft.ApiManagement/service/backends@2025-03-01-preview".',
          related: overlay.type.val.span ? [{ ...overlay.type.val.span, message: 'The overlay type' }] : [],
        });
      } else if (overlay.target.kind === 'none') {
        const span = overlay.target.span;
        const written = ctx.textOf(span.file)?.slice(span.start, span.end).trim() ?? '';
        // A literal ID is shown by the backend name it ends in; the rest of it is the same for every backend.
        const literal = /^"[^"]*\/backends\/([^"/]+)"$/i.exec(written);
        const target = literal ? `the backend "${literal[1]}"` : written || 'its resource_id';
        ctx.report({
          span: overlay.header,
          message:
            `${overlay.name} patches ${target}, which is no backend of this module, so the pins and TLS settings it carries protect ` +
            'nothing here (a renamed or removed backend leaves its overlay behind). ' +
            'Point resource_id at the backend it is meant for, or remove the overlay' +
            `${literal ? ' (if that backend is managed outside this configuration, suppress this finding with the reason)' : ''}.`,
          related: [{ ...span, message: 'The resource_id that names no backend' }],
        });
      }
    }
  },
};
