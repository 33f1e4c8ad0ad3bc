// The built-in formats by what identifies their files, and the questions every caller asks of a path: which format
// claims it, whether its content confirms the claim. Loading a format's parser and reading files into the model is
// each format's own business (terraform/format.ts, arm/format.ts, bicep/format.ts); this file stays light, so that a
// walk of the disk or a cold start of the CLI does not pay for a grammar.
import type { FormatDescriptor } from './source-format';
import { isConfigFile, isModulesManifest, isVarFile } from './terraform/module';

/** A format's id; the built-in ones are `terraform`, `arm` and `bicep`. */
export type Format = string;

/** Terraform's files, and the manifest of the modules `terraform init` downloaded (which says where each one is). */
export function isTerraformFile(path: string): boolean {
  return isConfigFile(path) || isVarFile(path) || isModulesManifest(path);
}

export function isBicepFile(path: string): boolean {
  return /\.(bicep|bicepparam)$/i.test(path);
}

/** A JSON file that may be an ARM template or parameters file; its content decides (see armSchemaKind). */
export function isJsonFile(path: string): boolean {
  return /\.(json|jsonc)$/i.test(path) && !/(^|\/)(package(-lock)?|tsconfig|\.apim-tls-lint)\.json$/i.test(path);
}

/** The `$schema` of a deployment template or of a deployment parameters file, read without parsing the JSON. */
export function armSchemaKind(text: string): 'template' | 'parameters' | undefined {
  const m = /"\$schema"\s*:\s*"([^"]*)"/.exec(text.slice(0, ARM_HEAD));
  if (!m) return undefined;
  if (/deploymentTemplate\.json/i.test(m[1])) return 'template';
  if (/deploymentParameters\.json/i.test(m[1])) return 'parameters';
  return undefined;
}

/** How much of a JSON file is read to tell a template or parameters file from any other JSON. */
const ARM_HEAD = 4096;

export const TERRAFORM: FormatDescriptor = { id: 'terraform', displayName: 'Terraform', family: 'terraform', claimsPath: isTerraformFile };

export const BICEP: FormatDescriptor = { id: 'bicep', displayName: 'Bicep', family: 'template', claimsPath: isBicepFile };

export const ARM: FormatDescriptor = {
  id: 'arm',
  displayName: 'ARM template',
  family: 'template',
  claimsPath: isJsonFile,
  claimsText: (head) => armSchemaKind(head) !== undefined,
  headLength: ARM_HEAD,
};

/** The built-in formats, in the order they are asked whether a path is theirs. */
export const BUILTIN_FORMATS: readonly FormatDescriptor[] = [TERRAFORM, BICEP, ARM];

export const ALL_FORMATS: readonly Format[] = [TERRAFORM.id, ARM.id, BICEP.id];

/** The first of `formats` that claims the path. */
export function formatFor<F extends FormatDescriptor>(path: string, formats: readonly F[]): F | undefined {
  return formats.find((f) => f.claimsPath(path));
}

/** The id of the built-in format that claims the path. */
export function formatOf(path: string): Format | undefined {
  return formatFor(path, BUILTIN_FORMATS)?.id;
}

/** Every file the linter may read for analysis (a JSON file's content may still say it is not a template). */
export function isLintedFile(path: string, formats: readonly FormatDescriptor[] = BUILTIN_FORMATS): boolean {
  return formatFor(path, formats) !== undefined;
}

/** Whether a claimed file's text belongs to its format: anything but JSON that is not a template or parameters file. */
export function isLintedText(path: string, text: string, formats: readonly FormatDescriptor[] = BUILTIN_FORMATS): boolean {
  const format = formatFor(path, formats);
  return !!format && (!format.claimsText || format.claimsText(text.slice(0, format.headLength ?? text.length)));
}

/** A file's path and text, as the format extractors receive them. */
export interface SourceText {
  path: string;
  text: string;
}
