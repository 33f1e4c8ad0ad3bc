// The pin edit for a Bicep backend: `properties.tls.serverX509Names` set (replacing a list already there), the
// validate flags written as false dropped (pins take precedence), and the `@version` of the type string raised to
// one that has pins. The resource is located in the plain tree of bicep/ast.ts; edits keep the file's indentation.
import { MAX_NESTING_DEPTH } from '../nesting-too-deep';
import { compareApiVersions, PIN_API_VERSION } from '../api-versions';
import { parseBicepFile, type BNode, type BicepFile } from '../bicep/ast';
import type { Backend } from '../model';
import type { BicepParser } from '../parse/bicep-parser';
import type { TextEdit } from '../types';
import { indentAt, indentUnit, removeLines } from './hcl';

export interface BicepPin {
  kind: 'issuer' | 'certificate';
  /** The host the backend's certificate names (issuer pins only). */
  name: string;
  thumbprint: string;
}

export type BicepPinPlan = { ok: true; edits: TextEdit[] } | { ok: false; reason: string };

export function planBicepPin(parser: BicepParser, backend: Backend, text: string, pin: BicepPin): BicepPinPlan {
  const file = backend.block.file;
  const parsed = parseBicepFile(parser, file, text);
  if (!parsed.ok) return { ok: false, reason: `${file} could not be parsed within the time budget.` };
  // The nodes were read from the capped text: an edit built from them could copy what was blanked.
  if (parsed.file.tooDeepAt !== undefined)
    return { ok: false, reason: `${file} nests values more than ${MAX_NESTING_DEPTH} levels deep, too deep to edit safely; add the pin by hand.` };
  const path = pathTo(parsed.file.root, backend.block.start);
  const resource = path.find((n) => n.type === 'resource_declaration' && n.start === backend.block.start);
  const body = resource?.named.find((n) => n.type === 'object');
  if (!resource || !body) return { ok: false, reason: `${backend.name} is declared with a loop or a condition around its body; pin it by hand.` };

  const edits: TextEdit[] = [];
  const bicep = parsed.file;
  const version = versionEdit(bicep, path, resource);
  if (version) edits.push(version);

  const props = property(bicep, body, 'properties');
  if (props && props.type !== 'object')
    return { ok: false, reason: `${backend.name}'s properties are built by an expression; set properties.tls.serverX509Names there by hand.` };
  const tls = props && property(bicep, props, 'tls');
  if (tls && tls.type !== 'object')
    return { ok: false, reason: `${backend.name}'s tls is set by an expression (a parameter, say); add serverX509Names to the value it reads.` };

  const listKey = pin.kind === 'issuer' ? 'serverX509Names' : 'serverCertificateThumbprints';
  const list = pinList(pin);
  if (!props) {
    edits.push(insertBeforeClose(file, text, body, ['properties: {', '  tls: {', ...list.map((l) => `    ${l}`), '  }', '}']));
  } else if (!tls) {
    edits.push(insertBeforeClose(file, text, props, ['tls: {', ...list.map((l) => `  ${l}`), '}']));
  } else {
    for (const p of tls.named.filter((n) => n.type === 'object_property')) {
      const [key, value] = p.named;
      if (key && /^validateCertificate(Chain|Name)$/.test(keyText(bicep, key)) && isFalse(bicep, value)) edits.push(removeLines(file, text, p.start, p.end));
    }
    const existing = tls.named.find((n) => n.type === 'object_property' && keyText(bicep, n.named[0]) === listKey);
    if (existing) {
      const value = existing.named[1];
      const indent = indentAt(text, existing.start);
      const unit = indentUnit(text);
      const replacement = list
        .slice(1)
        .map((l) => indent + l.replace(/^((?: {2})*)/, (m) => unit.repeat(m.length / 2)))
        .join(lineBreak(text));
      const newText = `[${lineBreak(text)}${replacement}`;
      if (text.slice(value.start, value.end) !== newText) edits.push({ file, start: value.start, end: value.end, newText });
    } else edits.push(insertBeforeClose(file, text, tls, list));
  }
  return { ok: true, edits: merge(edits) };
}

/** The pin as Bicep lines, two-space nested (appendToBlock converts to the file's unit). */
function pinList(pin: BicepPin): string[] {
  if (pin.kind === 'certificate') return ['serverCertificateThumbprints: [', `  '${pin.thumbprint}'`, ']'];
  return ['serverX509Names: [', '  {', `    name: '${pin.name.replace(/'/g, "\\'")}'`, `    issuerCertificateThumbprint: '${pin.thumbprint}'`, '  }', ']'];
}

/** The version text of the resource's type string (or of the parent's, for a nested `'backends'`), raised. */
function versionEdit(file: BicepFile, path: BNode[], resource: BNode): TextEdit | undefined {
  const owners = [resource, ...path.filter((n) => n.type === 'resource_declaration' && n !== resource).reverse()];
  for (const owner of owners) {
    const type = owner.named.find((n) => n.type === 'string');
    if (!type) continue;
    const raw = file.text.slice(type.start, type.end);
    const at = raw.lastIndexOf('@');
    if (at < 0) continue;
    const start = type.start + at + 1;
    const end = type.end - 1;
    const current = file.text.slice(start, end);
    if ((compareApiVersions(current, PIN_API_VERSION) ?? 0) < 0) return { file: file.path, start, end, newText: PIN_API_VERSION };
    return undefined;
  }
  return undefined;
}

function pathTo(root: BNode, offset: number): BNode[] {
  const out: BNode[] = [];
  let node: BNode | undefined = root;
  while (node) {
    out.push(node);
    node = node.named.find((c) => c.start <= offset && offset < c.end);
  }
  return out;
}

function property(file: BicepFile, obj: BNode, key: string): BNode | undefined {
  const p = obj.named.find((n) => n.type === 'object_property' && keyText(file, n.named[0]) === key);
  return p?.named[1];
}

function keyText(file: BicepFile, key: BNode | undefined): string {
  return key ? file.text.slice(key.start, key.end).replace(/^'|'$/g, '') : '';
}

function isFalse(file: BicepFile, value: BNode | undefined): boolean {
  if (!value) return false;
  const t = file.text.slice(value.start, value.end).trim();
  return t === 'false' || /^'\s*false\s*'$/i.test(t);
}

/**
 * Inserts lines as the last properties of an object literal, one indentation step deeper than the line the object
 * starts on. `lines` use two spaces per nesting level; the file's own unit replaces them.
 */
function insertBeforeClose(file: string, text: string, obj: BNode, lines: string[]): TextEdit {
  const eol = lineBreak(text);
  const unit = indentUnit(text);
  const base = indentAt(text, obj.start);
  const body = lines.map((l) => base + unit + l.replace(/^((?: {2})*)/, (m) => unit.repeat(m.length / 2))).join(eol);
  const close = obj.end - 1;
  const closeLineStart = text.lastIndexOf('\n', close - 1) + 1;
  if (text.slice(closeLineStart, close).trim() === '') return { file, start: closeLineStart, end: closeLineStart, newText: body + eol };
  // `{}` or `{ a: 1 }` on one line: open it up.
  return { file, start: close, end: close, newText: eol + body + eol + base };
}

function lineBreak(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Insertions at one offset are joined, so that the edits never overlap. */
function merge(edits: TextEdit[]): TextEdit[] {
  const out: TextEdit[] = [];
  for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const last = out[out.length - 1];
    if (last && last.start === e.start && last.end === e.start && e.start === e.end) last.newText += e.newText;
    else out.push({ ...e });
  }
  return out;
}
