import { isPlainHttp, urlTextOf } from '../hosts';
import { consumerInfo, type Rule } from './rule';

export const httpApiServiceUrl: Rule = {
  meta: {
    id: 'APIM021',
    name: 'http-api-service-url',
    defaultSeverity: 'warning',
    summary: "An API's `service_url` / `serviceUrl` uses plain http://, so calls that no policy reroutes reach the backend unencrypted.",
    // It reads APIs, which only these formats declare (a format of backends alone has none).
    formats: ['terraform', 'arm', 'bicep'],
  },
  check(model, ctx) {
    for (const api of model.apis ?? []) {
      const bound = api.serviceUrl;
      const text = bound && urlTextOf(bound.val);
      if (!bound || text === undefined || !bound.val.span || !isPlainHttp(text)) continue;
      ctx.report({
        span: bound.val.span,
        message:
          `${api.name} sends its calls to ${JSON.stringify(text.trim())} over plain http://: requests and credentials travel unencrypted ` +
          'between APIM and the backend, and nobody checks who answers. Use https://.',
        related: consumerInfo(bound, api.name),
      });
    }
  },
};
