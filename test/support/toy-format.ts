// A toy format, written only against the plug-in interface: one resource per line, `backend <name> key=value ...` or
// `service <name> key=value ...`, `#` comments. It proves that a format the core has never heard of joins the model
// and is linted by every rule that reads what it writes, without a line of the core changing.
import type { Backend, Bound, Pin, PrimVal, Service } from '../../server/src/core/model';
import { gatewaySecuritySwitch } from '../../server/src/core/model';
import type { FormatDocument, SourceFormat } from '../../server/src/core/source-format';
import type { Span, TextEdit } from '../../server/src/core/types';

export const toyFormat: SourceFormat = {
  id: 'toy',
  displayName: 'Toy',
  family: 'toy',
  claimsPath: (path) => path.endsWith('.toy'),
  createDocument: (path, text): FormatDocument => ({ path, text }),
  extract(documents) {
    const backends: Backend[] = [];
    const services: Service[] = [];
    const links: Array<{ backend: Backend; service: string }> = [];
    for (const doc of documents.values()) {
      for (const line of lines(doc)) {
        const [kind, name, ...settings] = line.tokens;
        if (!name) continue;
        const values = new Map(settings.map((s) => [s.key, s]));
        const bound = (key: string): Bound | undefined => {
          const t = values.get(key);
          return t && { val: t.val, consumer: t.span, consumerName: key };
        };
        if (kind.text === 'service') {
          const service: Service = {
            name: `service ${name.text}`,
            address: `${doc.path}#${name.span.start}`,
            header: name.span,
            serviceName: name.val,
            sku: bound('sku'),
            backendProtocols: [],
            ciphers: [],
            caStore: settings.filter((s) => s.key === 'store').map((s) => ({ header: s.span, storeName: s.val })),
          };
          for (const s of settings) {
            const sw = gatewaySecuritySwitch(`Microsoft.WindowsAzure.ApiManagement.Gateway.Security.${s.key}`);
            if (sw) (sw.kind === 'protocol' ? service.backendProtocols : service.ciphers).push({ setting: s.key, label: sw.label, bound: bound(s.key)! });
          }
          services.push(service);
        } else if (kind.text === 'backend') {
          const version = values.get('version');
          const backend: Backend = {
            name: `backend ${name.text}`,
            address: `${doc.path}#${name.span.start}`,
            kind: 'toy',
            header: name.span,
            block: { ...line.span, bodyStart: name.span.end, bodyEnd: line.span.end },
            backendName: name.val,
            url: bound('url'),
            validateChain: bound('chain'),
            validateName: bound('name'),
            tlsBlocks: [],
            pins: [],
            overlays: [],
          };
          // `pin=<host>,<thumbprint>`: an issuer pin, at the api-version `version=` names.
          for (const s of settings.filter((x) => x.key === 'pin')) {
            const [host, thumbprint] = String(s.val.value).split(',');
            const at = s.val.span.start;
            const pin: Pin = {
              kind: 'issuer',
              span: s.span,
              name: prim(host, { file: doc.path, start: at, end: at + host.length }),
              thumbprint: prim(thumbprint, { file: doc.path, start: at + host.length + 1, end: s.val.span.end }),
              apiVersion: version && { value: String(version.val.value), span: version.val.span },
              owner: backend.name,
            };
            backend.pins.push(pin);
          }
          // `properties.properties.tls=...`: pins written where the API never reads them.
          backend.misplaced = settings
            .filter((x) => x.key === 'properties.properties.tls')
            .map((x) => ({
              key: { file: doc.path, start: x.span.start, end: x.span.start + x.key.length },
              path: x.key,
              expected: 'properties.tls',
              holdsPins: true,
              owner: backend.name,
            }));
          const service = values.get('service');
          if (service) links.push({ backend, service: String(service.val.value) });
          backends.push(backend);
        }
      }
    }
    for (const { backend, service } of links) backend.service = services.find((s) => s.serviceName && (s.serviceName as PrimVal).value === service);
    return { model: { backends, services, overlays: [], dependsOn: [] }, files: [...documents.keys()], notices: [] };
  },
  edits: {
    // The whole ` key=value` setting goes, with the space before it.
    removeFlag(bound, _removable, textOf) {
      const text = textOf(bound.consumer.file);
      if (text === undefined || text[bound.consumer.start - 1] !== ' ') return undefined;
      return [{ file: bound.consumer.file, start: bound.consumer.start - 1, end: bound.consumer.end, newText: '' } satisfies TextEdit];
    },
  },
};

interface Token {
  text: string;
  span: Span;
  /** For `key=value`: the key, and the value read as a boolean when it is one, else a string. */
  key: string;
  val: PrimVal;
}

function lines(doc: FormatDocument): Array<{ tokens: Token[]; span: Span }> {
  const out: Array<{ tokens: Token[]; span: Span }> = [];
  let offset = 0;
  for (const line of doc.text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    if (/^\s*(#|$)/.test(line)) continue;
    const tokens: Token[] = [];
    for (const m of line.matchAll(/\S+/g)) {
      const at = start + m.index;
      const eq = m[0].indexOf('=');
      const raw = eq < 0 ? m[0] : m[0].slice(eq + 1);
      const valueStart = eq < 0 ? at : at + eq + 1;
      const value = raw === 'true' || raw === 'false' ? raw === 'true' : raw;
      tokens.push({
        text: m[0],
        span: { file: doc.path, start: at, end: at + m[0].length },
        key: eq < 0 ? '' : m[0].slice(0, eq),
        val: prim(value, { file: doc.path, start: valueStart, end: at + m[0].length }),
      });
    }
    out.push({ tokens, span: { file: doc.path, start, end: start + line.length } });
  }
  return out;
}

function prim(value: string | boolean, span: Span): PrimVal {
  return { kind: 'prim', value, span, quoted: false };
}
