// ARM templates as a format of the workspace: JSON files whose `$schema` is a deployment template or parameters file
// (any other JSON is not theirs), templates paired with their parameters file; pins written into properties.tls.
import { removeFlagInJson } from '../fixes/remove-flag';
import { HOST_PLACEHOLDER, type PinPlan } from '../fixes/pin';
import { planArmPin } from '../fixes/pin-arm';
import { ARM } from '../formats';
import { urlHostOf } from '../hosts';
import type { FormatDocument, PinSite, SourceFormat } from '../source-format';
import { extractArmModel } from './extract';

export const armFormat: SourceFormat = {
  ...ARM,
  createDocument: (path, text): FormatDocument => ({ path, text }),
  extract(documents, request) {
    const files = [...documents.values()];
    // A parameters file named in the configuration (varFiles) is deployed with the template it fits.
    const configured = new Set(files.filter((f) => request.isConfiguredVarFile(f.path)).map((f) => f.path));
    return extractArmModel(files, request.only, configured);
  },
  edits: { removeFlag: removeFlagInJson },
  planPin,
};

function planPin({ backend, documents, request }: PinSite): PinPlan {
  const text = documents.get(backend.block.file)?.text;
  if (text === undefined) return { ok: false, reason: `${backend.block.file} is not a file of the workspace.` };
  if (!request.certificate.isCa) return { ok: false, reason: 'Pinning a leaf certificate is not supported for ARM templates yet: pin the issuing CA.' };
  const name = urlHostOf(backend.url?.val)?.host || HOST_PLACEHOLDER;
  const plan = planArmPin(backend, text, { name, thumbprint: request.certificate.sha1 });
  if (!plan.ok) return plan;
  return { ok: true, edits: plan.edits, thumbprint: request.certificate.sha1, backend: backend.name, kind: 'issuer' };
}
