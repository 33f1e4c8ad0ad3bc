// Environments (DESIGN §2, §5): each alternative var file of a root module is its own run, never layered on the
// others. A finding that holds in some runs names them, one that holds in all is reported once without a name, and
// the hover and lens of a backend show per-environment values where they differ.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { summarizeAcrossEnvironments } from '../../server/src/core/trust';
import { lintFixture, lintTexts } from '../support/fixtures';
import { REPO_ROOT } from '../support/parser';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'rules', 'APIM001');

const BACKEND = (tls: string, extra = '') => `
resource "azurerm_api_management_backend" "orders" {
${extra}  name                = "orders"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = var.url
  tls {
${tls}
  }
}
variable "url" {
  type    = string
  default = "https://orders.contoso.com/api"
}
variable "chain" {
  type    = bool
  default = false
}
variable "deploy" {
  type    = bool
  default = true
}
`;

describe('environments', () => {
  test('three var files: the four findings of dev name dev, and nothing fires for staging or prod', async () => {
    const { findings } = await lintFixture(path.join(FIXTURES, 'environments'));
    assert.deepEqual(
      findings.map((f) => [path.basename(f.file), f.ruleId]),
      Array.from({ length: 4 }, () => ['dev.tfvars', 'APIM001']),
    );
    for (const f of findings) assert.match(f.message, /\(In environment dev\.\)$/);
  });

  test('a finding that holds in every environment is reported once, without a name', async () => {
    const { findings } = await lintTexts(
      new Map([
        ['/ws/main.tf', BACKEND('    validate_certificate_chain = false')],
        ['/ws/env/dev.tfvars', 'url = "https://orders.dev.contoso.com/api"\n'],
        ['/ws/env/prod.tfvars', 'url = "https://orders.contoso.com/api"\n'],
      ]),
    );
    assert.equal(findings.length, 1);
    assert.equal(findings[0].file, '/ws/main.tf');
    assert.doesNotMatch(findings[0].message, /environment/i);
  });

  test('a default that one environment overrides holds in the others, which are named', async () => {
    const { findings } = await lintTexts(
      new Map([
        ['/ws/main.tf', BACKEND('    validate_certificate_chain = var.chain')],
        ['/ws/env/dev.tfvars', 'chain = true\n'],
        ['/ws/env/staging.tfvars', 'url = "https://orders.staging.contoso.com/api"\n'],
        ['/ws/env/prod.tfvars', 'url = "https://orders.contoso.com/api"\n'],
      ]),
    );
    assert.deepEqual(
      findings.map((f) => [f.file, f.ruleId]),
      [['/ws/main.tf', 'APIM001']],
    );
    assert.match(findings[0].message, /\(In environments prod, staging\.\)$/);
  });

  test('an environment that does not deploy the resource (a var file sets count to 0) is not among those named', async () => {
    const { findings } = await lintTexts(
      new Map([
        ['/ws/main.tf', BACKEND('    validate_certificate_chain = false', '  count               = var.deploy ? 1 : 0\n')],
        ['/ws/env/dev.tfvars', 'deploy = true\n'],
        ['/ws/env/prod.tfvars', 'deploy = false\n'],
      ]),
    );
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /\(In environment dev\.\)$/);
  });

  test('var files next to a called module are not environments of the root (they set none of its variables)', async () => {
    const { findings } = await lintTexts(
      new Map([
        ['/ws/main.tf', 'module "b" {\n  source = "./modules/b"\n}\n'],
        ['/ws/modules/b/main.tf', BACKEND('    validate_certificate_chain = var.chain')],
        ['/ws/modules/b/test.tfvars', 'chain = true\n'],
      ]),
    );
    // The module's default is what the root deploys: one finding, no environment.
    assert.equal(findings.length, 1);
    assert.doesNotMatch(findings[0].message, /environment/i);
  });

  test('configured environments replace the default discovery', async () => {
    const config = JSON.stringify({ environments: ['env/*.tfvars'] });
    const { findings } = await lintTexts(
      new Map([
        ['/ws/main.tf', BACKEND('    validate_certificate_chain = var.chain')],
        ['/ws/env/dev.tfvars', 'chain = false\n'],
        ['/ws/env/prod.tfvars', 'chain = true\n'],
        // Not an environment once the globs are configured: never read.
        ['/ws/scratch.tfvars', 'chain = false\n'],
      ]),
      config,
      '/ws',
    );
    assert.deepEqual(
      findings.map((f) => [f.file, f.message.endsWith('(In environment dev.)')]),
      [['/ws/env/dev.tfvars', true]],
    );
  });

  test('the hover and the lens show per-environment values where they differ', async () => {
    const { workspace } = await lintFixture(path.join(FIXTURES, 'environments'));
    const file = path.join(FIXTURES, 'environments', 'modules', 'backends', 'main.tf').replace(/\\/g, '/');
    const backends = workspace.backendsIn(file).filter((b) => b.key === 'orders');
    assert.deepEqual(
      backends.map((b) => b.environment),
      ['dev', 'prod', 'staging'],
    );
    const summary = summarizeAcrossEnvironments(backends, [], (f) => workspace.textOf(f));
    assert.equal(summary.lens, 'TLS: name checked, chain not in dev; default trust in prod, staging');
    assert.match(
      summary.hover,
      /^- Chain validation: `false` in dev \(set at dev\.tfvars:2\); `true` in prod, staging \(set at prod\.tfvars:2, staging\.tfvars:2\)$/m,
    );
    assert.match(summary.hover, /^- Name validation: `true` — set at main\.tf:18$/m);
    assert.match(summary.hover, /^- URL: `https:\/\/orders\.dev\.contoso\.com\/api` in dev; /m);
  });
});
