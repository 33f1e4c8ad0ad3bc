// The parameters file deployed with a template: `<name>.parameters.json` beside `<name>.json` (which covers
// `azuredeploy.parameters.json` for `azuredeploy.json`), else `parameters.json` in the same folder.
import type { Node } from 'jsonc-parser';
import type { Val } from '../model';
import { nodeVal } from './expressions';

/** The candidate parameters files of a template, the most specific first. */
export function parametersFileCandidates(templatePath: string): string[] {
  const slash = templatePath.lastIndexOf('/');
  const dir = templatePath.slice(0, slash + 1);
  const base = templatePath.slice(slash + 1);
  const stem = base.replace(/\.jsonc?$/i, '');
  const out = [`${dir}${stem}.parameters.json`, `${dir}${stem}.parameters.jsonc`];
  if (base.toLowerCase() !== 'parameters.json') out.push(`${dir}parameters.json`);
  return out.filter((p) => p !== templatePath);
}

/** The first candidate that `isParametersFile` accepts. */
export function parametersFileFor(templatePath: string, isParametersFile: (path: string) => boolean): string | undefined {
  return parametersFileCandidates(templatePath).find(isParametersFile);
}

/**
 * The values a parameters file gives, by lowercased parameter name (ARM names are case-insensitive): the `value`
 * as written, or unknown for a Key Vault `reference`. Parameters files hold no template expressions.
 */
export function parameterValues(root: Node | undefined, file: string): Map<string, Val> {
  const out = new Map<string, Val>();
  const params = root?.type === 'object' ? property(root, 'parameters') : undefined;
  if (params?.type !== 'object') return out;
  for (const p of params.children ?? []) {
    const [k, v] = p.children ?? [];
    if (!k || !v || typeof k.value !== 'string') continue;
    const value = v.type === 'object' ? property(v, 'value') : undefined;
    out.set(k.value.toLowerCase(), value ? nodeVal(value, file, undefined) : { kind: 'unknown', span: { file, start: v.offset, end: v.offset + v.length } });
  }
  return out;
}

/** The value node of an object's property (ARM matches property names without regard to case). */
export function property(obj: Node, name: string): Node | undefined {
  const lower = name.toLowerCase();
  for (const p of obj.children ?? []) {
    const k = p.children?.[0];
    if (k && typeof k.value === 'string' && k.value.toLowerCase() === lower) return p.children?.[1];
  }
  return undefined;
}

/** The property node (key and value) whose key is `name`. */
export function propertyNode(obj: Node, name: string): Node | undefined {
  return property(obj, name)?.parent;
}
