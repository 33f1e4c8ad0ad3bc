// Policy XML wherever it is written: the embedded text and its map back to the host's characters (heredoc
// indentation, HCL, JSON and Bicep escapes, interpolations), the policy reader (expressions, named values, broken XML),
// and the migration's rename done halfway across Terraform, ARM, Bicep and policy files: every stale reference named,
// fixed at once, renamed safely, and an http URL reported in all four places it can be written.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asString } from '../../server/src/core/model';
import { ownerFromPath } from '../../server/src/core/policies/format';
import { bicepStringText, hclStringText, hclTemplateText, jsonStringText } from '../../server/src/core/policies/host-strings';
import { readPolicy } from '../../server/src/core/policies/read-policy';
import { summarizeAcrossEnvironments } from '../../server/src/core/trust';
import { applyEdits, lintTexts } from '../support/fixtures';

/** The host characters the embedded text's first occurrence of `needle` maps to. */
function hostOf(host: string, mapped: { text: string; map: { toSource(s: number, e: number): { start: number; end: number } } }, needle: string): string {
  const at = mapped.text.indexOf(needle);
  assert.ok(at >= 0, `${JSON.stringify(needle)} is in the embedded text`);
  const { start, end } = mapped.map.toSource(at, at + needle.length);
  return host.slice(start, end);
}

describe('embedded text and its map', () => {
  test('an indented heredoc (<<-) loses the indentation its lines share, and maps back to the host columns', () => {
    const host = 'x = <<-XML\n    <policies>\n      <inbound a="v" />\n    </policies>\n  XML\n';
    const mapped = hclStringText(host, host.indexOf('<<'), host.length - 1)!;
    assert.equal(mapped.text, '<policies>\n  <inbound a="v" />\n</policies>\n');
    assert.equal(hostOf(host, mapped, 'a="v"'), 'a="v"');
    assert.equal(mapped.map.isVerbatim(mapped.text.indexOf('v"'), mapped.text.indexOf('v"') + 1), true);
  });

  test('a plain heredoc keeps its indentation; $${ and %%{ are literal, ${…} and %{…} unknown', () => {
    const host = 'x = <<EOT\n  <a u="$${x}" v="${var.v}">%{ if true }y%{ endif }</a>\nEOT\n';
    const mapped = hclStringText(host, host.indexOf('<<'), host.lastIndexOf('EOT') + 3)!;
    assert.ok(mapped.text.startsWith('  <a u="${x}" v="'));
    const v = mapped.text.indexOf('v="') + 3;
    assert.equal(mapped.map.firstOpaque(v, v + 5), v);
    assert.equal(hostOf(host, mapped, '${x}'), '$${x}');
  });

  test('an HCL quoted string: \\" and \\n are one character each, mapped to both of theirs', () => {
    const host = 'xml_content = "<p a=\\"http://x\\">\\n</p>"';
    const mapped = hclStringText(host, host.indexOf('"'), host.length)!;
    assert.equal(mapped.text, '<p a="http://x">\n</p>');
    assert.equal(hostOf(host, mapped, 'http://x'), 'http://x');
    assert.equal(hostOf(host, mapped, '"http'), '\\"http');
  });

  test('a JSON string with \\r\\n, \\" and \\u escapes', () => {
    const host = '{"value": "<p>\\r\\n<s u=\\"http://a\\u0062c\\" /></p>"}';
    const start = host.indexOf('"<p>');
    const mapped = jsonStringText(host, start, host.lastIndexOf('"') + 1)!;
    assert.equal(mapped.text, '<p>\r\n<s u="http://abc" /></p>');
    assert.equal(hostOf(host, mapped, 'http://abc'), 'http://a\\u0062c');
    const at = mapped.text.indexOf('http://abc');
    assert.equal(mapped.map.isVerbatim(at, at + 10), false, 'an escape inside: not editable as it is');
  });

  test("Bicep: a ''' string drops the line break after its quotes; an escaped string maps \\' and ${…}", () => {
    const multi = "value: '''\n<policies/>\n'''";
    const m = bicepStringText(multi, multi.indexOf("'''"), multi.length)!;
    assert.equal(m.text, '<policies/>\n');
    assert.equal(hostOf(multi, m, '<policies/>'), '<policies/>');
    const escaped = "value: '<s u=\\'http://${host}/x\\' />'";
    const e = bicepStringText(escaped, escaped.indexOf("'"), escaped.length)!;
    assert.ok(e.text.startsWith("<s u='http://"));
    const head = e.text.indexOf('http://') + 7;
    assert.equal(e.map.firstOpaque(head, head + 4), head);
  });

  test('a templatefile() text: ${…} and %{…} are unknown, the rest its own characters', () => {
    const t = hclTemplateText('<a u="http://${h}/x">%{ if c ~}\n<b/>%{ endif ~}</a>');
    assert.ok(t.text.startsWith('<a u="http://'));
    assert.equal(t.map.opaqueRanges().length, 3);
  });
});

