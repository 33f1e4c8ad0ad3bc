// Terraform as a format of the workspace: `.tf`/`.tofu` files grouped into modules (a folder each) with their var
// files, local module calls followed both ways, read into the model by extract.ts; pins written as azapi overlays.
import { removeFlagInObject } from '../fixes/remove-flag';
import { planPinEdit, type PinPlan } from '../fixes/pin';
import { TERRAFORM } from '../formats';
import type { Backend } from '../model';
import { extractFile, type HclFile } from '../parse/hcl-ast';
import type { TerraformParser } from '../parse/terraform-parser';
import type { ExtractRequest, FormatDocument, FormatResult, PinSite, SourceFormat } from '../source-format';
import { TerraformDocument } from './document';
import { extractModel, moduleInstances } from './extract';
import { buildModules, dirname, isConfigFile, isVarFile, type TfModule, type TfSource } from './module';

export function terraformFormat(parser: TerraformParser): SourceFormat {
  return {
    ...TERRAFORM,
    createDocument: (path, text, editing) => new TerraformDocument(parser, path, text, editing),
    extract: (documents, request) => extractTerraform(documents, request),
    edits: { removeFlag: removeFlagInObject },
    planPin: (site) => planTerraformPin(parser, site),
  };
}

/** Every module (or those `request.only` touches, with their callers and callees), instantiated and read. */
function extractTerraform(documents: ReadonlyMap<string, FormatDocument>, request: ExtractRequest): FormatResult {
  const sources: TfSource[] = [];
  for (const doc of documents.values()) sources.push({ path: doc.path, file: (doc as TerraformDocument).hcl() });
  const varFiles = new Set(sources.filter((s) => isVarFile(s.path) && request.isConfiguredVarFile(s.path)).map((s) => s.path));
  const modules = buildModules(sources, varFiles);
  const wanted = request.only ? connectedModules(modules, [...request.only], varFiles) : undefined;
  const instances = moduleInstances(modules).filter((i) => !wanted || wanted.has(i.module.dir));
  const files = new Set<string>();
  for (const i of instances) {
    for (const s of i.module.configFiles) files.add(s.path);
    for (const s of i.module.varFiles) files.add(s.path);
  }
  return { model: extractModel(instances), files: [...files], notices: [] };
}

/** The modules of `paths` plus every module linked to them by local module calls, in either direction. */
function connectedModules(modules: Map<string, TfModule>, paths: string[], varFiles: ReadonlySet<string>): Set<string> {
  if (paths.some((p) => varFiles.has(p))) return new Set(modules.keys());
  const links = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (!links.has(a)) links.set(a, new Set());
    links.get(a)!.add(b);
  };
  for (const m of modules.values()) {
    for (const c of m.moduleCalls) {
      if (c.sourceDir && modules.has(c.sourceDir)) {
        link(m.dir, c.sourceDir);
        link(c.sourceDir, m.dir);
      }
    }
  }
  const out = new Set<string>();
  const stack = paths.map(dirname);
  while (stack.length) {
    const dir = stack.pop()!;
    if (out.has(dir)) continue;
    out.add(dir);
    for (const next of links.get(dir) ?? []) stack.push(next);
  }
  return out;
}

/** The pin of an azurerm backend: an overlay and whatever else of its module the edit touches (fixes/pin.ts). */
function planTerraformPin(parser: TerraformParser, site: PinSite): PinPlan {
  const { backend, model } = site;
  const instances = model.backends.filter((b: Backend) => b.block.file === backend.block.file && b.block.start === backend.block.start);
  const dir = dirname(backend.block.file);
  const files: Array<{ path: string; text: string; hcl: HclFile }> = [];
  for (const [path, doc] of site.documents) {
    if (!isConfigFile(path) || dirname(path) !== dir || site.isIgnored(path)) continue;
    // Parsed in full, not through the relevance filter: a versions.tf holding only `terraform {}` matters here.
    const tree = parser.parse(doc.text);
    try {
      files.push({ path, text: doc.text, hcl: extractFile(tree, doc.text, parser) });
    } finally {
      tree.delete();
    }
  }
  return planPinEdit({ backend, instances, dependsOn: model.dependsOn, files }, site.request.certificate);
}
