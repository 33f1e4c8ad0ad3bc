import type { Rule } from './rule';

export const overlayNotRetriggered: Rule = {
  meta: {
    id: 'APIM011',
    name: 'overlay-not-retriggered',
    defaultSeverity: 'info',
    summary: 'A pinning azapi_update_resource is not re-applied when azurerm rewrites its backend.',
  },
  check() {},
};
