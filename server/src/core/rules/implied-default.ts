// A validation flag nobody wrote: a registry module deploys it for an entry that omits the input (Bound.implied). The
// finding says so, and its fix writes the input explicitly in the entry, in the file's own syntax.
import type { Bound } from '../model';
import type { Fix } from '../types';
import type { RuleContext } from './rule';

/** The sentence that explains an implied value, to follow a finding's message; empty for a value the user wrote. */
export function impliedNote(bound: Bound): string {
  return bound.implied ? ` ${bound.implied.note}` : '';
}

/**
 * The fix that writes the omitted input with the given flag values (`chain`, `name`), e.g. `tls: { validateCertificateChain:
 * false, validateCertificateName: true }`; none when the entry's syntax does not allow it safely.
 */
export function writeImplied(bound: Bound, ctx: RuleContext, chain: boolean, name: boolean, title: string, isPreferred: boolean): Fix[] {
  const implied = bound.implied;
  if (!implied) return [];
  const text = ctx.textOf(implied.entry.file);
  const edits =
    text === undefined
      ? undefined
      : ctx.formatOf(implied.entry.file)?.edits.writeMember?.(implied.entry.file, text, implied.entry, implied.member, [
          [implied.chainKey, chain],
          [implied.nameKey, name],
        ]);
  return edits?.length ? [{ title, kind: 'fix', isPreferred, edits }] : [];
}
