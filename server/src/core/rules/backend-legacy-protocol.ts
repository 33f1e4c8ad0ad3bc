import { asBool } from '../model';
import { setBooleanLiteral } from '../fixes/literal';
import { consumerInfo, isPrim, type Rule } from './rule';

export const backendLegacyProtocol: Rule = {
  meta: {
    id: 'APIM013',
    name: 'backend-legacy-protocol',
    defaultSeverity: 'warning',
    summary: 'TLS 1.0, TLS 1.1 or SSL 3.0 is enabled for calls from APIM to backends.',
  },
  check(model, ctx) {
    for (const service of model.services) {
      for (const sw of service.backendProtocols) {
        const v = sw.bound.val;
        if (!isPrim(v) || asBool(v) !== true) continue;
        ctx.report({
          span: v.span,
          message:
            `${service.name} lets APIM talk ${sw.label} to backends (${sw.setting}). These protocols are broken and ` +
            `deprecated; a backend that still needs them should be upgraded, not accommodated.${sw.note ? ` ${sw.note}` : ''}`,
          related: consumerInfo(sw.bound, service.name),
          fixes: [{ title: `Set ${sw.setting} to false`, kind: 'fix', isPreferred: true, edits: [setBooleanLiteral(v, false, ctx.textOf(v.span.file))] }],
        });
      }
    }
  },
};
