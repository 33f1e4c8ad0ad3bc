// Bicep as a format of the workspace: `.bicep` templates with their `.bicepparam` files, the parameters JSON beside a
// template (an ARM-format file the template reads), and local modules; pins written into the resource's own body.
import { PIN_API_VERSION } from '../api-versions';
import { removeFlagInObject } from '../fixes/remove-flag';
import { removeObjectItem } from '../fixes/remove-list-item';
import { memberEdits } from '../fixes/move-member';
import { planBicepPin } from '../fixes/pin-bicep';
import { planTemplatePin } from '../fixes/pin-template';
import { ARM, BICEP } from '../formats';
import type { BicepParser } from '../parse/bicep-parser';
import type { FormatDocument, SourceFormat } from '../source-format';
import { extractBicepModel } from './extract';

const HOW_TO_PIN = `properties.tls.serverX509Names in the backend resource, with the type's @${PIN_API_VERSION} or later`;
/** The AVM module writes its backends at 2024-05-01, which has no pins: a pinned backend is a resource of its own. */
const MODULE_PIN = `a backend resource of its own with properties.tls.serverX509Names at @${PIN_API_VERSION}, since the module writes backends at an api-version without pins`;

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
    edits: { removeFlag: removeFlagInObject, removeListItem: removeObjectItem, ...memberEdits(': ') },
    words: { howToPin: (backend) => (backend.kind === 'module' ? MODULE_PIN : HOW_TO_PIN), howToPinBackends: HOW_TO_PIN },
    parsesCleanly(path, text) {
      // Over the parse budget there is no answer, and no answer is not a yes.
      const tree = parser.parse(text, /\.bicepparam$/i.test(path));
      if (!tree) return false;
      try {
        return !tree.rootNode.hasError;
      } finally {
        tree.delete();
      }
    },
    planPin: ({ backend, documents, request }) =>
      backend.kind === 'module'
        ? {
            ok: false,
            reason: `${backend.name} is an entry of a registry module's params, which cannot hold a pin: declare the backend as a resource of its own (${MODULE_PIN.replace(/^a /, '')}).`,
          }
        : planTemplatePin(backend, documents.get(backend.block.file)?.text, request, {
            allowLeaf: true,
            write: (pin) => planBicepPin(parser, backend, documents.get(backend.block.file)!.text, pin),
          }),
  };
}
