// ARM templates into the format-neutral model. (Being written: issue #5.)
import type { SourceText } from '../formats';
import type { Model } from '../model';
import type { Finding } from '../types';

export interface FormatResult {
  model: Model;
  /** Every file the extraction covered (templates and the parameters files read with them). */
  files: string[];
  /** Findings that are not rules' (a parse budget exceeded, say). */
  notices: Finding[];
}

/**
 * Extracts every template among `files` (JSON files whose $schema is a deployment template), with the parameters
 * file beside it. With `only`, just the templates that are, or whose parameters file is, one of those paths.
 */
export function extractArmModel(files: readonly SourceText[], only?: ReadonlySet<string>): FormatResult {
  void files;
  void only;
  return { model: { backends: [], services: [], overlays: [], dependsOn: [] }, files: [], notices: [] };
}
