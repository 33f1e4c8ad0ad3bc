// `apim-tls-lint probe` against local TLS servers, one per situation, each judged against a v2 backend configuration
// (a Terraform module: a StandardV2 service, the backend, its azapi pin overlay). Servers listen on 127.0.0.1 only and
// are closed by the test that started them; the URL host is tic.localtest, reached with --connect 127.0.0.1:PORT, so
// no name is ever looked up. Chains are made with @peculiar/x509 and the suggested pins checked against openssl.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { runCli } from '../../server/src/cli/cli';
import { makeCertificate, makeChain, type TestCert, type TestChain } from '../support/certs';
import { REPO_ROOT } from '../support/parser';
import { closedPort, startHttpServer, startSilentServer, startTlsServer, type LocalServer, type TlsServerOptions } from '../support/tls-servers';

const HOST = 'tic.localtest';
const DAY = 24 * 60 * 60 * 1000;
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

const roots: string[] = [];
after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

interface Certs {
  chain: TestChain;
  /** The issuing CA the backend used before a rotation, signed by the same root. */
  oldIssuing: TestCert;
  selfSigned: TestCert;
  expiredLeaf: TestCert;
  otherNameLeaf: TestCert;
}

let certs: Certs;
before(async () => {
  const chain = await makeChain({ host: HOST });
  certs = {
    chain,
    oldIssuing: await makeCertificate({ subject: 'CN=Contoso Test Issuing CA 00, O=Contoso', issuer: chain.root, ca: true }),
    selfSigned: await makeCertificate({ subject: `CN=${HOST}`, ca: false, dnsNames: [HOST] }),
    expiredLeaf: await makeCertificate({
      subject: `CN=${HOST}`,
      issuer: chain.issuing,
      ca: false,
      dnsNames: [HOST],
      notAfter: new Date(Date.now() - 10 * DAY),
    }),
    otherNameLeaf: await makeCertificate({ subject: 'CN=orders.contoso.test', issuer: chain.issuing, ca: false, dnsNames: ['orders.contoso.test'] }),
  };
});

interface Pins {
  issuer?: { name: string; thumbprint: string };
  certificate?: string;
}

/** A v2 module: a StandardV2 service, the backend at https://tic.localtest:PORT, its pins in an azapi overlay. */
function v2Module(port: number, pins: Pins = {}, security = ''): string {
  const tls: string[] = [];
  if (pins.issuer)
    tls.push(
      `serverX509Names = [{\n          name                        = "${pins.issuer.name}"\n          issuerCertificateThumbprint = "${pins.issuer.thumbprint}"\n        }]`,
    );
  if (pins.certificate) tls.push(`serverCertificateThumbprints = ["${pins.certificate}"]`);
  const overlay = tls.length
    ? `
resource "azapi_update_resource" "tic_tls" {
  type        = "Microsoft.ApiManagement/service/backends@2025-03-01-preview"
  resource_id = azurerm_api_management_backend.tic.id
  body = {
    properties = {
      tls = {
        ${tls.join('\n        ')}
      }
    }
  }
}
`
    : '';
  return `resource "azurerm_api_management" "apim" {
  name                = "apim-contoso"
  location            = "westeurope"
  resource_group_name = "rg-apim"
  publisher_name      = "Contoso"
  publisher_email     = "api@contoso.com"
  sku_name            = "StandardV2_1"
${security}}

resource "azurerm_api_management_backend" "tic" {
  name                = "tic-backend"
  resource_group_name = "rg-apim"
  api_management_name = azurerm_api_management.apim.name
  protocol            = "http"
  url                 = "https://${HOST}:${port}/api"
}
${overlay}`;
}

function tempDir(files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-probe-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) fs.writeFileSync(path.join(root, rel), text);
  return root;
}

interface ProbeJson {
  verdict: string;
  cause: string | null;
  outcome: string;
  todo: string | null;
  tier: string | null;
  checks: Array<{ id: string; status: string; title: string; detail: string }>;
  chain: Array<{ role: string; sha1: string }>;
  suggestedPin: { kind: string; name: string; thumbprint: string; caveat: string | null };
  versionsAccepted: string[];
}

interface ProbeRun {
  code: number;
  stdout: string;
  stderr: string;
  json: ProbeJson;
}

async function cli(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), cwd, env: {}, isTTY: false });
  return { code, stdout, stderr };
}

