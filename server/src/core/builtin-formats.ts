// The formats the product ships, assembled from their parsers. Callers that load parsers lazily (the CLI loads the
// Bicep grammar only when a Bicep file is there) add a format when its parser is ready.
import { armFormat } from './arm/format';
import { bicepFormat } from './bicep/format';
import type { BicepParser } from './parse/bicep-parser';
import type { TerraformParser } from './parse/terraform-parser';
import type { SourceFormat } from './source-format';
import { terraformFormat } from './terraform/format';

/** Terraform and ARM, and Bicep when its parser is given; in the order their parts join the model. */
export function builtinFormats(terraform: TerraformParser, bicep?: BicepParser): SourceFormat[] {
  return [terraformFormat(terraform), armFormat, ...(bicep ? [bicepFormat(bicep)] : [])];
}

export { armFormat, bicepFormat, terraformFormat };
