import type { Rule } from './rule';

export const missingTlsOverlay: Rule = {
  meta: {
    id: 'APIM003',
    name: 'missing-tls-overlay',
    defaultSeverity: 'warning',
    summary: 'An https backend needs a per-backend CA pin (v2 tier with an internal CA, or an internal host) and has none.',
  },
  check() {},
};
