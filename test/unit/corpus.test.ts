// The Terraform, ARM and Bicep files of ../shared/corpus, and the policy files of test/corpus, written by other people,
// against the expectations of their MANIFEST.tsv.
// The manifest states expectations in prose; the tables below restate them as findings, and every Terraform and ARM
// row of the manifest must appear in them, so a new corpus file cannot slip by untested.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { LineIndex } from '../../server/src/core/text';
import { REPO_ROOT } from '../support/parser';
import { lintTexts, toPosix } from '../support/fixtures';

const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');

const AVM_TF = 'avm/Azure__terraform-azurerm-avm-res-apimanagement-service__';
const PROVIDER = 'azurerm_provider/hashicorp__terraform-provider-azurerm__internal__services__apimanagement__';

/** Files linted together as one module because they are one module upstream. */
const MODULES: Record<string, string[]> = {
  [`${AVM_TF}main.tf`]: [`${AVM_TF}main.tf`, `${AVM_TF}variables.tf`, `${AVM_TF}main.backends.tf`],
};

/** The cipher lines of the provider's complete() test: every switch there is a legacy (CBC or static-RSA) suite. */
const COMPLETE_CIPHERS = [72, 73, 74, 75, 76, 77, 78, 79, 80, 81].map((l) => `APIM014@${l}`);

/**
 * Expected findings per file as `RULE@line`. Where this goes beyond the manifest, `why` says so.
 */
const EXPECTED: Record<string, { findings: string[]; why?: string }> = {
  'peer_checkov/bridgecrewio__checkov__tests__terraform__checks__resource__azure__example_APIManagementBackendHTTPS__main.tf': { findings: ['APIM012@14'] },
  'peer_checkov/bridgecrewio__checkov__tests__terraform__checks__resource__azure__example_APIManagementMinTLS12__main.tf': {
    findings: ['APIM013@46'],
    why: "line 27's enable_back_end_ssl30 is not an azurerm attribute at all (Checkov's typo), so it enables nothing",
  },
  'peer_checkov/bridgecrewio__checkov__tests__terraform__checks__resource__azure__example_APIManagementCertsEnforced__main.tf': { findings: [] },
  [`${PROVIDER}api_management_backend_resource_test.go__basic.tf`]: { findings: [] },
  [`${PROVIDER}api_management_backend_resource_test.go__update.tf`]: { findings: ['APIM001@34'] },
  [`${PROVIDER}api_management_backend_resource_test.go__allProperties.tf`]: { findings: ['APIM001@60'] },
  [`${PROVIDER}api_management_backend_resource_test.go__credentialsNoCertificate.tf`]: { findings: ['APIM001@49'] },
  [`${PROVIDER}api_management_backend_resource_test.go__serviceFabric.tf`]: { findings: [] },
  [`${PROVIDER}api_management_backend_resource_test.go__serviceFabricCluster.tf`]: { findings: [] },
  [`${PROVIDER}api_management_backend_resource_test.go__serviceFabricClientCertificateId.tf`]: { findings: [] },
  [`${PROVIDER}api_management_backend_resource_test.go__circuitBreakerRuleComplete.tf`]: { findings: [] },
  [`${PROVIDER}api_management_backend_resource_test.go__requiresImport.tf`]: { findings: [] },
  [`${PROVIDER}api_management_resource_test.go__complete.tf`]: {
    findings: ['APIM013@66', 'APIM013@67', 'APIM013@68', ...COMPLETE_CIPHERS],
    why: 'the manifest judges backend protocols only; APIM014 (weak-cipher, info) rightly reports the ten legacy cipher switches set true on lines 72-81',
  },
  [`${PROVIDER}api_management_resource_test.go__v3.117.1__complete.tf`]: {
    findings: ['APIM013@66', 'APIM013@67', 'APIM013@68', ...COMPLETE_CIPHERS],
    why: 'as for complete.tf: the cipher switches are weak-cipher findings the manifest does not judge',
  },
  [`${PROVIDER}api_management_resource_test.go__customProps.tf`]: {
    findings: ['APIM014@21'],
    why: 'the manifest calls this clean "for backend rules" and itself notes triple_des at line 21: 3DES enabled is an APIM014 info finding',
  },
  [`${PROVIDER}api_management_resource_test.go__v3.117.1__customProps.tf`]: {
    findings: ['APIM014@21'],
    why: 'the manifest mentions only enable_frontend_tls10, but line 21 also sets triple_des_ciphers_enabled = true: an APIM014 info finding',
  },
  [`${PROVIDER}api_management_resource_test.go__standardV2Sku.tf`]: { findings: [] },
  'azurerm_provider/hashicorp__terraform-provider-azurerm__website__docs__r__api_management_backend.html.markdown__example.tf': { findings: [] },
  'azapi/Azure__terraform-provider-azapi__examples__Microsoft.ApiManagement_service_backends@2021-08-01__main.tf': { findings: [] },
  'azapi/Azure__terraform-provider-azapi__examples__Microsoft.ApiManagement_service@2021-08-01__main.tf': { findings: [] },
  'azapi/Azure__terraform-provider-azapi__examples__Microsoft.ApiManagement_service_certificates@2021-08-01__main.tf': { findings: [] },
  [`${AVM_TF}main.tf`]: { findings: [], why: 'linted with variables.tf and main.backends.tf: every TLS value comes from inputs whose defaults are safe' },
  [`${AVM_TF}main.backends.tf`]: { findings: [] },
  [`${AVM_TF}variables.tf`]: { findings: [] },
  [`${AVM_TF}examples__complete__main.tf`]: {
    findings: [],
    why:
      'line 71 is an API service_url over http, not a backend url; the example calls the module by "../../" (its own ' +
      'source, not in this file set), and the AVM module is read only where it is called by its registry address, so ' +
      'APIM021 does not see it (test/fixtures/rules/APIM021/avm-terraform.tf has the same input called by its address)',
  },
  [`${AVM_TF}examples__security_and_certs__main.tf`]: { findings: [] },
};

