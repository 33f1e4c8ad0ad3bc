// Loads the real tree-sitter runtime and Terraform grammar for tests, from node_modules.
import * as path from 'node:path';
import { loadTerraformParser, type TerraformParser } from '../../server/src/core/parse/terraform-parser';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

let parser: Promise<TerraformParser> | undefined;

export function testParser(): Promise<TerraformParser> {
  parser ??= (async () => {
    // Both wasm files must sit in one folder for locateFile; dist/ has them after `npm run build`.
    const dist = path.join(REPO_ROOT, 'dist');
    return loadTerraformParser(dist);
  })();
  return parser;
}
