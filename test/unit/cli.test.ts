// The command line end to end through runCli: real files in temporary folders, the real parser, captured output.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from '../../server/src/cli/cli';

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

/** Writes `files` (relative path → text) below a new temporary folder and returns the folder. */
function workspace(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-cli-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

async function run(args: string[], cwd: string, options: { isTTY?: boolean; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    cwd,
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
  });
  return { code, stdout, stderr };
}

const backend = (name: string, tls: string, url = `https://${name}.contoso.com`) => `resource "azurerm_api_management_backend" "${name}" {
  name                = "${name}"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "${url}"
${tls}}
`;

const CHAIN_OFF = backend('orders', '  tls {\n    validate_certificate_chain = false\n  }\n');
const NAME_OFF = backend('billing', '  tls {\n    validate_certificate_name = false\n  }\n');
const HEALTHY = backend('payments', '');
const WEAK_CIPHER = `resource "azurerm_api_management" "apim" {
  name     = "apim-contoso"
  sku_name = "Premium_1"
  security {
    triple_des_ciphers_enabled = true
  }
}
`;

interface JsonFinding {
  file: string;
  rule: string;
  severity: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

describe('apim-tls-lint CLI', () => {
  test('text: one line per finding, sorted by file, line and column, then a summary; exit 1 on warnings', async () => {
    const root = workspace({
      'ws/b.tf': NAME_OFF + HEALTHY,
      'ws/a.tf': HEALTHY.replace('"payments"', '"p2"') + CHAIN_OFF,
      'ws/sub/c.tf': HEALTHY,
    });
    const { code, stdout, stderr } = await run(['ws'], root);
    assert.equal(stderr, '');
    assert.equal(code, 1);
    const lines = stdout.trimEnd().split('\n');
    assert.match(lines[0], /^ws\/a\.tf:15:34: warning APIM001 Certificate chain validation is disabled for azurerm_api_management_backend\.orders/);
    assert.match(lines[1], /^ws\/b\.tf:8:33: warning APIM002 /);
    assert.equal(lines[2], '');
    assert.equal(lines[3], '2 findings (2 warnings) in 2 files (3 checked).');
    assert.equal(lines.length, 4);
    assert.doesNotMatch(stdout, /\x1b\[/, 'no colors when stdout is not a terminal');
  });

  test('text: a clean workspace says so and exits 0; the default path is the current folder', async () => {
    const root = workspace({ 'main.tf': HEALTHY, 'README.md': '# not Terraform' });
    const { code, stdout } = await run([], root);
    assert.equal(code, 0);
    assert.equal(stdout, 'No findings in 1 file.\n');
  });

  test('text: colors only on a terminal and only without NO_COLOR', async () => {
    const root = workspace({ 'main.tf': CHAIN_OFF });
    assert.match((await run(['.'], root, { isTTY: true })).stdout, /\x1b\[33mwarning\x1b\[0m/);
    assert.doesNotMatch((await run(['.'], root, { isTTY: true, env: { NO_COLOR: '1' } })).stdout, /\x1b\[/);
  });

  test('json: exactly the documented fields, paths as given joined with the rest, sorted', async () => {
    const root = workspace({
      'env/prod/z.tf': CHAIN_OFF,
      'env/prod/a.tf': NAME_OFF + WEAK_CIPHER,
    });
    const { code, stdout } = await run(['./env/', '--format', 'json'], root);
    assert.equal(code, 1);
    const findings = JSON.parse(stdout) as JsonFinding[];
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.column, f.rule, f.severity]),
      [
        ['env/prod/a.tf', 8, 33, 'APIM002', 'warning'],
        ['env/prod/a.tf', 15, 34, 'APIM014', 'info'],
        ['env/prod/z.tf', 8, 34, 'APIM001', 'warning'],
      ],
    );
    for (const f of findings) {
      assert.deepEqual(Object.keys(f), ['file', 'rule', 'severity', 'line', 'column', 'endLine', 'endColumn', 'message']);
      assert.equal(f.endLine, f.line);
      assert.ok(f.message.length > 20);
    }
    assert.equal(findings[2].endColumn - findings[2].column, 'false'.length);
  });

  test('json: an empty result is an empty array', async () => {
    const root = workspace({ 'main.tf': HEALTHY });
    const { code, stdout } = await run(['--format=json'], root);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(stdout), []);
  });

  test('a value in terraform.tfvars is reported there, also when only the .tf file is named', async () => {
    const root = workspace({
      'stack/main.tf':
        backend('billing', '  tls {\n    validate_certificate_chain = var.chain\n  }\n') + 'variable "chain" {\n  type    = bool\n  default = true\n}\n',
      'stack/terraform.tfvars': '# temporary, until the CA is sorted\nchain = false\n',
    });
    const { stdout } = await run(['stack/main.tf', '--format', 'json'], root);
    const findings = JSON.parse(stdout) as JsonFinding[];
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.column, f.rule]),
      [['stack/terraform.tfvars', 2, 9, 'APIM001']],
    );
  });

  test('sarif: a 2.1.0 log with rules linking their docs and results with 1-based regions', async () => {
    const root = workspace({ 'main.tf': CHAIN_OFF + WEAK_CIPHER });
    const { code, stdout } = await run(['--format', 'sarif', '--fail-on', 'never'], root);
    assert.equal(code, 0);
    const log = JSON.parse(stdout);
    assert.equal(log.version, '2.1.0');
    const run0 = log.runs[0];
    assert.equal(run0.tool.driver.name, 'apim-tls-lint');
    const rule = run0.tool.driver.rules.find((r: { id: string }) => r.id === 'APIM001');
    assert.match(rule.helpUri, /\/docs\/rules\/APIM001\.md$/);
    assert.deepEqual(
      run0.results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level]),
      [
        ['APIM001', 'warning'],
        ['APIM014', 'note'],
      ],
    );
    const first = run0.results[0];
    assert.equal(run0.tool.driver.rules[first.ruleIndex].id, 'APIM001');
    assert.deepEqual(first.locations[0].physicalLocation, {
      artifactLocation: { uri: 'main.tf', uriBaseId: '%SRCROOT%' },
      region: { startLine: 8, startColumn: 34, endLine: 8, endColumn: 39 },
    });
  });

  test('--fail-on decides the exit code only', async () => {
    const warning = workspace({ 'main.tf': CHAIN_OFF });
    const info = workspace({ 'main.tf': WEAK_CIPHER });
    assert.equal((await run(['--fail-on', 'never'], warning)).code, 0);
    assert.equal((await run(['--fail-on', 'error'], warning)).code, 0);
    assert.equal((await run(['--fail-on', 'warning'], warning)).code, 1);
    assert.equal((await run([], info)).code, 0, 'an info finding is below the default --fail-on warning');
    const infoRun = await run(['--fail-on', 'info'], info);
    assert.equal(infoRun.code, 1);
    assert.match(infoRun.stdout, /info APIM014/);
    assert.match((await run(['--fail-on', 'never'], warning)).stdout, /warning APIM001/, 'findings are printed whatever --fail-on says');
  });

  test('usage errors exit 2 with a message on stderr and nothing on stdout', async () => {
    const root = workspace({ 'main.tf': HEALTHY });
    const cases: Array<[string[], RegExp]> = [
      [['--bogus'], /Unknown option --bogus/],
      [['--format', 'xml'], /--format must be one of text, json, sarif; got "xml"/],
      [['--fail-on', 'hint'], /--fail-on must be one of error, warning, info, never/],
      [['--format'], /--format needs a value/],
      [['--config', '--format', 'json'], /--config needs a value/],
      [['missing'], /missing: no such file or directory/],
      [['.', 'missing.tf'], /missing\.tf: no such file or directory/],
      [['--config', 'nope.json'], /nope\.json: no such configuration file/],
    ];
    fs.writeFileSync(path.join(root, 'notes.txt'), 'hello');
    cases.push([['notes.txt'], /notes\.txt is not a Terraform file/]);
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = await run(args, root);
      assert.equal(code, 2, args.join(' '));
      assert.equal(stdout, '', args.join(' '));
      assert.match(stderr, message, args.join(' '));
    }
  });

  test('--help and --version print to stdout and exit 0', async () => {
    const root = workspace({});
    const help = await run(['--help'], root);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: apim-tls-lint \[paths\.\.\.\]/);
    assert.match(help.stdout, /--fail-on error\|warning\|info\|never/);
    const version = await run(['--version'], root);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  });

  test('a broken configuration file: its problems with file:line:col, exit 2, no lint', async () => {
    const root = workspace({
      'main.tf': CHAIN_OFF,
      '.apim-tls-lint.json': '{\n  "rules": { "APIM001": "loud", "APIM999": "off" },\n  "ignore": "*.tf"\n}\n',
    });
    const { code, stdout, stderr } = await run(['.'], root);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    const lines = stderr.trimEnd().split('\n');
    assert.equal(lines[0], '.apim-tls-lint.json:2:25: The severity of APIM001 must be one of "off", "hint", "info", "warning", "error".');
    assert.match(
      lines[1],
      /^\.apim-tls-lint\.json:2:33: Unknown rule "APIM999"\. Rules are named by id or name: APIM001, APIM002, .*APIM022 \(or their names, such as "chain-validation-disabled"\)\.$/,
    );
    assert.equal(lines[2], '.apim-tls-lint.json:3:13: "ignore" must be an array of strings.');
  });

  test('invalid JSON in the configuration is a problem too', async () => {
    const root = workspace({ 'main.tf': HEALTHY, '.apim-tls-lint.json': '{ "rules": { ' });
    const { code, stderr } = await run([], root);
    assert.equal(code, 2);
    assert.match(stderr, /^\.apim-tls-lint\.json:1:\d+: Invalid JSON: /);
    assert.doesNotMatch(stderr, /[A-Z][a-z]+Expected/, 'no parser token names');
    assert.match(stderr, /a (closing brace|property name)/);
  });

  test('rules are configured by name as well as by id', async () => {
    const root = workspace({ 'main.tf': CHAIN_OFF, '.apim-tls-lint.json': '{ "rules": { "chain-validation-disabled": "off" } }\n' });
    const { code, stdout, stderr } = await run(['--format', 'json', '.'], root);
    assert.equal(stderr, '');
    assert.equal(code, 0, stdout);
    assert.deepEqual(
      (JSON.parse(stdout) as Array<{ rule: string }>).filter((f) => f.rule === 'APIM001'),
      [],
    );
  });

  test('the configuration is found upward from the paths and can turn a rule off', async () => {
    const root = workspace({
      '.apim-tls-lint.json': '{ "rules": { "APIM001": "off", "APIM002": "error" } }',
      'infra/app/main.tf': CHAIN_OFF + NAME_OFF,
    });
    const { code, stdout } = await run(['app', '--format', 'json', '--fail-on', 'error'], path.join(root, 'infra'));
    assert.equal(code, 1);
    assert.deepEqual(
      (JSON.parse(stdout) as JsonFinding[]).map((f) => [f.file, f.rule, f.severity]),
      [['app/main.tf', 'APIM002', 'error']],
    );
  });

  test('--config replaces the discovered file', async () => {
    const root = workspace({
      '.apim-tls-lint.json': '{ "rules": { "APIM001": "off" } }',
      'ci/strict.json': '{ "rules": { "APIM001": "error" } }',
      'main.tf': CHAIN_OFF,
    });
    const { stdout } = await run(['--config', 'ci/strict.json', '--format', 'json'], root);
    assert.deepEqual(
      (JSON.parse(stdout) as JsonFinding[]).map((f) => [f.rule, f.severity]),
      [['APIM001', 'error']],
    );
  });

  test('ignore globs are relative to the configuration file, and .git, node_modules, .terraform are skipped', async () => {
    const root = workspace({
      '.apim-tls-lint.json': '{ "ignore": ["legacy/**", "**/*.generated.tf"] }',
      'main.tf': HEALTHY,
      'legacy/old.tf': CHAIN_OFF,
      'stacks/app/main.generated.tf': CHAIN_OFF,
      'stacks/app/main.tf': NAME_OFF,
      '.terraform/modules/x/main.tf': CHAIN_OFF,
      'node_modules/pkg/main.tf': CHAIN_OFF,
      '.git/main.tf': CHAIN_OFF,
    });
    const lines = (await run(['.'], root)).stdout.trimEnd().split('\n');
    assert.match(lines[0], /^stacks\/app\/main\.tf:8:33: warning APIM002 /);
    assert.deepEqual(lines.slice(1), ['', '1 finding (1 warning) in 1 file (2 checked).']);
    // From a subfolder the globs still mean what they say relative to the configuration's folder.
    const fromLegacy = await run(['.'], path.join(root, 'legacy'));
    assert.equal(fromLegacy.stdout, 'No Terraform, ARM template or Bicep files found.\n');
  });

  test('a nested configuration governs its own folder', async () => {
    const root = workspace({
      '.apim-tls-lint.json': '{ "rules": { "APIM001": "off" } }',
      'a/main.tf': CHAIN_OFF,
      'b/.apim-tls-lint.json': '{ "rules": { "APIM001": "info" } }',
      'b/main.tf': CHAIN_OFF,
    });
    const { stdout } = await run(['--format', 'json'], root);
    assert.deepEqual(
      (JSON.parse(stdout) as JsonFinding[]).map((f) => [f.file, f.rule, f.severity]),
      [['b/main.tf', 'APIM001', 'info']],
    );
  });

  test('code as teams write it: a var file of an environment, a downloaded registry module, an AVM Bicep call, on the literal to edit', async () => {
    const root = workspace({
      'stack/main.tf':
        backend('orders', '  tls {\n    validate_certificate_chain = var.chain\n  }\n') + 'variable "chain" {\n  type    = bool\n  default = true\n}\n',
      'stack/env/dev.tfvars': 'chain = false\n',
      'stack/env/prod.tfvars': 'chain = true\n',
      'registry/main.tf': 'module "legacy" {\n  source  = "contoso/backends/azurerm"\n  version = "1.0.0"\n}\n',
      'registry/.terraform/modules/modules.json': JSON.stringify({
        Modules: [{ Key: 'legacy', Source: 'contoso/backends/azurerm', Version: '1.0.0', Dir: '.terraform/modules/legacy' }],
      }),
      'registry/.terraform/modules/legacy/main.tf': backend('legacy', '  tls {\n    validate_certificate_name = false\n  }\n'),
      'bicep/main.bicep':
        "module apim 'br/public:avm/res/api-management/service:0.9.0' = {\n  name: 'apim'\n  params: {\n    name: 'apim-contoso'\n    backends: [\n      {\n        name: 'orders'\n        url: 'https://orders.contoso.com/api'\n      }\n    ]\n  }\n}\n",
    });
    const { stdout } = await run(['--format', 'json'], root);
    const findings = JSON.parse(stdout) as JsonFinding[];
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.column, f.rule]),
      [
        ['bicep/main.bicep', 7, 15, 'APIM001'],
        ['bicep/main.bicep', 7, 15, 'APIM002'],
        ['registry/main.tf', 1, 8, 'APIM002'],
        ['stack/env/dev.tfvars', 1, 9, 'APIM001'],
      ],
    );
    assert.match(findings[3].message, /\(In environment dev\.\)$/);
    assert.match(findings[2].message, /It comes from module "legacy" \(contoso\/backends\/azurerm 1\.0\.0\)/);
    assert.match(findings[0].message, /0\.9\.0 deploys a backend whose entry omits tls/);
  });

  test('environments named in the configuration are read even outside the linted folder, each its own run', async () => {
    const root = workspace({
      '.apim-tls-lint.json': '{ "environments": ["env/*.tfvars"] }',
      'env/dev.tfvars': 'chain = false\n',
      'env/prod.tfvars': 'chain = true\n',
      'stack/main.tf':
        backend('billing', '  tls {\n    validate_certificate_chain = var.chain\n  }\n') + 'variable "chain" {\n  type    = bool\n  default = true\n}\n',
    });
    const { stdout } = await run(['stack', '--format', 'json'], root);
    const findings = JSON.parse(stdout) as JsonFinding[];
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.column, f.rule]),
      [['env/dev.tfvars', 1, 9, 'APIM001']],
    );
    assert.match(findings[0].message, /\(In environment dev\.\)$/);
  });

  test('varFiles named in the configuration feed the module even outside the linted folder', async () => {
    const root = workspace({
      '.apim-tls-lint.json': '{ "varFiles": ["env/prod.tfvars"] }',
      'env/prod.tfvars': 'chain = false\n',
      'stack/main.tf':
        backend('billing', '  tls {\n    validate_certificate_chain = var.chain\n  }\n') + 'variable "chain" {\n  type    = bool\n  default = true\n}\n',
    });
    const { stdout } = await run(['stack', '--format', 'json'], root);
    assert.deepEqual(
      (JSON.parse(stdout) as JsonFinding[]).map((f) => [f.file, f.line, f.column, f.rule]),
      [['env/prod.tfvars', 1, 9, 'APIM001']],
    );
  });

  test('columns do not count a byte-order mark, as editors do not show one', async () => {
    const root = workspace({ 'main.tf': '\ufeff' + CHAIN_OFF });
    const { stdout } = await run(['--format', 'json'], root);
    assert.deepEqual(
      (JSON.parse(stdout) as JsonFinding[]).map((f) => [f.line, f.column]),
      [[8, 34]],
    );
  });

  test('a wasm folder named in APIM_TLS_LINT_WASM_DIR that lacks the files is an error', async () => {
    const root = workspace({ 'main.tf': HEALTHY });
    const { code, stderr } = await run([], root, { env: { APIM_TLS_LINT_WASM_DIR: root } });
    assert.equal(code, 2);
    assert.match(stderr, /APIM_TLS_LINT_WASM_DIR is .* which does not hold tree-sitter\.wasm and tree-sitter-terraform\.wasm/);
  });

  test('the same file named twice is linted once', async () => {
    const root = workspace({ 'main.tf': CHAIN_OFF });
    const { stdout } = await run(['./main.tf', '.', 'main.tf', './'], root);
    assert.equal(stdout.match(/APIM001/g)?.length, 1);
    assert.match(stdout, /^main\.tf:8:34: /);
    assert.match(stdout, /in 1 file \(1 checked\)/);
  });
});

