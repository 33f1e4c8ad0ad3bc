import type { Rule } from './rule';

export const pinnedCaExpiry: Rule = {
  meta: {
    id: 'APIM016',
    name: 'pinned-ca-expiry',
    defaultSeverity: 'warning',
    summary: 'A pinned thumbprint matches a workspace certificate that has expired, expires soon, or is not a CA.',
  },
  check() {},
};
