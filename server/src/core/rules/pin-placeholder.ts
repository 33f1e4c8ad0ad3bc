import { isHostName, urlHostOf } from '../hosts';
import { pinWriters, useUrlHostFixes, usedBy } from './pin-sources';
import type { Rule } from './rule';

/** The name the pin edit writes when nothing tells the backend's host (fixes/pin.ts writes it; the user types over it). */
const PLACEHOLDER = '<backend host>';

export const pinPlaceholder: Rule = {
  meta: {
    id: 'APIM022',
    name: 'pin-placeholder',
    defaultSeverity: 'error',
    summary: 'A pinned serverX509Names name is no host name: the <backend host> placeholder, an empty string or a URL.',
  },
  check(model, ctx) {
    const seen = new Set<string>();
    for (const writer of pinWriters(model)) {
      const url = urlHostOf(writer.backend?.url?.val);
      const host = url?.scheme === 'https' ? url.host : undefined;
      for (const pin of writer.pins) {
        const name = pin.name;
        if (pin.kind !== 'issuer' || pin.uncertain || name?.kind !== 'prim' || typeof name.value !== 'string' || isHostName(name.value)) continue;
        const key = `${name.span.file}|${name.span.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const what =
          name.value.trim() === PLACEHOLDER
            ? 'the placeholder the pin command leaves when it cannot know the host'
            : name.value.trim() === ''
              ? 'an empty string'
              : /:\/\//.test(name.value)
                ? 'a URL, not a host name'
                : 'no host name';
        ctx.report({
          span: name.span,
          message:
            `The serverX509Names name of ${writer.name} is "${name.value}", ${what}. APIM accepts the backend only if its ` +
            "certificate names this host, so every call fails with 500 until it holds the host the backend's certificate carries" +
            `${host !== undefined ? ` (the URL host is ${host})` : ''}.`,
          related: usedBy(writer, name.span, 'serverX509Names name'),
          fixes: useUrlHostFixes(name, host, ctx.textOf(name.span.file)),
        });
      }
    }
  },
};
