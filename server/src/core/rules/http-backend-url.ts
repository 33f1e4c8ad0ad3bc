import { consumerInfo, type Rule } from './rule';

export const httpBackendUrl: Rule = {
  meta: {
    id: 'APIM012',
    name: 'http-backend-url',
    defaultSeverity: 'warning',
    summary: "A backend's URL uses plain http://, so there is no TLS to validate at all.",
  },
  check(model, ctx) {
    for (const backend of model.backends) {
      const bound = backend.url;
      if (!bound) continue;
      const v = bound.val;
      // A template such as "http://${var.host}/api" has a known scheme even though its host is unknown.
      const text = v.kind === 'prim' && typeof v.value === 'string' ? v.value : v.kind === 'unknown' ? v.prefix : undefined;
      const span = v.kind === 'prim' ? v.span : v.kind === 'unknown' ? v.span : undefined;
      if (text === undefined || !span || !isHttp(text)) continue;
      ctx.report({
        span,
        message:
          `${backend.name} calls its backend over plain http://: requests and credentials travel unencrypted and nobody ` +
          'checks who answers. Use https:// and let APIM validate the certificate.',
        related: consumerInfo(bound, backend.name),
      });
    }
  },
};

function isHttp(url: string): boolean {
  const scheme = /^\s*([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  return !!scheme && scheme[1].toLowerCase() === 'http';
}
