// What every finding's code actions share: the action that explains its rule from the page packaged with the
// extension (no network needed), and the order of the actions: the preferred fix first, then the other fixes, then
// the explanation, suppression last — the same on every rule.
import { type CodeAction, CodeActionKind, type Diagnostic } from 'vscode-languageserver/node';
import { EXPLAIN_RULE, type ExplainRuleArgs } from './custom-messages';

/** A code action and what it does, for ordering. */
export interface RankedAction {
  action: CodeAction;
  role: 'fix' | 'explain' | 'suppress';
}

/** "Explain APIM001": runs the client command that shows the rule's page. */
export function explainAction(ruleId: string, diagnostic: Diagnostic): RankedAction {
  const args: ExplainRuleArgs = { ruleId };
  const title = `Explain ${ruleId}`;
  return {
    role: 'explain',
    action: { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: EXPLAIN_RULE, arguments: [args] } },
  };
}

/** Preferred fixes, other fixes, explanations, suppressions; the order within each group is kept. */
export function orderActions(actions: readonly RankedAction[]): CodeAction[] {
  const rank = (a: RankedAction) => (a.role === 'fix' ? (a.action.isPreferred ? 0 : 1) : a.role === 'explain' ? 2 : 3);
  return actions
    .map((a, i) => ({ a, i }))
    .sort((x, y) => rank(x.a) - rank(y.a) || x.i - y.i)
    .map(({ a }) => a.action);
}
