// Registry modules whose behaviour is known (DESIGN §1a, §3): the Azure Verified Modules for API Management, by the
// addresses their users write. A call to one is read like the resources it deploys, its inputs into the model with
// spans on the user's own entries; a default that disables validation is reported on the entry that omits the input.
import { admitsSome, semverRange } from './version-constraints';

/** The AVM Bicep module for an API Management service, and the release that made an omitted backend `tls` safe. */
export const AVM_BICEP_SERVICE = 'avm/res/api-management/service';
export const AVM_BICEP_SAFE_TLS_SINCE = '0.13.0';

/** The AVM Terraform module for an API Management service (its backends' null `tls` means the API defaults). */
export const AVM_TERRAFORM_SERVICE = 'Azure/avm-res-apimanagement-service/azurerm';

/**
 * The AVM service module named by a Bicep module reference, with the version tag it is pinned to:
 * `br/public:avm/res/api-management/service:0.9.0` or `br:mcr.microsoft.com/bicep/avm/res/api-management/service:0.9.0`.
 */
export function avmBicepServiceVersion(reference: string): string | undefined {
  const m = /^br(?:\/public:|:mcr\.microsoft\.com\/bicep\/)(avm\/res\/api-management\/service):([^:/\s]+)$/i.exec(reference.trim());
  return m ? m[2] : undefined;
}

/**
 * Whether a module at `version` (an exact tag, or a Terraform-style constraint) may be a release before `since`. A
 * version that cannot be read is not taken for an old one: the linter does not guess.
 */
export function mayPrecede(version: string, since: string): boolean {
  return semverRange(version) !== undefined && admitsSome([version], `<${since}`);
}

/** Whether a Terraform module `source` is the AVM service module (with or without the registry host). */
export function isAvmTerraformService(source: string): boolean {
  return (
    source
      .trim()
      .replace(/^registry\.(terraform|opentofu)\.io\//i, '')
      .toLowerCase() === AVM_TERRAFORM_SERVICE.toLowerCase()
  );
}
