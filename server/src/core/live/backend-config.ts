// The part of a backend's configuration a live check judges against: where it is (URL), the validation flags, the
// pins, the tier and the gateway switches of its service, the CA certificates a classic service trusts. Read from the
// model in this one adapter, so the verdict does not depend on how the model is built; a URL typed on the command
// line gets the same shape with defaults.
import type { CertificateInfo } from '../certificates/types';
import type { Config } from '../config';
import { asBool, asString, type Backend, type Bound, type Pin, type Val } from '../model';
import { caStoreEntries, serviceTier } from '../rules/missing-tls-overlay';
import type { GatewaySettings } from './gateway';

export interface LiveBackendConfig {
  /** How the output names the backend: its resource address, or the URL when probed without a configuration. */
  label: string;
  /** The backend URL as configured or typed, and the host and port it names. */
  url: string;
  host: string;
  port: number;
  /** The effective flags: true unless written false; undefined when they depend on an input the linter cannot know. */
  validateChain: boolean | undefined;
  validateName: boolean | undefined;
  pins: LivePin[];
  /** Pins may exist that the linter cannot read (a `tls` value it cannot evaluate). */
  pinsUncertain: boolean;
  gateway: GatewaySettings;
  /** Where the tier comes from, for the output: `StandardV2_1 of azurerm_api_management.apim`, `assumeTier …`, `--tier`. */
  tierSource: string;
  /** CA certificates of the workspace that a classic service with CA store entries trusts. */
  caStore: CertificateInfo[];
  expiryWarningDays: number;
}

export type LivePin =
  | { kind: 'issuer'; name: string | undefined; thumbprint: string | undefined; known: boolean }
  | { kind: 'certificate'; thumbprint: string | undefined; known: boolean };

export type LiveConfigResult = { ok: true; config: LiveBackendConfig } | { ok: false; reason: string };

export type ParsedTarget = { ok: true; url: string; host: string; port: number } | { ok: false; reason: string };

/** `https://host[:port][/path]`, or `host[:port]` (https assumed); IPv6 hosts in brackets. */
export function parseProbeTarget(text: string): ParsedTarget {
  const trimmed = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, reason: `"${text}" is not a URL or host[:port].` };
  }
  if (url.protocol === 'http:') return { ok: false, reason: `${text} is plain http://: there is no TLS to check.` };
  if (url.protocol !== 'https:') return { ok: false, reason: `${text} is not an https:// URL.` };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) return { ok: false, reason: `"${text}" names no host.` };
  return { ok: true, url: withScheme, host, port: url.port ? Number(url.port) : 443 };
}

/** `host:port`, `[v6]:port`, or a bare host (the URL's port is then kept): the address a tunnel or jump host offers. */
export function parseConnect(text: string): { host: string; port: number | undefined } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(text.trim());
  const port = m?.[3] === undefined ? undefined : Number(m[3]);
  if (!m || (port !== undefined && (port < 1 || port > 65535))) return undefined;
  return { host: m[1] ?? m[2], port };
}

/** A URL typed by the user: validation on, no pins, no switches, the tier given (or v2, the strictest). */
export function liveConfigForUrl(text: string, tier: 'v2' | 'classic' | undefined, expiryWarningDays = 30): LiveConfigResult {
  const target = parseProbeTarget(text);
  if (!target.ok) return target;
  const config: LiveBackendConfig = {
    label: target.url,
    url: target.url,
    host: target.host,
    port: target.port,
    validateChain: true,
    validateName: true,
    pins: [],
    pinsUncertain: false,
    gateway: { tier: tier ?? 'v2', tls10: false, tls11: false, cipherSwitches: [] },
    tierSource: tier ? '--tier' : 'assumed: no --tier given',
    caStore: [],
    expiryWarningDays,
  };
  return { ok: true, config };
}

/**
 * A backend of the model as the live check sees it: the flags an overlay writes win over the backend's own (azapi
 * merges its body over what azurerm wrote), pins from the backend and its overlays, the switches of its service.
 */
export function liveConfigOfBackend(backend: Backend, config: Config, certificates: readonly CertificateInfo[]): LiveConfigResult {
  const urlText = asString(backend.url?.val);
  if (urlText === undefined) {
    const why = backend.url ? 'depends on an input the linter cannot know' : 'is not set';
    return { ok: false, reason: `The URL of ${backend.name} ${why}: probe the URL itself (apim-tls-lint probe https://host).` };
  }
  const target = parseProbeTarget(urlText);
  if (!target.ok) return { ok: false, reason: `${backend.name}: ${target.reason}` };
  const service = backend.service;
  const tier = serviceTier(service, config);
  const sku = asString(service?.sku?.val);
  const tierSource = sku !== undefined ? `${sku.trim()} of ${service!.name}` : tier ? 'assumeTier in .apim-tls-lint.json' : 'not known';
  const switchOn = (label: string) => (service?.backendProtocols ?? []).some((s) => s.label === label && asBool(s.bound.val) === true);
  const overlayFlag = (pick: (o: Backend['overlays'][number]) => Bound | undefined) => backend.overlays.map(pick).find((b) => b !== undefined);
  const usesCaStore = tier === 'classic' && !!service && caStoreEntries(service).length > 0;
  return {
    ok: true,
    config: {
      label: backend.name,
      url: urlText,
      host: target.host,
      port: target.port,
      validateChain: flag(overlayFlag((o) => o.validateChain) ?? backend.validateChain),
      validateName: flag(overlayFlag((o) => o.validateName) ?? backend.validateName),
      pins: backend.pins.filter((p) => !p.uncertain).map(livePin),
      pinsUncertain: backend.pins.some((p) => p.uncertain),
      gateway: {
        tier,
        tls10: switchOn('TLS 1.0'),
        tls11: switchOn('TLS 1.1'),
        cipherSwitches: (service?.ciphers ?? []).flatMap((s) => {
          const on = asBool(s.bound.val);
          return on === undefined ? [] : [{ name: s.label, on }];
        }),
      },
      tierSource,
      caStore: usesCaStore ? certificates.filter((c) => c.isCa) : [],
      expiryWarningDays: config.expiryWarningDays,
    },
  };
}

function flag(bound: Bound | undefined): boolean | undefined {
  if (!bound) return true;
  return asBool(bound.val);
}

function livePin(pin: Pin): LivePin {
  const thumbprint = asString(pin.thumbprint);
  if (pin.kind === 'certificate') return { kind: 'certificate', thumbprint, known: thumbprint !== undefined };
  const name = asString(pin.name);
  // `issuerCertificateThumbprint` may be null or left out: the pin then names only the host.
  const known = name !== undefined && (thumbprint !== undefined || isAbsent(pin.thumbprint));
  return { kind: 'issuer', name, thumbprint, known };
}

function isAbsent(val: Val | undefined): boolean {
  return val === undefined || (val.kind === 'prim' && val.value === null);
}
