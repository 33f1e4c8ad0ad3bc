import type { Config } from '../config';
import { certificateNameMatches, urlHostOf } from '../hosts';
import { asBool, asString, tierOf, type Backend, type CaStoreEntry, type Model, type Service } from '../model';
import type { RelatedInfo } from '../types';
import { howToPin } from './pin-words';
import type { Rule } from './rule';

export const missingTlsOverlay: Rule = {
  meta: {
    id: 'APIM003',
    name: 'missing-tls-overlay',
    defaultSeverity: 'warning',
    summary: 'An https backend needs a per-backend CA pin (v2 tier with an internal CA, or an internal host) and has none.',
  },
  check(model, ctx) {
    const caStore = model.services.flatMap((s) => caStoreEntries(s).map((entry) => ({ service: s, entry })));
    const undecided = undecidedDirs(model);
    for (const backend of model.backends) {
      if (backend.pins.length > 0 || undecided.has(dirOf(backend.block.file))) continue;
      // A backend that already accepts any certificate is APIM001's finding, whose message asks for the same pin.
      if (asBool(backend.validateChain?.val) === false) continue;
      if (!isHttps(backend)) continue;
      const host = urlHostOf(backend.url?.val)?.host;
      const tier = serviceTier(backend.service, ctx.config);
      const url = host === undefined ? 'an https:// URL' : `https://${host.includes(':') ? `[${host}]` : host}`;
      const onV2 = tierWords(backend);
      let reason: string | undefined;
      const related: RelatedInfo[] = [];
      if (host !== undefined && ctx.config.internalHosts.some((pattern) => certificateNameMatches(pattern, host))) {
        // A classic tier that uploads CA certificates trusts the internal CA through its store: no pin needed.
        const store = backend.service ? caStore.filter((c) => c.service === backend.service) : caStore;
        if (tier === 'classic' && store.length > 0) continue;
        reason = `${host} is one of the configured internalHosts, whose certificates an internal CA issues`;
      } else if (tier === 'v2' && caStore.length > 0) {
        reason = `${onV2}, which ignores the CA certificates this configuration uploads to the service store`;
        const { service, entry } = caStore.find((c) => c.service === backend.service) ?? caStore[0];
        related.push({ ...entry.header, message: `CA certificate uploaded to the store of ${service.name}, ignored for backend trust on v2 tiers` });
      } else if (tier === 'v2' && host !== undefined && looksInternal(host)) {
        const what = /^[\d.]+$|:/.test(host) ? 'an IP address' : 'an internal name';
        reason = `${host} is ${what} and ${onV2}, where only a per-backend pin trusts an internal CA`;
      }
      if (!reason) continue;
      const sku = backend.service?.sku;
      if (tier === 'v2' && sku?.val.span) related.unshift({ ...sku.val.span, message: `The v2 tier of ${backend.service!.name}` });
      ctx.report({
        span: backend.header,
        message:
          `${backend.name} calls ${url} with no CA pin, although ${reason}. Expect 500 BackendConnectionFailure (or ` +
          `someone turning validation off): pin the issuing CA with ${howToPin(ctx, backend)}.`,
        related,
      });
    }
  },
};

/**
 * The tier of a backend's service: from its SKU, else `assumeTier` from the configuration when the linter cannot
 * tell (the service is defined elsewhere, or its SKU comes from an input it cannot resolve).
 */
export function serviceTier(service: Service | undefined, config: Config): 'v2' | 'classic' | undefined {
  return tierOf(service?.sku?.val) ?? (config.assumeTier === 'auto' ? undefined : config.assumeTier);
}

/** CA store entries meant for trust (`Root`, `CertificateAuthority`); a store name the linter cannot read is not one. */
export function caStoreEntries(service: Service): CaStoreEntry[] {
  return service.caStore.filter((e) => /^(root|certificateauthority)$/i.test(asString(e.storeName)?.trim() ?? ''));
}

const INTERNAL_SUFFIX = /\.(internal|local|corp|lan|intranet)\.?$/i;

/** An IP literal or a name under a suffix that public DNS does not serve: its certificate comes from an internal CA. */
function looksInternal(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':') || INTERNAL_SUFFIX.test(host);
}

function isHttps(backend: Backend): boolean {
  const v = backend.url?.val;
  // The scheme is known from a template's head too (`"https://${var.host}/api"`), even when the host is not.
  const text = v?.kind === 'prim' && typeof v.value === 'string' ? v.value : v?.kind === 'unknown' ? v.prefix : undefined;
  return text !== undefined && /^\s*https:\/\//i.test(text);
}

/** How the message says that the backend's service is on a v2 tier: from its SKU, or assumed by the configuration. */
function tierWords(backend: Backend): string {
  const sku = asString(backend.service?.sku?.val);
  if (backend.service && sku !== undefined) return `${backend.service.name} runs on ${sku.trim()}, a v2 tier`;
  return 'its service is taken to be a v2 tier (assumeTier)';
}

/**
 * Folders with an overlay of a backend type that carries pins but whose `resource_id` the linter cannot resolve:
 * any backend there may be the one it pins, so none of them is reported.
 */
function undecidedDirs(model: Model): Set<string> {
  return new Set(model.overlays.filter((o) => o.isBackendType && o.target.kind === 'unknown' && o.pins.length > 0).map((o) => dirOf(o.block.file)));
}

function dirOf(file: string): string {
  return file.slice(0, file.lastIndexOf('/') + 1);
}
