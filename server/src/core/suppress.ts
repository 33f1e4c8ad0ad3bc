// Inline suppression: `# apim-tls-lint-disable-next-line APIM001 -- reason` (or `//`) silences the listed rules on
// the next line. A directive that silences nothing is itself reported, so stale ones do not pile up.
import { LineIndex, lineBreakOf } from './text';
import type { Finding, Fix, TextEdit } from './types';

export const DIRECTIVE = 'apim-tls-lint-disable-next-line';
export const UNUSED_DIRECTIVE_CODE = 'unused-suppression';
export const EXPIRED_SUPPRESSION_CODE = 'expired-suppression';
export const INVALID_SUPPRESSION_CODE = 'invalid-suppression';

interface Directive {
  line: number;
  ids: Array<{ id: string; start: number; end: number }>;
  /** Where new ids are appended: after the last id, before any `-- reason`. */
  insertAt: number;
  start: number;
  end: number;
}

const DIRECTIVE_RE = /^[ \t]*(?:#|\/\/)[ \t]*apim-tls-lint-disable-next-line\b([^\r\n]*)/gm;

export function findDirectives(text: string, index: LineIndex): Map<number, Directive> {
  const out = new Map<number, Directive>();
  if (!text.includes(DIRECTIVE)) return out;
  DIRECTIVE_RE.lastIndex = 0;
  for (let m = DIRECTIVE_RE.exec(text); m; m = DIRECTIVE_RE.exec(text)) {
    const restStart = m.index + m[0].length - m[1].length;
    const reason = m[1].indexOf('--');
    const idsText = reason >= 0 ? m[1].slice(0, reason) : m[1];
    const ids: Directive['ids'] = [];
    const idRe = /[A-Za-z]+\d+/g;
    for (let id = idRe.exec(idsText); id; id = idRe.exec(idsText)) {
      ids.push({ id: id[0].toUpperCase(), start: restStart + id.index, end: restStart + id.index + id[0].length });
    }
    const insertAt = ids.length ? ids[ids.length - 1].end : restStart + idsText.trimEnd().length;
    out.set(index.positionAt(m.index).line, { line: index.positionAt(m.index).line, ids, insertAt, start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/**
 * Drops suppressed findings of one file, reports unused directives (for `enabledIds` only) and gives every
 * remaining rule finding a "Suppress <id> on this line" fix.
 */
export function applySuppressions(file: string, text: string, findings: Finding[], enabledIds: ReadonlySet<string>): Finding[] {
  // Most files have neither: do not index the lines of a large file for nothing.
  if (findings.length === 0 && !text.includes(DIRECTIVE)) return [];
  const index = new LineIndex(text);
  const directives = findDirectives(text, index);
  const used = new Set<string>();
  const kept: Finding[] = [];
  for (const f of findings) {
    const line = index.positionAt(f.start).line;
    const d = directives.get(line - 1);
    if (d && d.ids.some((i) => i.id === f.ruleId)) {
      used.add(`${d.line}:${f.ruleId}`);
      continue;
    }
    kept.push({ ...f, fixes: [...f.fixes, suppressFix(file, text, index, line, f.ruleId, d)] });
  }
  for (const d of directives.values()) {
    for (const id of d.ids) {
      if (!enabledIds.has(id.id) || used.has(`${d.line}:${id.id}`)) continue;
      kept.push({
        file,
        start: id.start,
        end: id.end,
        ruleId: UNUSED_DIRECTIVE_CODE,
        severity: 'hint',
        message: `This ${DIRECTIVE} directive suppresses no ${id.id} finding on the next line; remove it.`,
        related: [],
        unnecessary: true,
        fixes: [{ title: `Remove the unused ${id.id} suppression`, kind: 'fix', isPreferred: true, edits: [removeId(file, text, index, d, id)] }],
      });
    }
  }
  return kept;
}

function suppressFix(file: string, text: string, index: LineIndex, line: number, id: string, existing: Directive | undefined): Fix {
  let edit: TextEdit;
  if (existing) {
    edit = { file, start: existing.insertAt, end: existing.insertAt, newText: existing.ids.length ? `, ${id}` : ` ${id}` };
  } else {
    const lineStart = index.lineStart(line);
    const indent = /^[ \t]*/.exec(text.slice(lineStart, index.lineEnd(line)))![0];
    const marker = /\.(tf|tofu|tfvars|hcl)$/.test(file) ? '#' : '//';
    edit = { file, start: lineStart, end: lineStart, newText: `${indent}${marker} ${DIRECTIVE} ${id}${lineBreakOf(text)}` };
  }
  return { title: `Suppress ${id} on this line`, kind: 'suppress', isPreferred: false, edits: [edit] };
}

function removeId(file: string, text: string, index: LineIndex, d: Directive, id: Directive['ids'][number]): TextEdit {
  if (d.ids.length === 1) {
    // The whole directive line goes, line break included.
    const start = index.lineStart(d.line);
    const next = d.line + 1 < index.lineCount ? index.lineStart(d.line + 1) : text.length;
    return { file, start, end: next, newText: '' };
  }
  // Remove the id and the separator before it (or after it, for the first id).
  const i = d.ids.indexOf(id);
  if (i > 0) return { file, start: d.ids[i - 1].end, end: id.end, newText: '' };
  return { file, start: id.start, end: d.ids[1].start, newText: '' };
}