describe('reading a policy', () => {
  test('expressions may hold quotes and angle brackets; their values are unknown, never errors', () => {
    const read = readPolicy(
      '<policies><inbound><set-backend-service base-url="@(context.Variables["a<b"] + "x")" /><set-backend-service backend-id="{{id}}" />' +
        '<send-request><set-url>@{ return "http://" + "x"; }</set-url></send-request></inbound></policies>',
    )!;
    assert.ok(read);
    assert.deepEqual(
      [...read.urls, ...read.backendIds].map((v) => v.unknown),
      [true, true, true],
    );
  });

  test('a URL with a known head and an unknown tail keeps the head', () => {
    const read = readPolicy('<policies><send-one-way-request><set-url>http://{{host}}/log</set-url></send-one-way-request></policies>')!;
    assert.equal(read.urls[0].value, 'http://');
    assert.equal(read.urls[0].unknown, true);
  });

  test('references are decoded; offsets are those of the raw value', () => {
    const text = '<policies><set-backend-service backend-id="a&amp;b" /></policies>';
    const read = readPolicy(text)!;
    assert.equal(read.backendIds[0].value, 'a&b');
    assert.equal(text.slice(read.backendIds[0].start, read.backendIds[0].end), 'a&amp;b');
  });

  test('broken XML and an expression that never closes give nothing, not a guess', () => {
    assert.equal(readPolicy('<policies><inbound><set-backend-service base-url="http://x" ></inbound></policies>'), undefined);
    assert.equal(readPolicy('<policies><set-variable value="@(context.Request" /></policies>'), undefined);
    assert.equal(readPolicy(''), undefined);
  });

  test('APIOps folders say what a standalone policy applies to', () => {
    assert.equal(ownerFromPath('/r/apis/orders/policy.xml').name, "API 'orders'");
    assert.equal(ownerFromPath('/r/apis/orders/operations/get/policy.xml').name, "operation 'get' of API 'orders'");
    assert.equal(ownerFromPath('/r/products/starter/policy.xml').name, "product 'starter'");
    assert.equal(ownerFromPath('/r/policy.xml').name, 'the service');
  });
});

