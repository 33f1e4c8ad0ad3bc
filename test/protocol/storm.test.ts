// An edit storm per format through the real server bundle over stdio: a fixed-seed random script of incremental
// edits (flipped literals, typing, deletions undone later, multi-cursor changes sent in the order VS Code sends
// them, whole-text replacements), sent back to back, several changes in one notification at times. Afterwards the
// diagnostics published for the latest version must equal those of a fresh open of the final text (DESIGN §8).
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { fileUri, startServer, summarize } from '../support/lsp-client';

/** One step of the script: positions are fractions (millionths) of the text as it is when the step runs. */
type Step =
  | { op: 'flip'; which: number }
  | { op: 'type'; at: number; text: string; together: boolean }
  | { op: 'delete'; at: number; length: number }
  | { op: 'undo'; count: number }
  | { op: 'multi-cursor'; cursors: number[]; text: string }
  | { op: 'replace-all' }
  | { op: 'newline'; at: number; text: string };

const BACKEND_COUNT = 6;

const FORMATS = [
  {
    name: 'Terraform',
    file: 'main.tf',
    languageId: 'terraform',
    text: Array.from(
      { length: BACKEND_COUNT },
      (_, i) => `# note ${i}
resource "azurerm_api_management_backend" "b${i}" {
  name                = "b${i}"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "${i % 2 ? 'http' : 'https'}://b${i}.contoso.com/api"

  tls {
    validate_certificate_chain = ${i % 3 ? 'false' : 'true'}
    validate_certificate_name  = false
  }
}
`,
    ).join('\n'),
    halfTyped: ['validate_certificate_chain = fal', 'tls {', '"', 'url = "http://x', '}'],
  },
  {
    name: 'ARM template',
    file: 'azuredeploy.json',
    languageId: 'json',
    text: `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  // note
  "resources": [
${Array.from(
  { length: BACKEND_COUNT },
  (_, i) => `    {
      "type": "Microsoft.ApiManagement/service/backends",
      "apiVersion": "2024-05-01",
      "name": "apim-contoso/b${i}",
      "properties": {
        "protocol": "http",
        "url": "${i % 2 ? 'http' : 'https'}://b${i}.contoso.com/api",
        "tls": { "validateCertificateChain": ${i % 3 ? 'false' : 'true'}, "validateCertificateName": false }
      }
    }`,
).join(',\n')}
  ]
}
`,
    halfTyped: ['"validateCertificateChain": fal', '{', '"', '"url": "http://x', ']'],
  },
  {
    name: 'Bicep',
    file: 'main.bicep',
    languageId: 'bicep',
    text:
      `resource apim 'Microsoft.ApiManagement/service@2024-05-01' existing = {\n  name: 'apim-contoso'\n}\n\n` +
      Array.from(
        { length: BACKEND_COUNT },
        (_, i) => `// note ${i}
resource b${i} 'Microsoft.ApiManagement/service/backends@2024-05-01' = {
  parent: apim
  name: 'b${i}'
  properties: {
    protocol: 'http'
    url: '${i % 2 ? 'http' : 'https'}://b${i}.contoso.com/api'
    tls: {
      validateCertificateChain: ${i % 3 ? 'false' : 'true'}
      validateCertificateName: false
    }
  }
}
`,
      ).join('\n'),
    halfTyped: ['validateCertificateChain: fal', '{', "'", "url: 'http://x", '}'],
  },
];

const at = () => fc.integer({ min: 0, max: 1_000_000 });
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('flip' as const), which: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('type' as const),
      at: at(),
      text: fc.constantFrom('x', 'ab', 'tls', ' ', '\n', '{', '"', "'", '#'),
      together: fc.boolean(),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: at(), length: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('undo' as const), count: fc.integer({ min: 1, max: 3 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('multi-cursor' as const),
      cursors: fc.array(at(), { minLength: 2, maxLength: 4 }),
      text: fc.constantFrom('z', ' ', '\n'),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'replace-all' as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('newline' as const), at: at(), text: fc.nat({ max: 4 }).map(String) }) },
);

const STEPS = 150;
const SEED = 424_242;

