// The facts that moved (DESIGN §1a), as the user reads them: what the messages say where a fixture's carets cannot,
// the lens of a pin written where the API never reads it, and which registry module versions are the risky ones.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { avmBicepServiceVersion, isAvmTerraformService, mayPrecede } from '../../server/src/core/registry-modules';
import { summarizeTrust } from '../../server/src/core/trust';
import { lintFixture } from '../support/fixtures';
import { REPO_ROOT } from '../support/parser';

const RULES = path.join(REPO_ROOT, 'test', 'fixtures', 'rules');

describe('facts that moved', () => {
  test('a cipher switch on Consumption or a v2 tier says it does nothing, faded; on a classic tier it is a weak cipher', async () => {
    for (const fixture of ['v2-does-nothing.tf', 'bicep-consumption.bicep', 'arm-v2-does-nothing.json']) {
      const { findings } = await lintFixture(path.join(RULES, 'APIM014', fixture));
      const [f] = findings.filter((x) => x.ruleId === 'APIM014');
      assert.match(f.message, /which does nothing on its tier \((StandardV2_1|Consumption|PremiumV2)\)/, fixture);
      assert.equal(f.unnecessary, true, `${fixture}: shown faded`);
      assert.equal(f.severity, 'info');
    }
    const { findings } = await lintFixture(path.join(RULES, 'APIM014', 'ciphers.tf'));
    for (const f of findings) {
      assert.match(f.message, /enables the weak cipher/);
      assert.equal(f.unnecessary, undefined);
    }
  });

  test('azurerm’s enable_backend_* names: the finding says that 5.0 removed them and which name 5.x needs', async () => {
    const { findings } = await lintFixture(path.join(RULES, 'APIM013', 'azurerm-3x.tf'));
    assert.equal(findings.length, 1);
    assert.match(findings[0].message, /azurerm 5\.0 removed enable_backend_tls11 .*the name since 4\.27 is backend_tls11_enabled\./);
    // The AVM module's own input of the same name is no azurerm argument: no such note.
    const avm = await lintFixture(path.join(RULES, 'APIM001', 'avm-terraform.tf'));
    assert.doesNotMatch(avm.findings.find((f) => f.ruleId === 'APIM013')!.message, /5\.0/);
  });

  test('the lens of a backend whose pins sit at properties.properties.tls says they are ignored, and why', async () => {
    const { workspace } = await lintFixture(path.join(RULES, 'APIM017', 'arm-properties-properties.json'));
    const file = path.join(RULES, 'APIM017', 'arm-properties-properties.json').replace(/\\/g, '/');
    const [backend] = workspace.backendsIn(file);
    const summary = summarizeTrust(backend, [], (f) => workspace.textOf(f));
    assert.equal(summary.lens, 'TLS: pin ignored: properties.properties.tls is a path the API never reads');
    assert.match(summary.hover, /- Ignored: `properties\.properties\.tls` .* a path the API never reads; it belongs at `properties\.tls`/);
  });

  test('a backend pool has a lens of its own and no url to judge', async () => {
    const { workspace, findings } = await lintFixture(path.join(RULES, 'APIM012', 'arm-pool.json'));
    assert.deepEqual(findings, []);
    const [pool] = workspace.backendsIn(path.join(RULES, 'APIM012', 'arm-pool.json').replace(/\\/g, '/'));
    assert.equal(summarizeTrust(pool, [], () => undefined).lens, 'TLS: backend pool: its members carry TLS');
  });

  test('registry module addresses and the versions before the safe tls default', () => {
    assert.equal(avmBicepServiceVersion('br/public:avm/res/api-management/service:0.9.0'), '0.9.0');
    assert.equal(avmBicepServiceVersion('br:mcr.microsoft.com/bicep/avm/res/api-management/service:0.12.1'), '0.12.1');
    assert.equal(avmBicepServiceVersion('br/public:avm/res/api-management/service/backend:0.1.0'), undefined);
    assert.equal(avmBicepServiceVersion('./service/main.bicep'), undefined);
    assert.ok(isAvmTerraformService('Azure/avm-res-apimanagement-service/azurerm'));
    assert.ok(isAvmTerraformService('registry.terraform.io/Azure/avm-res-apimanagement-service/azurerm'));
    assert.ok(!isAvmTerraformService('Azure/avm-res-network-virtualnetwork/azurerm'));
    // An exact release, or a constraint that admits one, before 0.13.0 is the risky one; what cannot be read is not.
    assert.equal(mayPrecede('0.9.0', '0.13.0'), true);
    assert.equal(mayPrecede('0.12.1', '0.13.0'), true);
    assert.equal(mayPrecede('0.13.0', '0.13.0'), false);
    assert.equal(mayPrecede('~> 0.12', '0.13.0'), true);
    assert.equal(mayPrecede('>= 0.13.0', '0.13.0'), false);
    assert.equal(mayPrecede('latest', '0.13.0'), false);
  });
});
