// Terraform as a format of the workspace: `.tf`/`.tofu` files grouped into modules (a folder each) with their var
// files, local module calls followed both ways, read into the model by extract.ts; pins written as azapi overlays.
import { PIN_API_VERSION } from '../api-versions';
import { removeFlagInObject } from '../fixes/remove-flag';
import { removeObjectItem } from '../fixes/remove-list-item';
import { memberEdits } from '../fixes/move-member';
import { planPinEdit, type PinPlan } from '../fixes/pin';
import { TERRAFORM } from '../formats';
import type { Backend } from '../model';
import { extractFile, type HclFile } from '../parse/hcl-ast';
import { ParseBudgetError } from '../parse/parse-budget';
import type { TerraformParser } from '../parse/terraform-parser';
import type { PinSite, SourceFormat } from '../source-format';
import { TerraformDocument } from './document';
import { dirname, isConfigFile, isDownloaded } from './module';
import { TerraformModelCache } from './model-cache';
import type { ClosedFileReader } from './read-closed';

/** `readClosed`: how a closed file is read (the CLI passes a cache of its reads, cli/read-cache.ts). */
export function terraformFormat(parser: TerraformParser, readClosed?: ClosedFileReader): SourceFormat {
  const cache = new TerraformModelCache();
  return {
    ...TERRAFORM,
    createDocument: (path, text, editing) => new TerraformDocument(parser, path, text, editing, readClosed),
    extract: (documents, request) => cache.extract(documents as ReadonlyMap<string, TerraformDocument>, request),
    edits: { removeFlag: removeFlagInObject, removeListItem: removeObjectItem, ...memberEdits(' = ') },
    words: {
      // A resource written with a full PUT (azurerm) cannot hold a pin: an overlay writes it. azapi writes its own body.
      howToPin: (backend) => (backend.fullPut ? OVERLAY : AZAPI_BODY),
      howToPinBackends: 'an azapi_update_resource overlay setting properties.tls.serverX509Names (or the body of an azapi_resource backend)',
    },
    parsesCleanly(_path, text) {
      let tree;
      try {
        tree = parser.parse(text);
      } catch (e) {
        // Over the parse budget there is no answer, and no answer is not a yes.
        if (e instanceof ParseBudgetError) return false;
        throw e;
      }
      try {
        return !tree.rootNode.hasError;
      } finally {
        tree.delete();
      }
    },
    planPin: (site) => planTerraformPin(parser, site),
  };
}

const OVERLAY = 'an azapi_update_resource overlay setting properties.tls.serverX509Names (the azurerm provider has no attribute for pins)';
const AZAPI_BODY = `properties.tls.serverX509Names in its body, at api-version ${PIN_API_VERSION} or later`;

/** The pin of an azurerm backend: an overlay and whatever else of its module the edit touches (fixes/pin.ts). */
function planTerraformPin(parser: TerraformParser, site: PinSite): PinPlan {
  const { backend, model } = site;
  if (backend.kind === 'module') {
    return {
      ok: false,
      reason: `${backend.name} is an entry of a registry module's input: this command cannot write an overlay for a backend the module declares.`,
    };
  }
  if (isDownloaded(backend.block.file)) {
    return { ok: false, reason: `${backend.name} is in a module's downloaded source (.terraform/modules): pin it in that module's own repository.` };
  }
  const instances = model.backends.filter((b: Backend) => b.block.file === backend.block.file && b.block.start === backend.block.start);
  const dir = dirname(backend.block.file);
  const files: Array<{ path: string; text: string; hcl: HclFile }> = [];
  for (const [path, doc] of site.documents) {
    if (!isConfigFile(path) || dirname(path) !== dir || site.isIgnored(path)) continue;
    // Parsed in full, not through the relevance filter: a versions.tf holding only `terraform {}` matters here.
    let tree;
    try {
      tree = parser.parse(doc.text);
    } catch (e) {
      if (e instanceof ParseBudgetError) return { ok: false, reason: `${path} could not be parsed within its time budget.` };
      throw e;
    }
    try {
      files.push({ path, text: doc.text, hcl: extractFile(tree, doc.text, parser) });
    } finally {
      tree.delete();
    }
  }
  return planPinEdit({ backend, instances, dependsOn: model.dependsOn, files }, site.request);
}
