// Bicep files into the format-neutral model. (Being written: issue #5.)
import type { FormatResult } from '../arm/extract';
import type { SourceText } from '../formats';

/** The Bicep parser handle; loaded by the caller like the Terraform parser. */
export interface BicepParser {
  readonly kind: 'bicep';
}

/** Extracts every .bicep file among `files` with its .bicepparam; with `only`, just the units touching those paths. */
export function extractBicepModel(parser: BicepParser, files: readonly SourceText[], only?: ReadonlySet<string>): FormatResult {
  void parser;
  void files;
  void only;
  return { model: { backends: [], services: [], overlays: [], dependsOn: [] }, files: [], notices: [] };
}
