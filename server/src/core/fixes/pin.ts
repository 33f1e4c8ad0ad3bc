// The pin edit (DESIGN §4): everything that pinning one azurerm backend to a CA certificate changes in its module.
// An azapi overlay after the backend, or the pin merged into the overlay it already has; azapi in required_providers;
// the backend's own tls block removed; depends_on pointed at the overlay; replace_triggered_by on the overlay.
import { compareApiVersions, PIN_API_VERSION } from '../api-versions';
import type { CertificateInfo } from '../certificates/types';
import { urlHostOf } from '../hosts';
import type { Backend, DependsOnRef, Overlay } from '../model';
import type { Expr, HclAttribute, HclBlock, HclFile, ObjectItem } from '../parse/hcl-ast';
import { lineBreakOf } from '../text';
import type { TextEdit } from '../types';
import { appendToBody, hclString, indentAt, indentStep, indentUnit, isClosedBlock, replace } from './hcl';
import { isReferenceable, removeTlsBlock, retargetReference, retriggerEdit } from './terraform-edits';

export interface PinRequest {
  file: string;
  /** Anywhere in the backend's block, or on one of its findings. */
  offset: number;
  certificate: CertificateInfo;
}

export type PinPlan =
  | {
      ok: true;
      edits: TextEdit[];
      thumbprint: string;
      backend: string;
      kind: 'issuer' | 'certificate';
      /** Offsets of the name to fill in, in the text after the edits, when the URL host is unknown. */
      placeholder?: { file: string; start: number; end: number };
    }
  | { ok: false; reason: string };

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

