// The verdict of a live check without a socket: observations built from generated certificates, judged against
// configurations as the gateway would. Public roots are whatever list the caller passes in; here a generated root
// stands for one (no chain to a root of Node's real list can be generated honestly, since nobody here holds those keys).
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { before, describe, test } from 'node:test';
import * as x509 from '@peculiar/x509';
import { readCertificates } from '../../server/src/core/certificates/read';
import type { CertificateInfo } from '../../server/src/core/certificates/types';
import { defaultConfig } from '../../server/src/core/config';
import { liveConfigForUrl, liveConfigOfBackend, parseProbeTarget, type LiveBackendConfig } from '../../server/src/core/live/backend-config';
import { gatewayOffer } from '../../server/src/core/live/gateway';
import { judgeLive, type LiveVerdict } from '../../server/src/core/live/judge';
import { backendsAt, backendsNamed } from '../../server/src/core/live/locate';
import { livePinRequest, pinSourceFromLive } from '../../server/src/core/live/pin-from-live';
import type { Observation, ProbeFailure, TlsVersion, VersionOutcome } from '../../server/src/core/live/observation';
import { Workspace } from '../../server/src/core/workspace';
import { makeCertificate, makeChain, type TestCert, type TestChain } from '../support/certs';
import { testParser } from '../support/parser';

const HOST = 'tic.contoso.test';
const DAY = 24 * 60 * 60 * 1000;

let chain: TestChain;
let wildcard: TestCert;
let impostor: TestCert;
before(async () => {
  chain = await makeChain({ host: HOST });
  wildcard = await makeCertificate({ subject: 'CN=*.contoso.test', issuer: chain.issuing, ca: false, dnsNames: ['*.contoso.test'] });
  impostor = await impostorOf(chain.issuing, chain.root);
});

interface ObservationOptions {
  versions?: TlsVersion[];
  cipher?: string;
}

