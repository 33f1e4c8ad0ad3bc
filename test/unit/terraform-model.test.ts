// The Terraform side of the model: what extraction and evaluation make of real-looking configuration.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { asBool, tierOf, type Model, type Val } from '../../server/src/core/model';
import { extractFile } from '../../server/src/core/parse/hcl-ast';
import { extractModel, moduleInstances } from '../../server/src/core/terraform/extract';
import { buildModules, joinPath, type TfSource } from '../../server/src/core/terraform/module';
import { testParser } from '../support/parser';

async function modelOf(files: Record<string, string>): Promise<Model> {
  const parser = await testParser();
  const sources: TfSource[] = Object.entries(files).map(([path, text]) => {
    const tree = parser.parse(text);
    try {
      return { path, file: extractFile(tree, text, parser) };
    } finally {
      tree.delete();
    }
  });
  return extractModel(moduleInstances(buildModules(sources, new Set())));
}

const prim = (v: Val | undefined) => (v?.kind === 'prim' ? v.value : v?.kind);

describe('Terraform model', () => {
  test('service tier, CA store entries and security switches are read', async () => {
    const m = await modelOf({
      '/w/main.tf': `
resource "azurerm_api_management" "apim" {
  sku_name = "StandardV2_1"
  certificate {
    encoded_certificate = filebase64("ca.cer")
    store_name          = "Root"
  }
  security {
    backend_tls10_enabled = true
  }
}`,
    });
    const [svc] = m.services;
    assert.equal(svc.name, 'azurerm_api_management.apim');
    assert.equal(tierOf(svc.sku?.val), 'v2');
    assert.equal(svc.caStore.length, 1);
    assert.equal(prim(svc.caStore[0].storeName), 'Root');
    assert.equal(svc.backendProtocols[0].label, 'TLS 1.0');
  });

  test('tiers: v2 SKUs with and without capacity, classic ones, unknown ones', () => {
    const s = (value: string): Val => ({ kind: 'prim', value, quoted: true, span: { file: 'f', start: 0, end: 0 } });
    assert.equal(tierOf(s('PremiumV2_3')), 'v2');
    assert.equal(tierOf(s('BasicV2')), 'v2');
    assert.equal(tierOf(s('Premium_1')), 'classic');
    assert.equal(tierOf(s('Consumption_0')), 'classic');
    assert.equal(tierOf({ kind: 'unknown' }), undefined);
  });

  test('conditionals: known condition picks a branch; unknown condition is known only when both branches agree', async () => {
    const m = await modelOf({
      '/w/main.tf': `
variable "env" { default = "prod" }
variable "unknown" {}
resource "azurerm_api_management_backend" "a" {
  tls {
    validate_certificate_chain = var.env == "prod" ? true : false
    validate_certificate_name  = var.unknown ? false : false
  }
}
resource "azurerm_api_management_backend" "b" {
  tls {
    validate_certificate_chain = var.unknown ? true : false
  }
}`,
    });
    const [a, b] = m.backends;
    assert.equal(a.validateChain?.val.kind, 'unknown', 'a comparison is not evaluated, so the value stays unknown');
    assert.equal(asBool(a.validateName?.val), false);
    assert.equal(b.validateChain?.val.kind, 'unknown');
  });

  test('functions: lookup with default, merge, try, tobool over a string', async () => {
    const m = await modelOf({
      '/w/main.tf': `
locals {
  base = { chain = true }
  over = merge(local.base, { chain = false })
}
resource "azurerm_api_management_backend" "a" {
  tls {
    validate_certificate_chain = local.over.chain
    validate_certificate_name  = lookup(local.base, "name", tobool("false"))
  }
}`,
    });
    const [a] = m.backends;
    assert.equal(asBool(a.validateChain?.val), false);
    assert.equal(asBool(a.validateName?.val), false);
  });

  test('for_each over a set gives one backend per element; count = 0 gives none', async () => {
    const m = await modelOf({
      '/w/main.tf': `
resource "azurerm_api_management_backend" "set" {
  for_each = toset(["a", "b"])
  url      = "https://\${each.key}.contoso.com"
}
resource "azurerm_api_management_backend" "off" {
  count = 0
  url   = "http://never.contoso.com"
}`,
    });
    assert.deepEqual(
      m.backends.map((b) => [b.name, prim(b.url?.val)]),
      [
        ['azurerm_api_management_backend.set["a"]', 'https://a.contoso.com'],
        ['azurerm_api_management_backend.set["b"]', 'https://b.contoso.com'],
      ],
    );
  });

  test('module paths are normalized', () => {
    assert.equal(joinPath('/w/env/prod', '../../modules/backend'), '/w/modules/backend');
    assert.equal(joinPath('/w', './x/./y'), '/w/x/y');
  });
});
