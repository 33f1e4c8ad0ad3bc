import { asBool, asString, ciphersConfigurable } from '../model';
import { setBooleanLiteral } from '../fixes/literal';
import { consumerInfo, isPrim, type Rule } from './rule';

export const weakCipher: Rule = {
  meta: {
    id: 'APIM014',
    name: 'weak-cipher',
    defaultSeverity: 'info',
    summary: 'A weak cipher suite (3DES, CBC or static RSA key exchange) is enabled on the service.',
  },
  check(model, ctx) {
    for (const service of model.services) {
      // Consumption and the v2 tiers cannot change their cipher configuration: there the switch is dead weight.
      const inert = ciphersConfigurable(service.sku?.val) === false;
      for (const sw of service.ciphers) {
        const v = sw.bound.val;
        if (!isPrim(v) || asBool(v) !== true) continue;
        ctx.report({
          span: v.span,
          message: inert
            ? `${service.name} sets the cipher switch ${sw.setting}, which does nothing on its tier (${asString(service.sku?.val)?.trim()}): ` +
              'Consumption and the v2 tiers do not let cipher suites be configured. Remove the switch, or set it to false.'
            : `${service.name} enables the weak cipher ${sw.label} (${sw.setting}), which offers no forward secrecy or ` +
              'uses a legacy block mode. Disable it unless a client you cannot change depends on it.',
          related: consumerInfo(sw.bound, service.name),
          unnecessary: inert || undefined,
          fixes: [{ title: `Set ${sw.setting} to false`, kind: 'fix', isPreferred: true, edits: [setBooleanLiteral(v, false, ctx.textOf(v.span.file))] }],
        });
      }
    }
  },
};
