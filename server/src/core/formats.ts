// Which files the linter reads, and as what. Terraform by extension; ARM by extension and then by content (a JSON
// file is a template or a parameters file only when its $schema says so); Bicep by extension.
import { isConfigFile, isVarFile } from './terraform/module';

export type Format = 'terraform' | 'arm' | 'bicep';

export const ALL_FORMATS: readonly Format[] = ['terraform', 'arm', 'bicep'];

export function isTerraformFile(path: string): boolean {
  return isConfigFile(path) || isVarFile(path);
}

export function isBicepFile(path: string): boolean {
  return /\.(bicep|bicepparam)$/i.test(path);
}

/** A JSON file that may be an ARM template or parameters file; its content decides (see isArmTemplateText). */
export function isJsonFile(path: string): boolean {
  return /\.(json|jsonc)$/i.test(path) && !/(^|\/)(package(-lock)?|tsconfig|\.apim-tls-lint)\.json$/i.test(path);
}

export function formatOf(path: string): Format | undefined {
  if (isTerraformFile(path)) return 'terraform';
  if (isBicepFile(path)) return 'bicep';
  if (isJsonFile(path)) return 'arm';
  return undefined;
}

/** Every file the linter may read for analysis. */
export function isLintedFile(path: string): boolean {
  return formatOf(path) !== undefined;
}

/** The `$schema` of a deployment template or of a deployment parameters file, read without parsing the JSON. */
export function armSchemaKind(text: string): 'template' | 'parameters' | undefined {
  const m = /"\$schema"\s*:\s*"([^"]*)"/.exec(text.slice(0, 4096));
  if (!m) return undefined;
  if (/deploymentTemplate\.json/i.test(m[1])) return 'template';
  if (/deploymentParameters\.json/i.test(m[1])) return 'parameters';
  return undefined;
}

/** A file's path and text, as the format extractors receive them. */
export interface SourceText {
  path: string;
  text: string;
}
