import { replace } from '../fixes/hcl';
import type { PrimVal } from '../model';
import type { Span } from '../types';
import { pinWriters, usedBy } from './pin-sources';
import type { Rule } from './rule';

export const pinThumbprintFormat: Rule = {
  meta: {
    id: 'APIM006',
    name: 'pin-thumbprint-format',
    defaultSeverity: 'error',
    summary: 'A pinned thumbprint is not 40 hex digits, or is written with separators or lowercase.',
  },
  check(model, ctx) {
    const seen = new Set<string>();
    for (const writer of pinWriters(model)) {
      for (const pin of writer.pins) {
        const t = pin.thumbprint;
        if (!t || t.kind !== 'prim' || typeof t.value !== 'string') continue;
        const key = `${t.span.file}|${t.span.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const field = pin.kind === 'issuer' ? 'issuerCertificateThumbprint' : 'serverCertificateThumbprints entry';
        const digits = t.value.replace(SEPARATORS, '');
        if (!/^[0-9a-f]{40}$/i.test(digits)) {
          ctx.report({ span: t.span, message: malformedMessage(writer.name, field, t.value, digits), related: usedBy(writer, t.span, field) });
          continue;
        }
        const normal = digits.toUpperCase();
        if (t.value === normal) continue;
        const edit = normalizeEdit(t, normal, ctx.textOf(t.span.file));
        ctx.report({
          span: t.span,
          severity: 'warning',
          message:
            `The ${field} of ${writer.name} is written ${styleOf(t.value)}: APIM expects 40 uppercase hex digits without ` +
            `separators, and a thumbprint written otherwise may never match. Write ${normal}.`,
          related: usedBy(writer, t.span, field),
          fixes: edit ? [{ title: 'Normalize thumbprint', kind: 'fix', isPreferred: true, edits: [edit] }] : [],
        });
      }
    }
  },
};

/**
 * What may stand between the hex digits: the colons openssl prints, the spaces Windows shows, dashes, and the
 * invisible marks that come along when a thumbprint is copied from the Windows certificate dialog.
 */
const SEPARATORS = /[\s:\-\u200b-\u200f\u202a-\u202e\u2060\ufeff]/g;

function malformedMessage(owner: string, field: string, value: string, digits: string): string {
  const what = /^[0-9a-f]{64}$/i.test(digits)
    ? 'that is a SHA-256 thumbprint, and APIM pins by SHA-1'
    : /[^0-9a-f]/i.test(digits)
      ? `it holds characters that are not hex digits (${JSON.stringify(digits.replace(/[0-9a-f]/gi, '').slice(0, 8))})`
      : `it has ${digits.length} hex digits`;
  const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return (
    `The ${field} of ${owner} ("${shown}") is not a SHA-1 thumbprint of 40 hex digits: ${what}, so the pin can never ` +
    'match and every call to the backend fails. Take it again with `openssl x509 -in issuing-ca.cer -fingerprint -sha1 -noout` ' +
    '(and drop the colons).'
  );
}

function styleOf(value: string): string {
  const parts: string[] = [];
  if (value.includes(':')) parts.push('with colons');
  if (/\s/.test(value)) parts.push('with spaces');
  if (value.includes('-')) parts.push('with dashes');
  if (/[\u200b-\u200f\u202a-\u202e\u2060\ufeff]/.test(value)) parts.push('with invisible characters');
  if (/[a-f]/.test(value)) parts.push('in lowercase');
  return parts.join(', ').replace(/, ([^,]*)$/, ' and $1');
}

/** Rewrites the literal's content and keeps its quotes; none when the source text is not the plain string. */
function normalizeEdit(val: PrimVal, normal: string, text: string | undefined): ReturnType<typeof replace> | undefined {
  const { file, start, end }: Span = val.span;
  const original = text?.slice(start, end);
  // Double quotes (HCL, JSON) or single quotes (Bicep): the literal keeps its own.
  if (!val.quoted || original === undefined || !/^(?:"[^"\\$%]*"|'[^'\\$]*')$/.test(original)) return undefined;
  return replace(file, start, end, `${original[0]}${normal}${original[0]}`);
}
