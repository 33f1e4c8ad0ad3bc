// The pin edit (DESIGN §4): everything that pinning an azurerm backend to a CA certificate changes in its module.
// An azapi overlay after the backend, or the pin merged into the overlay it already has; azapi (with the version the
// overlay's body needs) in required_providers; the backend's own tls block removed; depends_on pointed at the
// overlay; replace_triggered_by on the overlay. A `for_each` backend is pinned per instance: the overlay iterates
// over a map of the pinned keys, each with its own host and CA (pin-flow.ts decides which keys and names).
import { compareApiVersions, PIN_API_VERSION } from '../api-versions';
import { asBool, sameSpan, type Backend, type DependsOnRef, type Overlay } from '../model';
import type { Expr, HclAttribute, HclBlock, HclFile, ObjectItem } from '../parse/hcl-ast';
import { lineBreakOf } from '../text';
import type { TextEdit } from '../types';
import { azapiRequirement, type BodyStyle } from './azapi-provider';
import { appendToBody, hclString, indentAt, indentStep, indentUnit, isClosedBlock, replace } from './hcl';
import { setBooleanLiteral } from './literal';
import { decidePin, type PinQuestion, type PinRequest } from './pin-flow';
import { isReferenceable, removeTlsBlock, retargetReference, retriggerEdit } from './terraform-edits';

export type { PinRequest } from './pin-flow';

export type PinPlan =
  | {
      ok: true;
      edits: TextEdit[];
      thumbprint: string;
      /** The pinned backend, or `address["key"]` per pinned instance of a `for_each` backend. */
      backend: string;
      kind: 'issuer' | 'certificate';
      /** The pinned certificate's subject. */
      subject: string;
      /** Offsets of the name to fill in, in the text after the edits, when the URL host is unknown. */
      placeholder?: { file: string; start: number; end: number };
    }
  | { ok: false; reason: string }
  | { ok: false; question: PinQuestion };

/** What the builder needs to know of the backend's module. */
export interface PinSite {
  /** The backend instance the request points at, linked to its overlays. */
  backend: Backend;
  /** Every instance of the same resource block (one unless it has `for_each`). */
  instances: Backend[];
  /** The `depends_on` references of the model (those naming this backend in its module are retargeted). */
  dependsOn: DependsOnRef[];
  /** The module's configuration files, each fully parsed. */
  files: Array<{ path: string; text: string; hcl: HclFile }>;
}

/** The name written in place of a URL host nobody can know from the configuration. */
export const HOST_PLACEHOLDER = '<backend host>';

