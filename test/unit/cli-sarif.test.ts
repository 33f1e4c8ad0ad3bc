// `--format sarif` as code-scanning services read it: rule help from the docs pages, fingerprints that survive
// unrelated edits, the run's automation details (Azure Pipelines identity when the agent's variables say so) and
// locations relative to the checkout.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../../server/src/cli/cli';
import { FINGERPRINT_KEY } from '../../server/src/cli/format-sarif';
import { RULES } from '../../server/src/core/rules';
import { REPO_ROOT } from '../support/parser';

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-sarif-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

async function sarif(args: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli([...args, '--format', 'sarif', '--fail-on', 'never'], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    env,
    isTTY: false,
  });
  assert.equal(code, 0, stderr);
  return { run: JSON.parse(stdout).runs[0], stderr };
}

const backend = (name: string, flags: string) => `resource "azurerm_api_management_backend" "${name}" {
  name                = "${name}"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://${name}.contoso.com"
  tls {
${flags}  }
}
`;
const CHAIN_OFF = '    validate_certificate_chain = false\n';

function fingerprints(run: { results: Array<{ ruleId: string; partialFingerprints: Record<string, string> }> }): string[] {
  return run.results.map((r) => `${r.ruleId} ${r.partialFingerprints[FINGERPRINT_KEY]}`);
}

