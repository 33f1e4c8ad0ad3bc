// The links between policies and backends: a `<set-backend-service backend-id="x"/>` routes to the backend named x of
// the same service. Rules (APIM001's blast radius, APIM020), the hover and the rename all read them from here.
import { asString, type Backend, type Model, type Policy, type PolicySetting, type Service } from '../model';

/** A policy's `backend-id` that names a backend. */
export interface PolicyRoute {
  policy: Policy;
  setting: PolicySetting;
}

/**
 * Which service something belongs to: the name of the service of the configuration it links to (so that a Bicep
 * policy and a Terraform backend of `apim-contoso` meet), that service itself when its name is unknown, else its key.
 */
export function serviceIdOf(x: { service?: Service; serviceKey?: string }): string | undefined {
  if (!x.service) return x.serviceKey;
  const name = asString(x.service.serviceName);
  return name === undefined ? `service:${x.service.address}` : `name:${name.split('/').pop()!.toLowerCase()}`;
}

/** The backends of the same service as `x` (none when its service cannot be told). */
export function backendsOfService(model: Model, x: { service?: Service; serviceKey?: string }): Backend[] {
  const id = serviceIdOf(x);
  return id === undefined ? [] : model.backends.filter((b) => serviceIdOf(b) === id);
}

/** A backend's id in APIM: the last segment of its name (ARM and Bicep may write `service/backend`). */
export function backendIdOf(backend: Backend): string | undefined {
  return asString(backend.backendName)?.split('/').pop();
}

/** The policies whose `backend-id` names this backend (APIM compares backend ids without regard to case). */
export function policyRoutes(model: Model, backend: Backend): PolicyRoute[] {
  const name = backendIdOf(backend)?.toLowerCase();
  const id = serviceIdOf(backend);
  if (name === undefined || id === undefined) return [];
  const out: PolicyRoute[] = [];
  for (const policy of model.policies ?? []) {
    if (serviceIdOf(policy) !== id) continue;
    for (const setting of policy.backendIds) if (asString(setting.val)?.toLowerCase() === name) out.push({ policy, setting });
  }
  return out;
}

/** Words that name a backend's stage in the migration rather than the backend: dropped or added by its rename. */
const STAGE_WORDS = new Set(['insecure', 'unsafe', 'unpinned', 'nopin', 'legacy', 'old', 'tmp', 'temp', 'secure', 'pinned', 'new', 'tls']);

/**
 * The backend an unknown `backend-id` was most likely renamed to: the one whose name is the same once words of the
 * migration's stage are dropped (`tic-backend-insecure` → `tic-backend`, `tic_insecure` → `tic-pinned`). Undefined
 * unless exactly one backend fits.
 */
export function renamedTo(oldId: string, names: readonly string[]): string | undefined {
  const core = stem(oldId);
  if (!core) return undefined;
  const fits = [...new Set(names.filter((n) => n.toLowerCase() !== oldId.toLowerCase() && stem(n) === core))];
  return fits.length === 1 ? fits[0] : undefined;
}

function stem(name: string): string {
  return name
    .toLowerCase()
    .split(/[-_.]+/)
    .filter((w) => w && !STAGE_WORDS.has(w))
    .join('-');
}
