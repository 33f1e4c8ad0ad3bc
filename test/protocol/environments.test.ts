// Environments through the real server over stdio: a root module with three alternative var files. The findings of
// dev are published on the literals in the closed dev.tfvars, naming dev; the hover and the lens of the backend show
// the values per environment; an edit of the var file moves the findings at once.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import type { CodeLens, Hover } from 'vscode-languageserver-protocol';
import { codes, fileUri, startServer } from '../support/lsp-client';
import { REPO_ROOT } from '../support/parser';

const FIXTURE = path.join(REPO_ROOT, 'test', 'fixtures', 'rules', 'APIM001', 'environments');

/** The fixture's files without their caret annotations, as a user would have them. */
function workspaceFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(FIXTURE, p)] = fs.readFileSync(p, 'utf8').replace(/^[ \t]*#[ \t]*\^+.*\r?\n/gm, '');
    }
  };
  walk(FIXTURE);
  return out;
}

describe('environments over the protocol', () => {
  test('dev’s findings sit on the literals of the closed dev.tfvars and name dev; staging and prod have none', async (t) => {
    const files = workspaceFiles();
    const { client, root } = await startServer(t, files);
    await client.initialize(root);
    const module = fileUri(path.join(root, 'modules', 'backends', 'main.tf'));
    await client.open(module, files[path.join('modules', 'backends', 'main.tf')]);
    const dev = fileUri(path.join(root, 'var-files', 'dev.tfvars'));
    const p = await client.waitForDiagnostics(dev, 'four APIM001 in dev.tfvars', (d) => d.diagnostics.length === 4);
    assert.deepEqual(codes(p.diagnostics), ['APIM001', 'APIM001', 'APIM001', 'APIM001']);
    const lines = files[path.join('var-files', 'dev.tfvars')].split('\n');
    for (const d of p.diagnostics) {
      assert.equal(lines[d.range.start.line].slice(d.range.start.character, d.range.end.character), 'false', 'on the literal false');
      assert.match(d.message, /\(In environment dev\.\)$/);
    }
    for (const other of ['staging', 'prod']) {
      const published = client.latest(fileUri(path.join(root, 'var-files', `${other}.tfvars`)));
      assert.deepEqual(published?.diagnostics ?? [], [], `${other}.tfvars has no findings`);
    }
  });

  test('the hover and the lens of the backend show per-environment values; editing dev.tfvars moves the findings', async (t) => {
    const files = workspaceFiles();
    const { client, root } = await startServer(t, files);
    await client.initialize(root);
    const rel = path.join('modules', 'backends', 'main.tf');
    const module = fileUri(path.join(root, rel));
    const text = files[rel];
    await client.open(module, text);
    const dev = fileUri(path.join(root, 'var-files', 'dev.tfvars'));
    await client.waitForDiagnostics(dev, 'four APIM001 in dev.tfvars', (d) => d.diagnostics.length === 4);

    const header = text.split('\n').findIndex((l) => l.startsWith('resource "azurerm_api_management_backend" "this"'));
    const hover = await client.connection.sendRequest<Hover>('textDocument/hover', {
      textDocument: { uri: module },
      position: { line: header, character: 10 },
    });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /- Chain validation: `false` in dev \(set at dev\.tfvars:2\); `true` in prod, staging \(set at prod\.tfvars:2, staging\.tfvars:2\)/);
    assert.match(value, /- URL: `https:\/\/orders\.dev\.contoso\.com\/api` in dev; `https:\/\/orders\.contoso\.com\/api` in prod;/);

    const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: module } });
    const title = lenses.find((l) => l.range.start.line === header && l.command?.title.startsWith('TLS:'))?.command?.title ?? '';
    assert.match(title, /orders: name checked, chain not in dev; default trust in prod, staging/);

    // The user turns validation back on for orders in dev: three findings remain.
    const devText = files[path.join('var-files', 'dev.tfvars')];
    await client.open(dev, devText);
    const line = devText.split('\n').findIndex((l) => l.includes('orders'));
    const character = devText.split('\n')[line].indexOf('false');
    const version = await client.change(dev, [{ range: { start: { line, character }, end: { line, character: character + 5 } }, text: 'true' }]);
    const after = await client.waitForDiagnostics(dev, `diagnostics for version ${version}`, (d) => d.version === version);
    assert.equal(after.diagnostics.length, 3);
    assert.ok(after.diagnostics.every((d) => d.range.start.line !== line));
  });
});
