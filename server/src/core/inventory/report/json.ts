// The inventory as JSON for scripts, in the shape schemas/inventory.schema.json documents.
import type { Inventory } from '../types';
import type { ReportOptions } from './columns';

export const INVENTORY_SCHEMA_URL = 'https://github.com/apim-tls-lint/apim-tls-lint/blob/main/schemas/inventory.schema.json';

export function formatInventoryJson(inventory: Inventory, options: ReportOptions): string {
  const report = {
    $schema: INVENTORY_SCHEMA_URL,
    tool: 'apim-tls-lint',
    version: options.version,
    generatedAt: options.generatedAt,
    probed: options.probed,
    ...inventory,
  };
  return JSON.stringify(report, null, 2) + '\n';
}
