import type { Misplaced } from '../model';
import type { Fix } from '../types';
import type { Rule, RuleContext } from './rule';

export const misplacedTlsProperties: Rule = {
  meta: {
    id: 'APIM017',
    name: 'misplaced-tls-properties',
    defaultSeverity: 'error',
    summary: 'Backend pins or validation flags are written at a path the API never reads (properties.properties.tls, tls at the root, a misspelt key).',
  },
  check(model, ctx) {
    const all = [...model.backends.flatMap((b) => b.misplaced ?? []), ...model.overlays.flatMap((o) => o.misplaced ?? [])];
    for (const m of all) {
      const what = m.holdsPins ? 'pins' : 'TLS settings';
      const effect = m.holdsPins ? 'so the backend is not pinned at all' : 'so the flags have no effect and validation stays as the API defaults it';
      const words = m.move?.rename
        ? `${m.owner} writes ${m.path}, which is no key the API knows (it reads ${m.expected}): the ${what} there are ignored, ${effect}. Rename the key.`
        : `${m.owner} writes ${what} at ${m.path}, a path the API never reads (it reads ${m.expected}), ${effect}. Move them to ${m.expected}.`;
      ctx.report({ span: m.key, message: words, fixes: moveFix(m, ctx) });
    }
  },
};

/**
 * Moving pins where the API reads them is what the author meant, and safe; moving flags alone makes a `false` that is
 * ignored today take effect, so that move is offered but not preferred.
 */
function moveFix(m: Misplaced, ctx: RuleContext): Fix[] {
  if (!m.move) return [];
  const text = ctx.textOf(m.key.file);
  const edits = text === undefined ? undefined : ctx.formatOf(m.key.file)?.edits.moveMember?.(m.key.file, text, m.move);
  if (!edits?.length) return [];
  const title = m.move.rename ? `Rename to ${m.move.rename}` : `Move to ${m.expected}`;
  return [{ title, kind: 'fix', isPreferred: m.holdsPins, edits }];
}
