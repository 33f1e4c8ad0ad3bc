import type { Rule } from './rule';

export const pinApiVersion: Rule = {
  meta: {
    id: 'APIM005',
    name: 'pin-api-version',
    defaultSeverity: 'error',
    summary: 'Backend pins are written with an api-version that does not have them (before 2025-03-01-preview).',
  },
  check() {},
};
