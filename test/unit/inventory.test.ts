// The inventory core (DESIGN §4c) on examples/ and on test/fixtures/inventory: every backend instance's trust state and
// migration stage asserted exactly, with the reason it is not at the next stage, its pins and the certificate files
// that match them, the findings on it, and the per-service tallies. A leaf certificate of the workspace names a
// backend's issuing CA; live facts move a backend as a live check would.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { readCertificates } from '../../server/src/core/certificates/read';
import { buildInventory } from '../../server/src/core/inventory/inventory';
import type { Inventory, InventoryEntry, LiveFacts } from '../../server/src/core/inventory/types';
import { makeChain } from '../support/certs';
import { lintFixture, lintTexts, toPosix } from '../support/fixtures';
import { REPO_ROOT } from '../support/parser';

const CA_SHA1 = 'C54CD3D82A01A49B61C6B4C3D3F935762F553A83';

async function inventoryOf(dir: string, live?: Map<string, LiveFacts>): Promise<Inventory> {
  const root = toPosix(dir);
  const { findings, workspace } = await lintFixture(dir);
  return buildInventory({
    model: workspace.model(),
    findings,
    certificates: workspace.allCertificates(),
    textOf: (f) => workspace.textOf(f),
    live,
    displayPath: (f) => path.posix.relative(root, f),
  });
}

/** `address: state stage` per backend, in the inventory's order. */
function states(inventory: Inventory): string[] {
  return inventory.backends.map((e) => `${e.address}: ${e.state} ${e.stage}`);
}

function entry(inventory: Inventory, address: string): InventoryEntry {
  const found = inventory.backends.find((e) => e.address === address);
  assert.ok(found, `no entry ${address} in ${inventory.backends.map((e) => e.address).join(', ')}`);
  return found;
}