export function planPinEdit(site: PinSite, request: PinRequest): PinPlan {
  const { backend } = site;
  if (backend.kind !== 'azurerm') {
    return refuse(`${backend.address} is an azapi backend: its pins belong in its own body, which this command does not edit yet.`);
  }
  const source = site.files.find((f) => f.path === backend.block.file);
  const block = source?.hcl.blocks.find((b) => b.type === 'resource' && b.start === backend.block.start);
  if (!source || !block) return refuse(`${backend.address} could not be read from ${backend.block.file}.`);
  if (!isClosedBlock(source.text, backend.block)) return refuse(unclosed(backend.address));
  if (!isReferenceable(backend.address))
    return refuse(`${JSON.stringify(backend.address)} is not a name Terraform can refer to: fix its labels first, then pin.`);
  if (attr(block, 'count')) return refuse(`${backend.address} uses count; pin its instances by hand, or use for_each.`);
  const keyed = attr(block, 'for_each') !== undefined;
  if (keyed && site.instances.some((b) => b.key === undefined)) {
    return refuse(
      `The keys of ${backend.address}'s for_each are not known from the configuration, and each instance needs a pin of its own ` +
        '(its own host, perhaps its own CA); pin them by hand.',
    );
  }
  const decided = decidePin(backend, keyed ? site.instances : [backend], request, {
    allowLeaf: !keyed,
    leafRefusal: `The instances of ${backend.address} are pinned to their issuing CA, one map entry each; pick the CA's file instead of the leaf.`,
  });
  if (!decided.ok) return decided;
  const { certificate, kind, targets } = decided.decision;
  const azapi = azapiRequirement(site.files, source);
  const edits: Marked[] = [];

  let overlayAddress: string;
  /** The instance keys whose depends_on references move to the overlay (undefined: every reference moves). */
  let retargetKeys: Set<string> | undefined;
  /** Whether a reference keeps its instance index when it moves (the overlay is keyed like the backend). */
  let keepIndex = false;
  const overlays = uniqueOverlays(site.instances);
  if (!keyed) {
    const name = targets[0].name !== undefined ? literal(targets[0].name) : hostExpression(block, source.text);
    const pin: PinContent = { kind, thumbprint: literal(certificate.sha1), name };
    const existing = overlays.find((o) => o.tls !== undefined) ?? overlays[0];
    if (existing) {
      const merged = mergeInto(site, existing, pin, backend, azapi.style);
      if (!merged.ok) return merged;
      edits.push(...merged.edits);
      overlayAddress = existing.address;
      keepIndex = existing.key !== undefined;
    } else {
      const name = overlayName(site, block);
      overlayAddress = `azapi_update_resource.${name}`;
      edits.push(newOverlay(source.path, source.text, block, backend.address, name, undefined, pin, azapi.style));
    }
  } else {
    const keyedPlan = planKeyed(site, source, block, targets, certificate.sha1, overlays, azapi.style);
    if (!keyedPlan.ok) return keyedPlan;
    edits.push(...keyedPlan.edits);
    overlayAddress = keyedPlan.overlayAddress;
    retargetKeys = keyedPlan.keys;
    keepIndex = keyedPlan.keyedOverlay;
  }

  // The backend's tls block is every instance's: it goes once every instance is pinned, and stays for the others.
  const pinnedKeys = new Set(targets.map((t) => t.backend.key));
  const allPinned = site.instances.every((b) => pinnedKeys.has(b.key) || b.pins.some((p) => !p.uncertain));
  if (allPinned) {
    const removed = new Set<number>();
    for (const b of site.instances) {
      for (const tls of b.tlsBlocks) {
        if (removed.has(tls.start)) continue;
        removed.add(tls.start);
        edits.push(removeTlsBlock(tls, source.text));
      }
    }
  } else {
    // The block stays for the unpinned instances. A pinned instance's own `false` (its entry of the for_each map)
    // becomes `true`, so that azurerm and the overlay write the same flags and no plan shows drift.
    for (const t of targets) {
      for (const bound of [t.backend.validateChain, t.backend.validateName]) {
        const val = bound?.val;
        if (val?.kind !== 'prim' || asBool(val) !== false) continue;
        if (site.instances.some((o) => o !== t.backend && [o.validateChain, o.validateName].some((x) => x?.val.span && sameSpan(x.val.span, val.span))))
          continue;
        const file = site.files.find((f) => f.path === val.span.file);
        if (file) edits.push(setBooleanLiteral(val, true, file.text));
      }
    }
  }

  const dir = dirOf(backend.block.file);
  const retargeted = new Set<string>();
  for (const ref of site.dependsOn) {
    if (ref.address !== backend.address || dirOf(ref.span.file) !== dir || ref.owner === overlayAddress) continue;
    const key = `${ref.span.file}|${ref.span.start}`;
    const text = site.files.find((f) => f.path === ref.span.file)?.text;
    if (retargeted.has(key) || text === undefined) continue;
    const written = text.slice(ref.span.start, ref.span.end);
    // A reference to one instance moves only when that instance is pinned by the overlay.
    const index = /\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(written)?.[1];
    if (retargetKeys && index !== undefined && !retargetKeys.has(index)) continue;
    retargeted.add(key);
    edits.push(replace(ref.span.file, ref.span.start, ref.span.end, retargetReference(written, overlayAddress, keepIndex)));
  }

  if (azapi.edit) edits.push(azapi.edit);

  const changed = mergeInsertions(edits.filter((e) => site.files.find((f) => f.path === e.file)?.text.slice(e.start, e.end) !== e.newText));
  const overlap = overlapping(changed);
  if (overlap) return refuse(`The pin edit for ${backend.address} would change ${overlap} twice; edit it by hand.`);
  const plan: PinPlan = {
    ok: true,
    edits: changed.map(({ file, start, end, newText }) => ({ file, start, end, newText })),
    thumbprint: certificate.sha1,
    backend: keyed ? targets.map((t) => t.backend.name).join(', ') : backend.address,
    kind,
    subject: certificate.subject,
  };
  const marked = changed.find((e) => e.placeholderAt !== undefined);
  if (marked) {
    const shift = changed
      .filter((e) => e.file === marked.file && e !== marked && e.end <= marked.start)
      .reduce((n, e) => n + e.newText.length - (e.end - e.start), 0);
    const start = marked.start + shift + marked.placeholderAt!;
    plan.placeholder = { file: marked.file, start, end: start + HOST_PLACEHOLDER.length };
  }
  return plan;
}

