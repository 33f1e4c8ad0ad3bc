import { asBool, type Bound, type Model, type Pin, type PrimVal } from '../model';
import { removeItem } from '../fixes/hcl';
import { removeJsonProperty } from '../arm/edits';
import { formatOf } from '../formats';
import type { Fix, Span } from '../types';
import { consumerInfo, isPrim, type Rule } from './rule';

export const redundantValidationFlags: Rule = {
  meta: {
    id: 'APIM010',
    name: 'redundant-validation-flags',
    defaultSeverity: 'hint',
    summary: 'A validation flag is false on a pinned backend, where pins take precedence.',
  },
  check(model, ctx) {
    const uses = flagUses(model);
    const byValue = groupBy(
      uses.filter((u) => isPrim(u.bound.val)),
      (u) => u.bound.val.span!,
    );
    const byConsumer = groupBy(uses, (u) => u.bound.consumer);
    for (const group of byValue.values()) {
      const [{ bound, owner }] = group;
      const val = bound.val as PrimVal;
      // A value shared with an unpinned backend (a for_each instance, another module call) still does its job there.
      if (asBool(val) !== false || !group.every((u) => u.pinned)) continue;
      const flag = bound.consumerName.replace(/^.*\./, '');
      ctx.report({
        span: val.span,
        message:
          `${flag} = false on ${owner} changes nothing: the backend's pins make APIM validate chain and name regardless. ` +
          'Remove the flag, so nobody reads it as trust being switched off.',
        related: consumerInfo(bound, owner),
        unnecessary: true,
        fixes: removal({ ...bound, val }, byConsumer.get(spanKey(bound.consumer)) ?? [], ctx.textOf(val.span.file), ctx.textOf(bound.consumer.file)),
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
 * Removing the attribute that reads the flag: a `tls {}` attribute goes whole (even when the `false` comes from
 * tfvars or a local, provided every backend reading that attribute is pinned); an item of an azapi `body` goes
 * only when the `false` is written there.
 */
function removal(bound: Bound & { val: PrimVal }, consumers: FlagUse[], valText: string | undefined, consumerText: string | undefined): Fix[] {
  const title = 'Remove the redundant flag';
  const { val, consumer } = bound;
  if (formatOf(val.span.file) === 'arm') {
    // JSON: the property holding the `false` goes with its comma, wherever it is written (resource or parameter).
    const edits = valText === undefined ? undefined : removeJsonProperty(val.span.file, valText, val.span.start, bound.consumerName.replace(/^.*\./, ''));
    return edits ? [{ title, kind: 'fix', isPreferred: true, edits }] : [];
  }
  // An item of an azapi `body` or of ARM/Bicep `properties` goes only when the `false` is written there.
  if (!/^(body|properties)\./.test(bound.consumerName)) {
    if (consumerText === undefined || !consumers.every((u) => u.pinned)) return [];
    return [{ title, kind: 'fix', isPreferred: true, edits: [removeItem(consumer.file, consumerText, consumer.start, consumer.end)] }];
  }
  if (valText === undefined || val.span.file !== consumer.file || val.span.start < consumer.start || val.span.end > consumer.end) return [];
  const key = itemKeyStart(valText, val.span, bound.consumerName.replace(/^.*\./, ''));
  if (key === undefined) return [];
  return [{ title, kind: 'fix', isPreferred: true, edits: [removeItem(val.span.file, valText, key, val.span.end)] }];
}

/** Where the object item `name = value` starts, when its key is written just before the value. */
function itemKeyStart(text: string, val: Span, name: string): number | undefined {
  const before = text.slice(Math.max(0, val.start - 200), val.start);
  const m = new RegExp(`(?:"${name}"|\\b${name})[ \\t]*[=:][ \\t]*$`).exec(before);
  return m ? val.start - before.length + m.index : undefined;
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
