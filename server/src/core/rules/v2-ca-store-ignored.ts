import { removeLines } from '../fixes/hcl';
import { asString, sameSpan, type CaStoreEntry, type Service } from '../model';
import type { Fix, RelatedInfo, Span } from '../types';
import { caStoreEntries, serviceTier } from './missing-tls-overlay';
import { howToPinBackendsOf } from './pin-words';
import type { Rule, RuleContext } from './rule';

export const v2CaStoreIgnored: Rule = {
  meta: {
    id: 'APIM004',
    name: 'v2-ca-store-ignored',
    defaultSeverity: 'warning',
    summary: 'CA certificates are uploaded to the service CA store of a v2-tier service, which ignores them for backend trust.',
  },
  check(model, ctx) {
    for (const service of model.services) {
      if (serviceTier(service, ctx.config) !== 'v2') continue;
      const sku = asString(service.sku?.val)?.trim();
      const related: RelatedInfo[] = service.sku?.val.span ? [{ ...service.sku.val.span, message: `The v2 tier of ${service.name}` }] : [];
      const backends = model.backends.filter((b) => b.service === service);
      // Once every backend is pinned the entry has nothing left to ask for: it only needs to go.
      const allPinned = backends.length > 0 && backends.every((b) => b.pins.some((p) => !p.uncertain));
      for (const entry of caStoreEntries(service)) {
        const tier = sku ? `${sku} is` : 'the service is taken to be (assumeTier)';
        const store = /^root$/i.test(asString(entry.storeName)!.trim()) ? 'Root' : 'CertificateAuthority';
        const next = allPinned
          ? `Every backend of ${service.name} is pinned, so the entry does nothing: remove it, unless the service needs the certificate ` +
            'for something else (validating client certificates, say).'
          : `Pin the issuing CA on each backend that needs it (${howToPinBackendsOf(ctx, service.header.file)}).`;
        const removal = removeEntry(service, entry, ctx);
        ctx.report({
          span: entryHeader(entry.header, entry.storeName?.span),
          message:
            `${service.name} uploads a CA certificate to its ${store} store, but ${tier} a v2 tier, ` +
            `which ignores that store for backend TLS: no backend is trusted because of it. ${next}`,
          related,
          fixes: removal ? [removal] : [],
        });
      }
    }
  },
};

/**
 * A `certificate` block's keyword; an entry of an azapi `certificates` list has no keyword, and its whole object
 * would underline many lines, so the `storeName` written inside it stands for it.
 */
function entryHeader(header: Span, storeName: Span | undefined): Span {
  const inside = storeName && storeName.file === header.file && storeName.start >= header.start && storeName.end <= header.end;
  return inside && !sameSpan(storeName, header) ? storeName : header;
}

/**
 * "Remove this CA certificate entry": the `certificate` block of an azurerm service, or the item of a `certificates`
 * list (azapi, ARM, Bicep) written in the service's own file, removed in that file's syntax. Not preferred: the service
 * may still use the certificate for something else, which only its owner knows.
 */
function removeEntry(service: Service, entry: CaStoreEntry, ctx: RuleContext): Fix | undefined {
  const span = entry.block ?? entry.header;
  const text = ctx.textOf(span.file);
  if (text === undefined || span.file !== service.header.file) return undefined;
  const edits = entry.block ? [removeLines(span.file, text, span.start, span.end)] : ctx.formatOf(span.file)?.edits.removeListItem?.(span.file, text, span);
  return edits ? { title: 'Remove this CA certificate entry', kind: 'fix', isPreferred: false, edits } : undefined;
}
