import { asString, sameSpan } from '../model';
import type { RelatedInfo, Span } from '../types';
import { caStoreEntries, serviceTier } from './missing-tls-overlay';
import type { Rule } from './rule';

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
      for (const entry of caStoreEntries(service)) {
        const tier = sku ? `${sku} is` : 'the service is taken to be (assumeTier)';
        const store = /^root$/i.test(asString(entry.storeName)!.trim()) ? 'Root' : 'CertificateAuthority';
        ctx.report({
          span: entryHeader(entry.header, entry.storeName?.span),
          message:
            `${service.name} uploads a CA certificate to its ${store} store, but ${tier} a v2 tier, ` +
            'which ignores that store for backend TLS: no backend is trusted because of it. Pin the issuing CA on each backend that needs it ' +
            '(an azapi overlay setting properties.tls.serverX509Names).',
          related,
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
