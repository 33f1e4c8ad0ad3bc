// How to pin, in the words of the file the user is editing (DESIGN §3: an ARM or Bicep finding never tells the user
// to write an azapi overlay). The rules that ask for a pin share these phrases.
import { PIN_API_VERSION } from '../api-versions';
import { formatOf } from '../formats';
import type { Backend } from '../model';

/** Where a backend's pin is written: an overlay for azurerm, the resource's own body or properties elsewhere. */
export function howToPin(backend: Pick<Backend, 'kind'>): string {
  switch (backend.kind) {
    case 'azurerm':
      return 'an azapi_update_resource overlay setting properties.tls.serverX509Names (the azurerm provider has no attribute for pins)';
    case 'azapi':
      return `properties.tls.serverX509Names in its body, at api-version ${PIN_API_VERSION} or later`;
    case 'arm':
      return `properties.tls.serverX509Names in the backend resource, with apiVersion ${PIN_API_VERSION} or later`;
    case 'bicep':
      return `properties.tls.serverX509Names in the backend resource, with the type's @${PIN_API_VERSION} or later`;
  }
}

/** The same for the backends of a service, said from the file that declares the service. */
export function howToPinBackendsOf(serviceFile: string): string {
  const format = formatOf(serviceFile);
  if (format === 'arm') return howToPin({ kind: 'arm' });
  if (format === 'bicep') return howToPin({ kind: 'bicep' });
  return 'an azapi_update_resource overlay setting properties.tls.serverX509Names (or the body of an azapi_resource backend)';
}
