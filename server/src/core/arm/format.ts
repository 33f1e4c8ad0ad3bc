// ARM templates as a format of the workspace: JSON files whose `$schema` is a deployment template or parameters file
// (any other JSON is not theirs), templates paired with their parameters file; pins written into properties.tls.
import type { ParseError } from 'jsonc-parser';
import { PIN_API_VERSION } from '../api-versions';
import { removeFlagInJson } from '../fixes/remove-flag';
import { removeJsonArrayElement } from '../fixes/remove-list-item';
import { planArmPin } from '../fixes/pin-arm';
import { planTemplatePin } from '../fixes/pin-template';
import { ARM } from '../formats';
import type { FormatDocument, SourceFormat } from '../source-format';
import { moveJsonMember } from './edits';
import { extractArmModel } from './extract';
import { parseJsonTree } from '../json-depth';

const HOW_TO_PIN = `properties.tls.serverX509Names in the backend resource, with apiVersion ${PIN_API_VERSION} or later`;

export const armFormat: SourceFormat = {
  ...ARM,
  createDocument: (path, text): FormatDocument => ({ path, text }),
  extract(documents, request) {
    const files = [...documents.values()];
    // A parameters file named in the configuration (varFiles) is deployed with the template it fits.
    const configured = new Set(files.filter((f) => request.isConfiguredVarFile(f.path)).map((f) => f.path));
    return extractArmModel(files, request.only, configured);
  },
  edits: { removeFlag: removeFlagInJson, removeListItem: removeJsonArrayElement, moveMember: moveJsonMember },
  words: { howToPin: () => HOW_TO_PIN, howToPinBackends: HOW_TO_PIN },
  parsesCleanly(_path, text) {
    // As the ARM reader parses templates: comments and trailing commas are allowed.
    const errors: ParseError[] = [];
    parseJsonTree(text, errors, { allowTrailingComma: true });
    return errors.length === 0;
  },
  planPin: ({ backend, documents, request }) =>
    planTemplatePin(backend, documents.get(backend.block.file)?.text, request, {
      allowLeaf: false,
      leafRefusal: 'Pinning a leaf certificate is not supported for ARM templates yet: pin the issuing CA.',
      write: (pin) => planArmPin(backend, documents.get(backend.block.file)!.text, { name: pin.name, thumbprint: pin.thumbprint }),
    }),
};
