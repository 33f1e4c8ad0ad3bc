import type { Rule } from './rule';

export const pinThumbprintFormat: Rule = {
  meta: {
    id: 'APIM006',
    name: 'pin-thumbprint-format',
    defaultSeverity: 'error',
    summary: 'A pinned thumbprint is not 40 hex digits, or is written with separators or lowercase.',
  },
  check() {},
};
