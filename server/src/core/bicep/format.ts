// Bicep as a format of the workspace: `.bicep` templates with their `.bicepparam` files, the parameters JSON beside a
// template (an ARM-format file the template reads), and local modules; pins written into the resource's own body.
import { removeFlagInObject } from '../fixes/remove-flag';
import { HOST_PLACEHOLDER, type PinPlan } from '../fixes/pin';
import { planBicepPin } from '../fixes/pin-bicep';
import { ARM, BICEP } from '../formats';
import { urlHostOf } from '../hosts';
import type { BicepParser } from '../parse/bicep-parser';
import type { FormatDocument, PinSite, SourceFormat } from '../source-format';
import { extractBicepModel } from './extract';

export function bicepFormat(parser: BicepParser): SourceFormat {
  return {
    ...BICEP,
    createDocument: (path, text): FormatDocument => ({ path, text }),
    extract(documents, request) {
      const other = (path: string) => {
        const text = ARM.claimsPath(path) ? request.textOf(path) : undefined;
        return text === undefined ? undefined : { path, text };
      };
      return extractBicepModel(parser, [...documents.values()], request.only, other);
    },
    edits: { removeFlag: removeFlagInObject },
    planPin: (site) => planPin(parser, site),
  };
}

function planPin(parser: BicepParser, { backend, documents, request }: PinSite): PinPlan {
  const text = documents.get(backend.block.file)?.text;
  if (text === undefined) return { ok: false, reason: `${backend.block.file} is not a file of the workspace.` };
  const kind = request.certificate.isCa ? 'issuer' : 'certificate';
  const name = urlHostOf(backend.url?.val)?.host || HOST_PLACEHOLDER;
  const plan = planBicepPin(parser, backend, text, { kind, name, thumbprint: request.certificate.sha1 });
  if (!plan.ok) return plan;
  return { ok: true, edits: plan.edits, thumbprint: request.certificate.sha1, backend: backend.name, kind };
}
