import { asBool } from '../model';
import { setBooleanLiteral } from '../fixes/literal';
import { impliedNote, writeImplied } from './implied-default';
import { consumerInfo, isPrim, type Rule } from './rule';

export const nameValidationDisabled: Rule = {
  meta: {
    id: 'APIM002',
    name: 'name-validation-disabled',
    defaultSeverity: 'warning',
    summary: 'Backend certificate name validation is switched off and no CA pin replaces it.',
  },
  check(model, ctx) {
    for (const backend of model.backends) {
      const bound = backend.validateName;
      if (!bound || !isPrim(bound.val) || asBool(bound.val) !== false || backend.pins.length > 0) continue;
      const flag = bound.consumerName.replace(/^.*\./, '');
      const message =
        `Certificate name validation is disabled for ${backend.name}: APIM accepts a certificate issued to any host. ` +
        `Turning it back on is the cheapest hardening; it only needs the certificate to name the URL host.${impliedNote(bound)}`;
      if (bound.implied) {
        // The chain flag is written as the module deploys it (false): only the name check changes.
        const chain = asBool(backend.validateChain?.val) ?? true;
        const fixes = writeImplied(bound, ctx, chain, true, `Write ${bound.implied.member} with ${flag} true`, true);
        ctx.report({ span: bound.val.span, message, related: consumerInfo(bound, backend.name), fixes });
        continue;
      }
      ctx.report({
        span: bound.val.span,
        message,
        related: consumerInfo(bound, backend.name),
        fixes: [
          {
            // Terraform's own notation where the user writes Terraform; `validateCertificateName: true` elsewhere.
            title: flag === 'validate_certificate_name' ? `Set ${flag} = true` : `Set ${flag} to true`,
            kind: 'fix',
            isPreferred: true,
            edits: [setBooleanLiteral(bound.val, true, ctx.textOf(bound.val.span.file))],
          },
        ],
      });
    }
  },
};
