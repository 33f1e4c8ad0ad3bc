// `apim-tls-lint inventory` through runCli: each format on examples/ (text within the terminal's width, Markdown
// rows of the header's width, CSV parsed back by csv-parse, JSON validated against schemas/inventory.schema.json by
// ajv, HTML self-contained), --output, usage errors, and --probe against local TLS servers on 127.0.0.1 (a chain it
// can pin, a pin a rotation broke, a closed port), with the pin it suggests checked against openssl.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { runCli } from '../../server/src/cli/cli';
import { csvField } from '../../server/src/core/inventory/report/csv';
import { makeCertificate, makeChain, type TestCert, type TestChain } from '../support/certs';
import { REPO_ROOT } from '../support/parser';
import { closedPort, startTlsServer } from '../support/tls-servers';

interface InventoryJson {
  backends: Array<{
    address: string;
    state: string;
    stage: number;
    reason: string;
    live: null | {
      reachable: boolean;
      verdict: string;
      presentedNames: string[];
      issuingCa: { sha1: string } | null;
      pinWouldBe: { name: string; thumbprint: string } | null;
      pinMismatch: boolean;
    };
  }>;
  totals: { backends: number; pinned: number };
}

const roots: string[] = [];
after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

function tempDir(files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-inventory-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) fs.writeFileSync(path.join(root, rel), text);
  return root;
}

async function cli(args: string[], cwd = REPO_ROOT, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, env, isTTY: false });
  return { code, stdout, stderr };
}

const EXAMPLE_BACKENDS = ['orders', 'billing', 'inventory', 'payments', 'partner["customs"]', 'partner["fabrikam"]', 'tic', 'shipping'];

