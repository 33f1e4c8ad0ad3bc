// `--format sarif`: a SARIF 2.1.0 log that GitHub code scanning and Azure DevOps accept without complaint (checked by
// Microsoft's SARIF Multitool with the GitHub and ADO rule kinds in test/unit/sarif-multitool.test.ts): every rule
// with its docs page as help, results with fingerprints that survive unrelated edits, and automation details.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES } from '../core/rules';
import { EXPIRED_SUPPRESSION_CODE, INVALID_SUPPRESSION_CODE, UNUSED_DIRECTIVE_CODE } from '../core/suppress';
import { DOCS_BASE, SOURCE, docsPageUrl, docsUrl, type Severity } from '../core/types';
import { PARSE_BUDGET_CODE } from '../core/parse/parse-budget';
import { FILE_TOO_LARGE_CODE } from '../core/workspace';
import { NESTING_TOO_DEEP_CODE } from '../core/nesting-too-deep';
import type { AutomationDetails } from './ado-pipeline';
import type { Location, Reported } from './report';
import { docHelp } from './doc-help';
import type { RuleHelp } from './rule-help';

export interface SarifOptions {
  version: string;
  /** Relative paths are resolved against this folder (`%SRCROOT%`). */
  cwd: string;
  /** The pipeline run the log belongs to (Azure Pipelines); by default the category `apim-tls-lint/`. */
  automation?: AutomationDetails;
}

/** The partialFingerprints key: GitHub and Azure DevOps match a result across runs by it. */
export const FINGERPRINT_KEY = 'apimTlsLint/v1';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
const REPOSITORY = DOCS_BASE.replace(/\/blob\/.*$/, '');

interface ToolRule {
  /** PascalCase, as SARIF suggests: a rule's `name` must differ from its `id` (and Azure DevOps wants one). */
  name: string;
  summary: string;
  level: Severity;
  /** A page below docs/ for the help; otherwise `help` is used as it is. */
  page?: string;
  help?: string;
}

/** Findings that come from the linter itself rather than a rule of the catalogue. */
const TOOL_RULES: Record<string, ToolRule> = {
  [UNUSED_DIRECTIVE_CODE]: {
    name: 'UnusedSuppression',
    summary: 'A suppression directive that suppresses nothing on the next line.',
    level: 'hint',
    page: 'suppression',
  },
  [EXPIRED_SUPPRESSION_CODE]: {
    name: 'ExpiredSuppression',
    summary: 'A suppression directive whose until date has passed: the findings it suppressed are reported again.',
    level: 'info',
    page: 'suppression',
  },
  [INVALID_SUPPRESSION_CODE]: {
    name: 'InvalidSuppression',
    summary: 'A suppression directive whose until date is not a valid YYYY-MM-DD date: it suppresses nothing.',
    level: 'warning',
    page: 'suppression',
  },
  [PARSE_BUDGET_CODE]: {
    name: 'ParseBudgetExceeded',
    summary: 'A file whose parse took longer than its time budget was skipped.',
    level: 'info',
    help: 'The Terraform and Bicep grammars are slow on some valid inputs (tree-sitter-bicep on many string interpolations, tree-sitter-hcl on long runs of quotes or `${`), so each parse runs under a time budget; a file over it is reported with this note instead of linted. Split the file into smaller files or modules.',
  },
  [FILE_TOO_LARGE_CODE]: {
    name: 'FileTooLarge',
    summary: 'A file too large to lint was skipped.',
    level: 'info',
    help: 'apim-tls-lint skips files over 5 MB and reports each with this note instead of linting it. Split the file, or lint it with a tool meant for generated files.',
  },
  [NESTING_TOO_DEEP_CODE]: {
    name: 'NestingTooDeep',
    summary: 'A file nested too deep to read in full; the rest of the file was linted.',
    level: 'info',
    help: 'apim-tls-lint reads JSON (ARM templates, parameters files, the configuration), Terraform and Bicep down to 128 levels of brackets and interpolations; what is nested deeper is not read, and the file gets this note where the first such value begins (a level that never closes is skipped up to the next top-level block). Real configurations stay far below that depth; a file this deep is usually generated or damaged.',
  },
};

