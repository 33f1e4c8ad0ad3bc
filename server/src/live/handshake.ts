// One TLS handshake with a deadline: connect, read what the backend presents, close. No application byte is ever
// written; the socket is ended as soon as the handshake is over. Every way a connection can fail ends in a
// ProbeFailure that says what happened and what to try, never in an exception or a hang.
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { FailureKind, ProbeFailure, ProbeTarget } from '../core/live/observation';

export interface HandshakeOptions {
  target: ProbeTarget;
  minVersion: tls.SecureVersion;
  maxVersion: tls.SecureVersion;
  /** An OpenSSL cipher list. */
  ciphers: string;
  deadlineMs: number;
  /** Resolves the dialled name; Node's resolver (the system's) unless a caller brings its own. */
  lookup?: net.LookupFunction;
  /**
   * After a TLS 1.3 handshake, wait briefly for what the server sends next: a session ticket (all is well) or an
   * alert saying it wanted a client certificate, which TLS 1.3 reports only after the client has finished.
   */
  watchAfterHandshake?: boolean;
}

export type HandshakeResult =
  | { ok: true; protocol: string; cipher: string; chain: Uint8Array[]; clientCertificateRequired: boolean }
  | {
      ok: false;
      failure: ProbeFailure;
      /** The backend had sent its certificate before the handshake failed: this version and suite were agreed. */
      afterCertificate: boolean;
      chain?: Uint8Array[];
    };

/** How long to linger after a TLS 1.3 handshake at least, and at most, for an alert or a session ticket. */
const MIN_WATCH_MS = 100;
const MAX_WATCH_MS = 1000;

export function handshake(options: HandshakeOptions): Promise<HandshakeResult> {
  const { target } = options;
  const dial = target.connect ?? { host: target.host, port: target.port };
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    let tcpConnected = false;
    let socket: tls.TLSSocket;
    const finish = (result: HandshakeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      close(socket);
      resolve(result);
    };
    const fail = (kind: FailureKind, code?: string, detail?: string) => {
      const chain = peerChain(socket);
      finish({ ok: false, failure: describeFailure(kind, options, code, detail), afterCertificate: chain !== undefined, chain });
    };
    const timer = setTimeout(() => fail(tcpConnected ? 'handshake-timeout' : 'connect-timeout'), options.deadlineMs);
    try {
      socket = tls.connect({
        host: dial.host,
        port: dial.port,
        // SNI carries the URL host even through a tunnel; RFC 6066 forbids an IP address there.
        servername: net.isIP(target.host) ? undefined : target.host,
        // The verdict judges the chain itself; an empty CA list also keeps Node from appending its own roots to
        // getPeerCertificate(true), so the chain read is exactly what the backend sent.
        rejectUnauthorized: false,
        ca: [],
        minVersion: options.minVersion,
        maxVersion: options.maxVersion,
        ciphers: options.ciphers,
        ...(options.lookup ? { lookup: options.lookup } : {}),
      });
    } catch (e) {
      clearTimeout(timer);
      settled = true;
      resolve({ ok: false, failure: describeFailure('other', options, undefined, e instanceof Error ? e.message : String(e)), afterCertificate: false });
      return;
    }
    // After a TLS 1.3 handshake the session is complete, and what follows only says whether a client certificate was wanted.
    let afterHandshake: ((clientCertificateRequired: boolean) => void) | undefined;
    socket.on('connect', () => (tcpConnected = true));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? '';
      if (afterHandshake) return afterHandshake(isClientCertificateAlert(code, true));
      const hadCertificate = peerChain(socket) !== undefined;
      fail(classify(code, e.message, tcpConnected, hadCertificate), code || undefined, opensslReason(e.message));
    });
    socket.on('close', () => (afterHandshake ? afterHandshake(false) : fail(tcpConnected ? 'reset' : 'refused')));
    socket.on('session', () => afterHandshake?.(false));
    socket.on('secureConnect', () => {
      const chain = peerChain(socket) ?? [];
      const protocol = socket.getProtocol() ?? '';
      const cipher = socket.getCipher();
      const done = (clientCertificateRequired: boolean) =>
        finish({ ok: true, protocol, cipher: cipher.standardName || cipher.name, chain, clientCertificateRequired });
      if (!options.watchAfterHandshake || protocol !== 'TLSv1.3') return done(false);
      // The alert, if any, arrives one round trip after the handshake, which itself took about two.
      const elapsed = Date.now() - started;
      const watch = Math.min(Math.max(elapsed, MIN_WATCH_MS), MAX_WATCH_MS, Math.max(options.deadlineMs - elapsed, 0));
      const quiet = setTimeout(() => afterHandshake?.(false), watch);
      afterHandshake = (required) => {
        clearTimeout(quiet);
        done(required);
      };
    });
  });
}

/** The certificates the backend sent, leaf first, following Node's issuer links until they repeat. */
function peerChain(socket: tls.TLSSocket | undefined): Uint8Array[] | undefined {
  let leaf: tls.DetailedPeerCertificate | undefined;
  try {
    leaf = socket?.getPeerCertificate(true);
  } catch {
    return undefined;
  }
  if (!leaf || !leaf.raw) return undefined;
  const chain: Uint8Array[] = [];
  const seen = new Set<string>();
  for (let c: tls.DetailedPeerCertificate | undefined = leaf; c?.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    chain.push(new Uint8Array(c.raw));
  }
  return chain;
}