describe('inventory of examples/', () => {
  test('text: every backend with its stage and trust, each line within the terminal width', async () => {
    const { code, stdout, stderr } = await cli(['inventory', 'examples'], REPO_ROOT, { COLUMNS: '100' });
    assert.equal(code, 0, stderr);
    for (const name of EXAMPLE_BACKENDS) assert.match(stdout, new RegExp(`^  \\d      ${name.replace(/[[\]"]/g, '\\$&')}\\s`, 'm'), name);
    assert.match(stdout, /^apim-contoso-prod \(azurerm_api_management\.contoso\), StandardV2_1 \(v2\): 1 of 8 pinned$/m);
    assert.match(stdout, /^ {2}3 {6}tic\s+tic\.internal\.contoso\.com\s+pinned to Contoso Issuing CA 01$/m);
    assert.match(stdout, /examples\/backends\.tf:30: issuing CA unknown — no certificate file in the workspace matches,\n {11}run a live check\n/);
    assert.match(stdout, /^By stage: 0: 2, 1: 4, 2: 1, 3: 1, 4: 0 /m);
    const long = stdout.split('\n').filter((l) => l.length > 100 && !l.startsWith('By stage'));
    assert.deepEqual(long, []);
  });

  test('markdown: a summary and one table row per backend, as wide as the header, pipes escaped', async () => {
    const { code, stdout } = await cli(['inventory', 'examples', '--format', 'markdown']);
    assert.equal(code, 0);
    assert.match(stdout, /^8 backends, \*\*1 of 8 pinned\*\*\./m);
    const cells = (line: string) => line.split(/(?<!\\)\|/).length;
    const header = stdout.split('\n').find((l) => l.startsWith('| Service | Backend |'))!;
    assert.ok(header, 'the backend table has a header');
    const rows = stdout.split('\n').filter((l) => /^\| apim-contoso-prod \(StandardV2_1\) \| `/.test(l));
    assert.equal(rows.length, 8);
    for (const row of rows) assert.equal(cells(row), cells(header), row);
    assert.ok(
      rows.some((r) => r.includes('| `partner["customs"]` | `examples/backends.tf:82` | `customs-gateway.contoso.com` | name checked, chain not | 1 |')),
    );
    assert.ok(rows.some((r) => r.includes('| `tic` | `examples/pinned.tf:5` | `tic.internal.contoso.com` | pinned to Contoso Issuing CA 01 | 3 |')));
  });

  test('csv: RFC 4180, parsed back by csv-parse to the same rows and fields', async () => {
    const { code, stdout } = await cli(['inventory', 'examples', '--format', 'csv']);
    assert.equal(code, 0);
    assert.ok(stdout.endsWith('\r\n'), 'records end in CRLF');
    const records = parse(stdout, { columns: true, strict: true } as never) as Array<Record<string, string>>;
    assert.equal(records.length, 8);
    const billing = records.find((r) => r.backend === 'azurerm_api_management_backend.billing')!;
    assert.deepEqual(
      [billing['trust state'], billing.stage, billing.file, billing.line, billing.findings],
      ['name checked, chain not', '1', 'examples/backends.tf', '30', 'APIM001'],
    );
    const customs = records.find((r) => r.key === 'customs')!;
    assert.equal(customs.backend, 'azurerm_api_management_backend.partner["customs"]', 'quotes inside a field survive');
    const tic = records.find((r) => r.backend.endsWith('.tic'))!;
    assert.equal(tic['issuing CA SHA-1'], 'C54CD3D82A01A49B61C6B4C3D3F935762F553A83');
    // Quoting itself: commas, quotes, CR and LF inside fields, and a field that needs none.
    const tricky = ['plain', 'a, b', 'say "hi"', 'two\r\nlines', 'lf\nonly', ''];
    assert.deepEqual(parse(tricky.map(csvField).join(',') + '\r\n', { relax_quotes: false }), [tricky]);
  });

  test('json: valid against schemas/inventory.schema.json', async () => {
    const { code, stdout } = await cli(['inventory', 'examples', '--format', 'json']);
    assert.equal(code, 0);
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas/inventory.schema.json'), 'utf8')) as object);
    const report = JSON.parse(stdout) as InventoryJson;
    assert.ok(validate(report), JSON.stringify(validate.errors, null, 2));
    assert.deepEqual(
      report.backends.map((b) => `${b.address.replace('azurerm_api_management_backend.', '')} ${b.stage}`),
      ['orders 0', 'billing 1', 'inventory 0', 'payments 1', 'partner["customs"] 1', 'partner["fabrikam"] 1', 'tic 3', 'shipping 2'],
    );
    // A report that breaks the schema is caught: the schema is no formality.
    const broken = { ...report, backends: [{ ...report.backends[0], stage: 7 }] };
    assert.equal(validate(broken), false);
  });

  test('html: one file with the table, filters per state and a bar per service; nothing it would fetch', async () => {
    const dir = tempDir();
    const out = path.join(dir, 'inventory.html');
    const { code, stderr } = await cli(['inventory', 'examples', '--format', 'html', '--output', out]);
    assert.equal(code, 0);
    assert.match(stderr, /8 backends \(1 pinned\) written to /);
    const html = fs.readFileSync(out, 'utf8');
    assert.equal((html.match(/<tr class="s-/g) ?? []).length, 8);
    assert.equal((html.match(/<svg class="bar"/g) ?? []).length, 1);
    assert.equal((html.match(/<input type="checkbox" class="filter"/g) ?? []).length, 6);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|<object|\b(src|href|action|srcset)=|url\(|@import/i);
  });

  test('usage errors exit 2 with the reason', async () => {
    assert.equal((await cli(['inventory', 'examples', '--format', 'xml'])).code, 2);
    const timeout = await cli(['inventory', 'examples', '--timeout', '100']);
    assert.equal(timeout.code, 2);
    assert.match(timeout.stderr, /--concurrency and --timeout go with --probe/);
    assert.match((await cli(['inventory', '--help'])).stdout, /^Usage: apim-tls-lint inventory/);
  });
});

describe('inventory --probe against local TLS servers', () => {
  let chain: TestChain;
  let rotated: TestCert;
  before(async () => {
    chain = await makeChain({ host: '127.0.0.1' });
    rotated = await makeCertificate({ subject: 'CN=Contoso Test Issuing CA 00, O=Contoso', issuer: chain.root, ca: true });
  });

  const backend = (name: string, url: string) => `
resource "azurerm_api_management_backend" "${name}" {
  name                = "${name}"
  resource_group_name = "rg-apim"
  api_management_name = azurerm_api_management.apim.name
  protocol            = "http"
  url                 = "${url}"
}
`;

  test('each https backend checked: presented names, issuing CA, verdict and the pin it would be; unreachable said so', async (t) => {
    const server = await startTlsServer(t, { chain: [chain.leaf, chain.issuing] });
    const closed = await closedPort();
    const sha1 = (cert: TestCert) => {
      const file = path.join(tempDir({ 'c.pem': cert.pem }), 'c.pem');
      return execFileSync('openssl', ['x509', '-in', file, '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' }).split('=')[1].trim().replace(/:/g, '');
    };
    const dir = tempDir({
      'main.tf': `resource "azurerm_api_management" "apim" {
  name                = "apim-contoso"
  location            = "westeurope"
  resource_group_name = "rg-apim"
  publisher_name      = "Contoso"
  publisher_email     = "api@contoso.com"
  sku_name            = "StandardV2_1"
}
${backend('fresh', `https://127.0.0.1:${server.port}/api`)}${backend('rotated', `https://127.0.0.1:${server.port}`)}${backend('gone', `https://127.0.0.1:${closed}`)}${backend('plain', 'http://127.0.0.1:8080')}
resource "azapi_update_resource" "rotated_tls" {
  type        = "Microsoft.ApiManagement/service/backends@2025-03-01-preview"
  resource_id = azurerm_api_management_backend.rotated.id
  body = {
    properties = {
      tls = {
        serverX509Names = [{
          name                        = "127.0.0.1"
          issuerCertificateThumbprint = "${sha1(rotated)}"
        }]
      }
    }
  }
}
`,
    });
    const { code, stdout, stderr } = await cli(['inventory', '.', '--probe', '--format', 'json', '--timeout', '3000', '--concurrency', '2'], dir);
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as InventoryJson;
    const row = (name: string) => report.backends.find((b) => b.address === `azurerm_api_management_backend.${name}`)!;
    const issuing = sha1(chain.issuing);

    const fresh = row('fresh');
    assert.deepEqual(
      [fresh.live?.reachable, fresh.live?.presentedNames, fresh.live?.issuingCa?.sha1, fresh.live?.pinWouldBe],
      [true, ['127.0.0.1'], issuing, { kind: 'issuer', name: '127.0.0.1', thumbprint: issuing }],
    );
    assert.equal(fresh.stage, 2);
    assert.match(fresh.reason, /^stage 2: not pinned — pin Contoso Test Issuing CA 01 \(.+, presented to the live check\)$/);

    const broken = row('rotated');
    assert.equal(broken.live?.pinMismatch, true);
    assert.equal(broken.live?.verdict, 'reject');
    assert.equal(broken.stage, 2);
    assert.equal(
      broken.reason,
      `stage 2: the pin does not match what the backend presents (live check) — update it to ${issuing} (Contoso Test Issuing CA 01)`,
    );

    const gone = row('gone');
    assert.deepEqual([gone.live?.reachable, gone.live?.verdict, gone.stage], [false, 'unknown', 1]);
    assert.match(gone.reason, /^stage 1: issuing CA unknown — the live check could not reach the backend \(/);
    assert.equal(row('plain').live, null, 'plain http is not checked');

    // The text and Markdown reports show the live columns.
    const md = await cli(['inventory', '.', '--probe', '--format', 'markdown', '--timeout', '3000'], dir);
    assert.match(md.stdout, /\| Presented names \| Presented issuing CA \| Live verdict \| Pin would be \|/);
    assert.match(md.stdout, /\| `gone` \|.*\| unreachable: /);
    assert.ok(server.connections() >= 2, 'the server was reached');
  });
});
