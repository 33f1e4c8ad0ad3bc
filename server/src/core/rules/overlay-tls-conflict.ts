import type { Backend, BlockSpan, Overlay } from '../model';
import { removeTlsBlock } from '../fixes/terraform-edits';
import type { Span } from '../types';
import type { Rule } from './rule';

export const overlayTlsConflict: Rule = {
  meta: {
    id: 'APIM008',
    name: 'overlay-tls-conflict',
    defaultSeverity: 'warning',
    summary: 'An azurerm backend keeps a tls block while an azapi overlay sets properties.tls.',
    // azapi overlays, depends_on and lifecycle exist only in Terraform.
    formats: ['terraform'],
  },
  check(model, ctx) {
    // Only an overlay that certainly writes `properties.tls` fights the block; one whose body is unknown may not.
    const tlsOverlay = (b: Backend) => b.overlays.find((o) => o.tls?.val.kind === 'object');
    for (const backend of model.backends) {
      if (!backend.fullPut || backend.tlsBlocks.length === 0) continue;
      const overlay = tlsOverlay(backend);
      if (!overlay) continue;
      // A for_each backend whose instances are pinned one by one shares its block with instances the overlay does not
      // cover yet: they still need it, so removing it is no fix until every instance is pinned.
      const instances = model.backends.filter((b) => b.block.file === backend.block.file && b.block.start === backend.block.start);
      if (instances.some((b) => !tlsOverlay(b))) continue;
      for (const block of backend.tlsBlocks) {
        const text = ctx.textOf(block.file);
        ctx.report({
          span: tlsKeyword(block, text),
          message:
            `${resourceName(backend)} keeps a tls block while ${resourceName(overlay)} sets properties.tls. azurerm writes the backend with a ` +
            'full PUT from its own fields, so the two overwrite each other on every apply; remove the block and let the overlay own properties.tls.',
          related: [{ ...overlay.tls!.consumer, message: `${overlay.name} sets properties.tls here` }],
          fixes: text === undefined ? [] : [{ title: 'Remove the tls block', kind: 'fix', isPreferred: true, edits: [removeTlsBlock(block, text)] }],
        });
      }
    }
  },
};

/** The `tls` keyword of a static block, or the `"tls"` label of a `dynamic "tls"` block. */
function tlsKeyword(block: BlockSpan, text: string | undefined): Span {
  const header = text?.slice(block.start, block.bodyStart) ?? '';
  const label = /^dynamic\s*("tls")/.exec(header);
  if (label) {
    const start = block.start + header.indexOf(label[1]);
    return { file: block.file, start, end: start + label[1].length };
  }
  const keyword = /^[\w-]+/.exec(header);
  return { file: block.file, start: block.start, end: block.start + (keyword ? keyword[0].length : 3) };
}

/** A `for_each` resource's block is shared by all its instances, so the finding names the resource. */
function resourceName(r: Backend | Overlay): string {
  return r.key === undefined ? r.name : r.address;
}
