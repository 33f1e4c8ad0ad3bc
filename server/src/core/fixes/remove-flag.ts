// Removing a validation flag that pins make redundant (APIM010), in each syntax: an HCL attribute or object item, a
// Bicep object property (both `name = value`/`name: value` on their own line), or a JSON property with its comma.
import { removeJsonProperty } from '../arm/edits';
import type { Bound, PrimVal } from '../model';
import type { Span, TextEdit } from '../types';
import { removeItem } from './hcl';

/**
 * HCL and Bicep: an attribute of a `tls {}` block goes whole (even when the `false` comes from tfvars or a local,
 * provided every backend reading that attribute is pinned: `removable`); an item of an azapi `body` or of Bicep
 * `properties` goes only when the `false` is written there.
 */
export function removeFlagInObject(bound: Bound & { val: PrimVal }, removable: boolean, textOf: (file: string) => string | undefined): TextEdit[] | undefined {
  const { val, consumer } = bound;
  if (!/^(body|properties)\./.test(bound.consumerName)) {
    const consumerText = textOf(consumer.file);
    if (consumerText === undefined || !removable) return undefined;
    return [removeItem(consumer.file, consumerText, consumer.start, consumer.end)];
  }
  const valText = textOf(val.span.file);
  if (valText === undefined || val.span.file !== consumer.file || val.span.start < consumer.start || val.span.end > consumer.end) return undefined;
  const key = itemKeyStart(valText, val.span, bound.consumerName.replace(/^.*\./, ''));
  if (key === undefined) return undefined;
  return [removeItem(val.span.file, valText, key, val.span.end)];
}

/** JSON: the property holding the `false` goes with its comma, wherever it is written (resource or parameter). */
export function removeFlagInJson(bound: Bound & { val: PrimVal }, _removable: boolean, textOf: (file: string) => string | undefined): TextEdit[] | undefined {
  const valText = textOf(bound.val.span.file);
  return valText === undefined ? undefined : removeJsonProperty(bound.val.span.file, valText, bound.val.span.start, bound.consumerName.replace(/^.*\./, ''));
}

/** Where the object item `name = value` starts, when its key is written just before the value. */
function itemKeyStart(text: string, val: Span, name: string): number | undefined {
  const before = text.slice(Math.max(0, val.start - 200), val.start);
  const m = new RegExp(`(?:"${name}"|\\b${name})[ \\t]*[=:][ \\t]*$`).exec(before);
  return m ? val.start - before.length + m.index : undefined;
}
