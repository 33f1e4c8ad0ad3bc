// A call of the AVM Bicep module for an API Management service (`br/public:avm/res/api-management/service:<ver>`), read
// like the resources it deploys: the service from its params (sku, customProperties, certificates) and a backend per
// entry of `backends`, each with spans on the user's own entry. Before 0.13.0 the module deployed a backend that omits
// `tls` with both validations off (DESIGN §1a): that default is in the model as an implied value on the entry.
import { asString, type Backend, type Bound, type ImpliedValue, type ObjectVal, type Service, type Val } from '../model';
import { AVM_BICEP_SAFE_TLS_SINCE, AVM_BICEP_SERVICE, mayPrecede } from '../registry-modules';
import { caStoreOf, gatewaySwitchesOf, isPool, pinsOf } from '../resource-body';
import type { Span } from '../types';
import { get, isPartial } from './evaluate';

/** What one instance of the call deploys. `params` is the call's `params` object, `header` its symbol. */
export function avmServiceCall(
  params: Val | undefined,
  name: string,
  address: string,
  header: Span,
  version: string,
): { service: Service; backends: Backend[] } {
  const bound = (val: Val | undefined, consumerName: string): Bound | undefined =>
    val && params?.span ? { val, consumer: params.span, consumerName: `params.${consumerName}` } : undefined;
  const service: Service = {
    name,
    address,
    header,
    serviceName: get(params, 'name'),
    sku: bound(get(params, 'sku'), 'sku'),
    backendProtocols: [],
    ciphers: [],
    caStore: caStoreOf(get(params, 'certificates'), get),
  };
  const switches = gatewaySwitchesOf(get(params, 'customProperties'), (key, val) => bound(val, `customProperties['${key}']`));
  service.backendProtocols.push(...switches.backendProtocols);
  service.ciphers.push(...switches.ciphers);
  const entries = get(params, 'backends');
  const backends: Backend[] = [];
  if (entries?.kind === 'list') {
    entries.items.forEach((entry, i) => {
      if (entry.kind === 'object') backends.push(backendEntry(entry, i, name, address, version, service));
    });
  }
  return { service, backends };
}

function backendEntry(entry: ObjectVal, index: number, owner: string, address: string, version: string, service: Service): Backend {
  const nameVal = get(entry, 'name');
  const label = asString(nameVal) ?? String(index);
  // The entry's own `name` value when it is written in the entry; else its `name` key, else the entry itself.
  const inEntry = (s: Span | undefined) => !!s && s.file === entry.span.file && s.start >= entry.span.start && s.end <= entry.span.end;
  const header = nameVal?.span && inEntry(nameVal.span) ? nameVal.span : (entry.keys?.get('name') ?? { ...entry.span, end: entry.span.start + 1 });
  const at = (val: Val | undefined, consumerName: string): Bound | undefined => (val ? { val, consumer: entry.span, consumerName } : undefined);
  const backend: Backend = {
    name: `${owner} backend '${label}'`,
    address: `${address}.backends`,
    key: label,
    kind: 'module',
    header,
    block: { ...entry.span, bodyStart: entry.span.start + 1, bodyEnd: entry.span.end - 1 },
    backendName: nameVal,
    tlsBlocks: [],
    pins: [],
    overlays: [],
    service,
  };
  if (isPool(entry, get)) {
    backend.pool = true;
    return backend;
  }
  backend.url = at(get(entry, 'url'), 'url');
  const tls = get(entry, 'tls');
  if (tls === undefined && !isPartial(entry) && mayPrecede(version, AVM_BICEP_SAFE_TLS_SINCE)) {
    // Nobody wrote `false`: the module deploys it for an entry without `tls`.
    const implied: ImpliedValue = {
      note:
        `${AVM_BICEP_SERVICE} ${version} deploys a backend whose entry omits tls with validateCertificateChain and ` +
        `validateCertificateName false (from ${AVM_BICEP_SAFE_TLS_SINCE} an omitted tls means both true): write tls in the entry, or upgrade the module.`,
      entry: entry.span,
      member: 'tls',
      chainKey: 'validateCertificateChain',
      nameKey: 'validateCertificateName',
    };
    const off = (consumerName: string): Bound => ({
      val: { kind: 'prim', value: false, quoted: false, span: header },
      consumer: entry.span,
      consumerName,
      implied,
    });
    backend.validateChain = off('tls.validateCertificateChain');
    backend.validateName = off('tls.validateCertificateName');
    return backend;
  }
  backend.validateChain = at(get(tls, 'validateCertificateChain'), 'tls.validateCertificateChain');
  backend.validateName = at(get(tls, 'validateCertificateName'), 'tls.validateCertificateName');
  backend.pins = pinsOf(tls, undefined, backend.name, get);
  return backend;
}
