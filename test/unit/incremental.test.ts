// An open Terraform file is kept as segments and its model read again only where edits fall: after any sequence of
// edits, whenever the text parses without errors, the findings (with messages, related places and fixes) must be
// exactly those of the same text opened afresh. Seeded random edits, a few hundred per case, over realistic modules.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { builtinFormats } from '../../server/src/core/builtin-formats';
import type { TerraformParser } from '../../server/src/core/parse/terraform-parser';
import { Workspace } from '../../server/src/core/workspace';
import { REPO_ROOT, testParser } from '../support/parser';

const EXAMPLES = path.join(REPO_ROOT, 'examples');

/** What an edit may type: characters that change values, break and mend syntax, and start or end blocks. */
const TYPED = ['a', ' ', '\n', '"', '{', '}', '#', '=', '1', 'false', 'true', '[', ']', ',', '$', '/', '*', '<<EOF\n', 'resource "x" "y" {\n}\n'];

describe('incremental edits of open Terraform files', () => {
  test('random edits to the examples module: findings equal a fresh open whenever the text parses cleanly', async () => {
    const parser = await testParser();
    const files = new Map(['apim.tf', 'apis.tf', 'backends.tf', 'pinned.tf', 'providers.tf', 'variables.tf'].map((f) => [`/m/${f}`, read(f)]));
    const tfvars = read('terraform.tfvars');
    const open = ['/m/backends.tf', '/m/variables.tf', '/m/pinned.tf'];
    const compared = await randomEdits(parser, files, { '/m/terraform.tfvars': tfvars }, open, 400, 7);
    assert.ok(compared > 80, `the findings were compared after ${compared} edits`);
  });

  test('random edits to a generated module of many blocks', async () => {
    const parser = await testParser();
    const compared = await randomEdits(parser, new Map([['/g/main.tf', generated(16)]]), {}, ['/g/main.tf'], 240, 11);
    assert.ok(compared > 60, `the findings were compared after ${compared} edits`);
  });

  test('typing a backend block character by character, then flipping its flags', async () => {
    const parser = await testParser();
    const ws = new Workspace(builtinFormats(parser));
    const base = generated(6);
    ws.openFile('/t/main.tf', base);
    ws.lint(['/t/main.tf']);
    const block = `\nresource "azurerm_api_management_backend" "typed" {\n  name = "typed"\n  url  = "https://typed.contoso.com"\n  tls {\n    validate_certificate_chain = false\n  }\n}\n`;
    let text = base;
    for (const ch of block) {
      const at = text.length;
      ws.editFile('/t/main.tf', [{ start: at, end: at, text: ch }]);
      text += ch;
      expectSame(parser, ws, '/t/main.tf', new Map([['/t/main.tf', text]]), {});
    }
    const findings = ws.lint(['/t/main.tf']).findings.filter((f) => f.ruleId === 'APIM001' && text.slice(f.start, f.end) === 'false');
    assert.ok(
      findings.some((f) => f.start > base.length),
      'the typed block’s false is found',
    );
  });
});

/** Applies `count` random edits to the open files; returns how many states were compared with a fresh open. */
async function randomEdits(
  parser: TerraformParser,
  files: Map<string, string>,
  closed: Record<string, string>,
  open: string[],
  count: number,
  seed: number,
): Promise<number> {
  const random = prng(seed);
  const originals = new Map(files);
  const ws = new Workspace(builtinFormats(parser));
  for (const [p, t] of Object.entries(closed)) ws.setFile(p, t);
  for (const [p, t] of files) {
    if (open.includes(p)) ws.openFile(p, t);
    else ws.setFile(p, t);
  }
  let compared = 0;
  for (let i = 0; i < count; i++) {
    const file = open[Math.floor(random() * open.length)];
    const text = files.get(file)!;
    const at = Math.floor(random() * (text.length + 1));
    const r = random();
    let change: { start: number; end: number; text: string };
    if (r < 0.35) {
      // Undo-like: flip a literal, which keeps the text valid and changes findings.
      const m = /\b(true|false)\b/g;
      const hits = [...text.matchAll(m)];
      const hit = hits[Math.floor(random() * hits.length)];
      change = hit ? { start: hit.index, end: hit.index + hit[0].length, text: hit[0] === 'true' ? 'false' : 'true' } : { start: at, end: at, text: ' ' };
    } else if (r < 0.75) {
      change = { start: at, end: at, text: TYPED[Math.floor(random() * TYPED.length)] };
    } else {
      change = { start: at, end: Math.min(text.length, at + 1 + Math.floor(random() * 6)), text: '' };
    }
    const next = text.slice(0, change.start) + change.text + text.slice(change.end);
    files.set(file, next);
    ws.editFile(file, [change]);
    // Now and then a damaged file is put right again, so that clean states keep coming.
    if (i % 8 === 7) {
      for (const p of open) {
        const original = originals.get(p)!;
        ws.editFile(p, [{ start: 0, end: files.get(p)!.length, text: original }]);
        files.set(p, original);
      }
    }
    if (expectSame(parser, ws, file, files, closed)) compared++;
  }
  return compared;
}