test('examples/: each backend instance with its trust state and stage, the for_each expanded per key', async () => {
  const inv = await inventoryOf(path.join(REPO_ROOT, 'examples'));
  assert.deepEqual(states(inv), [
    'azurerm_api_management_backend.orders: trusts-any 0',
    'azurerm_api_management_backend.billing: name-only 1',
    'azurerm_api_management_backend.inventory: plain-http 0',
    'azurerm_api_management_backend.payments: default 1',
    'azurerm_api_management_backend.partner["customs"]: name-only 1',
    'azurerm_api_management_backend.partner["fabrikam"]: default 1',
    'azurerm_api_management_backend.tic: pinned 3',
    'azurerm_api_management_backend.shipping: pin-ignored 2',
  ]);
  assert.equal(
    entry(inv, 'azurerm_api_management_backend.orders').reason,
    "stage 0: name validation is off (tls.validate_certificate_name = false) — turn it back on (APIM002's quick fix)",
  );
  assert.equal(
    entry(inv, 'azurerm_api_management_backend.billing').reason,
    'stage 1: issuing CA unknown — no certificate file in the workspace matches, run a live check',
  );
  assert.match(
    entry(inv, 'azurerm_api_management_backend.shipping').reason,
    /^stage 2: pin ignored: api-version 2024-05-01 — the pin to Contoso Issuing CA 01 \(C54CD3D8…\)/,
  );
  assert.equal(
    entry(inv, 'azurerm_api_management_backend.tic').reason,
    "stage 3: not cleaned up — the service's CA store still holds a certificate v2 ignores (APIM004)",
  );

  // The findings on each backend, wherever they are written: the tfvars value of billing, the locals entry of customs.
  const findings = (address: string) => entry(inv, address).findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`);
  assert.deepEqual(findings('azurerm_api_management_backend.orders'), ['APIM001 backends.tf:24', 'APIM002 backends.tf:25']);
  assert.deepEqual(findings('azurerm_api_management_backend.billing'), ['APIM001 terraform.tfvars:3']);
  assert.deepEqual(findings('azurerm_api_management_backend.partner["customs"]'), ['APIM001 backends.tf:76']);
  assert.deepEqual(findings('azurerm_api_management_backend.partner["fabrikam"]'), []);
  assert.deepEqual(findings('azurerm_api_management_backend.shipping'), ['APIM005 pinned.tf:48']);

  // The pinned backend's certificate file is in the workspace: the pin names it, with subject and expiry.
  const tic = entry(inv, 'azurerm_api_management_backend.tic');
  assert.equal(tic.trust, 'pinned to Contoso Issuing CA 01');
  assert.equal(tic.pins.length, 1);
  assert.deepEqual(
    { ...tic.pins[0], certificate: tic.pins[0].certificate && { ...tic.pins[0].certificate, notAfter: '(date)' } },
    {
      kind: 'issuer',
      name: 'tic.internal.contoso.com',
      thumbprint: CA_SHA1,
      apiVersion: '2025-03-01-preview',
      owner: 'azapi_update_resource.tic_backend_tls',
      problem: null,
      certificate: { file: 'certs/contoso-issuing-ca-01.cer', subject: tic.pins[0].certificate?.subject, notAfter: '(date)', isCa: true },
    },
  );
  assert.match(tic.pins[0].certificate!.subject, /CN=Contoso Issuing CA 01/);
  assert.match(tic.pins[0].certificate!.notAfter, /^\d{4}-\d\d-\d\d$/);
  assert.deepEqual(tic.issuingCa && { source: tic.issuingCa.source, sha1: tic.issuingCa.sha1, file: tic.issuingCa.file }, {
    source: 'pin',
    sha1: CA_SHA1,
    file: 'certs/contoso-issuing-ca-01.cer',
  });

  // Every backend belongs to the StandardV2 service; the tallies count states and stages.
  assert.equal(inv.services.length, 1);
  const [service] = inv.services;
  assert.deepEqual(
    { address: service.address, name: service.name, sku: service.sku, tier: service.tier, backends: service.backends, pinned: service.pinned },
    { address: 'azurerm_api_management.contoso', name: 'apim-contoso-prod', sku: 'StandardV2_1', tier: 'v2', backends: 8, pinned: 1 },
  );
  assert.deepEqual(service.byStage, [2, 4, 1, 1, 0]);
  assert.deepEqual(
    Object.entries(service.byState).filter(([, n]) => n > 0),
    [
      ['plain-http', 1],
      ['trusts-any', 1],
      ['name-only', 2],
      ['pin-ignored', 1],
      ['default', 2],
      ['pinned', 1],
    ],
  );
  assert.deepEqual(inv.totals, { backends: service.backends, pinned: service.pinned, byState: service.byState, byStage: service.byStage });
});

test('fixtures: an overlay in another file, a for_each with mixed states and one with unknown keys, ARM and Bicep backends', async () => {
  const inv = await inventoryOf(path.join(REPO_ROOT, 'test/fixtures/inventory'));
  assert.deepEqual(states(inv), [
    'crm: pinned 3',
    'azurerm_api_management_backend.orders: pinned 4',
    'azurerm_api_management_backend.stock: pinned 3',
    'azurerm_api_management_backend.sales["ap"]: default 1',
    'azurerm_api_management_backend.sales["eu"]: name-only 1',
    'azurerm_api_management_backend.sales["us"]: trusts-any 0',
    'azurerm_api_management_backend.partner: default 1',
    "backend 'billing': name-only 1",
    'azurerm_api_management_backend.legacy: plain-http 0',
  ]);
  // orders is pinned by an overlay in tls.tf, its CA file is in the workspace, nothing is left to clean up.
  const orders = entry(inv, 'azurerm_api_management_backend.orders');
  assert.equal(orders.file, 'terraform/main.tf');
  assert.equal(orders.pins[0].owner, 'azapi_update_resource.orders_tls');
  assert.equal(orders.pins[0].certificate?.file, 'terraform/certs/contoso-issuing-ca-01.cer');
  assert.match(orders.reason, /^stage 4: cleaned up/);
  assert.equal(
    entry(inv, 'azurerm_api_management_backend.stock').reason,
    'stage 3: not cleaned up — depends_on in azurerm_api_management_api.stock names the backend, not its overlay (APIM009)',
  );
  // The Bicep backend is pinned with a flag left false; the ARM one on a classic service checks names only.
  assert.equal(entry(inv, 'crm').reason, 'stage 3: not cleaned up — a validation flag left false next to the pin (APIM010)');
  assert.deepEqual([entry(inv, 'crm').kind, entry(inv, 'crm').tier, entry(inv, 'crm').file], ['bicep', 'v2', 'templates/main.bicep']);
  const billing = entry(inv, "backend 'billing'");
  assert.deepEqual([billing.kind, billing.tier, billing.sku, billing.chainValidation, billing.nameValidation], ['arm', 'classic', 'Premium', 'false', 'true']);
  // One for_each instance per key, each in its own state; the unknown collection is one entry standing for all.
  assert.deepEqual(
    ['ap', 'eu', 'us'].map((k) => entry(inv, `azurerm_api_management_backend.sales["${k}"]`)).map((e) => [e.key, e.trust, e.keysUnknown]),
    [
      ['ap', 'default trust', false],
      ['eu', 'name checked, chain not', false],
      ['us', 'trusts any certificate', false],
    ],
  );
  const partner = entry(inv, 'azurerm_api_management_backend.partner');
  assert.deepEqual([partner.key, partner.keysUnknown, partner.host], [null, true, null]);
  // A backend whose service is not in the files read is grouped apart.
  assert.deepEqual(
    inv.services.map((s) => [s.address, s.backends, s.pinned]),
    [
      ['apim', 1, 1],
      ['azurerm_api_management.gateway', 6, 2],
      [inv.services[2].address, 1, 0],
      [null, 1, 0],
    ],
  );
  assert.match(inv.services[2].address!, /^templates\/azuredeploy\.json#\d+$/);
  assert.equal(entry(inv, 'azurerm_api_management_backend.legacy').service, null);
  assert.equal(inv.totals.pinned, 3);
  assert.equal(inv.totals.backends, 9);
});

test('a leaf certificate of the workspace issued to the URL host names the issuing CA: stage 2', async () => {
  const chain = await makeChain({ host: 'orders.internal.contoso.com' });
  const read = readCertificates(new TextEncoder().encode(chain.bundlePem), '/ws/certs/orders-bundle.pem');
  assert.ok(read.ok);
  const texts = new Map([
    [
      '/ws/main.tf',
      `resource "azurerm_api_management_backend" "orders" {
  name                = "orders"
  resource_group_name = "rg"
  api_management_name = "apim"
  protocol            = "http"
  url                 = "https://orders.internal.contoso.com/api"
  tls {
    validate_certificate_chain = false
  }
}
`,
    ],
  ]);
  const { findings, workspace } = await lintTexts(texts, undefined, undefined, new Map([['/ws/certs/orders-bundle.pem', read.certificates]]));
  const build = (live?: Map<string, LiveFacts>) =>
    buildInventory({ model: workspace.model(), findings, certificates: workspace.allCertificates(), textOf: (f) => workspace.textOf(f), live });
  const [orders] = build().backends;
  assert.equal(orders.stage, 2);
  assert.equal(
    orders.reason,
    `stage 2: not pinned — pin Contoso Test Issuing CA 01 (${orders.issuingCa!.sha1!.slice(0, 8)}…, from /ws/certs/orders-bundle.pem)`,
  );
  assert.deepEqual(orders.issuingCa && [orders.issuingCa.source, orders.issuingCa.subject], ['certificate file', 'CN=Contoso Test Issuing CA 01, O=Contoso']);

  // A live check that saw a pin-worthy chain tells the issuing CA too; one that reached nothing says so.
  const unreachable: LiveFacts = {
    verdict: 'unknown',
    outcome: 'Could not connect to orders.internal.contoso.com:443: connection refused.',
    reachable: false,
    presentedNames: [],
    issuingCa: null,
    pinWouldBe: null,
    publicRoot: false,
    pinMismatch: false,
    at: '2026-06-01T00:00:00.000Z',
  };
  const bare = await lintTexts(texts);
  const [offline] = buildInventory({
    model: bare.workspace.model(),
    findings: bare.findings,
    certificates: [],
    textOf: (f) => bare.workspace.textOf(f),
    live: new Map([['azurerm_api_management_backend.orders', unreachable]]),
  }).backends;
  assert.equal(
    offline.reason,
    'stage 1: issuing CA unknown — the live check could not reach the backend (Could not connect to orders.internal.contoso.com:443: connection refused)',
  );
  const [seen] = buildInventory({
    model: bare.workspace.model(),
    findings: bare.findings,
    certificates: [],
    textOf: (f) => bare.workspace.textOf(f),
    live: new Map([
      [
        'azurerm_api_management_backend.orders',
        {
          ...unreachable,
          verdict: 'accept',
          reachable: true,
          issuingCa: { subject: 'CN=Contoso Issuing CA 02', sha1: 'A'.repeat(40), notAfter: '2027-01-01T00:00:00.000Z' },
        },
      ],
    ]),
  }).backends;
  assert.deepEqual([seen.stage, seen.issuingCa?.source, seen.issuingCa?.sha1], [2, 'live check', 'A'.repeat(40)]);
});

test('a backend pool is listed as a pool with nothing to migrate; its members carry TLS', async () => {
  const inventory = await inventoryOf(path.join(REPO_ROOT, 'test', 'fixtures', 'rules', 'APIM012', 'arm-pool.json'));
  const pools = inventory.backends.filter((e) => e.state === 'pool');
  assert.equal(pools.length, 1);
  assert.equal(pools[0].trust, 'backend pool: its members carry TLS');
  assert.equal(pools[0].stage, 4);
  assert.match(pools[0].reason, /^stage 4: nothing to migrate — a pool/);
  assert.equal(inventory.totals.byState.pool, 1);
});

test('a module evaluated per environment lists each backend once per environment, with the values of that environment', async () => {
  const inventory = await inventoryOf(path.join(REPO_ROOT, 'test', 'fixtures', 'rules', 'APIM001', 'environments'));
  const orders = inventory.backends.filter((e) => e.key === 'orders');
  assert.deepEqual(
    orders.map((e) => [e.environment, e.host, e.state]),
    [
      ['dev', 'orders.dev.contoso.com', 'name-only'],
      ['prod', 'orders.contoso.com', 'default'],
      ['staging', 'orders.staging.contoso.com', 'default'],
    ],
  );
  // One entry per instance and environment: the view's ids and the report's rows never collide.
  const ids = inventory.backends.map((e) => `${e.address}#${e.environment}`);
  assert.equal(new Set(ids).size, ids.length);
});
