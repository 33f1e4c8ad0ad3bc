// The package as its users get it: `npm pack`, installed offline from the tarball into an empty folder (no dev
// dependencies, nothing of the repository near it), the two executables run, and the commands that docs/ci.md and
// .pre-commit-hooks.yaml tell people to run, run as written against the tarball and a copy of examples/.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { parse as parseYaml } from 'yaml';
import { codes, fileUri, LspClient } from '../support/lsp-client';
import { REPO_ROOT } from '../support/parser';
import { AZURE_PIPELINES_ENV } from '../support/azure-pipelines';

const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
/** The install command the docs print; the test runs it with the tarball in place of the registry. */
const DOCUMENTED_INSTALL = `npm install --global apim-tls-lint@${PACKAGE.version}`;
const NPM_ENV = { npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false' };

let scratch: string;
let tarball: string;

before(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-package-'));
  // `npm pack` runs the prepack build, as `npm publish` and pre-commit's install do.
  const out = execFileSync('npm', ['pack', '--pack-destination', scratch], { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, ...NPM_ENV } });
  tarball = path.join(scratch, out.trim().split('\n').pop()!);
  assert.ok(fs.existsSync(tarball), `npm pack wrote ${tarball}`);
});
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the npm package', () => {
  test('holds the bundles, wasm files, docs, schema, README, CHANGELOG and LICENSE; no sources, maps or tests', () => {
    const entries = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((e) => e.replace(/^package\//, ''));
    for (const required of [
      'package.json',
      'README.md',
      'CHANGELOG.md',
      'LICENSE',
      'dist/cli.js',
      'dist/cli-main.js',
      'dist/certificate-reader.js',
      'dist/server.js',
      'dist/tree-sitter.wasm',
      'dist/tree-sitter-terraform.wasm',
      'dist/tree-sitter-bicep.wasm',
      'docs/rules/APIM001.md',
      'docs/suppression.md',
      'docs/ci.md',
      'schemas/apim-tls-lint.schema.json',
    ]) {
      assert.ok(entries.includes(required), `the tarball holds ${required}`);
    }
    const unexpected = entries.filter((e) => /(^|\/)(node_modules|src|test|out|examples)\/|\.map$|\.ts$/.test(e));
    assert.deepEqual(unexpected, []);
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
    assert.equal(manifest.private, undefined, 'publishable');
    assert.deepEqual(manifest.bin, { 'apim-tls-lint': './dist/cli.js', 'apim-tls-lint-server': './dist/server.js' });
    assert.equal(manifest.dependencies, undefined, 'no runtime dependencies');
    assert.match(manifest.engines.node, /^>=20/);
    assert.match(manifest.repository.url, /github\.com\/apim-tls-lint\/apim-tls-lint/);
  });

  test('installs offline into an empty folder with nothing else, and apim-tls-lint lints examples/ as the repository does', () => {
    const dir = path.join(scratch, 'empty');
    fs.mkdirSync(dir);
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], dir);
    assert.deepEqual(
      fs.readdirSync(path.join(dir, 'node_modules')).filter((n) => !n.startsWith('.')),
      ['apim-tls-lint'],
      'no dependency was installed',
    );
    fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
    const bin = path.join(dir, 'node_modules', '.bin', 'apim-tls-lint');
    const installed = spawnSync(bin, ['examples'], { cwd: dir, encoding: 'utf8' });
    const repository = spawnSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'examples'], { cwd: dir, encoding: 'utf8' });
    assert.equal(installed.status, 1, installed.stderr);
    assert.match(installed.stdout, /examples\/backends\.tf:\d+:\d+: warning APIM001 /);
    assert.equal(installed.stdout, repository.stdout);
    assert.equal(spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout, `${PACKAGE.version}\n`);
  });

  test('apim-tls-lint-server from the package answers initialize over stdio and publishes findings', async (t) => {
    const dir = path.join(scratch, 'server');
    fs.mkdirSync(dir);
    run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], dir);
    fs.cpSync(path.join(REPO_ROOT, 'examples'), path.join(dir, 'examples'), { recursive: true });
    const server = path.join(dir, 'node_modules', '.bin', 'apim-tls-lint-server');
    assert.equal(spawnSync(server, ['--version'], { encoding: 'utf8' }).stdout, `apim-tls-lint-server ${PACKAGE.version}\n`);
    const client = LspClient.start([], server);
    t.after(() => client.dispose());
    const init = await client.initialize(path.join(dir, 'examples'));
    assert.deepEqual(init.serverInfo, { name: 'apim-tls-lint', version: PACKAGE.version });
    const uri = fileUri(path.join(dir, 'examples', 'backends.tf'));
    await client.open(uri, fs.readFileSync(path.join(dir, 'examples', 'backends.tf'), 'utf8'));
    await client.waitFor('APIM001 on backends.tf', () => codes(client.latest(uri)?.diagnostics ?? []).includes('APIM001'));
    assert.deepEqual(await client.shutdown(), { code: 0, signal: null });
  });

  test("docs/ci.md: the shell commands, and the GitHub Actions job's steps, as written", () => {
    const env = globalInstallEnv('github');
    const shell = snippets('sh')[0];
    const lines = shell.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim());
    assert.equal(lines[0], DOCUMENTED_INSTALL);
    runInstall(lines[0], env);
    const checkout = copyOfExamples('github');
    assert.equal(shellStep(lines[1], checkout, env).status, 1, 'findings at or above warning fail the step');

    const workflow = snippets('yaml')
      .map((y) => parseYaml(y))
      .find((y) => y?.jobs);
    const steps = workflow.jobs.lint.steps as Array<{ run?: string; uses?: string; if?: string; with?: Record<string, string> }>;
    assert.deepEqual(workflow.jobs.lint.permissions, { contents: 'read', 'security-events': 'write' });
    const runs = steps.filter((s) => s.run).map((s) => s.run!);
    assert.equal(runs[0], DOCUMENTED_INSTALL);
    const jobEnv = globalInstallEnv('github-job');
    runInstall(runs[0], jobEnv);
    // GitHub runs `run:` steps with bash -e -o pipefail; a finding fails the step, and the upload runs anyway.
    const lint = shellStep(runs[1], checkout, jobEnv);
    assert.equal(lint.status, 1, lint.stderr);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'))!;
    assert.equal(upload.if, 'always()');
    const log = JSON.parse(fs.readFileSync(path.join(checkout, upload.with!.sarif_file), 'utf8'));
    assert.equal(log.version, '2.1.0');
    assert.ok(log.runs[0].results.some((r: { ruleId: string }) => r.ruleId === 'APIM001'));
    assert.equal(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%', 'paths relative to the checkout');
  });

  test("docs/ci.md: the Azure Pipelines job's scripts, as the agent runs them, publish the SARIF as CodeAnalysisLogs", () => {
    const pipeline = snippets('yaml')
      .map((y) => parseYaml(y))
      .find((y) => y?.steps?.some((s: { task?: string }) => s.task?.startsWith('PublishBuildArtifacts')));
    const steps = pipeline.steps as Array<{ script?: string; task?: string; condition?: string; inputs?: Record<string, string> }>;
    const staging = path.join(scratch, 'ado-staging');
    fs.mkdirSync(staging);
    // The agent expands $(Variable) macros before the script runs, and exports its variables to the environment.
    const macros: Record<string, string> = { 'Build.ArtifactStagingDirectory': staging };
    const expand = (text: string) =>
      text.replace(/\$\(([\w.]+)\)/g, (m: string, name: string) => {
        assert.ok(name in macros, `the test knows the macro ${m}`);
        return macros[name];
      });
    const env = { ...globalInstallEnv('ado'), ...AZURE_PIPELINES_ENV, BUILD_ARTIFACTSTAGINGDIRECTORY: staging };
    const scripts = steps.filter((s) => s.script).map((s) => expand(s.script!).trim());
    assert.equal(scripts[0], DOCUMENTED_INSTALL);
    runInstall(scripts[0], env);
    const checkout = copyOfExamples('ado');
    // Bash without -e, as the agent runs a script: the step's result is the last command's exit code.
    const lint = spawnSync('bash', ['--noprofile', '--norc', '-c', scripts[1]], { cwd: checkout, env, encoding: 'utf8' });
    assert.equal(lint.status, 1, lint.stderr);
    const publish = steps.find((s) => s.task === 'PublishBuildArtifacts@1')!;
    assert.equal(publish.condition, 'succeededOrFailed()');
    assert.equal(publish.inputs!.ArtifactName, 'CodeAnalysisLogs');
    const published = expand(publish.inputs!.PathtoPublish);
    const logs = fs.readdirSync(published).filter((n) => n.endsWith('.sarif'));
    assert.deepEqual(logs, ['apim-tls-lint.sarif']);
    const log = JSON.parse(fs.readFileSync(path.join(published, logs[0]), 'utf8'));
    assert.match(log.runs[0].automationDetails.id, /^azuredevops\/pipeline\/build\/contoso\/[0-9a-f-]+\/42\//);
    assert.ok(log.runs[0].results.length > 5);
  });

  test(".pre-commit-hooks.yaml: each hook's command runs from the installed package on a checkout, and the docs' config names it", () => {
    const hooks = parseYaml(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<{
      id: string;
      entry: string;
      language: string;
      files: string;
      pass_filenames?: boolean;
      args?: string[];
    }>;
    const env = globalInstallEnv('pre-commit');
    runInstall(DOCUMENTED_INSTALL, env);
    for (const hook of hooks) {
      assert.equal(hook.language, 'node');
      assert.ok(hook.entry.split(' ')[0] in PACKAGE.bin, `${hook.id}: its entry is an executable of the package`);
      const files = new RegExp(hook.files);
      assert.ok(['main.tf', 'env/prod.tfvars', 'azuredeploy.json', 'main.bicep', 'main.bicepparam'].every((f) => files.test(f)));
      assert.ok(!files.test('README.md') && !files.test('policy.xml'));
      assert.equal(hook.pass_filenames, false, 'the whole tree is linted: a module is a folder');
      const checkout = copyOfExamples(`pre-commit-${hook.id}`);
      const [command, ...entryArgs] = hook.entry.split(' ');
      const result = spawnSync(command, [...entryArgs, ...(hook.args ?? [])], { cwd: checkout, env, encoding: 'utf8' });
      assert.equal(result.status, 1, `${hook.id} fails the commit on findings: ${result.stderr}`);
      assert.match(result.stdout, /backends\.tf:\d+:\d+: warning APIM001 /);
      const fixed = fs.readFileSync(path.join(checkout, 'backends.tf'), 'utf8') !== fs.readFileSync(path.join(REPO_ROOT, 'examples', 'backends.tf'), 'utf8');
      assert.equal(fixed, entryArgs.includes('--fix'), `${hook.id} ${fixed ? 'fixes' : 'only reports'}`);
    }
    const config = parseYaml(snippets('yaml').find((y) => y.includes('rev:'))!);
    assert.equal(config.repos[0].rev, `v${PACKAGE.version}`);
    for (const h of config.repos[0].hooks as Array<{ id: string }>)
      assert.ok(
        hooks.some((x) => x.id === h.id),
        `the config names the hook ${h.id}`,
      );
  });
});