describe('edit storms over stdio: the latest version ends with the diagnostics of a fresh open', () => {
  FORMATS.forEach((format, formatIndex) => {
    test(`${format.name}: ${STEPS} random edits sent back to back`, async (t) => {
      const [script] = fc.sample(fc.array(stepArb, { minLength: STEPS, maxLength: STEPS }), { seed: SEED + formatIndex, numRuns: 1 });
      const { client, root } = await startServer(t);
      await client.initialize(root);
      const uri = fileUri(path.join(root, format.file));
      await client.open(uri, format.text, 1, format.languageId);
      await client.waitForDiagnostics(uri, 'the first diagnostics', (p) => p.version === 1);

      let doc = TextDocument.create(uri, format.languageId, 1, format.text);
      // Each notification's inverse, as an editor's undo stack holds it: Ctrl+Z sends it back.
      const undo: TextDocumentContentChangeEvent[][] = [];
      const sends: Array<Promise<number>> = [];
      const send = (changes: TextDocumentContentChangeEvent[], record = true) => {
        const inverse: TextDocumentContentChangeEvent[] = [];
        for (const change of changes) {
          const before = doc.getText();
          if ('range' in change) {
            const start = doc.offsetAt(change.range.start);
            const end = doc.offsetAt(change.range.end);
            doc = TextDocument.update(doc, [change], doc.version);
            inverse.unshift({ range: { start: doc.positionAt(start), end: doc.positionAt(start + change.text.length) }, text: before.slice(start, end) });
          } else {
            doc = TextDocument.update(doc, [change], doc.version);
            inverse.unshift({ text: before });
          }
        }
        doc = TextDocument.create(uri, format.languageId, doc.version + 1, doc.getText());
        if (record) undo.push(inverse);
        // Not awaited one by one: notifications leave back to back, as fast typing sends them.
        sends.push(client.change(uri, changes));
      };
      const range = (start: number, end: number) => ({ start: doc.positionAt(start), end: doc.positionAt(end) });
      const offset = (fraction: number) => Math.floor((fraction / 1_000_000) * doc.getText().length);
      const flip = (which: number) => {
        const literals = [...doc.getText().matchAll(/\b(true|false)\b/g)];
        if (!literals.length) return;
        const m = literals[which % literals.length];
        send([{ range: range(m.index, m.index + m[0].length), text: m[0] === 'true' ? 'false' : 'true' }]);
      };

      for (const step of script) {
        const text = doc.getText();
        switch (step.op) {
          case 'flip':
            flip(step.which);
            break;
          case 'undo':
            for (let k = 0; k < step.count && undo.length; k++) send(undo.pop()!, false);
            break;
          case 'type': {
            const start = offset(step.at);
            const chars = [...step.text];
            // Typed one character per change: all in one notification (as a slow client batches them) or one each.
            if (step.together) {
              send(
                chars.map((c, k) => {
                  const p = positionAfter(doc, start, chars.slice(0, k).join(''));
                  return { range: { start: p, end: p }, text: c };
                }),
              );
            } else chars.forEach((c, k) => send([{ range: range(start + k, start + k), text: c }]));
            break;
          }
          case 'delete': {
            const start = offset(step.at);
            const end = Math.min(text.length, start + step.length);
            if (end > start) send([{ range: range(start, end), text: '' }]);
            break;
          }
          case 'multi-cursor': {
            // VS Code sends a multi-cursor edit as one notification, the cursors from the last to the first: each
            // range then holds in the text as the changes before it in the array left it.
            const cursors = [...new Set(step.cursors.map(offset))].sort((a, b) => b - a);
            send(cursors.map((c) => ({ range: range(c, c), text: step.text })));
            break;
          }
          case 'replace-all':
            send([{ text: text.endsWith('\n\n') ? text.slice(0, -1) : `${text}\n` }]);
            break;
          case 'newline': {
            const start = text.lastIndexOf('\n', offset(step.at)) + 1;
            const typed = format.halfTyped[Number(step.text) % format.halfTyped.length];
            send([{ range: range(start, start), text: `${typed}\n` }]);
            break;
          }
        }
      }
      // Ctrl+Z held down to the opened text, then a few literals flipped: a final text with findings to compare.
      while (undo.length) send(undo.pop()!, false);
      assert.equal(doc.getText(), format.text, 'the undo stack leads back to the opened text');
      for (let k = 0; k < 7; k++) flip(k * 5);
      await Promise.all(sends);
      const last = doc.version;

      // Two request round trips: the notifications before them are handled, and so is the lint each one scheduled.
      const settle = async () => {
        for (let k = 0; k < 2; k++) await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
      };
      await settle();
      // The final text may not be a template or relevant file any more: then the last word is a clear (no version).
      const final = await client.waitForDiagnostics(
        uri,
        `diagnostics for version ${last}, or a clear`,
        (p) => p.version === last || (p.version === undefined && p.diagnostics.length === 0),
        60_000,
      );
      await settle();
      assert.equal(client.latest(uri), final, 'nothing was published after the latest version');
      const versions = client.history(uri).flatMap((p) => (p.version === undefined ? [] : [p.version]));
      assert.deepEqual(
        versions,
        [...versions].sort((a, b) => a - b),
        'versions are published in order',
      );

      const freshUri = fileUri(path.join(root, 'fresh', format.file));
      await client.open(freshUri, doc.getText(), 1, format.languageId);
      await settle();
      const fresh = client.latest(freshUri);
      if (fresh) assert.equal(fresh.version, 1);
      t.diagnostic(`${format.name}: ${last} versions; final (v${final.version ?? '-'}): ${summarize(final.diagnostics)}`);
      assert.ok((fresh?.diagnostics.length ?? 0) > 0, 'the final text has findings to compare');
      assert.deepEqual(normalize(final.diagnostics, uri), normalize(fresh?.diagnostics ?? [], freshUri));
      assert.ok(!client.log.some((l) => / failed: /.test(l)), client.log.filter((l) => / failed: /.test(l)).join('\n'));
    });
  });
});

/** The position `inserted` ends at when typed at `offset` of `doc` (the document as it was before the typing). */
function positionAfter(doc: TextDocument, offset: number, inserted: string): { line: number; character: number } {
  const start = doc.positionAt(offset);
  const lines = inserted.split('\n');
  return lines.length === 1
    ? { line: start.line, character: start.character + inserted.length }
    : { line: start.line + lines.length - 1, character: lines[lines.length - 1].length };
}

/** Diagnostics with the document's own URI written the same way, in a stable order. */
function normalize(diagnostics: Diagnostic[], uri: string): unknown {
  const text = JSON.stringify(diagnostics).split(JSON.stringify(uri).slice(1, -1)).join('<doc>');
  return (JSON.parse(text) as Diagnostic[]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