function classify(code: string, message: string, tcpConnected: boolean, hadCertificate: boolean): FailureKind {
  if (/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|EAI_NODATA)$/.test(code)) return 'dns';
  if (code === 'ECONNREFUSED') return 'refused';
  if (/^(EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|EHOSTDOWN|ENETDOWN)$/.test(code)) return 'unreachable';
  if (code === 'ETIMEDOUT') return tcpConnected ? 'handshake-timeout' : 'connect-timeout';
  if (isClientCertificateAlert(code, hadCertificate)) return 'client-certificate-required';
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|RECORD_LAYER_FAILURE|UNKNOWN_PROTOCOL/.test(code)) return 'not-tls';
  if (/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS_AVAILABLE|VERSION_TOO_LOW|VERSION_TOO_HIGH|WRONG_SSL_VERSION/.test(code)) return 'protocol-version';
  if (/NO_SHARED_CIPHER|ALERT_HANDSHAKE_FAILURE|INSUFFICIENT_SECURITY|NO_CIPHERS_AVAILABLE/.test(code)) return 'no-shared-cipher';
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket disconnected|socket hang up/i.test(message)) return 'reset';
  if (code.startsWith('ERR_SSL_')) return 'tls-alert';
  return 'other';
}

/**
 * TLS 1.3 says "certificate required" outright. TLS 1.2 has no such alert: a handshake_failure (or bad_certificate)
 * that comes after the server sent its own certificate is the server refusing the client's empty one.
 */
function isClientCertificateAlert(code: string, hadCertificate: boolean): boolean {
  if (/ALERT_CERTIFICATE_REQUIRED/.test(code)) return true;
  return hadCertificate && /ALERT_HANDSHAKE_FAILURE|ALERT_BAD_CERTIFICATE|ALERT_ACCESS_DENIED|PEER_DID_NOT_RETURN_A_CERTIFICATE/.test(code);
}

/** OpenSSL's reason, e.g. `sslv3 alert handshake failure`, from Node's multi-line error message. */
function opensslReason(message: string): string | undefined {
  return /:SSL routines:[^:]*:([^:]+):/.exec(message)?.[1] ?? (message.split('\n')[0] || undefined);
}

function describeFailure(kind: FailureKind, options: HandshakeOptions, code: string | undefined, detail: string | undefined): ProbeFailure {
  const { target } = options;
  const dial = target.connect ?? { host: target.host, port: target.port };
  const address = `${dial.host.includes(':') ? `[${dial.host}]` : dial.host}:${dial.port}`;
  const where = target.connect ? `${address} (for ${target.host})` : address;
  const seconds = `${options.deadlineMs / 1000} s`;
  const reason = detail ? ` (${detail})` : '';
  const failure = (message: string, hint?: string): ProbeFailure => ({ kind, message, hint, code });
  switch (kind) {
    case 'dns':
      return failure(
        `Could not resolve ${dial.host}${code ? ` (${code})` : ''}.`,
        `Check the name, run the probe where it resolves (inside the network APIM reaches the backend from), or dial an address with --connect HOST:PORT and keep the name.`,
      );
    case 'refused':
      return failure(
        `${where} refused the connection: nothing listens on port ${dial.port}.`,
        'Check the port in the URL; if the backend is reached through a tunnel or a jump host, use --connect HOST:PORT.',
      );
    case 'unreachable':
      return failure(
        `${where} cannot be reached from here (${code}).`,
        'Run the probe from a network that reaches the backend, or use --connect HOST:PORT through a tunnel.',
      );
    case 'connect-timeout':
      return failure(
        `No connection to ${where} within ${seconds}.`,
        "A firewall may drop the packets or the host is down: run the probe from inside the backend's network, use --connect, or raise --timeout.",
      );
    case 'handshake-timeout':
      return failure(
        `${where} accepted the connection but sent no TLS answer within ${seconds}.`,
        'Check that this port serves TLS (a server waiting for another protocol, or a proxy holding the connection, looks like this); raise --timeout for a slow backend.',
      );
    case 'reset':
      return failure(
        `${where} closed the connection during the TLS handshake${reason}.`,
        `The server may refuse the name sent as SNI (${target.host}) or the versions offered, or accept only certain clients: check its TLS configuration.`,
      );
    case 'not-tls':
      return failure(
        `${where} does not speak TLS: it answered the handshake with something else (plain HTTP?)${reason}.`,
        'Use the port where the backend serves TLS; if it serves only plain HTTP, APIM calls it unencrypted (an http:// URL).',
      );
    case 'client-certificate-required':
      return failure(
        `${where} requires a client certificate (mutual TLS) and ended the handshake when the probe sent none.`,
        "APIM presents a client certificate only when the backend's credentials name one; the certificate checks use what the backend sent before it asked.",
      );
    case 'protocol-version':
      return failure(`${where} accepts none of the TLS versions offered${reason}.`, 'The backend may speak only SSL 3.0 or a version this probe cannot offer.');
    case 'no-shared-cipher':
      return failure(
        `${where} accepts none of the cipher suites offered${reason}.`,
        'Enable on the backend a suite APIM offers (for example TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256).',
      );
    case 'tls-alert':
      return failure(`The TLS handshake with ${where} failed${reason}.`);
    default:
      return failure(`Connecting to ${where} failed${reason}.`);
  }
}

/** Ends the session politely (close_notify, FIN) without writing application data, and frees the socket soon after. */
function close(socket: tls.TLSSocket | undefined): void {
  if (!socket || socket.destroyed) return;
  socket.removeAllListeners('secureConnect');
  // Late errors from a socket being torn down are of no interest any more.
  socket.on('error', () => undefined);
  socket.end();
  setTimeout(() => socket.destroy(), 200).unref();
}