/** When every file parses cleanly, the open workspace's findings equal a fresh one's; returns whether it compared. */
function expectSame(parser: TerraformParser, ws: Workspace, file: string, files: Map<string, string>, closed: Record<string, string>): boolean {
  const clean = [...files.values()].every((text) => {
    const tree = parser.parse(text);
    const hasError = tree.rootNode.hasError;
    tree.delete();
    return !hasError;
  });
  if (!clean) {
    ws.lint([file]);
    return false;
  }
  const fresh = new Workspace(builtinFormats(parser));
  for (const [p, t] of Object.entries(closed)) fresh.setFile(p, t);
  for (const [p, t] of files) fresh.openFile(p, t);
  assert.deepEqual(ws.lint([file]), fresh.lint([file]), `findings after editing ${file}`);
  return true;
}

function read(name: string): string {
  return fs.readFileSync(path.join(EXAMPLES, name), 'utf8');
}

/** A module of `n` units: variables, for_each and plain backends, a service, overlays, unrelated resources. */
function generated(n: number): string {
  const parts = ['terraform {\n  required_providers {\n    azapi = { source = "Azure/azapi" }\n  }\n}\n'];
  for (let i = 0; i < n; i++) {
    parts.push(`variable "chain_${i}" {\n  type    = bool\n  default = ${i % 3 === 0 ? 'false' : 'true'}\n}\n`);
    parts.push(
      `locals {\n  hosts_${i} = {\n    a = { host = "a${i}.internal.contoso.com", chain = ${i % 2 === 0} }\n    b = { host = "b${i}.contoso.com", chain = false }\n  }\n}\n`,
    );
    parts.push(
      `resource "azurerm_api_management_backend" "fe${i}" {\n  for_each            = local.hosts_${i}\n  name                = each.key\n  api_management_name = azurerm_api_management.svc.name\n  protocol            = "http"\n  url                 = "https://\${each.value.host}/api"\n  tls {\n    validate_certificate_chain = each.value.chain\n    validate_certificate_name  = ${i % 4 === 0 ? 'false' : 'true'}\n  }\n}\n`,
    );
    parts.push(
      `resource "azurerm_api_management_backend" "b${i}" {\n  name                = "b${i}"\n  api_management_name = azurerm_api_management.svc.name\n  protocol            = "http"\n  url                 = "${i % 5 === 0 ? 'http' : 'https'}://b${i}.contoso.com"\n  tls {\n    validate_certificate_chain = var.chain_${i}\n  }\n}\n`,
    );
    if (i % 3 === 1) {
      parts.push(
        `resource "azapi_update_resource" "b${i}_tls" {\n  type        = "Microsoft.ApiManagement/service/backends@2024-05-01"\n  resource_id = azurerm_api_management_backend.b${i}.id\n  body = {\n    properties = {\n      tls = {\n        validateCertificateChain = false\n        serverX509Names = [{ name = "b${i}.contoso.com", issuerCertificateThumbprint = "cbb1d641c07d753d903d4d73e194b0d0ceaef021" }]\n      }\n    }\n  }\n}\n`,
      );
    }
    parts.push(`resource "azurerm_storage_account" "sa${i}" {\n  name = "sa${i}"\n  tags = { n = "${i}" }\n}\n\noutput "o${i}" {\n  value = ${i}\n}\n`);
    if (i === 2) {
      parts.push(
        `resource "azurerm_api_management" "svc" {\n  name     = "apim"\n  sku_name = "StandardV2_1"\n  security {\n    backend_tls10_enabled = true\n  }\n  certificate {\n    store_name = "Root"\n  }\n}\n`,
      );
    }
  }
  return parts.join('\n');
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
