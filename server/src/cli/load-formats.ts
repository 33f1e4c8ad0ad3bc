// The formats a CLI run needs, with their parsers: a grammar is loaded only when a file collected needs it (a
// Terraform-only run never loads the Bicep grammar, an ARM-only run no grammar at all). Linting, --fix, pin and probe
// all read files through these.
import { armFormat, bicepFormat, policyFormat, terraformFormat } from '../core/builtin-formats';
import { BICEP, TERRAFORM } from '../core/formats';
import { loadBicepParser } from '../core/parse/bicep-parser';
import { loadTerraformParser, type WasmLocation } from '../core/parse/terraform-parser';
import type { SourceFormat } from '../core/source-format';
import type { ClosedFileReader } from '../core/terraform/read-closed';
import { FileError, findBicepWasm, findWasmFiles } from './files';

/**
 * The formats of `wanted` (format ids), in the order their parts join the model; FileError when a grammar is missing.
 * `readClosed` is how closed Terraform files are read (the lint command's cache of reads, read-cache.ts).
 */
export async function loadFormats(
  wanted: ReadonlySet<string>,
  env: Readonly<Record<string, string | undefined>>,
  readClosed?: ClosedFileReader,
): Promise<SourceFormat[]> {
  const formats: SourceFormat[] = [];
  let wasm: WasmLocation | undefined;
  const terraformWasm = () => (wasm ??= findWasmFiles(env));
  if (wanted.has(TERRAFORM.id)) {
    const location = terraformWasm();
    const parser = await loadTerraformParser(location).catch((e: unknown) => {
      throw new FileError(`Cannot load the Terraform parser from ${JSON.stringify(location)}: ${e instanceof Error ? e.message : String(e)}`);
    });
    formats.push(terraformFormat(parser, readClosed));
  }
  if (wanted.has(armFormat.id)) formats.push(armFormat);
  if (wanted.has(BICEP.id)) {
    const location = findBicepWasm(terraformWasm());
    const parser = await loadBicepParser(location).catch((e: unknown) => {
      throw new FileError(`Cannot load the Bicep parser from ${JSON.stringify(location)}: ${e instanceof Error ? e.message : String(e)}`);
    });
    formats.push(bicepFormat(parser));
  }
  // Policy XML is read from its own files and from the others' (a heredoc, a template's string): always there.
  formats.push(policyFormat);
  return formats;
}
