// Inline suppression: `# apim-tls-lint-disable-next-line APIM001 -- reason` (or `//`) silences the listed rules on
// the next line; `... APIM001 until 2026-12-31 -- reason` does so until that day (UTC). A directive that silences
// nothing is itself reported, so stale ones do not pile up; an expired one lets its findings back and is marked; one
// whose date is no date silences nothing and says why.
import { LineIndex, lineBreakOf } from './text';
import type { Finding, Fix, TextEdit } from './types';

export const DIRECTIVE = 'apim-tls-lint-disable-next-line';
export const UNUSED_DIRECTIVE_CODE = 'unused-suppression';
export const EXPIRED_SUPPRESSION_CODE = 'expired-suppression';
export const INVALID_SUPPRESSION_CODE = 'invalid-suppression';
/** The findings about directives themselves, documented on the suppression page. */
export const DIRECTIVE_CODES: ReadonlySet<string> = new Set([UNUSED_DIRECTIVE_CODE, EXPIRED_SUPPRESSION_CODE, INVALID_SUPPRESSION_CODE]);
/** How far ahead the "Suppress … until" action sets the date. */
export const SUPPRESS_UNTIL_DAYS = 30;

interface Directive {
  line: number;
  ids: Array<{ id: string; start: number; end: number }>;
  /** Where new ids are appended: after the last id, before `until` and any `-- reason`. */
  insertAt: number;
  start: number;
  end: number;
  /** `until <date>`: the date token's span (empty when the keyword has no date after it) and the date when valid. */
  until?: { keywordStart: number; start: number; end: number; text: string; date?: string };
}