/** Probes the module's backend through --backend, in JSON. */
async function probeModule(server: LocalServer, pins: Pins = {}, security = '', extra: string[] = []): Promise<ProbeRun> {
  const dir = tempDir({ 'main.tf': v2Module(server.port, pins, security) });
  const run = await cli(
    ['probe', '--backend', 'azurerm_api_management_backend.tic', '.', '--connect', `127.0.0.1:${server.port}`, '--format', 'json', ...extra],
    dir,
  );
  return { ...run, json: JSON.parse(run.stdout || 'null') as ProbeJson };
}

function sha1(cert: TestCert): string {
  const dir = tempDir({ 'cert.pem': cert.pem });
  const out = execFileSync('openssl', ['x509', '-in', path.join(dir, 'cert.pem'), '-noout', '-fingerprint', '-sha1'], { encoding: 'utf8' });
  return out.replace(/^.*=/, '').replace(/[:\s]/g, '').toUpperCase();
}

function server(t: TestContext, options: Partial<TlsServerOptions> = {}): Promise<LocalServer> {
  return startTlsServer(t, { chain: [certs.chain.leaf, certs.chain.issuing], ...options });
}

function check(run: ProbeRun, id: string): { status: string; detail: string; title: string } {
  const found = run.json.checks.find((c: { id: string }) => c.id === id);
  assert.ok(found, `a ${id} check among ${JSON.stringify(run.json.checks.map((c: { id: string }) => c.id))}`);
  return found;
}

