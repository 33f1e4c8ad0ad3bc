// Expiring suppressions through the real server over stdio, on its real clock: an expired directive is a diagnostic
// linking the suppression page, the finding it held back is published again, and the code actions offer
// "Suppress … until" thirty days ahead.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { fileUri, startServer } from '../support/lsp-client';

const backend = (tls: string) => `resource "azurerm_api_management_backend" "staging" {
  name                = "staging"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://staging.contoso.com"
  tls {
${tls}  }
}
`;

describe('expiring suppressions over LSP', () => {
  test('an expired directive is marked and its finding is back; a bad date is a warning on the directive', async (t) => {
    const { client, root } = await startServer(t, {});
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    await client.open(
      uri,
      backend(
        '    # apim-tls-lint-disable-next-line APIM001 until 2020-01-31 -- staging\n    validate_certificate_chain = false\n' +
          '    # apim-tls-lint-disable-next-line APIM002 until 2026-02-30\n    validate_certificate_name = false\n',
      ),
    );
    const p = await client.waitForDiagnostics(uri, 'the expired and the invalid directive', (p) => p.diagnostics.length === 4);
    const diagnostics = [...p.diagnostics].sort((a, b) => a.range.start.line - b.range.start.line);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['expired-suppression', 'APIM001', 'invalid-suppression', 'APIM002'],
    );
    const [expired, back, invalid] = diagnostics;
    assert.deepEqual(expired.range, { start: { line: 7, character: 52 }, end: { line: 7, character: 62 } });
    assert.equal(expired.severity, 3, 'information');
    assert.match(expired.codeDescription!.href, /\/docs\/suppression\.md$/);
    assert.match(back.message, /Its suppression expired on 2020-01-31\.$/);
    assert.deepEqual(
      back.relatedInformation?.map((r) => [r.location.range.start, r.message]),
      [[{ line: 7, character: 52 }, 'The expired suppression']],
    );
    assert.equal(invalid.severity, 2, 'warning');
    assert.match(invalid.message, /^"2026-02-30" is not a date/);
    assert.match(invalid.codeDescription!.href, /\/docs\/suppression\.md$/);
  });

  test('a finding offers "Suppress <id> until" thirty days from today, which the server then honours', async (t) => {
    const { client, root } = await startServer(t, {});
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    const text = backend('    validate_certificate_chain = false\n');
    await client.open(uri, text);
    const p = await client.waitForDiagnostics(uri, 'APIM001', (p) => p.diagnostics.some((d) => d.code === 'APIM001'));
    const diagnostic = p.diagnostics[0];
    const before = Date.now();
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ['quickfix'] },
    });
    // The server's day, whichever side of midnight (UTC) the request fell on.
    const days = [before, Date.now()].map((ms) => new Date(ms + 30 * 86_400_000).toISOString().slice(0, 10));
    const until = actions.find((a) => /^Suppress APIM001 until \d{4}-\d{2}-\d{2}$/.test(a.title));
    assert.ok(until, `a dated suppression among: ${actions.map((a) => a.title).join(' | ')}`);
    const date = until.title.slice(-10);
    assert.ok(days.includes(date), `${date} is 30 days from today`);
    assert.notEqual(until.isPreferred, true);
    const written = TextDocument.applyEdits(TextDocument.create(uri, 'terraform', 1, text), until.edit!.changes![uri]);
    assert.match(written, new RegExp(`\\n {4}# apim-tls-lint-disable-next-line APIM001 until ${date}\\n {4}validate_certificate_chain = false\\n`));
    const version = await client.change(uri, [{ text: written }]);
    const after = await client.waitForDiagnostics(uri, 'the suppressed version', (p) => p.version === version);
    assert.deepEqual(after.diagnostics, []);
  });
});
