// Whether a text parses without errors, with the parser the linter reads that format with: the last check before a
// fixed file is written (DESIGN §4: every fix leaves a file that parses).
import { parseTree, type ParseError } from 'jsonc-parser';
import { formatOf } from './formats';
import type { BicepParser } from './parse/bicep-parser';
import type { TerraformParser } from './parse/terraform-parser';

export interface Parsers {
  terraform: TerraformParser;
  /** Without it a Bicep file cannot be checked, and so never counts as parsing. */
  bicep?: BicepParser;
}

export function parsesCleanly(file: string, text: string, parsers: Parsers): boolean {
  switch (formatOf(file)) {
    case 'terraform': {
      const tree = parsers.terraform.parse(text);
      try {
        return !tree.rootNode.hasError;
      } finally {
        tree.delete();
      }
    }
    case 'bicep': {
      // Over the parse budget there is no answer, and no answer is not a yes.
      const tree = parsers.bicep?.parse(text, /\.bicepparam$/i.test(file));
      if (!tree) return false;
      try {
        return !tree.rootNode.hasError;
      } finally {
        tree.delete();
      }
    }
    case 'arm': {
      // As the ARM reader parses templates: comments and trailing commas are allowed.
      const errors: ParseError[] = [];
      parseTree(text, errors, { allowTrailingComma: true });
      return errors.length === 0;
    }
    default:
      return true;
  }
}
