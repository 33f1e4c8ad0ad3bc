// Generated inputs for the benchmark, deterministic (seeded) and shaped like real ones: Terraform modules of a given
// size, a file that cannot matter, a large ARM template and a long Bicep file whose APIM resources are a minority, and
// a workspace of many small modules that call each other.
import * as fs from 'node:fs';
import * as path from 'node:path';

// Generated Terraform, shaped like real modules: backends over for_each maps of locals,
// variables feeding tls flags, a service with a security block, azapi overlays, and a majority of unrelated
// resources that a linter for APIM must skip cheaply.

export function generateModule(lines: number, seed: number): string {
  const rng = prng(seed);
  const parts: string[] = [
    'terraform {\n  required_providers {\n    azurerm = { source = "hashicorp/azurerm" }\n    azapi   = { source = "Azure/azapi" }\n  }\n}\n',
  ];
  let n = 0;
  let total = lineCount(parts[0]);
  while (total < lines) {
    const unit = [
      () => variable(n, rng),
      () => forEachBackends(n, rng),
      () => plainBackend(n, rng),
      () => storageAccount(n),
      () => keyVault(n),
      () => securityGroup(n, rng),
      () => plainBackend(n + 1, rng),
      () => webApp(n),
      () => (n % 40 === 8 ? service(n, rng) : overlay(n)),
      () => dnsRecords(n),
    ][n % 10]();
    parts.push(unit);
    total += lineCount(unit) - 1;
    n++;
  }
  return parts.join('\n');
}

/** Only resources an APIM linter does not care about, and none of the words that make a file relevant. */
export function generateIrrelevant(lines: number, seed: number): string {
  const rng = prng(seed);
  const parts: string[] = [];
  let total = 0;
  for (let n = 0; total < lines; n++) {
    const unit = [() => storageAccount(n), () => keyVault(n), () => securityGroup(n, rng), () => webApp(n), () => dnsRecords(n)][n % 5]();
    parts.push(unit);
    total += lineCount(unit) - 1;
  }
  return parts.join('\n');
}

function variable(n: number, rng: () => number): string {
  return `variable "validate_chain_${n}" {
  description = "Whether backend ${n} validates the certificate chain."
  type        = bool
  default     = ${rng() < 0.3 ? 'false' : 'true'}
}

variable "backend_host_${n}" {
  type    = string
  default = "svc${n}.internal.contoso.com"
}
`;
}

function forEachBackends(n: number, rng: () => number): string {
  const entries = Array.from(
    { length: 4 },
    (_, i) => `    svc${n}_${i} = {
      host  = "svc${n}-${i}.internal.contoso.com"
      chain = ${rng() < 0.25 ? 'false' : 'true'}
      name  = ${rng() < 0.25 ? 'false' : 'true'}
    }`,
  ).join('\n');
  return `locals {
  backends_${n} = {
${entries}
  }
}

resource "azurerm_api_management_backend" "fe${n}" {
  for_each            = local.backends_${n}
  name                = each.key
  resource_group_name = azurerm_resource_group.main.name
  api_management_name = azurerm_api_management.main.name
  protocol            = "http"
  url                 = "https://\${each.value.host}/api"
  description         = "Backend \${each.key}"

  tls {
    validate_certificate_chain = each.value.chain
    validate_certificate_name  = each.value.name
  }
}
`;
}

function plainBackend(n: number, rng: () => number): string {
  const chain = rng() < 0.2 ? 'false' : rng() < 0.5 ? `var.validate_chain_${n - (n % 10)}` : 'true';
  return `resource "azurerm_api_management_backend" "b${n}" {
  name                = "backend-${n}"
  resource_group_name = azurerm_resource_group.main.name
  api_management_name = azurerm_api_management.main.name
  protocol            = "http"
  url                 = "https://b${n}.contoso.com/api/v1"
  title               = "Backend ${n}"

  credentials {
    header = {
      "x-functions-key" = "{{backend-key-${n}}}"
    }
  }

  tls {
    validate_certificate_chain = ${chain}
    validate_certificate_name  = ${rng() < 0.2 ? 'false' : 'true'}
  }
}
`;
}

