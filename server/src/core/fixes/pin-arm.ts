// The pin edit for an ARM template backend: `properties.tls.serverX509Names` set (merged into a list already there),
// the validate flags written as false dropped (pins take precedence), and `apiVersion` raised to one that has pins.
// Steps are applied one after another on the text and returned as one edit, so they never overlap.
import { applyEdits, findNodeAtOffset, getNodePath, modify, type Node } from 'jsonc-parser';
import { removePropertyNode } from '../arm/edits';
import { isExpression } from '../arm/expressions';
import { property } from '../arm/parameters';
import { compareApiVersions, PIN_API_VERSION } from '../api-versions';
import { parseJsonTree } from '../json-depth';
import { MAX_NESTING_DEPTH } from '../nesting-too-deep';
import type { Backend } from '../model';
import { lineBreakOf } from '../text';
import type { TextEdit } from '../types';
import { indentUnit } from './hcl';

export interface ArmPin {
  /** The host the backend's certificate names (`serverX509Names[].name`). */
  name: string;
  /** The issuing CA's SHA-1 thumbprint, 40 uppercase hex digits. */
  thumbprint: string;
}

export type ArmPinPlan = { ok: true; edits: TextEdit[] } | { ok: false; reason: string };

/** The edits that pin `backend` (an ARM backend read from `text`) to `pin`. */
export function planArmPin(backend: Backend, text: string, pin: ArmPin): ArmPinPlan {
  const file = backend.block.file;
  let current = text;
  const unit = indentUnit(text);
  const options = { formattingOptions: { insertSpaces: !unit.startsWith('\t'), tabSize: unit.startsWith('\t') ? 1 : unit.length, eol: lineBreakOf(text) } };
  const resourceAt = (t: string): Node | undefined => {
    const root = parseJsonTree(t, [], { allowTrailingComma: true }).root;
    const node = root && findNodeAtOffset(root, backend.block.start, false);
    return node?.type === 'object' && node.offset === backend.block.start ? node : undefined;
  };

  // jsonc-parser's modify parses the whole text itself, without the depth cap.
  if (parseJsonTree(text).cutAt !== undefined)
    return { ok: false, reason: `The template nests values more than ${MAX_NESTING_DEPTH} levels deep, too deep to edit safely; add the pin by hand.` };
  let res = resourceAt(current);
  if (!res) return { ok: false, reason: 'The backend resource is no longer where it was; lint the file again.' };
  const props = property(res, 'properties');
  if (props && props.type !== 'object')
    return { ok: false, reason: "The backend's properties are built by an expression; set properties.tls.serverX509Names there by hand." };
  const tls = props && property(props, 'tls');
  if (tls && tls.type !== 'object')
    return { ok: false, reason: "The backend's tls is set by an expression (a parameter, say); add serverX509Names to the value it reads." };

  // 1. The validate flags written as false go: with a pin they only read as trust switched off.
  if (tls) {
    const flags = (tls.children ?? []).filter((p) => {
      const [k, v] = p.children ?? [];
      return (
        /^validateCertificate(Chain|Name)$/i.test(String(k?.value)) && (v?.value === false || (typeof v?.value === 'string' && /^\s*false\s*$/i.test(v.value)))
      );
    });
    // From the last, so that each removal sees the text as the previous one left it.
    for (const flag of flags.reverse()) {
      const fresh = resourceAt(current);
      const freshTls = fresh && property(property(fresh, 'properties')!, 'tls');
      const node = freshTls?.children?.find((p) => p.offset === flag.offset);
      if (!node) break;
      current = applyTextEdits(current, removePropertyNode(file, current, node));
    }
  }

  // 2. The pin, merged into a list already written.
  res = resourceAt(current)!;
  const base = getNodePath(res);
  const item = { name: pin.name, issuerCertificateThumbprint: pin.thumbprint };
  const names = property(res, 'properties') && property(property(res, 'properties')!, 'tls');
  const list = names?.type === 'object' ? property(names, 'serverX509Names') : undefined;
  if (list && list.type !== 'array') return { ok: false, reason: 'serverX509Names is set by an expression; add the pin to the value it reads.' };
  const already = list?.children?.some((c) => {
    const n = c.type === 'object' ? property(c, 'name') : undefined;
    const t = c.type === 'object' ? property(c, 'issuerCertificateThumbprint') : undefined;
    return n?.value === pin.name && typeof t?.value === 'string' && t.value.toUpperCase() === pin.thumbprint.toUpperCase();
  });
  if (!already) {
    const path = list ? [...base, 'properties', 'tls', 'serverX509Names', list.children?.length ?? 0] : [...base, 'properties', 'tls', 'serverX509Names'];
    const value = list ? item : [item];
    let edits: ReturnType<typeof modify>;
    try {
      edits = modify(current, path, value, { ...options, isArrayInsertion: !!list });
    } catch {
      // jsonc-parser 3.3's formatter throws on a text nested about a hundred levels deep (below our own cap).
      return { ok: false, reason: 'The template nests values too deep for its JSON to be edited safely; add the pin by hand.' };
    }
    current = applyEdits(current, edits);
  }

  // 3. An api-version that has pins.
  res = resourceAt(current)!;
  const version = property(res, 'apiVersion');
  if (version?.type === 'string' && !isExpression(version.value as string) && (compareApiVersions(version.value as string, PIN_API_VERSION) ?? 0) < 0) {
    current = current.slice(0, version.offset) + JSON.stringify(PIN_API_VERSION) + current.slice(version.offset + version.length);
  }
  return { ok: true, edits: current === text ? [] : [diffEdit(file, text, current)] };
}

function applyTextEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** One edit from `before` to `after`: the span between their common prefix and common suffix. */
function diffEdit(file: string, before: string, after: string): TextEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { file, start, end: before.length - end, newText: after.slice(start, after.length - end) };
}
