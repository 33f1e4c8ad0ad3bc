// azapi in a module's `required_providers`, and the body form the overlay must be written in for the azapi the
// module allows (DESIGN §1a): azapi ≥ 2.0 takes `body` as an HCL object only, azapi 1.x takes `jsonencode({...})`.
// (An `azapi_resource` backend at a pin api-version needs more: azapi ≥ 2.8.0 validates its body against a schema
// that knows 2025-03-01-preview. The pin edit writes `azapi_update_resource`, which is not schema-validated.)
import type { HclBlock, HclFile } from '../parse/hcl-ast';
import { lineBreakOf } from '../text';
import type { TextEdit } from '../types';
import { admitsSome } from '../version-constraints';
import { appendToBody, indentUnit } from './hcl';

/** The constraint written when the pin edit adds azapi: the first major version with HCL object bodies. */
export const AZAPI_CONSTRAINT = '~> 2.0';

export type BodyStyle = 'object' | 'jsonencode';

export interface AzapiRequirement {
  /** How an overlay's body must be written for the azapi versions the module allows. */
  style: BodyStyle;
  /** The edit that adds azapi with its version constraint, when the module does not require it yet. */
  edit?: TextEdit;
}

interface ModuleFile {
  path: string;
  text: string;
  hcl: HclFile;
}

/**
 * Whether and how the module requires azapi: an existing entry decides the body form (a constraint that admits no
 * 2.x means jsonencode); a missing one is added, with `~> 2.0`, to the module's `required_providers`, its `terraform`
 * block, or a new `terraform` block at the top of `fallback`.
 */
export function azapiRequirement(files: readonly ModuleFile[], fallback: ModuleFile): AzapiRequirement {
  const terraform: Array<{ path: string; text: string; block: HclBlock; providers?: HclBlock }> = [];
  for (const f of files) {
    for (const b of f.hcl.blocks) {
      if (b.type !== 'terraform') continue;
      const providers = b.blocks.find((x) => x.type === 'required_providers');
      const azapi = providers?.attributes.find((a) => a.name === 'azapi');
      if (azapi) {
        const version = azapi.expr.kind === 'object' ? azapi.expr.items.find((i) => i.key === 'version')?.value : undefined;
        const constraint = version?.kind === 'literal' && typeof version.value === 'string' ? version.value : undefined;
        return { style: constraint === undefined || admitsMajor(constraint, 2) ? 'object' : 'jsonencode' };
      }
      terraform.push({ path: f.path, text: f.text, block: b, providers });
    }
  }
  const entry = ['azapi = {', '  source  = "Azure/azapi"', `  version = "${AZAPI_CONSTRAINT}"`, '}'];
  const withProviders = terraform.find((t) => t.providers);
  if (withProviders)
    return { style: 'object', edit: appendToBody(withProviders.path, withProviders.text, span(withProviders.path, withProviders.providers!), entry) };
  if (terraform.length) {
    const t = terraform[0];
    return { style: 'object', edit: appendToBody(t.path, t.text, span(t.path, t.block), ['required_providers {', ...entry.map((l) => '  ' + l), '}'], true) };
  }
  const { text, path } = fallback;
  const eol = lineBreakOf(text);
  const unit = indentUnit(text);
  const lines = ['terraform {', '  required_providers {', ...entry.map((l) => '    ' + l), '  }', '}'].map((l) => {
    const m = /^((?: {2})*)(.*)$/.exec(l)!;
    return unit.repeat(m[1].length / 2) + m[2];
  });
  return { style: 'object', edit: { file: path, start: 0, end: 0, newText: lines.join(eol) + eol + eol } };
}

/**
 * Whether a Terraform version constraint (`~> 1.13`, `>= 1.5, < 2.0`, `2.1.0`) admits some release of `major` or
 * later. A constraint that cannot be read is taken to admit it: the newest form is the default.
 */
export function admitsMajor(constraint: string, major: number): boolean {
  return admitsSome([constraint], `>=${major}.0.0`);
}

function span(file: string, block: HclBlock) {
  return { file, start: block.start, end: block.end, bodyStart: block.bodyStart, bodyEnd: block.bodyEnd };
}