function service(n: number, rng: () => number): string {
  return `resource "azurerm_api_management" "svc${n}" {
  name                = "apim-contoso-${n}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  publisher_name      = "Contoso"
  publisher_email     = "apis@contoso.com"
  sku_name            = "${rng() < 0.5 ? 'StandardV2_1' : 'Premium_1'}"

  identity {
    type = "SystemAssigned"
  }

  security {
    backend_tls10_enabled                       = ${rng() < 0.3}
    backend_tls11_enabled                       = false
    backend_ssl30_enabled                       = false
    triple_des_ciphers_enabled                  = false
    tls_ecdhe_ecdsa_with_aes128_cbc_sha_ciphers_enabled = false
    tls_rsa_with_aes128_gcm_sha256_ciphers_enabled      = ${rng() < 0.3}
  }

  tags = {
    environment = "prod"
    owner       = "platform"
  }
}
`;
}

function overlay(n: number): string {
  const b = n - 2;
  return `resource "azapi_update_resource" "b${b}_tls" {
  type        = "Microsoft.ApiManagement/service/backends@2025-03-01-preview"
  resource_id = azurerm_api_management_backend.b${b}.id
  body = {
    properties = {
      tls = {
        validateCertificateChain = true
        validateCertificateName  = true
        serverX509Names = [{
          name                        = "b${b}.contoso.com"
          issuerCertificateThumbprint = "CBB1D641C07D753D903D4D73E194B0D0CEAEF021"
        }]
      }
    }
  }
  lifecycle {
    replace_triggered_by = [azurerm_api_management_backend.b${b}]
  }
}
`;
}

function storageAccount(n: number): string {
  return `resource "azurerm_storage_account" "sa${n}" {
  name                     = "stcontoso${n}"
  resource_group_name      = azurerm_resource_group.main.name
  location                 = azurerm_resource_group.main.location
  account_tier             = "Standard"
  account_replication_type = "GRS"
  min_tls_version          = "TLS1_2"

  blob_properties {
    versioning_enabled = true
    delete_retention_policy {
      days = 30
    }
  }

  network_rules {
    default_action = "Deny"
    ip_rules       = ["10.0.${n % 250}.0/24", "10.1.${n % 250}.0/24"]
    bypass         = ["AzureServices"]
  }

  tags = {
    environment = "prod"
    cost_center = "cc-${n}"
  }
}
`;
}

function keyVault(n: number): string {
  return `resource "azurerm_key_vault" "kv${n}" {
  name                       = "kv-contoso-${n}"
  location                   = azurerm_resource_group.main.location
  resource_group_name        = azurerm_resource_group.main.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  soft_delete_retention_days = 7
  purge_protection_enabled   = true

  access_policy {
    tenant_id = data.azurerm_client_config.current.tenant_id
    object_id = data.azurerm_client_config.current.object_id
    secret_permissions = ["Get", "List", "Set", "Delete"]
  }
}
`;
}

function securityGroup(n: number, rng: () => number): string {
  const rules = Array.from(
    { length: 3 },
    (_, i) => `  security_rule {
    name                       = "rule-${n}-${i}"
    priority                   = ${100 + i * 10}
    direction                  = "${rng() < 0.5 ? 'Inbound' : 'Outbound'}"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "${443 + i}"
    source_address_prefix      = "VirtualNetwork"
    destination_address_prefix = "*"
  }`,
  ).join('\n\n');
  return `resource "azurerm_network_security_group" "nsg${n}" {
  name                = "nsg-${n}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name

${rules}
}
`;
}

function webApp(n: number): string {
  return `resource "azurerm_linux_web_app" "app${n}" {
  name                = "app-contoso-${n}"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  service_plan_id     = azurerm_service_plan.main.id
  https_only          = true

  site_config {
    minimum_tls_version = "1.2"
    always_on           = true
    application_stack {
      node_version = "20-lts"
    }
  }

  app_settings = {
    "WEBSITE_RUN_FROM_PACKAGE" = "1"
    "BACKEND_URL"              = "https://b${n}.contoso.com"
  }
}
`;
}

function dnsRecords(n: number): string {
  return `resource "azurerm_private_dns_a_record" "rec${n}" {
  name                = "svc${n}"
  zone_name           = azurerm_private_dns_zone.internal.name
  resource_group_name = azurerm_resource_group.main.name
  ttl                 = 300
  records             = ["10.2.${n % 250}.${(n * 7) % 250}"]
}

output "svc${n}_fqdn" {
  value = azurerm_private_dns_a_record.rec${n}.fqdn
}
`;
}

// ---------------------------------------------------------------------------------------------------------------
// ---------------------------------------------------------------------------------------------------------------
// An ARM template of about `bytes` characters: a v2 service, backends, APIs, and unrelated storage, web apps and
// network security groups, as an export of a real subscription has them.

