// HashiCorp's own HCL parser (compiled to JS), used only in tests to check that our fixes produce valid HCL.
// It answers yes or no; it cannot say where an error is.

// eslint-disable-next-line @typescript-eslint/no-require-imports
const hcl2: { parseToObject(text: string): [unknown, unknown] } = require('hcl2-parser');

export function hclAccepts(text: string): boolean {
  const [value, error] = hcl2.parseToObject(text);
  return value !== null && (error === null || error === undefined);
}
