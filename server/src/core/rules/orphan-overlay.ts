import type { Rule } from './rule';

export const orphanOverlay: Rule = {
  meta: {
    id: 'APIM015',
    name: 'orphan-overlay',
    defaultSeverity: 'warning',
    summary: 'An azapi backend overlay\'s resource_id names no backend of the module, or its type is not a backend type.',
  },
  check() {},
};
