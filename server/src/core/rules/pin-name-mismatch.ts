import type { Rule } from './rule';

export const pinNameMismatch: Rule = {
  meta: {
    id: 'APIM007',
    name: 'pin-name-mismatch',
    defaultSeverity: 'warning',
    summary: 'A serverX509Names name does not match the backend URL host, or a pin lacks its issuer thumbprint.',
  },
  check() {},
};
