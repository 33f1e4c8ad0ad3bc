// `--format sarif`: a minimal valid SARIF 2.1.0 log for code-scanning dashboards (GitHub, Azure DevOps).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { RULES } from '../core/rules';
import { UNUSED_DIRECTIVE_CODE } from '../core/suppress';
import { DOCS_BASE, SOURCE, docsPageUrl, docsUrl, type Severity } from '../core/types';
import { FILE_TOO_LARGE_CODE } from '../core/workspace';
import { JSON_TOO_DEEP_CODE } from '../core/json-depth';
import type { Location, Reported } from './report';

export interface SarifOptions {
  version: string;
  /** Relative paths are resolved against this folder (`%SRCROOT%`). */
  cwd: string;
}

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** Findings that come from the linter itself rather than a rule of the catalogue. */
const TOOL_RULES: Record<string, { name: string; summary: string; helpUri?: string; level: Severity }> = {
  [UNUSED_DIRECTIVE_CODE]: {
    name: UNUSED_DIRECTIVE_CODE,
    summary: 'A suppression directive that suppresses nothing on the next line.',
    helpUri: docsPageUrl('suppression'),
    level: 'hint',
  },
  [FILE_TOO_LARGE_CODE]: { name: FILE_TOO_LARGE_CODE, summary: 'A file too large to lint was skipped.', level: 'info' },
  [JSON_TOO_DEEP_CODE]: { name: JSON_TOO_DEEP_CODE, summary: 'JSON nested too deep to read in full; the rest of the file was linted.', level: 'info' },
};

export function formatSarif(findings: readonly Reported[], options: SarifOptions): string {
  const rules: object[] = RULES.map((r) => ({
    id: r.id,
    name: r.name,
    shortDescription: { text: r.summary },
    helpUri: docsUrl(r.id),
    defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
  }));
  const ruleIndex = new Map(RULES.map((r, i) => [r.id, i] as const));
  for (const f of findings) {
    const extra = TOOL_RULES[f.ruleId];
    if (ruleIndex.has(f.ruleId) || !extra) continue;
    ruleIndex.set(f.ruleId, rules.length);
    rules.push({
      id: f.ruleId,
      name: extra.name,
      shortDescription: { text: extra.summary },
      ...(extra.helpUri ? { helpUri: extra.helpUri } : {}),
      defaultConfiguration: { level: LEVEL[extra.level] },
    });
  }
  const results = findings.map((f) => ({
    ruleId: f.ruleId,
    ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [{ physicalLocation: physical(f) }],
    ...(f.related.length ? { relatedLocations: f.related.map((r, id) => ({ id, message: { text: r.message }, physicalLocation: physical(r) })) } : {}),
  }));
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: SOURCE, version: options.version, informationUri: DOCS_BASE.replace(/\/blob\/.*$/, ''), rules } },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(options.cwd).href.replace(/\/?$/, '/') } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function physical(l: Location): object {
  const artifactLocation = path.isAbsolute(l.file)
    ? { uri: pathToFileURL(l.file).href }
    : { uri: l.file.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  return { artifactLocation, region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn } };
}
