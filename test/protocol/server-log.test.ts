// What the server writes to the client's output channel (window/logMessage, the "APIM TLS Lint" channel in VS Code):
// that it started and which version, that it indexed the workspace (how many files, how long), the configuration it
// read, and what is wrong with a broken one.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { startServer as start } from '../support/lsp-client';
import { REPO_ROOT } from '../support/parser';

const BACKEND = `resource "azurerm_api_management_backend" "orders" {
  name = "orders"
  url  = "https://orders.contoso.com/api"
}
`;

describe('the output channel', () => {
  test('logs the start, the indexing of the workspace with its file count and time, and the configuration read', async (t) => {
    const { client, root } = await start(t, {
      'main.tf': BACKEND,
      'modules/api/main.tf': BACKEND,
      'certs/ca.cer': 'not a certificate',
      '.apim-tls-lint.json': '{ "rules": { "APIM003": "off" } }',
    });
    await client.initialize(root);
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    await client.waitFor('the indexing line', () => client.log.find((l) => l.startsWith('Indexed ')));
    const log = client.log.join('\n');
    assert.match(log, new RegExp(`apim-tls-lint ${version.replace(/\./g, '\\.')} started on Node v\\d+`));
    assert.match(log, /Read the configuration from .*\.apim-tls-lint\.json\./);
    assert.match(
      log,
      new RegExp(`Indexed ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 2 Terraform, ARM and Bicep files and 1 certificate files in \\d+ ms\\.`),
    );
  });

  test('logs what is wrong with a broken configuration', async (t) => {
    const { client, root } = await start(t, { 'main.tf': BACKEND, '.apim-tls-lint.json': '{ "rules": { "APIM999": "off" } ' });
    await client.initialize(root);
    const line = await client.waitFor('the configuration warning', () => client.log.find((l) => l.includes('.apim-tls-lint.json has')));
    assert.match(line, /has \d+ problems? \(.+\); the rest of it applies\./);
  });
});