/** The migration's rename done halfway: `tic-backend-insecure` became `tic-backend`; some policies were left behind. */
const HALFWAY = new Map([
  [
    '/w/tf/backends.tf',
    `resource "azurerm_api_management_backend" "tic" {
  name                = "tic-backend"
  resource_group_name = "rg"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://tic.contoso.internal"
  tls {
    validate_certificate_chain = false
  }
}
`,
  ],
  [
    '/w/tf/apis.tf',
    `resource "azurerm_api_management_api_policy" "orders" {
  api_name            = "orders"
  api_management_name = "apim-contoso"
  resource_group_name = "rg"
  xml_content         = <<-XML
    <policies><inbound><set-backend-service backend-id="tic-backend-insecure" /></inbound>
      <outbound><send-request mode="new"><set-url>http://audit.contoso.com/orders</set-url></send-request></outbound></policies>
  XML
}

resource "azurerm_api_management_api_policy" "inventory" {
  api_name            = "inventory"
  api_management_name = "apim-contoso"
  resource_group_name = "rg"
  xml_content         = file("\${path.module}/policies/inventory.xml")
}

resource "azurerm_api_management_api_policy" "billing" {
  api_name            = "billing"
  api_management_name = "apim-contoso"
  resource_group_name = "rg"
  xml_content         = "<policies><inbound><set-backend-service backend-id=\\"tic-backend\\" /></inbound></policies>"
}

resource "azurerm_api_management_api" "orders" {
  name                = "orders"
  api_management_name = "apim-contoso"
  resource_group_name = "rg"
  revision            = "1"
  service_url         = "http://orders.contoso.com"
}
`,
  ],
  ['/w/tf/policies/inventory.xml', '<policies>\n  <inbound>\n    <set-backend-service backend-id="tic-backend-insecure" />\n  </inbound>\n</policies>\n'],
  [
    '/w/arm/template.json',
    JSON.stringify(
      {
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        resources: [
          {
            type: 'Microsoft.ApiManagement/service/apis/policies',
            apiVersion: '2024-05-01',
            name: 'apim-contoso/shipping/policy',
            properties: {
              value: '<policies>\r\n<set-backend-service backend-id="tic-backend-insecure" base-url="http://shipping.contoso.com" />\r\n</policies>',
            },
          },
          {
            type: 'Microsoft.ApiManagement/service/apis',
            apiVersion: '2024-05-01',
            name: 'apim-contoso/shipping',
            properties: { serviceUrl: 'http://shipping.contoso.com' },
          },
        ],
      },
      null,
      2,
    ),
  ],
  [
    '/w/bicep/main.bicep',
    `resource apim 'Microsoft.ApiManagement/service@2024-05-01' existing = {
  name: 'apim-contoso'
}

resource returns 'Microsoft.ApiManagement/service/apis@2024-05-01' = {
  parent: apim
  name: 'returns'
  properties: {
    path: 'returns'
    displayName: 'Returns'
    serviceUrl: 'http://returns.contoso.com'
  }
}

resource returnsPolicy 'Microsoft.ApiManagement/service/apis/policies@2024-05-01' = {
  parent: returns
  name: 'policy'
  properties: {
    value: '''
<policies><inbound><set-backend-service backend-id="tic-backend-insecure" base-url="http://returns.contoso.com" /></inbound></policies>
'''
  }
}
`,
  ],
  ['/w/apiops/apis/legacy/policy.xml', '<policies><inbound><set-backend-service base-url="http://legacy.contoso.com" /></inbound></policies>\n'],
]);

