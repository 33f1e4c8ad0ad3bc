// `.apim-tls-lint.json`: parsed with jsonc-parser so that a broken file yields positioned problems (shown as
// diagnostics on the file) and whatever was valid in it still applies.
import { ParseErrorCode, type Node as JsonNode, type ParseError } from 'jsonc-parser';
import picomatch from 'picomatch';
import { parseJsonTree } from './json-depth';
import { MAX_NESTING_DEPTH } from './nesting-too-deep';
import { RULES } from './rules';
import type { SeveritySetting } from './types';

export const CONFIG_FILE_NAME = '.apim-tls-lint.json';

export interface Config {
  rules: Record<string, SeveritySetting>;
  internalHosts: string[];
  ignore: string[];
  varFiles: string[];
  /** Globs of the alternative var files (environments); empty: every .tfvars Terraform does not load by itself. */
  environments: string[];
  assumeTier: 'auto' | 'v2' | 'classic';
  expiryWarningDays: number;
}

export interface ConfigProblem {
  start: number;
  end: number;
  message: string;
}

export function defaultConfig(): Config {
  return { rules: {}, internalHosts: [], ignore: [], varFiles: [], environments: [], assumeTier: 'auto', expiryWarningDays: 30 };
}

const SEVERITIES: readonly string[] = ['off', 'hint', 'info', 'warning', 'error'];
const TIERS: readonly string[] = ['auto', 'v2', 'classic'];

/**
 * Reads a config file's text. Rules are named by id (`APIM001`) or by name (`chain-validation-disabled`); one
 * that is neither among `knownRuleIds` (and their names) is reported with the valid ids. Every problem keeps the
 * offsets of the offending JSON so the editor can underline it.
 */
export function parseConfig(text: string, knownRuleIds: readonly string[]): { config: Config; problems: ConfigProblem[] } {
  const config = defaultConfig();
  const problems: ConfigProblem[] = [];
  const errors: ParseError[] = [];
  const { root, cutAt } = parseJsonTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  for (const e of errors) {
    problems.push({
      start: e.offset,
      end: e.offset + Math.max(e.length, 1),
      message: `Invalid JSON: ${JSON_ERRORS[e.error] ?? 'the text cannot be read here'}.`,
    });
  }
  if (cutAt !== undefined) problems.push({ start: cutAt, end: cutAt + 1, message: `Values nested more than ${MAX_NESTING_DEPTH} levels deep are not read.` });
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
      case 'internalHosts': {
        const list = readStringArray(valueNode, key, problems);
        if (list) config[key] = list;
        break;
      }
      case 'ignore':
      case 'varFiles':
      case 'environments': {
        const list = readStringArray(valueNode, key, problems);
        if (list && globsCompile(valueNode, key, problems)) config[key] = list;
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
        problems.push(at(keyNode, `Unknown setting "${key}". Known: rules, internalHosts, ignore, varFiles, environments, assumeTier, expiryWarningDays.`));
    }
  }
  return { config, problems };
}

/** jsonc-parser's error codes in words. */
const JSON_ERRORS: Partial<Record<ParseErrorCode, string>> = {
  [ParseErrorCode.InvalidSymbol]: 'a character that does not belong here',
  [ParseErrorCode.InvalidNumberFormat]: 'a number written wrongly',
  [ParseErrorCode.PropertyNameExpected]: 'a property name in double quotes is missing here',
  [ParseErrorCode.ValueExpected]: 'a value is missing here (a string, number, true, false, null, an array or an object)',
  [ParseErrorCode.ColonExpected]: 'a colon (:) is missing after the property name',
  [ParseErrorCode.CommaExpected]: 'a comma is missing between two entries',
  [ParseErrorCode.CloseBraceExpected]: 'a closing brace (}) is missing',
  [ParseErrorCode.CloseBracketExpected]: 'a closing bracket (]) is missing',
  [ParseErrorCode.EndOfFileExpected]: 'there is text after the end of the object',
  [ParseErrorCode.InvalidCommentToken]: 'a comment is not closed',
  [ParseErrorCode.UnexpectedEndOfComment]: 'a comment is not closed',
  [ParseErrorCode.UnexpectedEndOfString]: 'a string is not closed (a double quote is missing)',
  [ParseErrorCode.UnexpectedEndOfNumber]: 'a number ends too early',
  [ParseErrorCode.InvalidUnicode]: 'an invalid \\u escape in a string',
  [ParseErrorCode.InvalidEscapeCharacter]: 'an invalid escape (\\) in a string',
  [ParseErrorCode.InvalidCharacter]: 'a control character in a string',
};

function readRules(node: JsonNode, known: readonly string[], config: Config, problems: ConfigProblem[]): void {
  if (node.type !== 'object') {
    problems.push(at(node, '"rules" must be an object mapping rule ids or names to "off", "hint", "info", "warning" or "error".'));
    return;
  }
  const byName = new Map(RULES.filter((r) => known.includes(r.id)).map((r) => [r.name, r.id]));
  for (const prop of node.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    const id = known.includes(key.toUpperCase()) ? key.toUpperCase() : byName.get(key.toLowerCase());
    if (!id) {
      problems.push(at(keyNode, `Unknown rule "${key}". Rules are named by id or name: ${known.join(', ')} (or their names, such as "${RULES[0]?.name}").`));
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

/**
 * Whether every entry of a glob list compiles (picomatch turns each into a regular expression, which V8 refuses past a
 * size: forty thousand blanks in a glob ended the CLI); a problem names each entry that does not.
 */
function globsCompile(node: JsonNode, key: string, problems: ConfigProblem[]): boolean {
  let ok = true;
  for (const entry of node.children ?? []) {
    try {
      // The matcher builds part of its expression on first use: it is tried once as the workspace will use it.
      picomatch(String(entry.value), { dot: true })('a/b.tf');
    } catch (e) {
      const reason = e instanceof Error ? e.message.replace(/^Invalid regular expression: \/[\s\S]*\/[a-z]*: /, '') : String(e);
      problems.push(at(entry, `This entry of "${key}" cannot be used as a glob (${reason}).`));
      ok = false;
    }
  }
  return ok;
}

function at(node: JsonNode, message: string): ConfigProblem {
  return { start: node.offset, end: node.offset + node.length, message };
}
