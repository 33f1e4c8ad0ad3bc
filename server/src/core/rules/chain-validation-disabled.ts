import { asBool } from '../model';
import { howToPin } from './pin-words';
import { impliedNote, writeImplied } from './implied-default';
import { consumerInfo, isPrim, type Rule } from './rule';

export const chainValidationDisabled: Rule = {
  meta: {
    id: 'APIM001',
    name: 'chain-validation-disabled',
    defaultSeverity: 'warning',
    summary: 'Backend certificate chain validation is switched off and no CA pin replaces it.',
  },
  check(model, ctx) {
    for (const backend of model.backends) {
      const bound = backend.validateChain;
      if (!bound || !isPrim(bound.val) || asBool(bound.val) !== false || backend.pins.length > 0) continue;
      ctx.report({
        span: bound.val.span,
        message:
          `Certificate chain validation is disabled for ${backend.name}: APIM accepts any certificate the backend presents, ` +
          `like curl -k. Pin the issuing CA on the backend instead (${howToPin(ctx, backend)}); ` +
          `on v2 tiers that pin is the only way to trust an internal CA.${impliedNote(bound)}`,
        related: consumerInfo(bound, backend.name),
        // Chain validation on may stop a backend behind an internal CA: writing it is offered, never preferred.
        fixes: writeImplied(bound, ctx, true, true, `Write ${bound.implied?.member ?? 'tls'} with validation on`, false),
      });
    }
  },
};
