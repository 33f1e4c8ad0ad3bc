// What a live probe saw when it connected to a backend (DESIGN §4b): the presented chain, which TLS versions the
// backend accepted, whether it shares a cipher suite with APIM, or why the connection failed. The probe
// (server/src/live/) fills it in; the verdict (judge.ts) reads it. Plain data, so either side can be tested alone.

/** The TLS versions the probe tries one by one (SSL 3.0 cannot be tried: Node's OpenSSL has no SSL 3.0 at all). */
export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export const TLS_VERSIONS: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export const TLS_VERSION_LABELS: Record<TlsVersion, string> = { TLSv1: 'TLS 1.0', 'TLSv1.1': 'TLS 1.1', 'TLSv1.2': 'TLS 1.2', 'TLSv1.3': 'TLS 1.3' };

/** Where the probe connected: the name it sent (SNI, the URL host) and the address it dialled. */
export interface ProbeTarget {
  /** The URL host: sent as SNI and matched against the certificate. */
  host: string;
  port: number;
  /** The address actually dialled when it is not the URL host (`--connect`: a tunnel or a jump host). */
  connect?: { host: string; port: number };
}

/** Why a connection gave no TLS session, in the words the output uses. */
export type FailureKind =
  | 'dns'
  | 'refused'
  | 'unreachable'
  | 'reset'
  | 'connect-timeout'
  | 'handshake-timeout'
  | 'not-tls'
  | 'client-certificate-required'
  | 'protocol-version'
  | 'no-shared-cipher'
  | 'tls-alert'
  | 'other';

export interface ProbeFailure {
  kind: FailureKind;
  /** One sentence: what happened, with the address. */
  message: string;
  /** What to try next. */
  hint?: string;
  /** The system or OpenSSL error code, for the JSON output and bug reports. */
  code?: string;
}

/** The main handshake: any version, any cipher, to read what the backend presents. */
export type ChainHandshake =
  | {
      ok: true;
      /** The negotiated version and cipher suite (IANA name). */
      protocol: string;
      cipher: string;
      /** The presented certificates, leaf first, as DER; linked leaf → issuer as the backend sent them. */
      chain: Uint8Array[];
      /**
       * Set when the backend asked for a client certificate and ended the session because the probe sent none (TLS 1.3
       * reports that only after the handshake). APIM sends one only when the backend's credentials name it.
       */
      clientCertificateRequired?: boolean;
    }
  | {
      ok: false;
      failure: ProbeFailure;
      /** What the backend presented before the handshake failed (TLS 1.2 sends its chain before it asks for a client certificate). */
      chain?: Uint8Array[];
    };

/** One pinned-version handshake: accepted, refused by the backend, or not decidable (the connection itself failed). */
export type VersionOutcome = { kind: 'accepted'; cipher: string } | { kind: 'refused'; detail: string } | { kind: 'unknown'; failure: ProbeFailure };

/** The handshake offering exactly APIM's backend cipher suites (TLS 1.2 and below). */
export type CipherOutcome =
  | { kind: 'accepted'; cipher: string; protocol: string }
  | { kind: 'refused'; detail: string }
  | { kind: 'not-tried'; reason: string }
  | { kind: 'unknown'; failure: ProbeFailure };

export interface Observation {
  target: ProbeTarget;
  /** ISO 8601: when the probe ran (expiry is judged against it). */
  at: string;
  chain: ChainHandshake;
  versions: Record<TlsVersion, VersionOutcome>;
  cipher: CipherOutcome;
  /** The cipher suites offered in the cipher probe (IANA names). */
  offeredCiphers: string[];
  /** Wall-clock time of the whole probe, all handshakes in parallel. */
  durationMs: number;
}
