import { certificateNameMatches, isHostName, urlHostOf } from '../hosts';
import type { Pin } from '../model';
import { pinWriters, useUrlHostFixes, usedBy } from './pin-sources';
import type { Rule } from './rule';

export const pinNameMismatch: Rule = {
  meta: {
    id: 'APIM007',
    name: 'pin-name-mismatch',
    defaultSeverity: 'warning',
    summary: 'A serverX509Names name does not match the backend URL host, or a pin lacks its issuer thumbprint.',
  },
  check(model, ctx) {
    for (const writer of pinWriters(model)) {
      const url = urlHostOf(writer.backend?.url?.val);
      const host = url?.scheme === 'https' ? url.host : undefined;
      for (const pin of writer.pins) {
        if (pin.kind !== 'issuer' || pin.uncertain) continue;
        if (lacksThumbprint(pin)) {
          ctx.report({
            span: pin.span,
            severity: 'info',
            message:
              `This serverX509Names entry of ${writer.name} has no issuerCertificateThumbprint, so it pins no CA and does ` +
              "not make APIM trust an internal one. Add the SHA-1 thumbprint of the CA that issues the backend's certificate.",
          });
        }
        const name = pin.name;
        // A name that is no host name at all (the pin command's placeholder) is APIM022's finding.
        if (host === undefined || !name || name.kind !== 'prim' || typeof name.value !== 'string' || !isHostName(name.value)) continue;
        if (certificateNameMatches(name.value, host)) continue;
        const backend = writer.backend!.name;
        const wildcard = name.value.startsWith('*.') ? ' (a wildcard stands for exactly one label)' : '';
        ctx.report({
          span: name.span,
          message:
            `The pinned name "${name.value}" does not match ${host}, the host ${backend} calls: APIM checks the ` +
            `backend's certificate against both, so unless it names both, every call fails. Pin the URL host${wildcard}.`,
          related: [...usedBy(writer, name.span, 'serverX509Names name'), { ...url!.span, message: `The URL of ${backend}, host ${host}` }],
          fixes: useUrlHostFixes(name, host, ctx.textOf(name.span.file)),
        });
      }
    }
  },
};

/**
 * A `serverX509Names` item that names a host but leaves out `issuerCertificateThumbprint` (or sets it to null). A
 * pin with neither stands for a list the linter cannot read, and says nothing.
 */
function lacksThumbprint(pin: Pin): boolean {
  const t = pin.thumbprint;
  return pin.name !== undefined && (t === undefined || (t.kind === 'prim' && t.value === null));
}
