// The SARIF that pipelines upload, judged by the judge GitHub and Azure DevOps point to: Microsoft's SARIF Multitool
// (`validate --rule-kind "Sarif;Gh;Ado"`), installed on demand by install-sarif-multitool.sh. No error and no warning
// is allowed, on examples/ from the bundled CLI alone and on every rule fixture.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../server/src/cli/cli';
import { isLintedFile } from '../../server/src/core/formats';
import { RULE_IDS } from '../../server/src/core/rules';
import { isFixedFile } from '../support/fixtures';
import { REPO_ROOT } from '../support/parser';
import { AZURE_PIPELINES_ENV } from '../support/azure-pipelines';
import { bundleAlone } from '../support/bundle-alone';

const RULE_KINDS = 'Sarif;Gh;Ado';
let multitool: string;
let scratch: string;

before(() => {
  const out = execFileSync('sh', [path.join(REPO_ROOT, 'test', 'package', 'install-sarif-multitool.sh')], { encoding: 'utf8', timeout: 10 * 60_000 });
  multitool = out.trim().split('\n').pop()!;
  assert.ok(fs.existsSync(multitool), `the Multitool is installed at ${multitool}`);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-sarif-'));
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('SARIF accepted by the SARIF Multitool (GitHub and Azure DevOps rule kinds)', () => {
  test('examples/ from the bundled CLI with no docs beside it, in an Azure Pipelines job: no error or warning', () => {
    const cli = bundleAlone(path.join(scratch, 'bundle'));
    const sarif = path.join(scratch, 'examples-ado.sarif');
    fs.writeFileSync(sarif, lintWithBundle(cli, { ...AZURE_PIPELINES_ENV }));
    const log = JSON.parse(fs.readFileSync(sarif, 'utf8'));
    const rule = log.runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'APIM001');
    assert.match(rule.help.markdown, /## Why it matters/, 'the rule page travels inside the bundle');
    assert.match(log.runs[0].automationDetails.id, /^azuredevops\/pipeline\/build\/contoso\//);
    assert.ok(log.runs[0].results.length > 5, 'examples/ has findings to report');
    assert.deepEqual(validate([sarif], RULE_KINDS), []);
  });

  test('examples/ outside a pipeline: no error or warning for GitHub code scanning', () => {
    const sarif = path.join(scratch, 'examples.sarif');
    fs.writeFileSync(sarif, lintWithBundle(bundleAlone(path.join(scratch, 'bundle-gh')), {}));
    assert.equal(JSON.parse(fs.readFileSync(sarif, 'utf8')).runs[0].automationDetails.id, 'apim-tls-lint/');
    assert.deepEqual(validate([sarif], 'Sarif;Gh'), []);
  });

  // Folder by folder, as a pipeline lints a tree, so that the Multitool's fixed cost per log (about half a second)
  // is paid 16 times, not 160. Every fixture file is in a log. Where fixtures that were written to be linted alone
  // hide their rule's findings from each other in one tree (one Terraform module is one folder), that folder's
  // fixtures are also linted one by one, each copied into a folder of its own.
  test('every rule fixture: no error or warning', async () => {
    const dir = path.join(scratch, 'fixtures');
    fs.mkdirSync(dir);
    const fixtures = path.join(REPO_ROOT, 'test', 'fixtures', 'rules');
    const reported = new Set<string>();
    for (const ruleId of fs.readdirSync(fixtures).sort()) {
      const folder = path.join(fixtures, ruleId);
      const log = await sarifOf(folder, path.join(dir, `${ruleId}.sarif`));
      if (log.runs[0].results.some((r: { ruleId: string }) => r.ruleId === ruleId)) {
        for (const r of log.runs[0].results) reported.add(r.ruleId);
        continue;
      }
      for (const name of fs.readdirSync(folder).sort()) {
        const fixture = path.join(folder, name);
        if (isFixedFile(fixture) || (fs.statSync(fixture).isFile() && !isLintedFile(fixture)) || /not-a-template/.test(name)) continue;
        const alone = path.join(scratch, 'alone', ruleId, name.replace(/\.[^.]*$/, ''));
        fs.cpSync(fixture, fs.statSync(fixture).isFile() ? path.join(alone, name) : alone, { recursive: true });
        for (const r of (await sarifOf(alone, path.join(dir, `${ruleId}-${name}.sarif`))).runs[0].results) reported.add(r.ruleId);
      }
    }
    assert.deepEqual(
      RULE_IDS.filter((id) => !reported.has(id)),
      [],
      'every rule has results in the logs validated',
    );
    assert.deepEqual(validate([dir], RULE_KINDS), []);
  });
});

/** Lints `target` with the CLI in an Azure Pipelines job, writes the SARIF to `file` and returns it parsed. */
async function sarifOf(target: string, file: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli([path.relative(REPO_ROOT, target) || '.', '--format', 'sarif', '--fail-on', 'never'], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd: REPO_ROOT,
    env: AZURE_PIPELINES_ENV,
    isTTY: false,
  });
  assert.equal(code, 0, `${target}: ${stderr}`);
  fs.writeFileSync(file, stdout);
  return JSON.parse(stdout);
}

function lintWithBundle(cli: string, env: Record<string, string>): string {
  return execFileSync(process.execPath, [cli, 'examples', '--format', 'sarif', '--fail-on', 'never'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
}

/** The Multitool's errors and warnings on `targets` (files, or folders of .sarif files), one line each; notes are advice. */
function validate(targets: string[], ruleKinds: string): string[] {
  const files = targets.flatMap((t) =>
    fs.statSync(t).isDirectory()
      ? fs
          .readdirSync(t)
          .filter((n) => n.endsWith('.sarif'))
          .map((n) => path.join(t, n))
      : [t],
  );
  const output = path.join(scratch, `validation-${Date.now()}-${Math.random().toString(36).slice(2)}.sarif`);
  // (Its switches without a value, such as --quiet, are refused by this build's argument parser: none is used.)
  const run = spawnSync(multitool, ['validate', '--rule-kind', ruleKinds, '--log', 'ForceOverwrite', '--output', output, ...files], {
    encoding: 'utf8',
    timeout: 5 * 60_000,
    maxBuffer: 256 * 1024 * 1024,
    // The self-contained .NET build needs ICU unless told that invariant globalization will do (it does here).
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  if (run.status !== 0 || !fs.existsSync(output)) throw new Error(`the Multitool failed (${run.status}): ${`${run.stdout}${run.stderr}`.slice(0, 2000)}`);
  const log = JSON.parse(fs.readFileSync(output, 'utf8').replace(/^\uFEFF/, ''));
  const problems: string[] = [];
  for (const run of log.runs) {
    for (const r of run.results ?? []) {
      const level = r.level ?? 'warning';
      if (level !== 'error' && level !== 'warning') continue;
      const where = r.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? '';
      problems.push(`${path.basename(where)} ${level} ${r.ruleId} ${r.message?.id ?? ''} ${(r.message?.arguments ?? []).join(' | ')}`);
    }
  }
  return problems;
}
