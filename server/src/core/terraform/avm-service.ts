// A call of the AVM Terraform module for an API Management service (`Azure/avm-res-apimanagement-service/azurerm`), read
// like the resources it deploys: the service from `sku_name`, `security` (the module's own input names) and
// `certificate`, and a backend per key of `backends`, each with spans on the user's entries. A null `tls` means the
// API defaults in every release (DESIGN §1a), so no default of the module is insecure.
import { member, type Backend, type Bound, type ObjectVal, type Service, type ServiceSwitch, type Val } from '../model';
import type { Span } from '../types';
import { evaluate } from './evaluate';
import { attr, headerSpan, type ResourceSite } from './resources';

/** The module's `security` inputs that switch a legacy backend protocol, by input name. */
const PROTOCOLS: Record<string, string> = { enable_backend_ssl30: 'SSL 3.0', enable_backend_tls10: 'TLS 1.0', enable_backend_tls11: 'TLS 1.1' };

export function avmServiceCall(site: ResourceSite): { service: Service; backends: Backend[] } {
  const input = (name: string): { val: Val; consumer: Span } | undefined => {
    const a = attr(site.block, name);
    return a && { val: evaluate(a.expr, site.path, site.scope), consumer: { file: site.path, start: a.start, end: a.end } };
  };
  const header = headerSpan(site.block, site.path);
  const service: Service = { name: site.name, address: site.address, header, backendProtocols: [], ciphers: [], caStore: [] };
  service.serviceName = input('name')?.val;
  const sku = input('sku_name');
  if (sku) service.sku = { ...sku, consumerName: 'sku_name' };
  const security = input('security');
  if (security?.val.kind === 'object') {
    for (const [key, val] of security.val.entries) {
      const bound: Bound = { val, consumer: security.consumer, consumerName: `security.${key}` };
      const sw = (label: string): ServiceSwitch => ({ setting: `security.${key}`, label, bound });
      if (PROTOCOLS[key]) service.backendProtocols.push(sw(PROTOCOLS[key]));
      else if (key === 'triple_des_ciphers_enabled') service.ciphers.push(sw('3DES'));
      else if (/^tls_\w+_ciphers_enabled$/.test(key)) service.ciphers.push(sw(key.replace(/^tls_(\w+)_ciphers_enabled$/, 'TLS_$1').toUpperCase()));
    }
  }
  const certificates = input('certificate')?.val;
  if (certificates?.kind === 'list') {
    for (const c of certificates.items) if (c.kind === 'object') service.caStore.push({ header: c.span, storeName: member(c, 'store_name') });
  }
  const backends: Backend[] = [];
  const map = input('backends');
  if (map?.val.kind === 'object') {
    for (const [key, entry] of map.val.entries) if (entry.kind === 'object') backends.push(backendEntry(site, map.val, key, entry, map.consumer, service));
  }
  return { service, backends };
}

function backendEntry(site: ResourceSite, map: ObjectVal, key: string, entry: ObjectVal, consumer: Span, service: Service): Backend {
  const at = (val: Val | undefined, consumerName: string): Bound | undefined => (val ? { val, consumer, consumerName: `backends.${consumerName}` } : undefined);
  const tls = member(entry, 'tls');
  const keyVal: Val = { kind: 'prim', value: key, quoted: true, span: map.keys?.get(key) ?? entry.span };
  return {
    name: `${site.name}.backends[${JSON.stringify(key)}]`,
    address: `${site.address}.backends`,
    key,
    kind: 'module',
    // The module writes each backend with azurerm (a full PUT): a pin is an azapi overlay on it.
    fullPut: true,
    header: map.keys?.get(key) ?? { ...entry.span, end: entry.span.start + 1 },
    block: { ...entry.span, bodyStart: entry.span.start + 1, bodyEnd: entry.span.end - 1 },
    // The module names each backend by its key.
    backendName: keyVal,
    url: at(member(entry, 'url'), 'url'),
    validateChain: at(member(tls, 'validate_certificate_chain'), 'tls.validate_certificate_chain'),
    validateName: at(member(tls, 'validate_certificate_name'), 'tls.validate_certificate_name'),
    tlsBlocks: [],
    pins: [],
    overlays: [],
    service,
  };
}
