import { asBool, type Bound, type Model, type Pin, type PrimVal } from '../model';
import type { Fix, Span } from '../types';
import { consumerInfo, isPrim, type Rule, type RuleContext } from './rule';

export const redundantValidationFlags: Rule = {
  meta: {
    id: 'APIM010',
    name: 'redundant-validation-flags',
    defaultSeverity: 'hint',
    summary: 'A validation flag is false on a pinned backend, where pins take precedence.',
  },
  check(model, ctx) {
    const uses = flagUses(model);
    // Only a `false` can be redundant; uses of one literal share its span, and so its value.
    const byValue = groupBy(
      uses.filter((u) => isPrim(u.bound.val) && asBool(u.bound.val) === false),
      (u) => u.bound.val.span!,
    );
    let byConsumer: Map<string, FlagUse[]> | undefined;
    for (const group of byValue.values()) {
      const [{ bound, owner }] = group;
      const val = bound.val as PrimVal;
      // A value shared with an unpinned backend (a for_each instance, another module call) still does its job there.
      if (!group.every((u) => u.pinned)) continue;
      byConsumer ??= groupBy(uses, (u) => u.bound.consumer);
      const flag = bound.consumerName.replace(/^.*\./, '');
      ctx.report({
        span: val.span,
        message:
          `${flag} = false on ${owner} changes nothing: the backend's pins make APIM validate chain and name regardless. ` +
          'Remove the flag, so nobody reads it as trust being switched off.',
        related: consumerInfo(bound, owner),
        unnecessary: true,
        fixes: removal({ ...bound, val }, byConsumer.get(spanKey(bound.consumer)) ?? [], ctx),
      });
    }
  },
};

interface FlagUse {
  bound: Bound;
  owner: string;
  /** The backend that reads the flag has pins (its own or an overlay's). */
  pinned: boolean;
}

/** Every known validation flag, with whether the backend it applies to is pinned. */
function flagUses(model: Model): FlagUse[] {
  const uses: FlagUse[] = [];
  const add = (bound: Bound | undefined, owner: string, pinned: boolean) => {
    if (bound) uses.push({ bound, owner, pinned });
  };
  for (const b of model.backends) {
    const pinned = isPinned(b.pins);
    add(b.validateChain, b.name, pinned);
    add(b.validateName, b.name, pinned);
  }
  for (const o of model.overlays) {
    if (!o.isBackendType) continue;
    const pinned = isPinned(o.pins) || (o.target.kind === 'backend' && isPinned(o.target.backend.pins));
    add(o.validateChain, o.name, pinned);
    add(o.validateName, o.name, pinned);
  }
  return uses;
}

function isPinned(pins: Pin[]): boolean {
  return pins.some((p) => !p.uncertain);
}

/**
 * Removing the flag, in the syntax of the file that writes the `false`: the attribute that reads it may go whole only
 * when every backend reading that attribute is pinned.
 */
function removal(bound: Bound & { val: PrimVal }, consumers: FlagUse[], ctx: RuleContext): Fix[] {
  const textOf = (file: string) => ctx.textOf(file);
  const edits = ctx.formatOf(bound.val.span.file)?.edits.removeFlag(
    bound,
    consumers.every((u) => u.pinned),
    textOf,
  );
  return edits ? [{ title: 'Remove the redundant flag', kind: 'fix', isPreferred: true, edits }] : [];
}

function groupBy<T>(items: T[], spanOf: (item: T) => Span): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = spanKey(spanOf(item));
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function spanKey(s: Span): string {
  return `${s.file}|${s.start}|${s.end}`;
}
