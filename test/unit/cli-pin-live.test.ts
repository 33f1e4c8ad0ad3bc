// `apim-tls-lint pin --from-live` against local TLS servers on 127.0.0.1: the pin is what the backend presents (its
// issuing CA as openssl prints the thumbprint, the name its certificate carries), a leaf-only backend needs --yes,
// each instance of a for_each backend is checked on its own, and a backend that cannot be reached writes nothing.
// The URL host is tic.localtest, reached with --connect 127.0.0.1:PORT, so no name is ever looked up.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../../server/src/cli/cli';
import { makeChain, type TestCert, type TestChain } from '../support/certs';
import { fixtureFiles, lintTexts, toPosix } from '../support/fixtures';
import { closedPort, startTlsServer } from '../support/tls-servers';

const HOST = 'tic.localtest';
const roots: string[] = [];
let chain: TestChain;
let wildcard: TestChain;

before(async () => {
  chain = await makeChain({ host: HOST });
  wildcard = await makeChain({ host: '*.localtest' });
});
after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

const SERVICE = `resource "azurerm_api_management" "apim" {
  name                = "apim-contoso"
  location            = "westeurope"
  resource_group_name = "rg-apim"
  publisher_name      = "Contoso"
  publisher_email     = "api@contoso.com"
  sku_name            = "StandardV2_1"
}
`;

/** A v2 module whose backend trusts anything (the workaround a live pin replaces). */
function insecureModule(port: number): string {
  return `${SERVICE}
resource "azurerm_api_management_backend" "tic" {
  name                = "tic-backend"
  resource_group_name = "rg-apim"
  api_management_name = azurerm_api_management.apim.name
  protocol            = "http"
  url                 = "https://${HOST}:${port}/api"

  tls {
    validate_certificate_chain = false
    validate_certificate_name  = false
  }
}
`;
}

function workspace(text: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-pin-live-'));
  roots.push(root);
  fs.writeFileSync(path.join(root, 'main.tf'), text);
  return root;
}

async function pin(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['pin', ...args], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

async function findings(dir: string) {
  const texts = new Map(fixtureFiles(dir).map((f) => [toPosix(f), fs.readFileSync(f, 'utf8')] as const));
  return (await lintTexts(texts)).findings;
}

/** The SHA-1 as openssl prints it, without the colons: the thumbprint APIM compares. */
function opensslSha1(cert: TestCert): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-openssl-'));
  roots.push(dir);
  fs.writeFileSync(path.join(dir, 'cert.pem'), cert.pem);
  const out = execFileSync('openssl', ['x509', '-in', path.join(dir, 'cert.pem'), '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' });
  return out.trim().replace(/^.*=/, '').replace(/:/g, '');
}

