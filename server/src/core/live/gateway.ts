// What the APIM gateway offers a backend in its TLS handshake (DESIGN §1a): TLS 1.2 always, TLS 1.0 and 1.1 only
// with their backend switches, TLS 1.3 on classic tiers only where the service enabled it (v2 tiers have none), and
// the cipher suites of Microsoft's customProperties reference: ten that cannot be disabled and nine whose switches
// default to on (3DES defaults to off). Cipher switches apply on classic tiers only; v2 and Consumption ignore them.
import type { TlsVersion } from './observation';

export interface GatewaySuite {
  /** The IANA name, as APIM's settings and Node's `standardName` write it. */
  iana: string;
  /** OpenSSL's name, what a Node client offers. */
  openssl: string;
  /** Whether a `customProperties` switch can turn it off (or, for 3DES, on). */
  switchable: boolean;
  /** On unless a switch says otherwise. */
  defaultOn: boolean;
}

/** TLS 1.2-and-below suites, in APIM's order of preference. */
export const GATEWAY_SUITES: readonly GatewaySuite[] = [
  fixed('TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ECDHE-ECDSA-AES256-GCM-SHA384'),
  fixed('TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256'),
  fixed('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'),
  fixed('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'),
  fixed('TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384', 'ECDHE-ECDSA-AES256-SHA384'),
  fixed('TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256', 'ECDHE-ECDSA-AES128-SHA256'),
  fixed('TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'ECDHE-RSA-AES256-SHA384'),
  fixed('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256', 'ECDHE-RSA-AES128-SHA256'),
  switched('TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA', 'ECDHE-ECDSA-AES256-SHA'),
  switched('TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'ECDHE-ECDSA-AES128-SHA'),
  switched('TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', 'ECDHE-RSA-AES256-SHA'),
  switched('TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'ECDHE-RSA-AES128-SHA'),
  switched('TLS_RSA_WITH_AES_128_GCM_SHA256', 'AES128-GCM-SHA256'),
  switched('TLS_RSA_WITH_AES_256_CBC_SHA256', 'AES256-SHA256'),
  switched('TLS_RSA_WITH_AES_128_CBC_SHA256', 'AES128-SHA256'),
  switched('TLS_RSA_WITH_AES_256_CBC_SHA', 'AES256-SHA'),
  switched('TLS_RSA_WITH_AES_128_CBC_SHA', 'AES128-SHA'),
  { iana: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', openssl: 'DES-CBC3-SHA', switchable: true, defaultOn: false },
];

/** The TLS 1.3 suites APIM lists; TLS 1.3 itself is what decides (its suites are not switchable). */
export const GATEWAY_TLS13_SUITES: readonly string[] = ['TLS_AES_256_GCM_SHA384', 'TLS_AES_128_GCM_SHA256'];

/** What the service's configuration says about the backend side of the gateway (explicit values only). */
export interface GatewaySettings {
  tier: 'v2' | 'classic' | undefined;
  /** Backend legacy protocol switches set to true; absent or false means off (services created after April 2018). */
  tls10: boolean;
  tls11: boolean;
  /** Cipher switches written in the configuration: the name as written (IANA, azurerm's or `TripleDes168`) → on/off. */
  cipherSwitches: ReadonlyArray<{ name: string; on: boolean }>;
}

export interface GatewayOffer {
  /** Versions APIM certainly offers this backend. */
  versions: TlsVersion[];
  /** Versions it may offer, depending on a setting the configuration does not show (TLS 1.3 on classic tiers). */
  maybeVersions: TlsVersion[];
  /** TLS 1.2-and-below suites it offers. */
  suites: GatewaySuite[];
}

export function gatewayOffer(settings: GatewaySettings): GatewayOffer {
  const versions: TlsVersion[] = [];
  if (settings.tls10) versions.push('TLSv1');
  if (settings.tls11) versions.push('TLSv1.1');
  versions.push('TLSv1.2');
  // v2 tiers do not speak TLS 1.3 to backends; classic tiers do once the service enables it, which the linter cannot see.
  const maybeVersions: TlsVersion[] = settings.tier === 'v2' ? [] : ['TLSv1.3'];
  const switches = settings.tier === 'classic' ? settings.cipherSwitches : [];
  const suites = GATEWAY_SUITES.filter((suite) => {
    if (!suite.switchable) return true;
    const sw = switches.find((s) => sameSuite(s.name, suite));
    return sw ? sw.on : suite.defaultOn;
  });
  return { versions, maybeVersions, suites };
}

/** An IANA name, or the OpenSSL one Node reports, as the gateway's suite; undefined when APIM has no such suite. */
export function gatewaySuiteOf(name: string): GatewaySuite | undefined {
  return GATEWAY_SUITES.find((s) => s.iana === name || s.openssl === name);
}

/**
 * Whether a switch name written in a configuration names this suite: `TLS_RSA_WITH_AES_128_CBC_SHA` (customProperties),
 * azurerm's `tls_rsa_with_aes128_cbc_sha_ciphers_enabled` (read as `TLS_RSA_WITH_AES128_CBC_SHA`), `TripleDes168` or `3DES`.
 */
function sameSuite(name: string, suite: GatewaySuite): boolean {
  const key = name.toUpperCase().replace(/_/g, '');
  if (key === 'TRIPLEDES168' || key === '3DES') return suite.iana === 'TLS_RSA_WITH_3DES_EDE_CBC_SHA';
  return key === suite.iana.replace(/_/g, '');
}

function fixed(iana: string, openssl: string): GatewaySuite {
  return { iana, openssl, switchable: false, defaultOn: true };
}

function switched(iana: string, openssl: string): GatewaySuite {
  return { iana, openssl, switchable: true, defaultOn: true };
}
