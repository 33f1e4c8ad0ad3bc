import { isPlainHttp, urlTextOf } from '../hosts';
import type { Rule } from './rule';

export const httpPolicyBackend: Rule = {
  meta: {
    id: 'APIM019',
    name: 'http-policy-backend',
    defaultSeverity: 'warning',
    summary: 'A policy sends backend traffic over plain http:// (`<set-backend-service base-url>`, `<send-request>` `<set-url>`).',
    formats: ['terraform', 'arm', 'bicep', 'policy'],
  },
  check(model, ctx) {
    for (const policy of model.policies ?? []) {
      for (const url of policy.urls) {
        const text = urlTextOf(url.val);
        if (text === undefined || !url.val.span || !isPlainHttp(text)) continue;
        ctx.report({
          span: url.val.span,
          message:
            `The policy of ${policy.name} sends backend traffic over plain http:// (${settingWords(url.setting)}): requests and credentials ` +
            'travel unencrypted and nobody checks who answers. Use https:// and let APIM validate the certificate.',
        });
      }
    }
  },
};

/** `set-backend-service base-url` → `<set-backend-service base-url>`, `send-request set-url` → `<send-request><set-url>`. */
function settingWords(setting: string): string {
  const [element, part] = setting.split(' ');
  return part === 'set-url' ? `<${element}><set-url>` : `<${element} ${part}>`;
}