export function generateArmTemplate(bytes: number, seed: number): string {
  const rng = prng(seed);
  const resources: unknown[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const r = [
      () => ({
        type: 'Microsoft.ApiManagement/service/backends',
        apiVersion: '2024-05-01',
        name: `[format('{0}/{1}', parameters('apimName'), 'b${i}')]`,
        properties: {
          protocol: 'http',
          url: `https://b${i}.contoso.com/api`,
          title: `Backend ${i}`,
          tls: { validateCertificateChain: rng() < 0.7, validateCertificateName: rng() < 0.8 ? true : "[parameters('validateName')]" },
          credentials: { header: { 'x-functions-key': [`{{backend-key-${i}}}`] } },
        },
      }),
      () => ({
        type: 'Microsoft.Storage/storageAccounts',
        apiVersion: '2023-01-01',
        name: `stcontoso${i}`,
        location: '[resourceGroup().location]',
        sku: { name: 'Standard_GRS' },
        kind: 'StorageV2',
        properties: { minimumTlsVersion: 'TLS1_2', networkAcls: { defaultAction: 'Deny', ipRules: [{ value: `10.0.${i % 250}.0/24` }] } },
        tags: { environment: 'prod', costCenter: `cc-${i}` },
      }),
      () => ({
        type: 'Microsoft.ApiManagement/service/apis',
        apiVersion: '2024-05-01',
        name: `[format('{0}/{1}', parameters('apimName'), 'api${i}')]`,
        properties: { displayName: `API ${i}`, path: `api${i}`, protocols: ['https'], serviceUrl: `https://b${i}.contoso.com` },
      }),
      () => ({
        type: 'Microsoft.Web/sites',
        apiVersion: '2022-09-01',
        name: `app-contoso-${i}`,
        location: '[resourceGroup().location]',
        properties: { httpsOnly: true, siteConfig: { minTlsVersion: '1.2', appSettings: [{ name: 'BACKEND_URL', value: `https://b${i}.contoso.com` }] } },
      }),
      () => ({
        type: 'Microsoft.Network/networkSecurityGroups',
        apiVersion: '2023-04-01',
        name: `nsg-${i}`,
        location: '[resourceGroup().location]',
        properties: {
          securityRules: [0, 1, 2].map((k) => ({
            name: `rule-${i}-${k}`,
            properties: {
              priority: 100 + k * 10,
              direction: 'Inbound',
              access: 'Allow',
              protocol: 'Tcp',
              sourcePortRange: '*',
              destinationPortRange: `${443 + k}`,
            },
          })),
        },
      }),
    ][i % 5]();
    resources.push(r);
    size += JSON.stringify(r, null, 2).length;
  }
  const service = {
    type: 'Microsoft.ApiManagement/service',
    apiVersion: '2024-05-01',
    name: "[parameters('apimName')]",
    location: '[resourceGroup().location]',
    sku: { name: 'StandardV2', capacity: 1 },
    properties: {
      publisherEmail: 'apis@contoso.com',
      publisherName: 'Contoso',
      customProperties: { 'Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Backend.Protocols.Tls10': 'False' },
    },
  };
  return JSON.stringify(
    {
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      parameters: { apimName: { type: 'string', defaultValue: 'apim-contoso' }, validateName: { type: 'bool', defaultValue: false } },
      resources: [service, ...resources],
    },
    null,
    2,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// A Bicep file of about `lines` lines: a service, backends (one unit in four), APIs, storage accounts and variables.

export function generateBicep(lines: number): string {
  const parts = [
    `param apimName string = 'apim-contoso'\nparam validateChain bool = false\n\nresource apim 'Microsoft.ApiManagement/service@2024-05-01' = {\n  name: apimName\n  location: 'westeurope'\n  sku: {\n    name: 'StandardV2'\n    capacity: 1\n  }\n  properties: {\n    publisherEmail: 'apis@contoso.com'\n    publisherName: 'Contoso'\n  }\n}\n`,
  ];
  let total = lineCount(parts[0]);
  for (let n = 0; total < lines; n++) {
    const unit = [
      () =>
        `resource b${n} 'Microsoft.ApiManagement/service/backends@2024-05-01' = {\n  parent: apim\n  name: 'b${n}'\n  properties: {\n    protocol: 'http'\n    url: 'https://b${n}.contoso.com/api'\n    title: 'Backend ${n}'\n    tls: {\n      validateCertificateChain: ${n % 3 === 0 ? 'validateChain' : 'true'}\n      validateCertificateName: true\n    }\n  }\n}\n`,
      () =>
        `resource st${n} 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'st${n}'\n  location: resourceGroup().location\n  sku: {\n    name: 'Standard_GRS'\n  }\n  kind: 'StorageV2'\n  properties: {\n    minimumTlsVersion: 'TLS1_2'\n    networkAcls: {\n      defaultAction: 'Deny'\n      ipRules: [\n        {\n          value: '10.0.${n % 250}.0/24'\n        }\n      ]\n    }\n  }\n  tags: {\n    env: 'prod'\n    costCenter: 'cc-${n}'\n  }\n}\n`,
      () =>
        `resource api${n} 'Microsoft.ApiManagement/service/apis@2024-05-01' = {\n  parent: apim\n  name: 'api${n}'\n  properties: {\n    displayName: 'API ${n}'\n    path: 'api${n}'\n    protocols: [\n      'https'\n    ]\n    serviceUrl: 'https://b${n}.contoso.com'\n  }\n}\n`,
      () => `var settings${n} = {\n  name: 'app${n}'\n  url: 'https://b${n}.contoso.com/\${apimName}'\n  retries: ${n % 5}\n}\n`,
    ][n % 4]();
    parts.push(unit);
    total += lineCount(unit);
  }
  return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// A workspace of `modules` module folders, four files each: a quarter are roots that call three of the others and pass
// them values, every module declares variables and outputs, and one module in four holds APIM backends.

export function writeWorkspace(root: string, modules: number, seed: number): { files: number; modules: number } {
  const rng = prng(seed);
  let files = 0;
  const write = (rel: string, text: string) => {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    files++;
  };
  const roots = Math.floor(modules / 4);
  for (let i = 0; i < modules; i++) {
    const dir = i < roots ? `envs/e${i}` : `modules/m${i}`;
    const calls =
      i < roots
        ? [0, 1, 2]
            .map((k) => roots + ((i * 3 + k) % (modules - roots)))
            .map(
              (m) =>
                `module "m${m}" {\n  source         = "../../modules/m${m}"\n  name_prefix    = "e${i}"\n  validate_chain = ${rng() < 0.2 ? 'false' : 'true'}\n}\n`,
            )
            .join('\n')
        : '';
    const backends =
      i % 4 === 1
        ? [0, 1].map(
            (k) =>
              `resource "azurerm_api_management_backend" "b${k}" {\n  name                = "\${var.name_prefix}-b${k}"\n  resource_group_name = "rg-apim"\n  api_management_name = "apim-contoso"\n  protocol            = "http"\n  url                 = "https://b${i}-${k}.contoso.com/api"\n\n  tls {\n    validate_certificate_chain = var.validate_chain\n    validate_certificate_name  = ${rng() < 0.2 ? 'false' : 'true'}\n  }\n}\n`,
          )
        : [];
    write(
      `${dir}/main.tf`,
      [
        ...backends,
        calls,
        `resource "azurerm_storage_account" "sa" {\n  name                     = "st\${var.name_prefix}${i}"\n  resource_group_name      = "rg-data"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "GRS"\n  min_tls_version          = "TLS1_2"\n\n  tags = {\n    module = "m${i}"\n  }\n}\n`,
      ]
        .filter(Boolean)
        .join('\n'),
    );
    write(
      `${dir}/variables.tf`,
      `variable "name_prefix" {\n  type    = string\n  default = "m${i}"\n}\n\nvariable "validate_chain" {\n  type    = bool\n  default = true\n}\n`,
    );
    write(`${dir}/outputs.tf`, `output "storage_id" {\n  value = azurerm_storage_account.sa.id\n}\n`);
    write(
      `${dir}/versions.tf`,
      `terraform {\n  required_providers {\n    azurerm = {\n      source  = "hashicorp/azurerm"\n      version = "~> 4.0"\n    }\n  }\n}\n`,
    );
  }
  return { files, modules };
}

// ---------------------------------------------------------------------------------------------------------------

export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function describeText(text: string): string {
  const count = (re: RegExp) => (text.match(re) ?? []).length;
  return (
    `${lineCount(text).toLocaleString('en')} lines, ${(text.length / 1024).toFixed(0)} KB, ` +
    `${count(/^resource "azurerm_api_management_backend"/gm)} backend blocks, ${count(/^resource "azapi_update_resource"/gm)} overlays, ` +
    `${count(/^resource "azurerm_api_management"/gm)} services, ${count(/^variable /gm)} variables, ${count(/^resource /gm)} resources in all`
  );
}
