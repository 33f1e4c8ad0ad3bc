// The inventory request over stdio (`apimTls/inventory`), as a client that draws the backends view uses it: every
// backend of examples/ with where to reveal it, its hover and its safe fix; after an edit the server says the
// inventory changed, and asking again shows the backend at its new stage. Nothing is read again from disk: the
// request answers from the workspace the server holds.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { InventoryResult } from '../../server/src/custom-messages';
import { codes, fileUri, startServer } from '../support/lsp-client';
import { REPO_ROOT } from '../support/parser';

function examplesFiles(): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (dir: string, rel: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(dir, e.name), `${rel}${e.name}/`);
      else out[`${rel}${e.name}`] = fs.readFileSync(path.join(dir, e.name));
    }
  };
  walk(path.join(REPO_ROOT, 'examples'), '');
  return out;
}

/** Polls `probe` until it holds; the client's own waitFor only wakes on the notifications it handles itself. */
async function until(what: string, probe: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('apimTls/inventory: the examples with reveal ranges, hovers and safe fixes; an edit moves a backend to its next stage', async (t) => {
  const { client, root } = await startServer(t, examplesFiles());
  let changed = 0;
  client.connection.onNotification('apimTls/inventoryChanged', () => changed++);
  await client.initialize(root);
  const backendsUri = fileUri(path.join(root, 'backends.tf'));
  await client.waitForDiagnostics(backendsUri, 'the indexed examples', (p) => codes(p.diagnostics).includes('APIM002'));
  await until('an inventoryChanged notification after the first lint', () => changed > 0);

  const first = await client.connection.sendRequest<InventoryResult>('apimTls/inventory', {});
  assert.equal(first.totals.backends, 8);
  assert.equal(first.totals.pinned, 1);
  const orders = first.backends.find((b) => b.address === 'azurerm_api_management_backend.orders')!;
  assert.deepEqual([orders.file, orders.uri, orders.range.start.line, orders.stage, orders.state], ['backends.tf', backendsUri, 11, 0, 'trusts-any']);
  assert.match(orders.hover, /^\*\*Backend TLS trust\*\* — `azurerm_api_management_backend\.orders`/);
  assert.match(orders.hover, /Chain validation: `false` — set at backends\.tf:24/);
  assert.equal(orders.safeFix?.ruleId, 'APIM002');
  const tic = first.backends.find((b) => b.address === 'azurerm_api_management_backend.tic')!;
  assert.deepEqual([tic.state, tic.stage, tic.pins[0].certificate?.file, tic.safeFix], ['pinned', 3, 'certs/contoso-issuing-ca-01.cer', undefined]);
  assert.equal(first.html, undefined, 'no HTML unless asked for');

  // The client applies the safe fix as an editor would: the document opens and changes.
  const text = fs.readFileSync(path.join(root, 'backends.tf'), 'utf8');
  await client.open(backendsUri, text);
  const edits = orders.safeFix.edit.changes[backendsUri];
  assert.equal(edits.length, 1);
  const before = changed;
  await client.change(backendsUri, [{ range: edits[0].range, text: edits[0].newText }]);
  await until('an inventoryChanged notification after the edit', () => changed > before);
  const second = await client.connection.sendRequest<InventoryResult>('apimTls/inventory', { html: true });
  const fixed = second.backends.find((b) => b.address === 'azurerm_api_management_backend.orders')!;
  assert.deepEqual([fixed.state, fixed.stage, fixed.nameValidation], ['name-only', 1, 'true']);
  assert.match(second.html ?? '', /<svg class="bar"/);
  assert.equal((second.html?.match(/<tr class="s-/g) ?? []).length, 8);
});
