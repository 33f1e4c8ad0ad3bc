import type { Rule } from './rule';

export const v2CaStoreIgnored: Rule = {
  meta: {
    id: 'APIM004',
    name: 'v2-ca-store-ignored',
    defaultSeverity: 'warning',
    summary: 'CA certificates are uploaded to the service CA store of a v2-tier service, which ignores them for backend trust.',
  },
  check() {},
};
