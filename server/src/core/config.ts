// `.apim-tls-lint.json`: parsed with jsonc-parser so that a broken file yields positioned problems (shown as
// diagnostics on the file) and whatever was valid in it still applies.
import { printParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import { MAX_JSON_DEPTH, parseJsonTree } from './json-depth';
import type { SeveritySetting } from './types';

export const CONFIG_FILE_NAME = '.apim-tls-lint.json';

export interface Config {
  rules: Record<string, SeveritySetting>;
  internalHosts: string[];
  ignore: string[];
  varFiles: string[];
  assumeTier: 'auto' | 'v2' | 'classic';
  expiryWarningDays: number;
}

export interface ConfigProblem {
  start: number;
  end: number;
  message: string;
}

export function defaultConfig(): Config {
  return { rules: {}, internalHosts: [], ignore: [], varFiles: [], assumeTier: 'auto', expiryWarningDays: 30 };
}

const SEVERITIES: readonly string[] = ['off', 'hint', 'info', 'warning', 'error'];
const TIERS: readonly string[] = ['auto', 'v2', 'classic'];

/**
 * Reads a config file's text. Unknown rule ids are reported against `knownRuleIds`; every problem keeps the
 * offsets of the offending JSON so the editor can underline it.
 */
export function parseConfig(text: string, knownRuleIds: readonly string[]): { config: Config; problems: ConfigProblem[] } {
  const config = defaultConfig();
  const problems: ConfigProblem[] = [];
  const errors: ParseError[] = [];
  const { root, cutAt } = parseJsonTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors) {
    problems.push({ start: e.offset, end: e.offset + Math.max(e.length, 1), message: `Invalid JSON: ${printParseErrorCode(e.error)}` });
  }
  if (cutAt !== undefined) problems.push({ start: cutAt, end: cutAt + 1, message: `Values nested more than ${MAX_JSON_DEPTH} levels deep are not read.` });
  if (!root) {
    if (problems.length === 0) problems.push({ start: 0, end: text.length, message: 'The configuration file is empty; expected a JSON object.' });
    return { config, problems };
  }
  if (root.type !== 'object') {
    problems.push(at(root, 'The configuration must be a JSON object.'));
    return { config, problems };
  }
  for (const prop of root.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    switch (key) {
      case 'rules':
        readRules(valueNode, knownRuleIds, config, problems);
        break;
      case 'internalHosts':
      case 'ignore':
      case 'varFiles': {
        const list = readStringArray(valueNode, key, problems);
        if (list) config[key] = list;
        break;
      }
      case 'assumeTier':
        if (valueNode.type === 'string' && TIERS.includes(valueNode.value as Config['assumeTier'])) config.assumeTier = valueNode.value as Config['assumeTier'];
        else problems.push(at(valueNode, `"assumeTier" must be one of ${TIERS.map((t) => `"${t}"`).join(', ')}.`));
        break;
      case 'expiryWarningDays':
        if (valueNode.type === 'number' && Number.isInteger(valueNode.value) && (valueNode.value as number) >= 0)
          config.expiryWarningDays = valueNode.value as number;
        else problems.push(at(valueNode, '"expiryWarningDays" must be a whole number of days, 0 or more.'));
        break;
      case '$schema':
        break;
      default:
        problems.push(at(keyNode, `Unknown setting "${key}". Known: rules, internalHosts, ignore, varFiles, assumeTier, expiryWarningDays.`));
    }
  }
  return { config, problems };
}

function readRules(node: JsonNode, known: readonly string[], config: Config, problems: ConfigProblem[]): void {
  if (node.type !== 'object') {
    problems.push(at(node, '"rules" must be an object mapping rule ids to "off", "hint", "info", "warning" or "error".'));
    return;
  }
  for (const prop of node.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || !valueNode) continue;
    const id = String(keyNode.value);
    if (!known.includes(id)) {
      problems.push(at(keyNode, `Unknown rule "${id}".`));
      continue;
    }
    if (valueNode.type === 'string' && SEVERITIES.includes(valueNode.value as SeveritySetting)) config.rules[id] = valueNode.value as SeveritySetting;
    else problems.push(at(valueNode, `The severity of ${id} must be one of ${SEVERITIES.map((s) => `"${s}"`).join(', ')}.`));
  }
}

function readStringArray(node: JsonNode, key: string, problems: ConfigProblem[]): string[] | undefined {
  if (node.type !== 'array' || !(node.children ?? []).every((c) => c.type === 'string')) {
    problems.push(at(node, `"${key}" must be an array of strings.`));
    return undefined;
  }
  // A NUL character names no file or host (Node refuses such paths outright).
  const nul = (node.children ?? []).find((c) => String(c.value).includes('\u0000'));
  if (nul) {
    problems.push(at(nul, `The entries of "${key}" cannot contain a NUL character.`));
    return undefined;
  }
  return (node.children ?? []).map((c) => String(c.value));
}

function at(node: JsonNode, message: string): ConfigProblem {
  return { start: node.offset, end: node.offset + node.length, message };
}
