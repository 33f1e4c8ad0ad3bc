import type { Rule } from './rule';

export const dependsOnBackend: Rule = {
  meta: {
    id: 'APIM009',
    name: 'depends-on-backend',
    defaultSeverity: 'info',
    summary: 'depends_on names a pinned backend instead of the overlay that pins it.',
  },
  check() {},
};
