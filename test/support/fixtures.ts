// Caret-annotated fixtures: a comment line `#   ^^^^^ APIM001` asserts a finding of APIM001 exactly under the
// carets on the nearest line above that is not itself an annotation. Checked both ways: a finding without an
// annotation fails, and so does an annotation without a finding.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isCertificateFile, readCertificates } from '../../server/src/core/certificates/read';
import type { CertificateInfo } from '../../server/src/core/certificates/types';
import { parseConfig, CONFIG_FILE_NAME } from '../../server/src/core/config';
import { RULE_IDS } from '../../server/src/core/rules';
import { LineIndex } from '../../server/src/core/text';
import type { Finding, TextEdit } from '../../server/src/core/types';
import { Workspace } from '../../server/src/core/workspace';
import { bicepFormat } from '../../server/src/core/bicep/format';
import { isLintedFile } from '../../server/src/core/formats';
import { testBicepParser, testParser } from './parser';

export interface Expectation {
  file: string;
  ruleId: string;
  line: number;
  startCol: number;
  endCol: number;
}

const ANNOTATION = /^([ \t]*(?:#|\/\/)[ \t]*)(\^+)[ \t]+([A-Za-z0-9-]+)[ \t]*$/;

export function isAnnotationLine(line: string): boolean {
  return ANNOTATION.test(line);
}

export function readExpectations(file: string, text: string): Expectation[] {
  const out: Expectation[] = [];
  const lines = text.split(/\r?\n/);
  let target = -1;
  lines.forEach((line, i) => {
    const m = ANNOTATION.exec(line);
    if (!m) {
      target = i;
      return;
    }
    if (target < 0) throw new Error(`${file}:${i + 1}: annotation with no line above it`);
    const startCol = m[1].length;
    out.push({ file, ruleId: m[3], line: target, startCol, endCol: startCol + m[2].length });
  });
  return out;
}

/** Every Terraform file of a fixture: a single file, or all files below a fixture directory. */
export function fixtureFiles(fixture: string): string[] {
  if (fs.statSync(fixture).isFile()) return [fixture];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (isLintedFile(p) && !isFixedFile(p)) out.push(p);
    }
  };
  walk(fixture);
  return out.sort();
}

export function isFixedFile(p: string): boolean {
  return /\.fixed\.[^/]+$/.test(p);
}

export function fixedPathOf(p: string): string {
  return p.replace(/(\.[^./]+)$/, '.fixed$1');
}

/** The clock of every fixture lint, so that certificate expiry findings never drift with the day tests run. */
export const FIXTURE_NOW = new Date('2026-06-01T00:00:00Z');

export async function lintTexts(
  texts: Map<string, string>,
  configText?: string,
  configDir?: string,
  certificates: Map<string, CertificateInfo[]> = new Map(),
): Promise<{ findings: Finding[]; workspace: Workspace }> {
  const workspace = new Workspace(await testParser());
  workspace.now = () => FIXTURE_NOW;
  workspace.addFormat(bicepFormat(await testBicepParser()));
  if (configText !== undefined) workspace.setConfig(parseConfig(configText, RULE_IDS).config, configDir);
  for (const [p, t] of texts) workspace.setFile(p, t);
  for (const [p, c] of certificates) workspace.setCertificates(p, c);
  return { findings: workspace.lint().findings, workspace };
}

export async function lintFixture(fixture: string): Promise<{ findings: Finding[]; texts: Map<string, string>; workspace: Workspace }> {
  const texts = new Map(fixtureFiles(fixture).map((f) => [toPosix(f), fs.readFileSync(f, 'utf8')] as const));
  const dir = fs.statSync(fixture).isFile() ? path.dirname(fixture) : fixture;
  const configPath = path.join(dir, CONFIG_FILE_NAME);
  const configText = fs.existsSync(configPath) ? fs.readFileSync(configPath, 'utf8') : undefined;
  // A single-file fixture shares its rule's folder with the others: only certificate files right there count.
  const certificates = fixtureCertificates(dir, !fs.statSync(fixture).isFile());
  const { findings, workspace } = await lintTexts(texts, configText, toPosix(dir), certificates);
  return { findings, texts, workspace };
}

/** The certificate files below a fixture's folder, read as the editor and the CLI read them (refused ones skipped). */
export function fixtureCertificates(dir: string, recursive: boolean): Map<string, CertificateInfo[]> {
  const out = new Map<string, CertificateInfo[]>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (recursive) walk(p);
      } else if (isCertificateFile(p)) {
        const result = readCertificates(new Uint8Array(fs.readFileSync(p)), toPosix(p));
        if (result.ok) out.set(toPosix(p), result.certificates);
      }
    }
  };
  walk(dir);
  return out;
}

/** Describes the difference between annotations and findings; empty when they agree. */
export function compareFindings(texts: Map<string, string>, findings: Finding[]): string[] {
  const expected: Expectation[] = [];
  for (const [file, text] of texts) expected.push(...readExpectations(file, text));
  const actual: Expectation[] = findings.map((f) => {
    const index = new LineIndex(texts.get(f.file) ?? '');
    const s = index.positionAt(f.start);
    const e = index.positionAt(f.end);
    return { file: f.file, ruleId: f.ruleId, line: s.line, startCol: s.character, endCol: e.line === s.line ? e.character : s.character + 1 };
  });
  const key = (x: Expectation) => `${path.basename(x.file)}:${x.line + 1}:${x.startCol + 1}-${x.endCol + 1} ${x.ruleId}`;
  const exp = expected.map(key);
  const act = actual.map(key);
  const problems: string[] = [];
  for (const k of exp) if (!act.includes(k)) problems.push(`missing finding ${k}`);
  actual.forEach((a, i) => {
    if (!exp.includes(act[i])) problems.push(`unexpected finding ${act[i]}: ${findings[i].message}`);
  });
  return problems;
}

/** Applies non-overlapping edits to the texts they name (from the end backwards, so offsets stay valid). */
export function applyEdits(texts: Map<string, string>, edits: TextEdit[]): Map<string, string> {
  const out = new Map(texts);
  const byFile = new Map<string, TextEdit[]>();
  for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, list] of byFile) {
    let text = out.get(file);
    if (text === undefined) throw new Error(`edit for unknown file ${file}`);
    const sorted = [...list].sort((a, b) => b.start - a.start || b.end - a.end);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i].end > sorted[i - 1].start) throw new Error(`overlapping edits in ${file}`);
    }
    for (const e of sorted) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    out.set(file, text);
  }
  return out;
}

export function toPosix(p: string): string {
  return p.replace(/\\/g, '/');
}