export function formatSarif(findings: readonly Reported[], options: SarifOptions): string {
  const rules: object[] = RULES.map((r) =>
    descriptor(r.id, r.name, r.summary, r.defaultSeverity, docsUrl(r.id), helpOf(`rules/${r.id}`, r.summary, docsUrl(r.id))),
  );
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i] as const));
  for (const f of findings) {
    const extra = TOOL_RULES[f.ruleId];
    if (ruleIndex.has(f.ruleId) || !extra) continue;
    ruleIndex.set(f.ruleId, rules.length);
    const helpUri = extra.page ? docsPageUrl(extra.page) : undefined;
    const help = extra.page ? helpOf(extra.page, extra.summary, helpUri) : { fullDescription: extra.summary, text: extra.help!, markdown: extra.help! };
    rules.push(descriptor(f.ruleId, extra.name, extra.summary, extra.level, helpUri, help));
  }
  const fingerprints = fingerprintsOf(findings);
  const results = findings.map((f, i) => ({
    ruleId: f.ruleId,
    ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: physical(f, options.cwd) }],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprints[i] },
    ...(f.related.length
      ? { relatedLocations: f.related.map((r, id) => ({ id, message: { text: r.message }, physicalLocation: physical(r, options.cwd) })) }
      : {}),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: SOURCE,
            fullName: `${SOURCE} ${options.version}: Azure API Management backend TLS trust linter for Terraform, ARM templates and Bicep`,
            version: options.version,
            // SARIF wants a semantic version here; a build without a package.json says "unknown".
            ...(/^\d+\.\d+\.\d+/.test(options.version) ? { semanticVersion: options.version } : {}),
            informationUri: REPOSITORY,
            rules,
          },
        },
        // The category GitHub files the results under (upload-sarif's `category` can still tell several trees
        // apart); in Azure Pipelines, the pipeline run that Advanced Security for Azure DevOps files them under.
        automationDetails: options.automation ?? { id: `${SOURCE}/` },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(options.cwd).href.replace(/\/?$/, '/') } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function descriptor(id: string, name: string, summary: string, level: Severity, helpUri: string | undefined, help: RuleHelp): object {
  return {
    id,
    name,
    shortDescription: { text: summary },
    fullDescription: { text: help.fullDescription || summary },
    ...(helpUri ? { helpUri } : {}),
    help: { text: help.text, markdown: help.markdown },
    defaultConfiguration: { level: LEVEL[level] },
    properties: { tags: ['security', 'azure', 'api-management', 'tls'] },
  };
}

/** The page's help; a page that is missing (never in a release: a test ties every rule to its page) links instead. */
function helpOf(page: string, summary: string, helpUri: string | undefined): RuleHelp {
  const help = docHelp(page);
  if (help) return help;
  const text = helpUri ? `${summary} See ${helpUri}.` : summary;
  return { fullDescription: summary, text, markdown: helpUri ? `${summary} See [the rule's page](${helpUri}).` : summary };
}

/**
 * A hash of the rule, the file, the finding's line with its spacing normalized, and which occurrence of that triple
 * it is in the file: lines added or removed elsewhere, or re-indentation, do not change it; editing the line does.
 */
function fingerprintsOf(findings: readonly Reported[]): string[] {
  const seen = new Map<string, number>();
  // Occurrences count in file order, whatever order the findings come in.
  const order = findings.map((_, i) => i).sort((a, b) => findings[a].line - findings[b].line || findings[a].column - findings[b].column);
  const out: string[] = new Array<string>(findings.length);
  for (const i of order) {
    const f = findings[i];
    const key = [f.ruleId, f.file.split(path.sep).join('/'), (f.lineText ?? '').trim().replace(/\s+/g, ' ')].join('\0');
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    out[i] = createHash('sha256').update(`${key}\0${n}`).digest('hex').slice(0, 32);
  }
  return out;
}

/** A path below the working folder is written relative to %SRCROOT% (what GitHub and ADO map to the checkout). */
function physical(l: Location, cwd: string): object {
  const absolute = path.resolve(cwd, l.file);
  const relative = path.relative(cwd, absolute);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  const artifactLocation = inside
    ? { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
    : { uri: pathToFileURL(absolute).href };
  return { artifactLocation, region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn } };
}
