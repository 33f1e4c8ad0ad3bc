// Loads the real tree-sitter runtime and Terraform grammar for tests, from node_modules.
import * as path from 'node:path';
import { loadTerraformParser, type TerraformParser } from '../../server/src/core/parse/terraform-parser';
import { loadBicepParser, type BicepParser } from '../../server/src/core/parse/bicep-parser';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

let parser: Promise<TerraformParser> | undefined;

export function testParser(): Promise<TerraformParser> {
  parser ??= loadTerraformParser({
    runtime: path.join(REPO_ROOT, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm'),
    grammar: path.join(REPO_ROOT, 'node_modules', '@tree-sitter-grammars', 'tree-sitter-hcl', 'tree-sitter-terraform.wasm'),
  });
  return parser;
}

let bicepParser: Promise<BicepParser> | undefined;

/** tree-sitter-bicep on the same runtime as the Terraform parser. */
export function testBicepParser(): Promise<BicepParser> {
  bicepParser ??= loadBicepParser({
    runtime: path.join(REPO_ROOT, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm'),
    grammar: path.join(REPO_ROOT, 'node_modules', 'tree-sitter-bicep', 'tree-sitter-bicep.wasm'),
  });
  return bicepParser;
}