/** The fenced code blocks of docs/ci.md in `language`, in order. */
function snippets(language: string): string[] {
  const tokens = new MarkdownIt().parse(fs.readFileSync(path.join(REPO_ROOT, 'docs', 'ci.md'), 'utf8'), {});
  return tokens.filter((t) => t.type === 'fence' && t.info.trim() === language).map((t) => t.content);
}

/** An environment whose `npm install --global` goes to a fresh prefix, whose bin folder comes first on PATH. */
function globalInstallEnv(name: string): NodeJS.ProcessEnv {
  const prefix = path.join(scratch, `prefix-${name}`);
  fs.mkdirSync(prefix, { recursive: true });
  return { ...process.env, ...NPM_ENV, npm_config_prefix: prefix, PATH: `${path.join(prefix, 'bin')}${path.delimiter}${process.env.PATH}` };
}

/** The documented install, with the tarball standing in for the registry (the version is not published from here). */
function runInstall(command: string, env: NodeJS.ProcessEnv): void {
  assert.equal(command, DOCUMENTED_INSTALL);
  run('npm', ['install', '--global', '--offline', tarball], scratch, env);
}

function shellStep(script: string, cwd: string, env: NodeJS.ProcessEnv): SpawnSyncReturns<string> {
  return spawnSync('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script], { cwd, env, encoding: 'utf8' });
}

function copyOfExamples(name: string): string {
  const dir = path.join(scratch, `checkout-${name}`);
  fs.cpSync(path.join(REPO_ROOT, 'examples'), dir, { recursive: true });
  return dir;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = { ...process.env, ...NPM_ENV }): void {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 5 * 60_000 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed: ${result.stderr}`);
}