describe('CLI on ARM templates and Bicep', () => {
  const TEMPLATE = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.ApiManagement/service/backends",
      "apiVersion": "2024-05-01",
      "name": "apim/orders",
      "properties": { "url": "https://orders.contoso.com", "protocol": "http", "tls": { "validateCertificateChain": false } }
    }
  ]
}
`;
  const BICEP = `resource orders 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  name: 'apim/orders'
  properties: {
    url: 'https://orders.contoso.com'
    protocol: 'http'
    tls: {
      validateCertificateName: false
    }
  }
}
`;

  test('a folder: templates and Bicep files are linted, other JSON is skipped with one note', async () => {
    const root = workspace({
      'azuredeploy.json': TEMPLATE,
      'main.bicep': BICEP,
      'package.json': '{ "name": "x" }',
      'appsettings.json': '{ "validateCertificateChain": false }',
    });
    const { code, stdout, stderr } = await run(['--format', 'json', '.'], root);
    assert.equal(code, 1);
    const findings = JSON.parse(stdout) as Array<{ file: string; rule: string; line: number }>;
    assert.deepEqual(
      findings.map((f) => `${f.file} ${f.rule} ${f.line}`),
      ['azuredeploy.json APIM001 9', 'main.bicep APIM002 7'],
    );
    assert.match(stderr, /skipped 1 JSON file that is not an ARM template or parameters file/);
  });

  test('a JSON file named on its own that is not a template is a usage error', async () => {
    const root = workspace({ 'appsettings.json': '{ "validateCertificateChain": false }' });
    const { code, stdout, stderr } = await run(['appsettings.json'], root);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /appsettings\.json is not an ARM template or parameters file/);
  });
});