function manifestRows(): Array<{ file: string; kind: string }> {
  const lines = fs.readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const header = lines[0].split('\t');
  const fileCol = header.indexOf('file');
  const kindCol = header.indexOf('kind');
  return lines.slice(1).map((l) => {
    const cols = l.split('\t');
    return { file: cols[fileCol], kind: cols[kindCol] };
  });
}

describe('real-world corpus (Terraform)', () => {
  test('every Terraform file of the manifest has an expectation here, and nothing else does', () => {
    const tf = manifestRows()
      .filter((r) => r.kind === 'tf')
      .map((r) => r.file)
      .sort();
    assert.deepEqual(Object.keys(EXPECTED).sort(), tf);
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    test(`${path.basename(file).slice(0, 110)}${expected.why ? ` (${expected.why})` : ''}`, async () => {
      const members = MODULES[file] ?? [file];
      // A private directory per case: the corpus folder would otherwise make every file one module.
      const dir = `/corpus/${encodeURIComponent(file)}`;
      const texts = new Map(members.map((m) => [toPosix(`${dir}/${path.basename(m)}`), fs.readFileSync(path.join(CORPUS, m), 'utf8')] as const));
      const { findings } = await lintTexts(texts);
      const target = toPosix(`${dir}/${path.basename(file)}`);
      const actual = findings.filter((f) => f.file === target).map((f) => `${f.ruleId}@${new LineIndex(texts.get(f.file)!).positionAt(f.start).line + 1}`);
      assert.deepEqual(actual, expected.findings);
    });
  }
});

const AVM_BICEP_DIR = 'avm/Azure__bicep-registry-modules__avm__res__api-management__service__';

/** Expected findings of the Bicep files of the manifest, as `RULE@line`; `why` where this departs from the manifest. */
const BICEP_EXPECTED: Record<string, { findings: string[]; why?: string }> = {
  'peer_psrule/Azure__PSRule.Rules.Azure__docs__examples__resources__apim.bicep': { findings: [] },
  [`${AVM_BICEP_DIR}backend__main.bicep`]: { findings: [] },
  [`${AVM_BICEP_DIR}backend__main@34114f7.bicep`]: { findings: ['APIM001@33', 'APIM002@34'] },
  [`${AVM_BICEP_DIR}main.bicep`]: { findings: [] },
  [`${AVM_BICEP_DIR}tests__e2e__max__main.test.bicep`]: {
    findings: [],
    why:
      'the manifest marks lines 172-175 and 449-452 (and notes http API serviceUrls at 130 and 383), but those objects are params of ' +
      '../../../main.bicep, called by its path, not by the registry address the AVM module is recognised by, and not beside the file ' +
      'here; they reach a backend only two module levels down (main.bicep loops them into backend/main.bicep): beyond one level, unknown',
  },
  [`${AVM_BICEP_DIR}tests__e2e__v2max__main.test.bicep`]: {
    findings: [],
    why:
      'as for max: lines 139-142 (and the http API serviceUrl at 97) are params of a module called by its path, outside this file set, ' +
      'so the linter cannot see them reach a backend or an API',
  },
  [`${AVM_BICEP_DIR}tests__e2e__waf-aligned__main.test.bicep`]: { findings: [] },
  [`${AVM_BICEP_DIR}workspace__backend__main.bicep`]: { findings: [] },
  'avm/Azure__ResourceModules__modules__api-management__service__backend__main.bicep': { findings: ['APIM001@37', 'APIM002@38'] },
};

describe('real-world corpus (Bicep)', () => {
  test('every Bicep file of the manifest has an expectation here, and nothing else does', () => {
    const bicep = manifestRows()
      .filter((r) => r.kind === 'bicep')
      .map((r) => r.file)
      .sort();
    assert.deepEqual(Object.keys(BICEP_EXPECTED).sort(), bicep);
  });

  for (const [file, expected] of Object.entries(BICEP_EXPECTED)) {
    test(`${path.basename(file).slice(0, 110)}${expected.why ? ` (${expected.why})` : ''}`, async () => {
      const target = toPosix(`/corpus/${encodeURIComponent(file)}/${path.basename(file)}`);
      const texts = new Map([[target, fs.readFileSync(path.join(CORPUS, file), 'utf8')]]);
      const { findings } = await lintTexts(texts);
      const actual = findings.filter((f) => f.file === target).map((f) => `${f.ruleId}@${new LineIndex(texts.get(f.file)!).positionAt(f.start).line + 1}`);
      assert.deepEqual(actual, expected.findings);
    });
  }
});

const CARML_ARM = 'avm/Azure__ResourceModules__arm__Microsoft.ApiManagement__serviceResources__backends__';
const AVM_REGISTRY = 'avm/Azure__bicep-registry-modules__avm__res__api-management__service__';

/** Expected findings per ARM file as `RULE@line`, each file linted alone (a template, or a lone parameters file). */
const EXPECTED_ARM: Record<string, { findings: string[]; why?: string }> = {
  'peer_checkov/bridgecrewio__checkov__tests__arm__checks__resource__example_APIManagementMinTLS12__fail.json': {
    findings: ['APIM013@76', 'APIM013@93'],
    why: 'JSON booleans; lines 110/127/144 are frontend switches',
  },
  'peer_checkov/bridgecrewio__checkov__tests__arm__checks__resource__example_APIManagementMinTLS12__pass.json': { findings: [] },
  'peer_psrule/Azure__PSRule.Rules.Azure__docs__examples__resources__apim.json': { findings: [], why: "'False' strings turn the switches off" },
  [`${AVM_REGISTRY}backend__main.json`]: { findings: [], why: 'properties is one shallowMerge(...) expression: unknown' },
  [`${AVM_REGISTRY}backend__main@34114f7.json`]: { findings: ['APIM001@94', 'APIM002@95'], why: 'on the parameter default read as tls: [parameters(tls)]' },
  [`${AVM_REGISTRY}main.json`]: { findings: [], why: 'backends in nested deployments take their values from inputs' },
  'avm/Azure__ResourceModules__modules__api-management__service__backend__main.json': { findings: ['APIM001@86', 'APIM002@87'] },
  [`${CARML_ARM}deploy@6440080.json`]: { findings: ['APIM001@92', 'APIM002@93'], why: "through if(not(empty(parameters('tls'))), ..., json('null'))" },
  [`${CARML_ARM}parameters__parameters@6440080.json`]: { findings: [], why: 'a parameters file alone is not a template' },
};

function lineOf(texts: Map<string, string>, f: { file: string; start: number }): number {
  return new LineIndex(texts.get(f.file)!).positionAt(f.start).line + 1;
}

describe('real-world corpus (ARM)', () => {
  test('every ARM file of the manifest has an expectation here, and nothing else does', () => {
    const arm = manifestRows()
      .filter((r) => r.kind === 'arm')
      .map((r) => r.file)
      .sort();
    assert.deepEqual(Object.keys(EXPECTED_ARM).sort(), arm);
  });

  for (const [file, expected] of Object.entries(EXPECTED_ARM)) {
    test(`${path.basename(file).slice(0, 110)}${expected.why ? ` (${expected.why})` : ''}`, async () => {
      const target = toPosix(`/corpus/${encodeURIComponent(file)}/${path.basename(file)}`);
      const texts = new Map([[target, fs.readFileSync(path.join(CORPUS, file), 'utf8')]]);
      const started = performance.now();
      const { findings } = await lintTexts(texts);
      // A hang guard for the 688 KB AVM template, not a timed budget.
      assert.ok(performance.now() - started < 5000, 'lints in well under a few seconds');
      assert.deepEqual(
        findings.filter((f) => f.file === target).map((f) => `${f.ruleId}@${lineOf(texts, f)}`),
        expected.findings,
      );
    });
  }

  test('CARML deploy.json with its parameters file beside it: the findings move to the values the file gives', async () => {
    const dir = '/corpus/carml-paired';
    const texts = new Map([
      [`${dir}/deploy.json`, fs.readFileSync(path.join(CORPUS, `${CARML_ARM}deploy@6440080.json`), 'utf8')],
      [`${dir}/parameters.json`, fs.readFileSync(path.join(CORPUS, `${CARML_ARM}parameters__parameters@6440080.json`), 'utf8')],
    ]);
    const { findings } = await lintTexts(texts);
    assert.deepEqual(
      findings.map((f) => `${path.basename(f.file)}:${f.ruleId}@${lineOf(texts, f)}`),
      ['parameters.json:APIM012@12', 'parameters.json:APIM001@16', 'parameters.json:APIM002@17'],
    );
  });
});

const POLICY_CORPUS = path.join(REPO_ROOT, 'test', 'corpus');

/** Expected findings of the project's own corpus of policy files (test/corpus/MANIFEST.tsv), each linted alone. */
const EXPECTED_POLICY: Record<string, { findings: string[]; why?: string }> = {
  'policy/Azure__api-management-policy-snippets__examples__Route_requests_to_regional_backend_instances.xml': {
    findings: ['APIM019@14', 'APIM019@17', 'APIM019@20'],
    why: 'three base-url routes over plain http, behind conditions whose quotes sit inside XML attributes',
  },
  'policy/Azure__api-management-policy-snippets__examples__Back-end_API_redundancy.policy.xml': {
    findings: [],
    why: 'every base-url is https; expressions with quotes and && inside attributes are read as unknown, not as errors',
  },
  'policy/Azure__api-management-policy-snippets__examples__Random_load_balancer.policy.xml': { findings: [], why: 'base-url from named values: unknown' },
  'policy/Azure__api-management-policy-snippets__examples__Call_out_to_an_HTTP_endpoint_and_cache_the_response.policy.xml': {
    findings: [],
    why: 'an expression whose string literal runs over a line break never closes: the document is not read, and nothing crashes',
  },
};

function policyManifest(): Array<{ file: string; kind: string; license: string; commit: string }> {
  const lines = fs.readFileSync(path.join(POLICY_CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const header = lines[0].split('\t');
  const col = (name: string) => header.indexOf(name);
  return lines.slice(1).map((l) => {
    const cols = l.split('\t');
    return { file: cols[col('file')], kind: cols[col('kind')], license: cols[col('license')], commit: cols[col('commit')] };
  });
}

describe('real-world corpus (policy XML)', () => {
  test('the manifest has the columns of the shared one, a licence and commit per file, and every file an expectation here', () => {
    const shared = fs.readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n')[0];
    assert.equal(fs.readFileSync(path.join(POLICY_CORPUS, 'MANIFEST.tsv'), 'utf8').split('\n')[0], shared);
    const rows = policyManifest();
    for (const r of rows) {
      assert.match(r.commit, /^[0-9a-f]{40}$/, `${r.file} names its commit`);
      assert.ok(r.license, `${r.file} names its licence`);
      assert.ok(fs.existsSync(path.join(POLICY_CORPUS, r.file)), `${r.file} is there`);
    }
    assert.deepEqual(rows.map((r) => r.file).sort(), Object.keys(EXPECTED_POLICY).sort());
    assert.ok(rows.length >= 3, 'at least three real policy files');
  });

  for (const [file, expected] of Object.entries(EXPECTED_POLICY)) {
    test(`${path.basename(file).slice(0, 110)}${expected.why ? ` (${expected.why})` : ''}`, async () => {
      const target = toPosix(`/corpus/${encodeURIComponent(file)}/${path.basename(file)}`);
      const texts = new Map([[target, fs.readFileSync(path.join(POLICY_CORPUS, file), 'utf8')]]);
      const { findings } = await lintTexts(texts);
      assert.deepEqual(
        findings.filter((f) => f.file === target).map((f) => `${f.ruleId}@${lineOf(texts, f)}`),
        expected.findings,
      );
    });
  }
});