describe('apim-tls-lint pin --from-live', () => {
  test("pins the issuing CA the backend presents, with the name its certificate carries; the backend's findings are gone", async (t) => {
    const server = await startTlsServer(t, { chain: [chain.leaf, chain.issuing] });
    const root = workspace(insecureModule(server.port));
    const before = await findings(root);
    assert.deepEqual(before.map((f) => f.ruleId).sort(), ['APIM001', 'APIM002']);

    const result = await pin(['azurerm_api_management_backend.tic', '--from-live', '--connect', `127.0.0.1:${server.port}`], root);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(server.connections() > 0, 'it connected to the backend');
    assert.match(result.stderr, /checking azurerm_api_management_backend\.tic live: connecting to 127\.0\.0\.1:/);
    const text = fs.readFileSync(path.join(root, 'main.tf'), 'utf8');
    assert.match(text, new RegExp(`issuerCertificateThumbprint = "${opensslSha1(chain.issuing)}"`));
    assert.match(text, /name\s+= "tic\.localtest"/);
    assert.deepEqual(await findings(root), []);

    const again = await pin(['azurerm_api_management_backend.tic', '--from-live', '--connect', `127.0.0.1:${server.port}`], root);
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stderr, /is pinned to [0-9A-F]{40} already/);
    assert.equal(fs.readFileSync(path.join(root, 'main.tf'), 'utf8'), text, 'a second run changes nothing');
  });

  test('a wildcard certificate pins the wildcard name it carries', async (t) => {
    const server = await startTlsServer(t, { chain: [wildcard.leaf, wildcard.issuing] });
    const root = workspace(insecureModule(server.port));
    const result = await pin(['main.tf:10', '--from-live', '--connect', `127.0.0.1:${server.port}`], root);
    assert.equal(result.code, 0, result.stderr);
    const text = fs.readFileSync(path.join(root, 'main.tf'), 'utf8');
    assert.match(text, /name\s+= "\*\.localtest"/);
    assert.match(text, new RegExp(`issuerCertificateThumbprint = "${opensslSha1(wildcard.issuing)}"`));
  });

  test('a backend that sends only its own certificate: refused without --yes (nothing written), its leaf pinned with it', async (t) => {
    const server = await startTlsServer(t, { chain: [chain.leaf] });
    const root = workspace(insecureModule(server.port));
    const original = fs.readFileSync(path.join(root, 'main.tf'), 'utf8');
    const refused = await pin(['azurerm_api_management_backend.tic', '--from-live', '--connect', `127.0.0.1:${server.port}`], root);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--yes pins it anyway/);
    assert.match(refused.stderr, /nothing was written/);
    assert.equal(fs.readFileSync(path.join(root, 'main.tf'), 'utf8'), original);

    const accepted = await pin(['azurerm_api_management_backend.tic', '--from-live', '--yes', '--connect', `127.0.0.1:${server.port}`], root);
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.match(fs.readFileSync(path.join(root, 'main.tf'), 'utf8'), new RegExp(`serverCertificateThumbprints = \\["${opensslSha1(chain.leaf)}"\\]`));
  });

  test('one instance of a for_each backend is checked and pinned on its own; the other keeps its settings', async (t) => {
    const server = await startTlsServer(t, { chain: [chain.leaf, chain.issuing] });
    const root = workspace(`${SERVICE}
locals {
  backends = {
    tic    = { url = "https://${HOST}:${server.port}/api" }
    public = { url = "https://api.fabrikam.example/v1" }
  }
}

resource "azurerm_api_management_backend" "partner" {
  for_each            = local.backends
  name                = each.key
  resource_group_name = "rg-apim"
  api_management_name = azurerm_api_management.apim.name
  protocol            = "http"
  url                 = each.value.url

  tls {
    validate_certificate_chain = false
  }
}
`);
    const result = await pin(['azurerm_api_management_backend.partner["tic"]', '--from-live', '--connect', `127.0.0.1:${server.port}`], root);
    assert.equal(result.code, 0, result.stderr);
    const text = fs.readFileSync(path.join(root, 'main.tf'), 'utf8');
    assert.match(text, new RegExp(`"${opensslSha1(chain.issuing)}"`));
    assert.doesNotMatch(text, /api\.fabrikam\.example"\s*\n\s*thumbprint/, 'the public instance is not pinned');
    const left = await findings(root);
    assert.ok(
      left.some((f) => f.ruleId === 'APIM001' && /partner\["public"\]/.test(f.message)),
      'the instance not pinned keeps its finding',
    );
    assert.ok(!left.some((f) => /partner\["tic"\]/.test(f.message)), `the pinned instance lints clean: ${left.map((f) => f.message).join('\n')}`);
  });

  test('a backend that cannot be reached is refused with the reason, and nothing is written', async () => {
    const port = await closedPort();
    const root = workspace(insecureModule(port));
    const original = fs.readFileSync(path.join(root, 'main.tf'), 'utf8');
    const result = await pin(['azurerm_api_management_backend.tic', '--from-live', '--connect', `127.0.0.1:${port}`, '--timeout', '2000'], root);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /refused: azurerm_api_management_backend\.tic: .*(refused|no certificate)/i);
    assert.equal(fs.readFileSync(path.join(root, 'main.tf'), 'utf8'), original);
  });

  test('usage: --from-live takes no --ca or --index; --connect and --timeout need it', async () => {
    const root = workspace(insecureModule(443));
    for (const [args, message] of [
      [['main.tf:10', '--from-live', '--ca', 'x.cer'], /takes no --ca FILE/],
      [['main.tf:10', '--from-live', '--index', '0'], /--index picks a certificate of a --ca file/],
      [['main.tf:10', '--ca', 'x.cer', '--connect', '127.0.0.1:1'], /--connect and --timeout go with --from-live/],
      [['main.tf:10', '--from-live', '--connect', '127.0.0.1:99999'], /--connect takes HOST\[:PORT\]/],
      [['main.tf:10', '--from-live', '--timeout', '0'], /--timeout takes milliseconds/],
    ] as const) {
      const result = await pin([...args], root);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, message);
    }
  });
});
