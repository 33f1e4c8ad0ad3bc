import type { Rule } from './rule';

export const overlayTlsConflict: Rule = {
  meta: {
    id: 'APIM008',
    name: 'overlay-tls-conflict',
    defaultSeverity: 'warning',
    summary: 'An azurerm backend keeps a tls block while an azapi overlay sets properties.tls.',
  },
  check() {},
};