describe('the rename done halfway (issue 13, done when)', () => {
  test('every API whose policy still names the old backend is named, in Terraform, a file() policy, ARM and Bicep', async () => {
    const { findings } = await lintTexts(HALFWAY);
    const stale = findings.filter((f) => f.ruleId === 'APIM020');
    assert.deepEqual(stale.map((f) => /The policy of (.*?) routes/.exec(f.message)![1]).sort(), [
      "API 'inventory'",
      "API 'orders'",
      "API 'returns'",
      "API 'shipping'",
    ]);
    for (const f of stale) assert.equal(HALFWAY.get(f.file)!.slice(f.start, f.end), 'tic-backend-insecure');
  });

  test('one fix moves every reference to the renamed backend at once, in every file', async () => {
    const { findings } = await lintTexts(HALFWAY);
    const first = findings.find((f) => f.ruleId === 'APIM020')!;
    const fix = first.fixes.find((x) => x.kind === 'fix')!;
    assert.equal(fix.isPreferred, true);
    assert.match(fix.title, /Use backend 'tic-backend' in all 4 policies/);
    const fixed = applyEdits(HALFWAY, fix.edits);
    const again = await lintTexts(fixed);
    assert.deepEqual(
      again.findings.filter((f) => f.ruleId === 'APIM020'),
      [],
    );
    assert.match(fixed.get('/w/tf/policies/inventory.xml')!, /backend-id="tic-backend"/);
  });

  test('an http policy URL is reported in all four formats it can be written in, an http API service URL in the three that define APIs', async () => {
    const { findings } = await lintTexts(HALFWAY);
    const at = (rule: string) => findings.filter((f) => f.ruleId === rule).map((f) => `${f.file}:${HALFWAY.get(f.file)!.slice(f.start, f.end)}`);
    // An API's URL is reported on its string literal, quotes included (as a backend's url is); a policy's on the URL.
    assert.deepEqual(at('APIM021').sort(), [
      '/w/arm/template.json:"http://shipping.contoso.com"',
      "/w/bicep/main.bicep:'http://returns.contoso.com'",
      '/w/tf/apis.tf:"http://orders.contoso.com"',
    ]);
    assert.deepEqual(at('APIM019').sort(), [
      '/w/apiops/apis/legacy/policy.xml:http://legacy.contoso.com',
      '/w/arm/template.json:http://shipping.contoso.com',
      '/w/bicep/main.bicep:http://returns.contoso.com',
      '/w/tf/apis.tf:http://audit.contoso.com/orders',
    ]);
  });

  test('APIM001 on the backend names the policies that route to it (its blast radius)', async () => {
    const fixed = new Map(HALFWAY);
    fixed.set('/w/tf/apis.tf', HALFWAY.get('/w/tf/apis.tf')!.replace('tic-backend-insecure', 'tic-backend'));
    const { findings } = await lintTexts(fixed);
    const chain = findings.find((f) => f.ruleId === 'APIM001')!;
    assert.deepEqual(
      chain.related.map((r) => r.message),
      ["Used by the policy of API 'orders'", "Used by the policy of API 'billing'"],
    );
  });

  test('renaming the backend moves its name and every reference, across formats; what cannot be edited is refused', async () => {
    const renamed = new Map(HALFWAY);
    for (const [file, text] of renamed) renamed.set(file, text.replaceAll('tic-backend-insecure', 'tic-backend'));
    const { workspace } = await lintTexts(renamed);
    const text = renamed.get('/w/tf/backends.tf')!;
    const offset = text.indexOf('tic-backend') + 2;
    const at = workspace.renameTargetAt('/w/tf/backends.tf', offset);
    assert.ok(at?.ok);
    assert.equal(text.slice(at.target.span.start, at.target.span.end), 'tic-backend');
    const plan = workspace.planRename('/w/tf/backends.tf', offset, 'tic-pinned');
    assert.ok(plan.ok, plan.ok ? '' : plan.reason);
    assert.deepEqual([...new Set(plan.edits.map((e) => e.file))].sort(), [
      '/w/arm/template.json',
      '/w/bicep/main.bicep',
      '/w/tf/apis.tf',
      '/w/tf/backends.tf',
      '/w/tf/policies/inventory.xml',
    ]);
    const after = applyEdits(renamed, plan.edits);
    const relint = await lintTexts(after);
    assert.deepEqual(
      relint.findings.filter((f) => f.ruleId === 'APIM020'),
      [],
    );
    const names = relint.workspace.backendsIn('/w/tf/backends.tf').map((b) => asString(b.backendName));
    assert.deepEqual(names, ['tic-pinned']);

    assert.match((workspace.planRename('/w/tf/backends.tf', offset, 'a b') as { reason: string }).reason, /cannot be a backend's name/);
    const escaped = new Map(renamed);
    escaped.set('/w/tf/policies/inventory.xml', '<policies><set-backend-service backend-id="tic&#45;backend" /></policies>');
    const { workspace: w2 } = await lintTexts(escaped);
    const refused = w2.planRename('/w/tf/backends.tf', offset, 'tic-pinned');
    assert.equal(refused.ok, false);
    assert.match((refused as { reason: string }).reason, /inventory\.xml:1/);
  });
});

/** A root module evaluated per environment (env/*.tfvars): its backend is read once per run, its policies once. */
const PER_ENVIRONMENT = new Map([
  [
    '/e/main.tf',
    `variable "chain" {
  type    = bool
  default = false
}

resource "azurerm_api_management_backend" "tic" {
  name                = "tic-backend"
  resource_group_name = "rg"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://tic.contoso.internal"
  tls {
    validate_certificate_chain = var.chain
  }
}

resource "azurerm_api_management_api_policy" "orders" {
  api_name            = "orders"
  api_management_name = "apim-contoso"
  resource_group_name = "rg"
  xml_content         = "<policies><inbound><set-backend-service backend-id=\\"tic-backend\\" /></inbound></policies>"
}

resource "azurerm_api_management_api_policy" "returns" {
  api_name            = "returns"
  api_management_name = "apim-contoso"
  resource_group_name = "rg"
  xml_content         = "<policies><inbound><set-backend-service backend-id=\\"tic-backend-insecure\\" /></inbound></policies>"
}

resource "azurerm_api_management_api_policy" "billing" {
  api_name            = "billing"
  api_management_name = "apim-contoso"
  resource_group_name = "rg"
  xml_content         = file("\${path.module}/policies/billing.xml")
}
`,
  ],
  ['/e/env/dev.tfvars', 'chain = false\n'],
  ['/e/env/staging.tfvars', 'chain = false\n'],
  ['/e/env/prod.tfvars', 'chain = true\n'],
  ['/e/policies/billing.xml', '<policies><inbound><set-backend-service backend-id="tic-backend" /></inbound></policies>\n'],
]);

describe('policies and backends read once per environment', () => {
  test('a stale backend-id is reported once, without an environment; the blast radius lists each policy once', async () => {
    const { findings } = await lintTexts(PER_ENVIRONMENT);
    const stale = findings.filter((f) => f.ruleId === 'APIM020');
    assert.equal(stale.length, 1);
    assert.equal(PER_ENVIRONMENT.get(stale[0].file)!.slice(stale[0].start, stale[0].end), 'tic-backend-insecure');
    assert.doesNotMatch(stale[0].message, /environment/i);
    // Chain validation is off in dev and staging, each through its own var file: one finding in each, naming it.
    const chain = findings.filter((f) => f.ruleId === 'APIM001');
    assert.deepEqual(
      chain.map((f) => [f.file, /\(In environment (\w+)\.\)$/.exec(f.message)?.[1]]),
      [
        ['/e/env/dev.tfvars', 'dev'],
        ['/e/env/staging.tfvars', 'staging'],
      ],
    );
    for (const f of chain) {
      assert.deepEqual(
        f.related.filter((r) => r.message.startsWith('Used by the policy')).map((r) => r.message),
        ["Used by the policy of API 'orders'", "Used by the policy of API 'billing'"],
      );
    }
  });

  test("the backend's hover lists its policies once, and a rename moves each reference once", async () => {
    const { workspace } = await lintTexts(PER_ENVIRONMENT);
    const instances = workspace.backendsIn('/e/main.tf');
    assert.equal(instances.length, 3, 'the backend is read once per environment');
    const hover = summarizeAcrossEnvironments(instances, [], (f) => workspace.textOf(f), workspace.routesTo(instances)).hover;
    assert.match(hover, /\*\*Routed to by 2 policies\*\*/);
    assert.equal(hover.match(/- the policy of API 'orders'/g)?.length, 1);
    const text = PER_ENVIRONMENT.get('/e/main.tf')!;
    const plan = workspace.planRename('/e/main.tf', text.indexOf('"tic-backend"') + 3, 'tic-pinned');
    assert.ok(plan.ok, plan.ok ? '' : plan.reason);
    assert.deepEqual(plan.edits.map((e) => `${e.file}:${e.start}`).sort(), [
      `/e/main.tf:${text.indexOf('tic-backend')}`,
      `/e/main.tf:${text.indexOf('tic-backend\\"')}`,
      `/e/policies/billing.xml:${PER_ENVIRONMENT.get('/e/policies/billing.xml')!.indexOf('tic-backend')}`,
    ]);
  });
});
