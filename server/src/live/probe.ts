// The live probe (DESIGN §4b, §8): the only code of the product that opens a network connection, and only when a
// user asks for a live check. Six short handshakes run in parallel, each with its own deadline: one that reads the
// chain (any version, any suite), one per TLS version from 1.0 to 1.3 (min = max), and one that offers exactly APIM's
// backend cipher suites. None sends application data.
import type * as net from 'node:net';
import * as tls from 'node:tls';
import type { GatewayOffer } from '../core/live/gateway';
import { TLS_VERSIONS, type CipherOutcome, type Observation, type ProbeTarget, type TlsVersion, type VersionOutcome } from '../core/live/observation';
import { handshake, type HandshakeResult } from './handshake';

export const DEFAULT_TIMEOUT_MS = 5000;

export interface ProbeOptions {
  /** Deadline of each connection, in milliseconds. */
  timeoutMs?: number;
  /** What APIM offers this backend: the cipher probe offers exactly its suites, over its TLS 1.0–1.2 versions. */
  offer: Pick<GatewayOffer, 'versions' | 'suites'>;
  /** Resolves the dialled name instead of the system resolver (a custom resolver; the tests' failing one). */
  lookup?: net.LookupFunction;
}

/**
 * Node's OpenSSL 3 refuses TLS 1.0 and 1.1 (and SHA-1 signatures, small keys) at its default security level 1, so a
 * probe at the default would report a TLS 1.0-only backend as refusing TLS 1.0. Level 0 lets the probe see what the
 * backend accepts; the verdict, not OpenSSL, decides what APIM would do with it.
 */
const ANY_CIPHER = 'DEFAULT:@SECLEVEL=0';

export async function probeBackend(target: ProbeTarget, options: ProbeOptions): Promise<Observation> {
  const deadlineMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const lookup = options.lookup;
  const started = Date.now();
  const at = new Date(started).toISOString();
  const cipherVersions = options.offer.versions.filter((v) => v !== 'TLSv1.3');
  const suites = options.offer.suites;
  const [chain, cipher, ...versionResults] = await Promise.all([
    handshake({ target, minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: ANY_CIPHER, deadlineMs, lookup, watchAfterHandshake: true }),
    cipherVersions.length && suites.length
      ? handshake({
          target,
          minVersion: cipherVersions[0],
          maxVersion: cipherVersions[cipherVersions.length - 1],
          ciphers: `${suites.map((s) => s.openssl).join(':')}:@SECLEVEL=0`,
          deadlineMs,
          lookup,
        })
      : Promise.resolve(undefined),
    ...TLS_VERSIONS.map((version) => handshake({ target, minVersion: version, maxVersion: version, ciphers: ANY_CIPHER, deadlineMs, lookup })),
  ]);
  const versions = Object.fromEntries(TLS_VERSIONS.map((v, i) => [v, versionOutcome(versionResults[i])])) as Record<TlsVersion, VersionOutcome>;
  return {
    target,
    at,
    chain: chain.ok
      ? {
          ok: true,
          protocol: chain.protocol,
          cipher: chain.cipher,
          chain: chain.chain,
          clientCertificateRequired: chain.clientCertificateRequired || undefined,
        }
      : { ok: false, failure: chain.failure, chain: chain.chain },
    versions,
    cipher: cipherOutcome(cipher),
    offeredCiphers: suites.map((s) => s.iana),
    durationMs: Date.now() - started,
  };
}

/** Node's bundled Mozilla root list: the stand-in for the public CAs APIM trusts. */
export function publicRoots(): readonly string[] {
  return tls.rootCertificates;
}

/** A handshake that got as far as the backend's certificate agreed on its version, even if it failed later. */
function versionOutcome(result: HandshakeResult): VersionOutcome {
  if (result.ok) return { kind: 'accepted', cipher: result.cipher };
  if (result.afterCertificate) return { kind: 'accepted', cipher: '' };
  return isRefusal(result) ? { kind: 'refused', detail: result.failure.message } : { kind: 'unknown', failure: result.failure };
}

function cipherOutcome(result: HandshakeResult | undefined): CipherOutcome {
  if (!result) return { kind: 'not-tried', reason: 'APIM offers no TLS 1.0–1.2 suite here.' };
  if (result.ok) return { kind: 'accepted', cipher: result.cipher, protocol: result.protocol };
  if (result.afterCertificate) return { kind: 'not-tried', reason: 'The backend ended the handshake after its certificate; the suite it chose is not known.' };
  return isRefusal(result) ? { kind: 'refused', detail: result.failure.message } : { kind: 'unknown', failure: result.failure };
}

/** The backend answered and said no (an alert, or closing the connection): not a network failure. */
function isRefusal(result: Extract<HandshakeResult, { ok: false }>): boolean {
  return ['protocol-version', 'no-shared-cipher', 'tls-alert', 'reset', 'not-tls'].includes(result.failure.kind);
}