interface PinContent {
  kind: 'issuer' | 'certificate';
  /** The thumbprint literal, or an HCL expression that yields it per instance (`each.value.thumbprint`). */
  thumbprint: { kind: 'literal'; value: string } | { kind: 'expression'; text: string };
  /** A host literal, an HCL expression that yields the host, or nothing known (a placeholder). */
  name: { kind: 'literal'; value: string } | { kind: 'expression'; text: string } | { kind: 'placeholder' };
}

type Marked = TextEdit & { placeholderAt?: number };
type Merge = { ok: true; edits: Marked[] } | { ok: false; reason: string };

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function literal(value: string): { kind: 'literal'; value: string } {
  return { kind: 'literal', value };
}

/** The interpolated host of a URL template such as `"https://${var.host}/api"`, else a placeholder. */
function hostExpression(block: HclBlock, text: string): PinContent['name'] {
  const url = attr(block, 'url')?.expr;
  if (url?.kind === 'template') {
    const [scheme, host, rest] = url.parts;
    if (typeof scheme === 'string' && /^[a-z][a-z0-9+.-]*:\/\/$/i.test(scheme) && host && typeof host !== 'string') {
      if (rest === undefined || (typeof rest === 'string' && /^[:/?#]/.test(rest)))
        return { kind: 'expression', text: text.slice(host.start, host.end).trim() };
    }
  }
  return { kind: 'placeholder' };
}

/** The `tls` attributes of the pin, in two-space steps (the edit builders convert them to the file's unit). */
function pinLines(pin: PinContent): string[] {
  const thumbprint = pin.thumbprint.kind === 'literal' ? hclString(pin.thumbprint.value) : pin.thumbprint.text;
  if (pin.kind === 'certificate') return [`serverCertificateThumbprints = [${thumbprint}]`];
  // An expression written over several lines stays one value in parentheses (a line break ends an attribute).
  const expression = pin.name.kind === 'expression' ? (/[\r\n]/.test(pin.name.text) ? `(${pin.name.text})` : pin.name.text) : undefined;
  const name = pin.name.kind === 'literal' ? hclString(pin.name.value) : (expression ?? hclString(HOST_PLACEHOLDER));
  return ['serverX509Names = [{', `  name                        = ${name}`, `  issuerCertificateThumbprint = ${thumbprint}`, '}]'];
}

function tlsLines(pin: PinContent): string[] {
  return ['validateCertificateChain = true', 'validateCertificateName  = true', ...pinLines(pin)];
}

/** `body = { ... }`, or `body = jsonencode({ ... })` for azapi 1.x, around two-space-indented inner lines. */
function bodyLines(style: BodyStyle, inner: string[]): string[] {
  return style === 'object' ? ['body = {', ...inner.map((l) => '  ' + l), '}'] : ['body = jsonencode({', ...inner.map((l) => '  ' + l), '})'];
}

/**
 * A new overlay after the backend's block. `forEach` holds the lines of its `for_each` (a keyed overlay pins the
 * instance `[each.key]`); without it the overlay pins the whole backend.
 */
function newOverlay(
  file: string,
  text: string,
  block: HclBlock,
  backendAddress: string,
  name: string,
  forEach: string[] | undefined,
  pin: PinContent,
  style: BodyStyle,
): Marked {
  const eol = lineBreakOf(text);
  const unit = indentUnit(text);
  const outer = indentAt(text, block.start);
  const index = forEach !== undefined ? '[each.key]' : '';
  const lines = [
    `resource "azapi_update_resource" "${name}" {`,
    ...(forEach !== undefined ? [...forEach.map((l) => '  ' + l), ''] : []),
    `  type        = "Microsoft.ApiManagement/service/backends@${PIN_API_VERSION}"`,
    `  resource_id = ${backendAddress}${index}.id`,
    ...bodyLines(style, ['properties = {', '  tls = {', ...tlsLines(pin).map((l) => '    ' + l), '  }', '}']).map((l) => '  ' + l),
    '',
    '  lifecycle {',
    `    replace_triggered_by = [${backendAddress}${index}]`,
    '  }',
    '}',
  ];
  const body = reindent(lines, outer, unit).join(eol);
  return markPlaceholder({ file, start: block.end, end: block.end, newText: eol + eol + body });
}

/** The keyed plan's result: its edits, the overlay that pins the instances, and the keys it pins afterwards. */
type KeyedPlan = { ok: true; edits: Marked[]; overlayAddress: string; keys: Set<string>; keyedOverlay: boolean } | { ok: false; reason: string };

/**
 * Pins instances of a `for_each` backend: an instance that has an overlay of its own gets the pin merged there; the
 * others become entries (`key = { name, thumbprint }`) of the map a keyed overlay iterates over, which is created
 * when the backend has none, and extended (or an entry replaced) when it has.
 */
function planKeyed(
  site: PinSite,
  source: PinSite['files'][number],
  block: HclBlock,
  targets: Array<{ backend: Backend; name: string | undefined }>,
  thumbprint: string,
  overlays: Overlay[],
  style: BodyStyle,
): KeyedPlan {
  const edits: Marked[] = [];
  const remaining: typeof targets = [];
  let single: Overlay | undefined;
  for (const t of targets) {
    const own = overlays.find((o) => o.key === undefined && o.target.kind === 'backend' && o.target.backend === t.backend);
    if (!own) {
      remaining.push(t);
      continue;
    }
    const name = t.name !== undefined ? literal(t.name) : ({ kind: 'placeholder' } as const);
    const merged = mergeInto(site, own, { kind: 'issuer', thumbprint: literal(thumbprint), name }, t.backend, style);
    if (!merged.ok) return merged;
    edits.push(...merged.edits);
    single = own;
  }
  const address = site.backend.address;
  if (remaining.length === 0)
    return { ok: true, edits, overlayAddress: single!.address, keys: new Set(targets.map((t) => t.backend.key!)), keyedOverlay: false };

  const keyed = overlays.filter((o) => o.key !== undefined);
  const map = keyed.map((o) => mapShape(site, o)).find((m) => m !== undefined);
  const keyList = remaining.map((t) => JSON.stringify(t.backend.key)).join(', ');
  if (keyed.length && !map) {
    return refuse(`${keyed[0].address} pins the instances of ${address} through a for_each this command cannot extend; add ${keyList} to it by hand.`);
  }
  if (map) {
    const { overlay, file, expr } = map;
    const eol = lineBreakOf(file.text);
    const unit = indentUnit(file.text);
    const keys = new Set(expr.items.map((i) => i.key!));
    for (const t of remaining) {
      const key = t.backend.key!;
      keys.add(key);
      const item = expr.items.find((i) => i.key === key);
      if (!item) {
        edits.push(markPlaceholder(appendToObject(file.path, file.text, expr, entryLines(key, t.name, thumbprint))));
        continue;
      }
      const value = item.value.kind === 'object' ? item.value : undefined;
      const same = (k: string, v: string) => {
        const x = value?.items.find((i) => i.key === k)?.value;
        return x?.kind === 'literal' && x.value === v;
      };
      if (value && t.name !== undefined && same('name', t.name) && same('thumbprint', thumbprint)) continue;
      const indent = indentAt(file.text, item.start);
      const [, ...rest] = entryLines(key, t.name, thumbprint);
      const newText = ['{', ...reindent(rest, indent, unit)].join(eol);
      edits.push(markPlaceholder(replace(file.path, item.value.start, item.value.end, newText)));
    }
    for (const t of remaining) {
      const trigger = retriggerEdit(overlay, t.backend, file.text);
      if (trigger && !edits.some((e) => e.start === trigger.start && e.file === trigger.file)) edits.push(trigger);
    }
    return { ok: true, edits, overlayAddress: overlay.address, keys, keyedOverlay: true };
  }

  const name = overlayName(site, block);
  const forEach = [
    `# The pinned instances of ${address}, each with its host and issuing CA.`,
    'for_each = {',
    ...remaining.flatMap((t) => entryLines(t.backend.key!, t.name, thumbprint).map((l) => '  ' + l)),
    '}',
  ];
  const pin: PinContent = {
    kind: 'issuer',
    thumbprint: { kind: 'expression', text: 'each.value.thumbprint' },
    name: { kind: 'expression', text: 'each.value.name' },
  };
  edits.push(newOverlay(source.path, source.text, block, address, name, forEach, pin, style));
  return { ok: true, edits, overlayAddress: `azapi_update_resource.${name}`, keys: new Set(remaining.map((t) => t.backend.key!)), keyedOverlay: true };
}

/** One entry of a keyed overlay's map, in two-space steps. */
function entryLines(key: string, name: string | undefined, thumbprint: string): string[] {
  const k = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : hclString(key);
  return [`${k} = {`, `  name       = ${hclString(name ?? HOST_PLACEHOLDER)}`, `  thumbprint = ${hclString(thumbprint)}`, '}'];
}

/** A keyed overlay written the way planKeyed writes one: `for_each` a map of `{ name, thumbprint }` its body reads. */
function mapShape(site: PinSite, overlay: Overlay) {
  const file = site.files.find((f) => f.path === overlay.block.file);
  const block = file?.hcl.blocks.find((b) => b.type === 'resource' && b.start === overlay.block.start);
  const expr = block && attr(block, 'for_each')?.expr;
  if (!file || !block || expr?.kind !== 'object') return undefined;
  const entries = expr.items.every(
    (i) => i.key !== undefined && i.value.kind === 'object' && ['name', 'thumbprint'].every((k) => item(i.value as ObjectExpr, k) !== undefined),
  );
  const body = attr(block, 'body');
  const reads =
    body && /each\.value\.name\b/.test(file.text.slice(body.start, body.end)) && /each\.value\.thumbprint\b/.test(file.text.slice(body.start, body.end));
  return entries && reads ? { overlay, file, block, expr } : undefined;
}

/** Lines written in two-space steps, given the block's own indentation and the file's unit. */
function reindent(lines: string[], outer: string, unit: string): string[] {
  return lines.map((l) => {
    if (l.trim() === '') return '';
    const m = /^((?: {2})*)([\s\S]*)$/.exec(l)!;
    return outer + unit.repeat(m[1].length / 2) + m[2];
  });
}

function unclosed(address: string): string {
  return `${address} is missing its closing brace: fix the syntax first, then pin.`;
}

/** Merges the pin into an overlay of the module, read from its file. */
function mergeInto(site: PinSite, overlay: Overlay, pin: PinContent, backend: Backend, style: BodyStyle): Merge {
  const file = site.files.find((f) => f.path === overlay.block.file);
  const block = file?.hcl.blocks.find((b) => b.type === 'resource' && b.start === overlay.block.start);
  if (!file || !block) return refuse(`${overlay.address} could not be read from ${overlay.block.file}.`);
  if (!isClosedBlock(file.text, overlay.block)) return refuse(unclosed(overlay.address));
  return mergeIntoOverlay(overlay, block, file.text, pin, backend, style);
}

/** Merges the pin into an existing overlay: the pin list set or replaced, flags turned on, api-version, trigger. */
function mergeIntoOverlay(overlay: Overlay, block: HclBlock, text: string, pin: PinContent, backend: Backend, style: BodyStyle): Merge {
  const file = overlay.block.file;
  const edits: Marked[] = [];
  if (overlay.apiVersion && (compareApiVersions(overlay.apiVersion.value, PIN_API_VERSION) ?? -1) < 0) {
    edits.push(replace(file, overlay.apiVersion.span.start, overlay.apiVersion.span.end, PIN_API_VERSION));
  }
  const body = attr(block, 'body');
  if (!body) {
    edits.push(
      markPlaceholder(
        appendToBody(file, text, overlay.block, bodyLines(style, ['properties = {', '  tls = {', ...tlsLines(pin).map((l) => '    ' + l), '  }', '}'])),
      ),
    );
  } else {
    let root: Expr = body.expr;
    if (root.kind === 'call' && root.name === 'jsonencode' && root.args.length === 1) root = root.args[0];
    if (root.kind !== 'object') return refuse(`The body of ${overlay.address} is not an object this command can edit; add the pin by hand.`);
    const properties = item(root, 'properties');
    if (!properties) {
      edits.push(markPlaceholder(appendToObject(file, text, root, ['properties = {', '  tls = {', ...tlsLines(pin).map((l) => '    ' + l), '  }', '}'])));
    } else if (properties.value.kind !== 'object') {
      return refuse(`body.properties of ${overlay.address} is not an object this command can edit; add the pin by hand.`);
    } else {
      const tls = item(properties.value, 'tls');
      if (!tls) edits.push(markPlaceholder(appendToObject(file, text, properties.value, ['tls = {', ...tlsLines(pin).map((l) => '  ' + l), '}'])));
      else if (tls.value.kind !== 'object')
        return refuse(`body.properties.tls of ${overlay.address} is not an object this command can edit; add the pin by hand.`);
      else {
        const merged = mergeIntoTls(overlay, tls.value, text, pin);
        if (!merged.ok) return merged;
        edits.push(...merged.edits);
      }
    }
  }
  const trigger = retriggerEdit(overlay, backend, text);
  if (trigger) edits.push(trigger);
  return { ok: true, edits };
}

function mergeIntoTls(overlay: Overlay, tls: ObjectExpr, text: string, pin: PinContent): Merge {
  const file = overlay.block.file;
  const edits: Marked[] = [];
  for (const flag of ['validateCertificateChain', 'validateCertificateName']) {
    const v = item(tls, flag)?.value;
    if (v?.kind === 'literal' && (v.value === false || (typeof v.value === 'string' && v.value.trim().toLowerCase() === 'false'))) {
      edits.push(replace(file, v.start, v.end, 'true'));
    }
  }
  const key = pin.kind === 'issuer' ? 'serverX509Names' : 'serverCertificateThumbprints';
  const list = item(tls, key);
  if (!list) {
    edits.push(markPlaceholder(appendToObject(file, text, tls, pinLines(pin))));
  } else if (!alreadyPinned(overlay, pin)) {
    const [first, ...rest] = pinLines(pin);
    const valueText = first.slice(first.indexOf('=') + 1).trim();
    const eol = lineBreakOf(text);
    const unit = indentStep(text, { file, start: tls.start, end: tls.end, bodyStart: tls.start + 1, bodyEnd: tls.end - 1 });
    const newText = [valueText, ...reindent(rest, indentAt(text, list.start), unit)].join(eol);
    edits.push(markPlaceholder(replace(file, list.value.start, list.value.end, newText)));
  }
  return { ok: true, edits };
}

/** The overlay already holds exactly this pin (a second pin of the same file changes nothing). */
function alreadyPinned(overlay: Overlay, pin: PinContent): boolean {
  const same = overlay.pins.filter((p) => p.kind === pin.kind && !p.uncertain);
  if (same.length !== 1) return false;
  const [p] = same;
  const thumb = p.thumbprint?.kind === 'prim' ? String(p.thumbprint.value) : undefined;
  if (pin.thumbprint.kind !== 'literal' || thumb !== pin.thumbprint.value) return false;
  if (pin.kind === 'certificate' || pin.name.kind !== 'literal') return true;
  return p.name?.kind === 'prim' && p.name.value === pin.name.value;
}

/** Remembers where the placeholder name sits inside an edit's new text. */
function markPlaceholder(edit: TextEdit): Marked {
  const at = edit.newText.indexOf(hclString(HOST_PLACEHOLDER));
  return at >= 0 ? { ...edit, placeholderAt: at + 1 } : edit;
}

/** Adds lines at the end of an object expression's body, as `appendToBody` does for a block. */
function appendToObject(file: string, text: string, obj: Expr, lines: string[]): TextEdit {
  return appendToBody(file, text, { file, start: obj.start, end: obj.end, bodyStart: obj.start + 1, bodyEnd: obj.end - 1 }, lines);
}

/** A name for the new overlay that no resource of the module has yet: `<backend>_tls`. */
function overlayName(site: PinSite, block: HclBlock): string {
  const base = `${block.labels[1]?.value ?? 'backend'}_tls`;
  const taken = new Set(
    site.files.flatMap((f) =>
      f.hcl.blocks.filter((b) => b.type === 'resource' && b.labels[0]?.value === 'azapi_update_resource').map((b) => b.labels[1]?.value),
    ),
  );
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  return name;
}

function uniqueOverlays(instances: Backend[]): Overlay[] {
  const out: Overlay[] = [];
  for (const b of instances) {
    for (const o of b.overlays) if (!out.some((x) => x.block.file === o.block.file && x.block.start === o.block.start)) out.push(o);
  }
  return out;
}

/** Insertions at the same offset of one file become one edit, in the order they were made. */
function mergeInsertions(edits: Marked[]): Marked[] {
  const out: Marked[] = [];
  for (const e of edits) {
    const same = e.start === e.end ? out.find((x) => x.file === e.file && x.start === e.start && x.end === e.start) : undefined;
    if (!same) {
      out.push({ ...e });
      continue;
    }
    if (e.placeholderAt !== undefined) same.placeholderAt = same.newText.length + e.placeholderAt;
    same.newText += e.newText;
  }
  return out;
}

function overlapping(edits: TextEdit[]): string | undefined {
  const sorted = [...edits].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start));
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (a.file === b.file && b.start < a.end) return `${a.file} at offset ${b.start}`;
  }
  return undefined;
}

function attr(block: HclBlock, name: string): HclAttribute | undefined {
  return block.attributes.find((a) => a.name === name);
}

type ObjectExpr = Extract<Expr, { kind: 'object' }>;

function item(obj: ObjectExpr, key: string): ObjectItem | undefined {
  return obj.items.find((i) => i.key === key);
}

function dirOf(file: string): string {
  return file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}