function observation(presented: TestCert[], options: ObservationOptions = {}): Observation {
  const accepted = options.versions ?? ['TLSv1.2', 'TLSv1.3'];
  const version = (v: TlsVersion): VersionOutcome =>
    accepted.includes(v) ? { kind: 'accepted', cipher: 'x' } : { kind: 'refused', detail: 'protocol version' };
  return {
    target: { host: HOST, port: 443 },
    at: new Date().toISOString(),
    chain: { ok: true, protocol: 'TLSv1.2', cipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', chain: presented.map((c) => c.der) },
    versions: { TLSv1: version('TLSv1'), 'TLSv1.1': version('TLSv1.1'), 'TLSv1.2': version('TLSv1.2'), 'TLSv1.3': version('TLSv1.3') },
    cipher: accepted.includes('TLSv1.2')
      ? { kind: 'accepted', cipher: options.cipher ?? 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', protocol: 'TLSv1.2' }
      : { kind: 'refused', detail: 'protocol version' },
    offeredCiphers: [],
    durationMs: 12,
  };
}

function config(tier: 'v2' | 'classic', overrides: Partial<LiveBackendConfig> = {}): LiveBackendConfig {
  const made = liveConfigForUrl(`https://${HOST}/api`, tier);
  assert.ok(made.ok);
  return { ...made.config, ...overrides };
}

function info(cert: TestCert): CertificateInfo {
  const read = readCertificates(cert.der, 'ca.cer');
  assert.ok(read.ok);
  return read.certificates[0];
}

function pinIssuer(cert: TestCert, name = HOST): LiveBackendConfig['pins'] {
  return [{ kind: 'issuer', name, thumbprint: info(cert).sha1, known: true }];
}

function statusOf(v: LiveVerdict, id: string): string | undefined {
  return v.checks.find((c) => c.id === id)?.status;
}

describe('judgeLive: trust for the tier', () => {
  test('a chain to a public root is trusted on v2 without a pin, the root taken from the list when not sent', () => {
    const v = judgeLive(observation([chain.leaf, chain.issuing]), config('v2'), [chain.root.pem]);
    assert.equal(v.verdict, 'accept', v.outcome);
    assert.match(v.outcome, /chains to the public root Contoso Test Root CA/);
    assert.deepEqual(
      v.chain.map((c) => [c.role, c.presented, c.anchor]),
      [
        ['leaf', true, undefined],
        ['issuing CA', true, undefined],
        ['root', false, 'public-root'],
      ],
    );
    const sent = judgeLive(observation([chain.leaf, chain.issuing, chain.root]), config('v2'), [chain.root.pem]);
    assert.equal(sent.verdict, 'accept', 'a root the backend sends along is found in the list too');
  });

  test('an internal root: untrusted on v2 (pin it), and on classic unless the CA store holds it', () => {
    const v2 = judgeLive(observation([chain.leaf, chain.issuing]), config('v2'), []);
    assert.equal(v2.cause, 'untrusted-chain');
    assert.match(v2.todo ?? '', /^Pin what it presents: serverX509Names name tic\.contoso\.test, issuerCertificateThumbprint [0-9A-F]{40}/);

    const classic = judgeLive(observation([chain.leaf, chain.issuing]), config('classic'), []);
    assert.equal(classic.cause, 'untrusted-chain');
    assert.match(classic.todo ?? '', /or upload Contoso Test Root CA to the service CA store/);

    const stored = judgeLive(observation([chain.leaf, chain.issuing]), config('classic', { caStore: [info(chain.root)] }), []);
    assert.equal(stored.verdict, 'accept', stored.outcome);
    assert.equal(stored.chain[2].anchor, 'ca-store');
  });

  test('validation off and nothing pinned: APIM accepts anything, and the answer says what a pin would be', () => {
    const v = judgeLive(observation([chain.leaf, chain.issuing]), config('v2', { validateChain: false, validateName: false }), []);
    assert.equal(v.verdict, 'accept');
    assert.ok(v.acceptsAnything);
    assert.match(v.outcome, /^APIM accepts anything from https:\/\/tic\.contoso\.test\/api: certificate validation is off/);
    assert.ok(v.todo?.includes(info(chain.issuing).sha1), v.todo);
    assert.equal(v.suggestedPin?.thumbprint, info(chain.issuing).sha1);
  });

  test('chain validation off but the name checked: a wrong name is still a 500, the chain only a warning', () => {
    const v = judgeLive(observation([chain.leaf, chain.issuing]), { ...config('v2', { validateChain: false }), host: 'orders.contoso.test' }, []);
    assert.equal(v.cause, 'name-mismatch');
    assert.equal(statusOf(v, 'trust'), 'skip');
  });

  test('name validation off: a wrong name is a warning and APIM accepts', () => {
    const v = judgeLive(observation([chain.leaf, chain.issuing]), { ...config('v2', { validateName: false }), host: 'orders.contoso.test' }, [chain.root.pem]);
    assert.equal(v.verdict, 'accept', v.outcome);
    assert.equal(statusOf(v, 'name'), 'warn');
  });

  test('a flag that depends on an input leaves the answer unknown', () => {
    const v = judgeLive(observation([chain.leaf, chain.issuing]), config('v2', { validateChain: undefined }), []);
    assert.equal(v.verdict, 'unknown');
    assert.match(v.outcome, /depends on what this check cannot see: Chain validation depends on an input value/);
  });
});

describe('judgeLive: pins', () => {
  test('a pin on the root, or on the leaf, says which certificate it names instead of the issuing CA', () => {
    const root = judgeLive(observation([chain.leaf, chain.issuing, chain.root]), config('v2', { pins: pinIssuer(chain.root) }), []);
    assert.equal(root.cause, 'pin-mismatch');
    assert.match(
      root.checks.find((c) => c.id === 'pin')!.detail,
      /that is Contoso Test Root CA, higher up the chain; APIM pins the CA that directly signs the leaf/,
    );
    const leaf = judgeLive(observation([chain.leaf, chain.issuing]), config('v2', { pins: pinIssuer(chain.leaf) }), []);
    assert.match(leaf.checks.find((c) => c.id === 'pin')!.detail, /that is the leaf itself/);
  });

  test('a wildcard certificate: the pin names the wildcard, which is what a pin from it would say', () => {
    const v = judgeLive(observation([wildcard, chain.issuing]), config('v2', { pins: pinIssuer(chain.issuing, '*.contoso.test') }), []);
    assert.equal(v.verdict, 'accept', v.outcome);
    const unpinned = judgeLive(observation([wildcard, chain.issuing]), config('v2'), []);
    assert.equal(unpinned.suggestedPin?.name, '*.contoso.test');
  });

  test('a pin whose name the certificate does not carry fails, though its thumbprint is right', () => {
    const v = judgeLive(observation([chain.leaf, chain.issuing]), config('v2', { pins: pinIssuer(chain.issuing, 'orders.contoso.test') }), []);
    assert.equal(v.cause, 'pin-mismatch');
    assert.match(v.outcome, /the pinned name is not a name the certificate carries \(tic\.contoso\.test\)/);
  });

  test('a certificate pin matches the leaf, whatever the chain', () => {
    const v = judgeLive(
      observation([chain.leaf]),
      config('v2', { pins: [{ kind: 'certificate', thumbprint: info(chain.leaf).sha1.toLowerCase(), known: true }] }),
      [],
    );
    assert.equal(v.verdict, 'accept', v.outcome);
  });

  test('a pin the linter cannot read leaves the answer unknown', () => {
    const v = judgeLive(
      observation([chain.leaf, chain.issuing]),
      config('v2', { pins: [{ kind: 'issuer', name: undefined, thumbprint: undefined, known: false }] }),
      [],
    );
    assert.equal(v.verdict, 'unknown');
  });
});

describe('judgeLive: chain, protocol, expiry, connection', () => {
  test('a link whose signature does not verify is an untrusted chain, even with the right names and key identifiers', () => {
    const v = judgeLive(observation([chain.leaf, impostor]), config('v2', { pins: pinIssuer(impostor) }), []);
    assert.equal(v.verdict, 'reject');
    assert.equal(v.cause, 'untrusted-chain');
    assert.match(v.outcome, /the signature of tic\.contoso\.test does not verify with the key of the certificate it names as issuer/);
    assert.match(
      v.checks.find((c) => c.id === 'chain')!.detail,
      /tic\.contoso\.test is not signed by Contoso Test Issuing CA 01: its signature does not verify/,
    );
    assert.equal(statusOf(v, 'pin'), 'fail', 'a pin on the impostor does not match: its key did not sign the leaf');
  });

  test('a TLS 1.3-only backend: v2 has no TLS 1.3 (500), a classic tier depends on a setting the configuration does not show', () => {
    const v2 = judgeLive(observation([chain.leaf, chain.issuing], { versions: ['TLSv1.3'] }), config('v2', { pins: pinIssuer(chain.issuing) }), []);
    assert.equal(v2.cause, 'no-common-protocol');
    assert.match(v2.todo ?? '', /classic tier with backend TLS 1\.3 enabled/);
    const classic = judgeLive(observation([chain.leaf, chain.issuing], { versions: ['TLSv1.3'] }), config('classic', { pins: pinIssuer(chain.issuing) }), []);
    assert.equal(classic.verdict, 'unknown');
    assert.equal(statusOf(classic, 'cipher'), 'skip');
  });

  test('a certificate that expires within expiryWarningDays is accepted with a warning', async () => {
    const soon = await makeCertificate({ subject: `CN=${HOST}`, issuer: chain.issuing, ca: false, dnsNames: [HOST], notAfter: new Date(Date.now() + 5 * DAY) });
    const v = judgeLive(observation([soon, chain.issuing]), config('v2', { pins: pinIssuer(chain.issuing) }), []);
    assert.equal(v.verdict, 'accept');
    assert.equal(v.checks.find((c) => c.title === 'Expiry (leaf)')?.status, 'warn');
    assert.match(v.todo ?? '', /^Warning: Leaf tic\.contoso\.test is valid until .* \([45] days left\)/);
  });

  test('no certificate seen: the connection failure and its hint are the answer', () => {
    const failure: ProbeFailure = { kind: 'refused', message: '127.0.0.1:9 refused the connection.', hint: 'Check the port.' };
    const obs: Observation = { ...observation([]), chain: { ok: false, failure } };
    const v = judgeLive(obs, config('v2'), []);
    assert.equal(v.verdict, 'unknown');
    assert.equal(v.outcome, 'Could not check https://tic.contoso.test/api: 127.0.0.1:9 refused the connection.');
    assert.equal(v.todo, 'Check the port.');
  });
});

describe("the gateway's offer", () => {
  test('TLS 1.2 always, 1.0 and 1.1 by their switches, 1.3 only possibly and only on classic tiers', () => {
    assert.deepEqual(gatewayOffer({ tier: 'v2', tls10: false, tls11: false, cipherSwitches: [] }), {
      ...gatewayOffer({ tier: 'v2', tls10: false, tls11: false, cipherSwitches: [] }),
      versions: ['TLSv1.2'],
      maybeVersions: [],
    });
    const legacy = gatewayOffer({ tier: 'classic', tls10: true, tls11: true, cipherSwitches: [] });
    assert.deepEqual([legacy.versions, legacy.maybeVersions], [['TLSv1', 'TLSv1.1', 'TLSv1.2'], ['TLSv1.3']]);
  });

  test('cipher switches count on classic tiers, in customProperties and azurerm spelling; v2 ignores them', () => {
    const names = (tier: 'v2' | 'classic', cipherSwitches: Array<{ name: string; on: boolean }>) =>
      gatewayOffer({ tier, tls10: false, tls11: false, cipherSwitches }).suites.map((s) => s.iana);
    const defaults = names('classic', []);
    assert.equal(defaults.length, 17);
    assert.ok(!defaults.includes('TLS_RSA_WITH_3DES_EDE_CBC_SHA'), '3DES is off by default');
    const switched = names('classic', [
      { name: 'TLS_RSA_WITH_AES_128_CBC_SHA', on: false },
      { name: 'TLS_RSA_WITH_AES256_CBC_SHA', on: false },
      { name: 'TripleDes168', on: true },
    ]);
    assert.ok(!switched.includes('TLS_RSA_WITH_AES_128_CBC_SHA') && !switched.includes('TLS_RSA_WITH_AES_256_CBC_SHA'));
    assert.ok(switched.includes('TLS_RSA_WITH_3DES_EDE_CBC_SHA'));
    assert.deepEqual(names('v2', [{ name: 'TLS_RSA_WITH_AES_128_CBC_SHA', on: false }]), defaults);
  });
});

describe('what is probed: targets and backends', () => {
  test('URLs and host[:port] become host and port; plain http is refused', () => {
    assert.deepEqual(parseProbeTarget('tic.contoso.test'), { ok: true, url: 'https://tic.contoso.test', host: 'tic.contoso.test', port: 443 });
    assert.deepEqual(parseProbeTarget('https://tic.contoso.test:8443/api?x=1'), {
      ok: true,
      url: 'https://tic.contoso.test:8443/api?x=1',
      host: 'tic.contoso.test',
      port: 8443,
    });
    assert.deepEqual(parseProbeTarget('[::1]:9443'), { ok: true, url: 'https://[::1]:9443', host: '::1', port: 9443 });
    assert.match((parseProbeTarget('http://tic.contoso.test') as { reason: string }).reason, /plain http/);
    assert.equal(parseProbeTarget('https://').ok, false);
  });

  test("a backend from the model: the overlay's flags win, the service's tier, switches and CA store come along", async () => {
    const ws = new Workspace(await testParser());
    const file = '/ws/main.tf';
    ws.setFile(
      file,
      `resource "azurerm_api_management" "apim" {
  name     = "apim-contoso"
  sku_name = "Premium_1"
  certificate {
    encoded_certificate = filebase64("certs/root.cer")
    store_name          = "Root"
  }
  security {
    backend_tls11_enabled                     = true
    tls_rsa_with_aes128_cbc_sha_ciphers_enabled = false
  }
}

resource "azurerm_api_management_backend" "tic" {
  name                = "tic-backend"
  api_management_name = azurerm_api_management.apim.name
  url                 = "https://${HOST}:8443/api"
  tls {
    validate_certificate_chain = false
  }
}

resource "azapi_update_resource" "tic_tls" {
  type        = "Microsoft.ApiManagement/service/backends@2025-03-01-preview"
  resource_id = azurerm_api_management_backend.tic.id
  body = {
    properties = {
      tls = {
        validateCertificateChain = true
        serverX509Names = [{ name = "${HOST}", issuerCertificateThumbprint = "${info(chain.issuing).sha1}" }]
      }
    }
  }
}
`,
    );
    ws.setCertificates('/ws/certs/root.cer', [info(chain.root)]);
    const backends = ws.backendsIn(file);
    const [backend] = backendsNamed(backends, 'azurerm_api_management_backend.tic');
    assert.ok(backend);
    assert.deepEqual(backendsNamed(backends, 'tic-backend'), [backend], 'also by its name in APIM');
    const text = ws.textOf(file)!;
    assert.deepEqual(backendsAt(backends, file, text.indexOf('validate_certificate_chain')), [backend]);

    const made = liveConfigOfBackend(backend, defaultConfig(), ws.allCertificates());
    assert.ok(made.ok, !made.ok ? made.reason : '');
    const c = made.config;
    assert.equal(c.validateChain, true, "the overlay's validateCertificateChain wins over the backend's tls block");
    assert.equal(c.validateName, true);
    assert.deepEqual([c.host, c.port], [HOST, 8443]);
    assert.deepEqual(c.pins, [{ kind: 'issuer', name: HOST, thumbprint: info(chain.issuing).sha1, known: true }]);
    assert.equal(c.gateway.tier, 'classic');
    assert.equal(c.tierSource, 'Premium_1 of azurerm_api_management.apim');
    assert.deepEqual([c.gateway.tls10, c.gateway.tls11], [false, true]);
    assert.deepEqual(c.gateway.cipherSwitches, [{ name: 'TLS_RSA_WITH_AES128_CBC_SHA', on: false }]);
    assert.deepEqual(
      c.caStore.map((x) => x.subject),
      [info(chain.root).subject],
    );
  });
});

describe("pin what it presents: the pin flow's input from a live check", () => {
  test('the presented chain as the file, the issuing CA to pin, the name the leaf carries', () => {
    const v = judgeLive(observation([wildcard, chain.issuing]), config('v2'), []);
    const source = pinSourceFromLive(v);
    assert.ok(!('reason' in source));
    assert.deepEqual(
      source.certificates.map((c) => [c.subject, c.file, c.index]),
      [
        ['CN=*.contoso.test', 'live:https://tic.contoso.test:443', 0],
        [chain.issuing.cert.subject, 'live:https://tic.contoso.test:443', 1],
      ],
    );
    assert.equal(source.certificateIndex, 1);
    assert.equal(source.certificates[1].sha1, info(chain.issuing).sha1);
    assert.ok(source.certificates[1].isCa);
    assert.equal(source.name, '*.contoso.test', 'the name the leaf carries, not the URL host');
    assert.equal(source.kind, 'issuer');
  });

  test('a leaf-only backend: the leaf, with the catch said; no certificate seen: a reason', () => {
    const leafOnly = pinSourceFromLive(judgeLive(observation([chain.leaf]), config('v2'), []));
    assert.ok(!('reason' in leafOnly));
    assert.equal(leafOnly.kind, 'certificate');
    assert.equal(leafOnly.certificates[leafOnly.certificateIndex].sha1, info(chain.leaf).sha1);
    assert.match(leafOnly.caveat ?? '', /breaks at every renewal/);
    const failure: ProbeFailure = { kind: 'refused', message: 'refused.' };
    const none = pinSourceFromLive(judgeLive({ ...observation([]), chain: { ok: false, failure } }, config('v2'), []));
    assert.match((none as { reason: string }).reason, /saw no certificate to pin/);
  });
});

describe('livePinRequest: a verdict as the pin request of the backend it is about (the server and the CLI share it)', () => {
  const file = '/ws/main.tf';
  const moduleText = (url: string, key = '') =>
    key
      ? `resource "azurerm_api_management_backend" "tic" {\n  for_each = { ${key} = "${url}", other = "https://other.contoso.test/api" }\n  name     = "tic"\n  url      = each.value\n}\n`
      : `resource "azurerm_api_management_backend" "tic" {\n  name = "tic"\n  url  = "${url}"\n}\n`;
  async function backendOf(text: string, name = 'azurerm_api_management_backend.tic') {
    const ws = new Workspace(await testParser());
    ws.setFile(file, text);
    const backend = ws.backendsIn(file).find((b) => b.name === name);
    assert.ok(backend, name);
    return { ws, backend };
  }
  const verdictOf = (presented: TestCert[], label = 'azurerm_api_management_backend.tic') => judgeLive(observation(presented), { ...config('v2'), label }, []);

  test('the presented issuing CA and the host name as up-front answers; the pin flow plans the issuer pin from them', async () => {
    const { ws, backend } = await backendOf(moduleText(`https://${HOST}/api`));
    const made = livePinRequest(verdictOf([chain.leaf, chain.issuing]), { file, offset: backend.block.start, backend });
    assert.ok(made.ok, JSON.stringify(made));
    assert.equal(made.request.origin, 'live');
    assert.deepEqual(made.request.answers, { certificateIndex: 1, name: HOST });
    const plan = ws.planPin(made.request);
    assert.ok(plan.ok && 'edits' in plan, JSON.stringify(plan));
    assert.equal(plan.thumbprint, info(chain.issuing).sha1);
    assert.match(plan.edits.map((e) => e.newText).join(''), new RegExp(`name\\s+= "${HOST.replace(/\./g, '\\.')}"`));
  });

  test("the user's answers win (a confirmation's complete answers); a name that misses the host is left for the flow to ask", async () => {
    const { backend } = await backendOf(moduleText(`https://${HOST}/api`));
    const other = await makeCertificate({ subject: 'CN=other.contoso.test', issuer: chain.issuing, ca: false, dnsNames: ['other.contoso.test'] });
    const missing = livePinRequest(verdictOf([other, chain.issuing]), { file, offset: backend.block.start, backend });
    assert.ok(missing.ok);
    assert.deepEqual(missing.request.answers, { certificateIndex: 1 }, 'no name: the pin flow asks about it');
    assert.equal(missing.source.nameCoversHost, false);
    const answered = livePinRequest(verdictOf([other, chain.issuing]), { file, offset: 0, backend }, { accept: ['name'], name: 'other.contoso.test' });
    assert.ok(answered.ok);
    assert.deepEqual(answered.request.answers, { certificateIndex: 1, accept: ['name'], name: 'other.contoso.test' });
  });

  test('a for_each instance is pinned alone; another instance, another URL or another key: a reason', async () => {
    const { backend } = await backendOf(moduleText(`https://${HOST}/api`, 'eu'), 'azurerm_api_management_backend.tic["eu"]');
    const verdict = verdictOf([chain.leaf, chain.issuing], backend.name);
    const made = livePinRequest(verdict, { file, offset: backend.block.start, backend });
    assert.ok(made.ok);
    assert.deepEqual(made.request.answers?.instances, ['eu']);
    const otherKey = livePinRequest(verdict, { file, offset: 0, backend }, { instances: ['other'] });
    assert.match((otherKey as { reason: string }).reason, /pins that instance alone/);
    const notThis = livePinRequest(verdictOf([chain.leaf, chain.issuing]), { file, offset: 0, backend });
    assert.match(
      (notThis as { reason: string }).reason,
      /The live check is of azurerm_api_management_backend\.tic, not of azurerm_api_management_backend\.tic\["eu"\]/,
    );
    const moved = await backendOf(moduleText('https://moved.contoso.test/api'));
    const stale = livePinRequest(verdictOf([chain.leaf, chain.issuing]), { file, offset: 0, backend: moved.backend });
    assert.match((stale as { reason: string }).reason, /changed since its live check \(https:\/\/tic\.contoso\.test\/api\): check it live again/);
  });
});

/** A CA with the issuing CA's name and key identifier but a key of its own: names match, signatures do not. */
async function impostorOf(ca: TestCert, root: TestCert): Promise<TestCert> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const ski = ca.cert.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0badc0de',
    subject: ca.cert.subject,
    issuer: root.cert.subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: root.keys.privateKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      new x509.SubjectKeyIdentifierExtension(ski),
      await x509.AuthorityKeyIdentifierExtension.create(root.keys.publicKey),
    ],
  });
  return { cert, keys, pem: cert.toString('pem') + '\n', der: new Uint8Array(cert.rawData) };
}