const DIRECTIVE_RE = /^[ \t]*(?:#|\/\/)[ \t]*apim-tls-lint-disable-next-line\b([^\r\n]*)/gm;
const UNTIL_RE = /\buntil\b[ \t]*(\S*)/i;

export function findDirectives(text: string, index: LineIndex): Map<number, Directive> {
  const out = new Map<number, Directive>();
  if (!text.includes(DIRECTIVE)) return out;
  DIRECTIVE_RE.lastIndex = 0;
  for (let m = DIRECTIVE_RE.exec(text); m; m = DIRECTIVE_RE.exec(text)) {
    const restStart = m.index + m[0].length - m[1].length;
    const reason = m[1].indexOf('--');
    let idsText = reason >= 0 ? m[1].slice(0, reason) : m[1];
    let until: Directive['until'];
    const u = UNTIL_RE.exec(idsText);
    if (u) {
      const start = restStart + u.index + u[0].length - u[1].length;
      until = { keywordStart: restStart + u.index, start, end: start + u[1].length, text: u[1], date: validDate(u[1]) };
      idsText = idsText.slice(0, u.index);
    }
    const ids: Directive['ids'] = [];
    const idRe = /[A-Za-z]+\d+/g;
    for (let id = idRe.exec(idsText); id; id = idRe.exec(idsText)) {
      ids.push({ id: id[0].toUpperCase(), start: restStart + id.index, end: restStart + id.index + id[0].length });
    }
    const insertAt = ids.length ? ids[ids.length - 1].end : restStart + idsText.trimEnd().length;
    const line = index.positionAt(m.index).line;
    out.set(line, { line, ids, insertAt, start: m.index, end: m.index + m[0].length, until });
  }
  return out;
}

/**
 * Drops suppressed findings of one file, reports unused, expired and invalid directives (unused ones for
 * `enabledIds` only) and gives every remaining rule finding its "Suppress <id>" fixes. `now` decides expiry.
 */
export function applySuppressions(file: string, text: string, findings: Finding[], enabledIds: ReadonlySet<string>, now: Date = new Date()): Finding[] {
  // Most files have neither: do not index the lines of a large file for nothing.
  if (findings.length === 0 && !text.includes(DIRECTIVE)) return [];
  const index = new LineIndex(text);
  const directives = findDirectives(text, index);
  const today = isoDay(now);
  const renewTo = isoDay(new Date(now.getTime() + SUPPRESS_UNTIL_DAYS * 86_400_000));
  const used = new Set<string>();
  const expiredUsed = new Set<Directive>();
  const kept: Finding[] = [];
  for (const f of findings) {
    const line = index.positionAt(f.start).line;
    const d = directives.get(line - 1);
    const fixes = [...f.fixes, ...suppressFixes(file, text, index, line, f.ruleId, d, today, renewTo)];
    if (d && d.ids.some((i) => i.id === f.ruleId) && !(d.until && !d.until.date)) {
      used.add(`${d.line}:${f.ruleId}`);
      if (!d.until?.date || d.until.date > today) continue;
      // From the day it names, the directive lets the finding back, saying so and pointing at the directive.
      expiredUsed.add(d);
      const related = { file, start: d.until.start, end: d.until.end, message: 'The expired suppression' };
      kept.push({ ...f, message: `${f.message} Its suppression expired on ${d.until.date}.`, related: [...f.related, related], fixes });
      continue;
    }
    kept.push({ ...f, fixes });
  }
  for (const d of directives.values()) {
    if (d.until && !d.until.date) {
      kept.push(invalidDirective(file, d));
      continue;
    }
    if (expiredUsed.has(d)) kept.push(expiredDirective(file, d, renewTo));
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

/**
 * "Suppress <id> on this line" and "Suppress <id> until <date>", written as a new directive on the line above or
 * added to the one already there. An id added to a directive with a date shares that date, and says so.
 */
function suppressFixes(
  file: string,
  text: string,
  index: LineIndex,
  line: number,
  id: string,
  existing: Directive | undefined,
  today: string,
  renewTo: string,
): Fix[] {
  const fix = (title: string, edits: TextEdit[]): Fix => ({ title, kind: 'suppress', isPreferred: false, edits });
  if (existing) {
    const append: TextEdit = { file, start: existing.insertAt, end: existing.insertAt, newText: existing.ids.length ? `, ${id}` : ` ${id}` };
    const date = existing.until?.date;
    if (!date) return [fix(`Suppress ${id} on this line`, [append])];
    if (date > today) return [fix(`Suppress ${id} until ${date}`, [append])];
    // The directive above has expired: adding to it renews it.
    return [fix(`Suppress ${id} until ${renewTo}`, [append, { file, start: existing.until!.start, end: existing.until!.end, newText: renewTo }])];
  }
  const lineStart = index.lineStart(line);
  const indent = /^[ \t]*/.exec(text.slice(lineStart, index.lineEnd(line)))![0];
  const marker = /\.(tf|tofu|tfvars|hcl)$/.test(file) ? '#' : '//';
  const insert = (suffix: string): TextEdit => ({
    file,
    start: lineStart,
    end: lineStart,
    newText: `${indent}${marker} ${DIRECTIVE} ${id}${suffix}${lineBreakOf(text)}`,
  });
  return [fix(`Suppress ${id} on this line`, [insert('')]), fix(`Suppress ${id} until ${renewTo}`, [insert(` until ${renewTo}`)])];
}

function expiredDirective(file: string, d: Directive, renewTo: string): Finding {
  const until = d.until!;
  return {
    file,
    start: until.start,
    end: until.end,
    ruleId: EXPIRED_SUPPRESSION_CODE,
    severity: 'info',
    message: `This suppression expired on ${until.date}: the findings it silenced on the next line are reported again. Fix them, or renew the date if the reason still holds.`,
    related: [],
    fixes: [
      {
        title: `Renew the suppression until ${renewTo}`,
        kind: 'suppress',
        isPreferred: false,
        edits: [{ file, start: until.start, end: until.end, newText: renewTo }],
      },
    ],
  };
}

function invalidDirective(file: string, d: Directive): Finding {
  const until = d.until!;
  const [start, end] = until.text ? [until.start, until.end] : [until.keywordStart, until.keywordStart + 'until'.length];
  const what = until.text ? `"${until.text}" is not a date` : '`until` needs a date';
  return {
    file,
    start,
    end,
    ruleId: INVALID_SUPPRESSION_CODE,
    severity: 'warning',
    message: `${what}: write until YYYY-MM-DD with a day that exists (2026-12-31). Until then this directive suppresses nothing.`,
    related: [],
    fixes: [],
  };
}

/** The date when `text` is YYYY-MM-DD naming a day of the calendar (2026-02-30 and 2026-13-01 are not). */
function validDate(text: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return isoDay(day) === text ? text : undefined;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
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