describe('SARIF for code scanning', () => {
  test('every rule carries its page: full description, help as text and Markdown with absolute links, helpUri', async () => {
    const { run } = await sarif(['.'], folder({ 'main.tf': backend('orders', CHAIN_OFF) }));
    interface Text {
      text: string;
    }
    const rules = run.tool.driver.rules as Array<{
      id: string;
      name: string;
      shortDescription: Text;
      fullDescription: Text;
      help: Text & { markdown: string };
      helpUri: string;
    }>;
    assert.deepEqual(
      rules.slice(0, RULES.length).map((r) => r.id),
      RULES.map((r) => r.id),
    );
    for (const rule of rules) {
      const page = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'rules', `${rule.id}.md`), 'utf8');
      assert.ok(rule.shortDescription.text.length > 10, `${rule.id} shortDescription`);
      assert.ok(rule.fullDescription.text.length > 20 && !rule.fullDescription.text.includes('`'), `${rule.id} fullDescription is plain text`);
      assert.ok(
        page
          .replace(/\s+/g, ' ')
          .replace(/`|\*\*/g, '')
          .includes(rule.fullDescription.text),
        `${rule.id} fullDescription is the page's first paragraph`,
      );
      assert.match(rule.help.markdown, new RegExp(`^# ${rule.id}: ${rule.name}\\n`));
      assert.doesNotMatch(rule.help.markdown, /\]\((?!https:\/\/)/, `${rule.id}: every link of the Markdown help is absolute`);
      assert.doesNotMatch(rule.help.text, /\*\*|^#+ |```/m, `${rule.id}: the text help has no Markdown markup`);
      assert.match(rule.help.text, /Why it matters/);
      assert.equal(rule.helpUri, `https://github.com/apim-tls-lint/apim-tls-lint/blob/main/docs/rules/${rule.id}.md`);
    }
    const apim002 = rules.find((r) => r.id === 'APIM002')!;
    assert.match(apim002.help.markdown, /\[APIM001\]\(https:\/\/github\.com\/apim-tls-lint\/apim-tls-lint\/blob\/main\/docs\/rules\/APIM001\.md\)/);
    assert.match(apim002.help.markdown, /\(https:\/\/github\.com\/apim-tls-lint\/apim-tls-lint\/blob\/main\/docs\/suppression\.md\)/);
    assert.match(apim002.help.text, /APIM001 \(https:\/\/github\.com\/[^)]+\/APIM001\.md\)/, 'a link keeps its address in the text help');
    // The linter's own findings are rules too, with the suppression page as help.
    const { run: suppressed } = await sarif(['.'], folder({ 'main.tf': backend('orders', '    # apim-tls-lint-disable-next-line APIM002\n' + CHAIN_OFF) }));
    const unused = suppressed.tool.driver.rules.find((r: { id: string }) => r.id === 'unused-suppression');
    assert.equal(unused.name, 'UnusedSuppression');
    assert.match(unused.help.markdown, /^# Suppressing a finding/);
    assert.equal(suppressed.results.find((r: { ruleId: string }) => r.ruleId === 'unused-suppression').ruleIndex, suppressed.tool.driver.rules.indexOf(unused));
  });

  test('dist/cli.js carries the same rule help, rendered at build time, as the sources render from docs/', async () => {
    const bundled = JSON.parse(
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'examples', '--format', 'sarif', '--fail-on', 'never'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      }),
    );
    const { run } = await sarif(['examples'], REPO_ROOT);
    assert.deepEqual(bundled.runs[0].tool.driver.rules, run.tool.driver.rules);
  });

  test('the driver names itself, its version and where to learn more; the run has automation details', async () => {
    const { run } = await sarif(['.'], folder({ 'main.tf': backend('orders', CHAIN_OFF) }));
    const version = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
    assert.equal(run.tool.driver.name, 'apim-tls-lint');
    assert.match(run.tool.driver.fullName, /^apim-tls-lint \d+\.\d+\.\d+: /);
    assert.equal(run.tool.driver.semanticVersion, version);
    assert.equal(run.tool.driver.informationUri, 'https://github.com/apim-tls-lint/apim-tls-lint');
    assert.deepEqual(run.automationDetails, { id: 'apim-tls-lint/' });
  });

  test('fingerprints survive lines added above, re-indentation and other findings; they change when the line does', async () => {
    const two = backend('orders', CHAIN_OFF) + backend('billing', CHAIN_OFF);
    const base = fingerprints((await sarif(['.'], folder({ 'main.tf': two }))).run);
    assert.equal(base.length, 2);
    assert.notEqual(base[0], base[1], 'two equal lines in one file are told apart by their order');
    const moved = `# header\n\nlocals {\n  x = 1\n}\n\n${two.replace(/^ {4}validate/gm, '      validate')}`;
    assert.deepEqual(fingerprints((await sarif(['.'], folder({ 'main.tf': moved }))).run), base);
    const edited = two.replace('validate_certificate_chain = false', 'validate_certificate_chain = "false"');
    const after = fingerprints((await sarif(['.'], folder({ 'main.tf': edited }))).run);
    assert.notEqual(after[0], base[0]);
    assert.equal(after[1], base[0], "the second line is now the first of its kind, and takes the first's fingerprint");
    const renamed = fingerprints((await sarif(['.'], folder({ 'other.tf': two }))).run);
    assert.notEqual(renamed[0], base[0], 'the file is part of the identity');
  });

  test('in an Azure Pipelines job the run carries the pipeline identity Advanced Security for Azure DevOps files it under', async () => {
    const env = {
      TF_BUILD: 'True',
      SYSTEM_COLLECTIONURI: 'https://contoso.visualstudio.com/',
      SYSTEM_TEAMPROJECTID: '4F0E2B1C-8A3D-4C55-9E1F-0A6B7C8D9E01',
      SYSTEM_DEFINITIONID: '42',
      BUILD_DEFINITIONNAME: 'apim-infra',
      BUILD_BUILDID: '1717',
      SYSTEM_JOBID: '9d3c1e55-2b4a-4f60-8e7d-6c5b4a392817',
      SYSTEM_JOBNAME: 'Lint',
      BUILD_SOURCEBRANCH: 'main',
    };
    const root = folder({ 'main.tf': backend('orders', CHAIN_OFF) });
    const { run, stderr } = await sarif(['.'], root, env);
    assert.equal(stderr, '');
    assert.deepEqual(run.automationDetails, {
      id: 'azuredevops/pipeline/build/contoso/4f0e2b1c-8a3d-4c55-9e1f-0a6b7c8d9e01/42/9d3c1e55-2b4a-4f60-8e7d-6c5b4a392817/refs/heads/main/1717',
      properties: {
        'azuredevops/pipeline/build/buildDefinitionId': '42',
        'azuredevops/pipeline/build/buildDefinitionName': 'apim-infra',
        'azuredevops/pipeline/build/phaseId': '9d3c1e55-2b4a-4f60-8e7d-6c5b4a392817',
        'azuredevops/pipeline/build/phaseName': 'Lint',
      },
    });
    const partial = await sarif(['.'], root, { ...env, BUILD_BUILDID: '', SYSTEM_TEAMPROJECTID: 'contoso-infra' });
    assert.deepEqual(partial.run.automationDetails, { id: 'apim-tls-lint/' });
    assert.match(
      partial.stderr,
      /note: TF_BUILD says this is Azure Pipelines, but .*BUILD_BUILDID is not set.*SYSTEM_TEAMPROJECTID=contoso-infra is not a GUID/,
    );
  });

  test('locations below the working folder are relative to %SRCROOT%, even when named by an absolute path; others are file URIs', async () => {
    const root = folder({ 'infra/main.tf': backend('orders', CHAIN_OFF), 'outside/main.tf': backend('billing', CHAIN_OFF) });
    const cwd = path.join(root, 'infra');
    const { run } = await sarif([path.join(cwd, 'main.tf'), path.join(root, 'outside')], cwd);
    const uris = run.results.map(
      (r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }> }) =>
        r.locations[0].physicalLocation.artifactLocation,
    );
    assert.deepEqual(uris[0], { uri: 'main.tf', uriBaseId: '%SRCROOT%' });
    assert.equal(uris[1].uri, `file://${path.join(root, 'outside', 'main.tf')}`);
    assert.equal(uris[1].uriBaseId, undefined);
  });
});