describe('apim-tls-lint probe against local TLS servers (v2 backend configurations)', () => {
  test('a complete internal chain with the right pin: APIM will accept (exit 0)', async (t) => {
    const s = await server(t);
    const run = await probeModule(s, { issuer: { name: HOST, thumbprint: sha1(certs.chain.issuing) } });
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.json.verdict, 'accept');
    assert.match(run.json.outcome, /^APIM will accept azurerm_api_management_backend\.tic/);
    assert.equal(run.json.tier, 'v2');
    assert.equal(check(run, 'pin').status, 'pass');
    assert.deepEqual(
      run.json.chain.map((c: { role: string; sha1: string }) => [c.role, c.sha1]),
      [
        ['leaf', sha1(certs.chain.leaf)],
        ['issuing CA', sha1(certs.chain.issuing)],
      ],
    );
  });

  test('the same backend without a pin: 500 untrusted, and the suggested pin is the issuing CA as openssl prints it (exit 1)', async (t) => {
    const s = await server(t);
    const run = await probeModule(s);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.equal(run.json.verdict, 'reject');
    assert.equal(run.json.cause, 'untrusted-chain');
    assert.match(run.json.outcome, /500 BackendConnectionFailure \(untrusted chain\).*v2 tiers trust an internal CA only through a pin/);
    assert.equal(run.json.suggestedPin.kind, 'issuer');
    assert.equal(run.json.suggestedPin.thumbprint, sha1(certs.chain.issuing));
    assert.equal(run.json.suggestedPin.name, HOST);
  });

  test('a pin to the old intermediate after a rotation: 500 pin mismatch naming both thumbprints (exit 1)', async (t) => {
    const s = await server(t);
    const old = sha1(certs.oldIssuing);
    const run = await probeModule(s, { issuer: { name: HOST, thumbprint: old } });
    assert.equal(run.code, 1);
    assert.equal(run.json.cause, 'pin-mismatch');
    assert.match(run.json.outcome, /\(pin does not match what is presented\)/);
    assert.ok(run.json.outcome.includes(old) && run.json.outcome.includes(sha1(certs.chain.issuing)), run.json.outcome);
    assert.equal(check(run, 'pin').status, 'fail');
    assert.equal(run.json.suggestedPin.thumbprint, sha1(certs.chain.issuing));
  });

  test('a certificate for another name: 500 name mismatch (exit 1)', async (t) => {
    const s = await server(t, { chain: [certs.otherNameLeaf, certs.chain.issuing] });
    const run = await probeModule(s, { issuer: { name: HOST, thumbprint: sha1(certs.chain.issuing) } });
    assert.equal(run.code, 1);
    assert.equal(run.json.cause, 'name-mismatch');
    assert.match(run.json.outcome, /\(name mismatch\): the certificate is for orders\.contoso\.test, not tic\.localtest/);
    assert.equal(check(run, 'name').status, 'fail');
  });

  test('a server that does not send its intermediate: 500 incomplete chain even with the right pin (exit 1)', async (t) => {
    const s = await server(t, { chain: [certs.chain.leaf] });
    const run = await probeModule(s, { issuer: { name: HOST, thumbprint: sha1(certs.chain.issuing) } });
    assert.equal(run.code, 1);
    assert.equal(run.json.cause, 'incomplete-chain');
    assert.match(run.json.outcome, /does not send Contoso Test Issuing CA 01/);
    assert.equal(run.json.chain.length, 1);
    assert.equal(run.json.suggestedPin.kind, 'certificate', 'only the leaf can be pinned from what is presented');
    assert.match(run.json.suggestedPin.caveat ?? '', /does not send its issuing CA/);
  });

  test('a self-signed leaf: 500 untrusted, and the pin would be the certificate itself (exit 1)', async (t) => {
    const s = await server(t, { chain: [certs.selfSigned] });
    const run = await probeModule(s);
    assert.equal(run.code, 1);
    assert.equal(run.json.cause, 'untrusted-chain');
    assert.match(check(run, 'chain').detail, /self-signed/);
    assert.equal(run.json.suggestedPin.kind, 'certificate');
    assert.equal(run.json.suggestedPin.thumbprint, sha1(certs.selfSigned));

    const pinned = await probeModule(s, { certificate: sha1(certs.selfSigned) });
    assert.equal(pinned.code, 0, 'pinned by serverCertificateThumbprints, the self-signed certificate is accepted');
  });

  test('an expired leaf: 500 even with the right pin (exit 1)', async (t) => {
    const s = await server(t, { chain: [certs.expiredLeaf, certs.chain.issuing] });
    const run = await probeModule(s, { issuer: { name: HOST, thumbprint: sha1(certs.chain.issuing) } });
    assert.equal(run.code, 1);
    assert.equal(run.json.cause, 'expired');
    assert.match(run.json.outcome, /\(expired certificate\): leaf tic\.localtest expired on \d{4}-\d\d-\d\d/);
  });

  test('a TLS 1.0-only server: 500 no common protocol, unless the Tls10 switch is on, then accepted with a warning', async (t) => {
    // Node's OpenSSL serves TLS 1.0 only at security level 0, as the probe's own TLS 1.0 handshake needs it too.
    const s = await server(t, { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    const pins = { issuer: { name: HOST, thumbprint: sha1(certs.chain.issuing) } };
    const off = await probeModule(s, pins);
    assert.equal(off.code, 1);
    assert.equal(off.json.cause, 'no-common-protocol');
    assert.deepEqual(off.json.versionsAccepted, ['TLSv1']);
    assert.match(off.json.outcome, /\(no common protocol\): the backend accepts TLS 1\.0 and APIM offers TLS 1\.2/);

    const on = await probeModule(s, pins, '  security {\n    backend_tls10_enabled = true\n  }\n');
    assert.equal(on.code, 0, on.stdout);
    assert.equal(on.json.verdict, 'accept');
    assert.equal(check(on, 'protocol').status, 'warn');
    assert.match(on.json.todo ?? '', /Warning: Only TLS 1\.0 is common/);
  });

  test('a server sharing no cipher suite with APIM: 500 no common cipher (exit 1)', async (t) => {
    const s = await server(t, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305' });
    const run = await probeModule(s, { issuer: { name: HOST, thumbprint: sha1(certs.chain.issuing) } });
    assert.equal(run.code, 1);
    assert.equal(run.json.cause, 'no-common-cipher');
    assert.equal(check(run, 'protocol').status, 'pass', 'TLS 1.2 itself is common; the suites are not');
  });

  for (const maxVersion of ['TLSv1.3', 'TLSv1.2'] as const) {
    test(`a server that requires a client certificate (${maxVersion}): could not check, with the chain still judged (exit 2)`, async (t) => {
      const s = await server(t, { requireClientCertificate: true, maxVersion });
      const run = await probeModule(s, { issuer: { name: HOST, thumbprint: sha1(certs.chain.issuing) } });
      assert.equal(run.code, 2, run.stdout);
      assert.equal(run.json.verdict, 'unknown');
      assert.equal(check(run, 'client-certificate').status, 'unknown');
      assert.match(run.json.outcome, /requires a client certificate/);
      assert.equal(check(run, 'pin').status, 'pass', 'the presented chain was read before the server refused');
    });
  }

  test('a port that accepts and never answers: could not check, within the deadline (exit 2)', async (t) => {
    const s = await startSilentServer(t);
    const started = Date.now();
    const run = await probeModule(s, {}, '', ['--timeout', '800']);
    const elapsed = Date.now() - started;
    assert.equal(run.code, 2);
    assert.match(run.json.outcome, /accepted the connection but sent no TLS answer within 0\.8 s/);
    assert.match(run.json.todo ?? '', /raise --timeout/);
    // Bounded by the deadline, not by the server: generous slack for a loaded machine.
    assert.ok(elapsed >= 750 && elapsed < 8000, `took ${elapsed} ms`);
  });

  test('a refused port: could not check, saying nothing listens there (exit 2)', async () => {
    const port = await closedPort();
    const run = await probeModule({ port, connections: () => 0, close: async () => undefined });
    assert.equal(run.code, 2);
    assert.match(run.json.outcome, /127\.0\.0\.1:\d+ \(for tic\.localtest\) refused the connection: nothing listens on port/);
  });

  test('a plain HTTP server: could not check, saying it does not speak TLS (exit 2)', async (t) => {
    const s = await startHttpServer(t);
    const run = await probeModule(s);
    assert.equal(run.code, 2);
    assert.match(run.json.outcome, /does not speak TLS/);
  });

  test('the text output reads at a glance: the answer, a mark per check, the chain with SHA-1 and expiry, the pin', async (t) => {
    const s = await server(t);
    const dir = tempDir({ 'main.tf': v2Module(s.port) });
    const run = await cli(['probe', '--backend', 'main.tf:15', '--connect', `127.0.0.1:${s.port}`], dir);
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[1], /^✗ APIM will answer 500 BackendConnectionFailure \(untrusted chain\)/);
    assert.ok(lines.some((l) => /^ {2}✓ Name {2,}The certificate carries tic\.localtest/.test(l)));
    assert.ok(lines.some((l) => /^ {2}✗ Trust \(v2\)/.test(l)));
    assert.ok(lines.some((l) => l.includes(`SHA-1 ${sha1(certs.chain.issuing)}  expires `)));
    assert.ok(lines.some((l) => l.includes(`serverX509Names: [{ "name": "${HOST}", "issuerCertificateThumbprint": "${sha1(certs.chain.issuing)}" }]`)));
  });

  test('usage errors and a backend that is not there exit 2 with a message', async () => {
    const dir = tempDir({ 'main.tf': v2Module(443) });
    const cases: Array<[string[], RegExp]> = [
      [['probe'], /probe needs a URL/],
      [['probe', 'http://tic.localtest'], /plain http/],
      [['probe', 'tic.localtest', '--tier', 'v3'], /--tier must be v2 or classic/],
      [['probe', 'tic.localtest', '--timeout', 'soon'], /--timeout takes milliseconds/],
      [['probe', 'tic.localtest', '--connect', 'a:b:c'], /--connect takes HOST:PORT/],
      [['probe', '--backend', 'azurerm_api_management_backend.nope', '.'], /no backend matches azurerm_api_management_backend\.nope/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(args, dir);
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, message, args.join(' '));
      assert.equal(run.stdout, '');
    }
  });
});

describe('the done-when command: apim-tls-lint probe https://tic.localtest:PORT --connect 127.0.0.1:PORT --tier v2', () => {
  /** Runs the bundled CLI as a user would and returns its exit code and output. */
  function probeCli(port: number): Promise<{ code: number | null; stdout: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, 'probe', `https://${HOST}:${port}`, '--connect', `127.0.0.1:${port}`, '--tier', 'v2', '--timeout', '1500']);
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.on('close', (code) => resolve({ code, stdout }));
    });
  }

  // Without a configuration there is no pin: every internal chain is untrusted on v2.
  const cases: Array<[string, (t: TestContext) => Promise<LocalServer>, number, RegExp]> = [
    ['complete internal chain', (t) => server(t), 1, /\(untrusted chain\)/],
    ['name mismatch', (t) => server(t, { chain: [certs.otherNameLeaf, certs.chain.issuing] }), 1, /\(untrusted chain\).*It would fail on name mismatch too\./],
    ['leaf-only chain', (t) => server(t, { chain: [certs.chain.leaf] }), 1, /\(incomplete chain\)/],
    ['self-signed leaf', (t) => server(t, { chain: [certs.selfSigned] }), 1, /\(untrusted chain\)/],
    ['TLS 1.0 only', (t) => server(t, { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' }), 1, /\(no common protocol\)/],
    ['no shared cipher', (t) => server(t, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305' }), 1, /\(no common cipher suite\)/],
    ['silent port', (t) => startSilentServer(t), 2, /sent no TLS answer within 1\.5 s/],
    ['refused port', async () => ({ port: await closedPort(), connections: () => 0, close: async () => undefined }), 2, /refused the connection/],
  ];
  for (const [name, start, code, outcome] of cases) {
    test(`${name}: exit ${code}`, async (t) => {
      assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (npm run build)');
      const s = await start(t);
      const run = await probeCli(s.port);
      assert.equal(run.code, code, run.stdout);
      assert.match(run.stdout.split('\n')[1], outcome);
    });
  }
});
