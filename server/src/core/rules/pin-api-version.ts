import { hasPins, PIN_API_VERSION } from '../api-versions';
import { replace } from '../fixes/hcl';
import { pinWriters, usedBy } from './pin-sources';
import type { Rule } from './rule';

export const pinApiVersion: Rule = {
  meta: {
    id: 'APIM005',
    name: 'pin-api-version',
    defaultSeverity: 'error',
    summary: 'Backend pins are written with an api-version that does not have them (before 2025-03-01-preview).',
  },
  check(model, ctx) {
    for (const writer of pinWriters(model)) {
      const version = writer.apiVersion;
      const pins = writer.pins.filter((p) => !p.uncertain);
      if (!version || pins.length === 0 || hasPins(version.value) !== false) continue;
      const fields = [...new Set(pins.map((p) => (p.kind === 'issuer' ? 'serverX509Names' : 'serverCertificateThumbprints')))].join(' and ');
      // The version's own text can be replaced only when the span holds exactly that text (no escapes around it).
      const exact = version.span.end - version.span.start === version.value.length;
      ctx.report({
        span: version.span,
        message:
          `${writer.name} sets ${fields} with api-version ${version.value}, which has no backend pins: serverX509Names and ` +
          `serverCertificateThumbprints exist on backends only from ${PIN_API_VERSION} (2024-05-01 does not have them, ` +
          `whatever a popular guide claims), so the pin is refused or silently dropped. Use ${PIN_API_VERSION} or later.`,
        related: [...usedBy(writer, version.span, 'its api-version'), ...pins.slice(0, 1).map((p) => ({ ...p.span, message: `${fields} written here` }))],
        fixes: exact
          ? [
              {
                title: `Use api-version ${PIN_API_VERSION}`,
                kind: 'fix',
                isPreferred: true,
                edits: [replace(version.span.file, version.span.start, version.span.end, PIN_API_VERSION)],
              },
            ]
          : [],
      });
    }
  },
};