export function planPinEdit(site: PinSite, certificate: CertificateInfo): PinPlan {
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
  const forEach = attr(block, 'for_each');
  const keyed = forEach !== undefined;
  const kind = certificate.isCa ? 'issuer' : 'certificate';
  const pin: PinContent = { kind, thumbprint: certificate.sha1, name: hostName(site.instances, block, source.text) };
  const edits: Array<TextEdit & { placeholderAt?: number }> = [];

  const overlays = uniqueOverlays(site.instances);
  const existing = overlays.find((o) => o.tls !== undefined) ?? overlays[0];
  let overlayAddress: string;
  let overlayKeyed: boolean;
  if (existing) {
    const file = site.files.find((f) => f.path === existing.block.file);
    const oblock = file?.hcl.blocks.find((b) => b.type === 'resource' && b.start === existing.block.start);
    if (!file || !oblock) return refuse(`${existing.address} could not be read from ${existing.block.file}.`);
    if (!isClosedBlock(file.text, existing.block)) return refuse(unclosed(existing.address));
    const merged = mergeIntoOverlay(existing, oblock, file.text, pin, backend);
    if (!merged.ok) return merged;
    edits.push(...merged.edits);
    overlayAddress = existing.address;
    overlayKeyed = existing.key !== undefined;
  } else {
    const name = overlayName(site, block);
    overlayAddress = `azapi_update_resource.${name}`;
    overlayKeyed = keyed;
    const forEachText = forEach ? source.text.slice(forEach.expr.start, forEach.expr.end) : undefined;
    edits.push(newOverlay(source.path, source.text, block, backend.address, name, forEachText, pin));
  }

  const removed = new Set<number>();
  for (const b of site.instances) {
    for (const tls of b.tlsBlocks) {
      if (removed.has(tls.start)) continue;
      removed.add(tls.start);
      edits.push(removeTlsBlock(tls, source.text));
    }
  }

  const dir = dirOf(backend.block.file);
  const retargeted = new Set<string>();
  for (const ref of site.dependsOn) {
    if (ref.address !== backend.address || dirOf(ref.span.file) !== dir || ref.owner === overlayAddress) continue;
    const key = `${ref.span.file}|${ref.span.start}`;
    const text = site.files.find((f) => f.path === ref.span.file)?.text;
    if (retargeted.has(key) || text === undefined) continue;
    retargeted.add(key);
    const written = text.slice(ref.span.start, ref.span.end);
    edits.push(replace(ref.span.file, ref.span.start, ref.span.end, retargetReference(written, overlayAddress, overlayKeyed)));
  }

  const provider = azapiProviderEdit(site.files, source);
  if (provider) edits.push(provider);

  const changed = mergeInsertions(edits.filter((e) => site.files.find((f) => f.path === e.file)?.text.slice(e.start, e.end) !== e.newText));
  const overlap = overlapping(changed);
  if (overlap) return refuse(`The pin edit for ${backend.address} would change ${overlap} twice; edit it by hand.`);
  const plan: PinPlan = {
    ok: true,
    edits: changed.map(({ file, start, end, newText }) => ({ file, start, end, newText })),
    thumbprint: certificate.sha1,
    backend: backend.address,
    kind,
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
  thumbprint: string;
  /** A host literal, an HCL expression that yields the host per instance, or nothing known (a placeholder). */
  name: { kind: 'literal'; value: string } | { kind: 'expression'; text: string } | { kind: 'placeholder' };
}

type Marked = TextEdit & { placeholderAt?: number };
type Merge = { ok: true; edits: Marked[] } | { ok: false; reason: string };

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

/**
 * The host to pin: the URL host when every instance knows the same one; the interpolated expression of a URL
 * template such as `"https://${each.value.host}/api"`; a placeholder otherwise.
 */
function hostName(instances: Backend[], block: HclBlock, text: string): PinContent['name'] {
  const hosts = instances.map((b) => urlHostOf(b.url?.val)?.host);
  if (hosts.length && hosts.every((h) => h !== undefined && h === hosts[0])) return { kind: 'literal', value: hosts[0]! };
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
  if (pin.kind === 'certificate') return [`serverCertificateThumbprints = [${hclString(pin.thumbprint)}]`];
  // An expression written over several lines stays one value in parentheses (a line break ends an attribute).
  const expression = pin.name.kind === 'expression' ? (/[\r\n]/.test(pin.name.text) ? `(${pin.name.text})` : pin.name.text) : undefined;
  const name = pin.name.kind === 'literal' ? hclString(pin.name.value) : (expression ?? hclString(HOST_PLACEHOLDER));
  return ['serverX509Names = [{', `  name                        = ${name}`, `  issuerCertificateThumbprint = ${hclString(pin.thumbprint)}`, '}]'];
}

function tlsLines(pin: PinContent): string[] {
  return ['validateCertificateChain = true', 'validateCertificateName  = true', ...pinLines(pin)];
}

function newOverlay(
  file: string,
  text: string,
  block: HclBlock,
  backendAddress: string,
  name: string,
  forEachText: string | undefined,
  pin: PinContent,
): Marked {
  const eol = lineBreakOf(text);
  const unit = indentUnit(text);
  const outer = indentAt(text, block.start);
  const index = forEachText !== undefined ? '[each.key]' : '';
  const lines = [
    `resource "azapi_update_resource" "${name}" {`,
    ...(forEachText !== undefined ? [`  for_each = ${forEachText}`, ''] : []),
    `  type        = "Microsoft.ApiManagement/service/backends@${PIN_API_VERSION}"`,
    `  resource_id = ${backendAddress}${index}.id`,
    '  body = {',
    '    properties = {',
    '      tls = {',
    ...tlsLines(pin).map((l) => '        ' + l),
    '      }',
    '    }',
    '  }',
    '',
    '  lifecycle {',
    `    replace_triggered_by = [${backendAddress}${index}]`,
    '  }',
    '}',
  ];
  const body = reindent(lines, outer, unit).join(eol);
  const newText = eol + eol + body;
  const edit: Marked = { file, start: block.end, end: block.end, newText };
  const at = newText.indexOf(hclString(HOST_PLACEHOLDER));
  if (pin.name.kind === 'placeholder' && pin.kind === 'issuer' && at >= 0) edit.placeholderAt = at + 1;
  return edit;
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

/** Merges the pin into an existing overlay: the pin list set or replaced, flags turned on, api-version, trigger. */
function mergeIntoOverlay(overlay: Overlay, block: HclBlock, text: string, pin: PinContent, backend: Backend): Merge {
  const file = overlay.block.file;
  const edits: Marked[] = [];
  if (overlay.apiVersion && (compareApiVersions(overlay.apiVersion.value, PIN_API_VERSION) ?? -1) < 0) {
    edits.push(replace(file, overlay.apiVersion.span.start, overlay.apiVersion.span.end, PIN_API_VERSION));
  }
  const body = attr(block, 'body');
  if (!body) {
    edits.push(
      mark(
        appendToBody(file, text, overlay.block, [
          'body = {',
          '  properties = {',
          '    tls = {',
          ...tlsLines(pin).map((l) => '      ' + l),
          '    }',
          '  }',
          '}',
        ]),
        pin,
      ),
    );
  } else {
    let root: Expr = body.expr;
    if (root.kind === 'call' && root.name === 'jsonencode' && root.args.length === 1) root = root.args[0];
    if (root.kind !== 'object') return refuse(`The body of ${overlay.address} is not an object this command can edit; add the pin by hand.`);
    const properties = item(root, 'properties');
    if (!properties) {
      edits.push(mark(appendToObject(file, text, root, ['properties = {', '  tls = {', ...tlsLines(pin).map((l) => '    ' + l), '  }', '}']), pin));
    } else if (properties.value.kind !== 'object') {
      return refuse(`body.properties of ${overlay.address} is not an object this command can edit; add the pin by hand.`);
    } else {
      const tls = item(properties.value, 'tls');
      if (!tls) edits.push(mark(appendToObject(file, text, properties.value, ['tls = {', ...tlsLines(pin).map((l) => '  ' + l), '}']), pin));
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

function mergeIntoTls(overlay: Overlay, tls: Extract<Expr, { kind: 'object' }>, text: string, pin: PinContent): Merge {
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
    edits.push(mark(appendToObject(file, text, tls, pinLines(pin)), pin));
  } else if (!alreadyPinned(overlay, pin)) {
    const [first, ...rest] = pinLines(pin);
    const valueText = first.slice(first.indexOf('=') + 1).trim();
    const eol = lineBreakOf(text);
    const unit = indentStep(text, { file, start: tls.start, end: tls.end, bodyStart: tls.start + 1, bodyEnd: tls.end - 1 });
    const newText = [valueText, ...reindent(rest, indentAt(text, list.start), unit)].join(eol);
    edits.push(mark(replace(file, list.value.start, list.value.end, newText), pin));
  }
  return { ok: true, edits };
}

/** The overlay already holds exactly this pin (a second pin of the same file changes nothing). */
function alreadyPinned(overlay: Overlay, pin: PinContent): boolean {
  const same = overlay.pins.filter((p) => p.kind === pin.kind && !p.uncertain);
  if (same.length !== 1) return false;
  const [p] = same;
  const thumb = p.thumbprint?.kind === 'prim' ? String(p.thumbprint.value) : undefined;
  if (thumb !== pin.thumbprint) return false;
  if (pin.kind === 'certificate' || pin.name.kind !== 'literal') return true;
  return p.name?.kind === 'prim' && p.name.value === pin.name.value;
}

/** Remembers where the placeholder name sits inside an edit's new text. */
function mark(edit: TextEdit, pin: PinContent): Marked {
  const at = edit.newText.indexOf(hclString(HOST_PLACEHOLDER));
  return pin.kind === 'issuer' && pin.name.kind === 'placeholder' && at >= 0 ? { ...edit, placeholderAt: at + 1 } : edit;
}

/** Adds lines at the end of an object expression's body, as `appendToBody` does for a block. */
function appendToObject(file: string, text: string, obj: Expr, lines: string[]): TextEdit {
  return appendToBody(file, text, { file, start: obj.start, end: obj.end, bodyStart: obj.start + 1, bodyEnd: obj.end - 1 }, lines);
}

/**
 * `azapi` in `required_providers`: nothing when it is there; added to the module's `required_providers` or
 * `terraform` block; or a new `terraform` block at the top of the backend's file.
 */
function azapiProviderEdit(files: PinSite['files'], backendFile: PinSite['files'][number]): TextEdit | undefined {
  const terraform: Array<{ path: string; text: string; block: HclBlock; providers?: HclBlock }> = [];
  for (const f of files) {
    for (const b of f.hcl.blocks) {
      if (b.type !== 'terraform') continue;
      const providers = b.blocks.find((x) => x.type === 'required_providers');
      if (providers && attr(providers, 'azapi')) return undefined;
      terraform.push({ path: f.path, text: f.text, block: b, providers });
    }
  }
  const entry = ['azapi = {', '  source = "Azure/azapi"', '}'];
  const withProviders = terraform.find((t) => t.providers);
  if (withProviders) return appendToBody(withProviders.path, withProviders.text, span(withProviders.path, withProviders.providers!), entry);
  if (terraform.length) {
    const t = terraform[0];
    return appendToBody(t.path, t.text, span(t.path, t.block), ['required_providers {', ...entry.map((l) => '  ' + l), '}'], true);
  }
  const { text, path } = backendFile;
  const eol = lineBreakOf(text);
  const lines = reindent(['terraform {', '  required_providers {', ...entry.map((l) => '    ' + l), '  }', '}'], '', indentUnit(text));
  return { file: path, start: 0, end: 0, newText: lines.join(eol) + eol + eol };
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

function item(obj: Extract<Expr, { kind: 'object' }>, key: string): ObjectItem | undefined {
  return obj.items.find((i) => i.key === key);
}

function span(file: string, block: HclBlock) {
  return { file, start: block.start, end: block.end, bodyStart: block.bodyStart, bodyEnd: block.bodyEnd };
}

function dirOf(file: string): string {
  return file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}
