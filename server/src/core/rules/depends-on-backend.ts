import type { Backend, DependsOnRef, Model, Overlay } from '../model';
import { hclString, replace } from '../fixes/hcl';
import { referenceIndex } from '../fixes/terraform-edits';
import type { Rule } from './rule';

export const dependsOnBackend: Rule = {
  meta: {
    id: 'APIM009',
    name: 'depends-on-backend',
    defaultSeverity: 'info',
    summary: 'depends_on names a pinned backend instead of the overlay that pins it.',
    // azapi overlays, depends_on and lifecycle exist only in Terraform.
    formats: ['terraform'],
  },
  check(model, ctx) {
    for (const ref of model.dependsOn) {
      const text = ctx.textOf(ref.span.file);
      const written = text?.slice(ref.span.start, ref.span.end).trim() ?? ref.address;
      const index = referenceIndex(written);
      const target = pinnedTarget(model, ref, index.key);
      if (!target) continue;
      const { overlays } = target;
      // Already depending on the overlays too: the backend reference is redundant but does no harm.
      const listed = model.dependsOn.filter((d) => d.owner === ref.owner && d.span.file === ref.span.file).map((d) => d.address);
      if (overlays.every((o) => listed.includes(o.address))) continue;
      const names = [...new Set(overlays.map((o) => o.address))];
      const newText = text === undefined ? undefined : replacement(index.text, target);
      ctx.report({
        span: ref.span,
        message:
          `${ref.owner} depends on ${written}, but its CA pin is set afterwards by ${names.join(', ')}. ` +
          'Depend on the overlay instead, or whatever routes to the backend can go live before the pin does.',
        related: overlays.map((o) => ({ ...o.header, message: `${o.name} pins ${written}` })),
        fixes:
          newText === undefined
            ? []
            : [{ title: 'Depend on the overlay', kind: 'fix', isPreferred: true, edits: [replace(ref.span.file, ref.span.start, ref.span.end, newText)] }],
      });
    }
  },
};

interface Target {
  /** The backend instances the reference names (all of a `for_each` backend's instances when no key is known). */
  backends: Backend[];
  /** The pinning overlays of those instances. */
  overlays: Overlay[];
}

/** The backend instances a `depends_on` reference names, when every one of them is pinned by an overlay. */
function pinnedTarget(model: Model, ref: DependsOnRef, key: string | undefined): Target | undefined {
  const dir = dirOf(ref.span.file);
  let backends = model.backends.filter((b) => b.address === ref.address && dirOf(b.block.file) === dir);
  if (key !== undefined) backends = backends.filter((b) => b.key === key);
  if (backends.length === 0) return undefined;
  const overlays: Overlay[] = [];
  for (const b of backends) {
    const pinning = b.overlays.filter((o) => o.pins.some((p) => !p.uncertain));
    // An instance without a pin still needs the backend reference; so does an overlay depending on its own backend.
    if (pinning.length === 0 || b.overlays.some((o) => o.address === ref.owner)) return undefined;
    overlays.push(...pinning);
  }
  return { backends, overlays };
}

/**
 * The overlay reference that replaces the backend reference: with the same index when the overlay is keyed like
 * the backend (`..._tls[each.key]` for `...backend[each.key]`), the overlay's own key when one instance of it pins
 * the one backend named, and the whole overlay otherwise.
 */
function replacement(index: string | undefined, target: Target): string | undefined {
  const addresses = [...new Set(target.overlays.map((o) => o.address))];
  if (addresses.length !== 1) return undefined;
  const [address] = addresses;
  const sameKeys = target.overlays.every((o) => o.key !== undefined && target.backends.some((b) => b.overlays.includes(o) && b.key === o.key));
  if (index && sameKeys) return `${address}${index}`;
  const keys = [...new Set(target.overlays.map((o) => o.key))];
  if (index && keys.length === 1 && keys[0] !== undefined) return `${address}[${hclString(keys[0])}]`;
  return address;
}

function dirOf(file: string): string {
  return file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}
