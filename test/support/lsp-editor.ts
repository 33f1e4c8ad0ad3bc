// The editor side of a protocol test's client: its copies of the documents it opened, kept in step with what it sends,
// and the answer to workspace/applyEdit (apply, send didChange or didOpen, reply applied), as VS Code does.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ApplyWorkspaceEditParams } from 'vscode-languageserver-protocol';
import type { LspClient } from './lsp-client';

/**
 * The editor side of the test client: its copies of the documents it opened, kept in step with what it sends,
 * and the answer to workspace/applyEdit (apply, send didChange or didOpen, reply applied).
 */
export class Editor {
  readonly docs = new Map<string, TextDocument>();
  readonly applied: ApplyWorkspaceEditParams[] = [];

  constructor(private readonly client: LspClient) {
    client.connection.onRequest('workspace/applyEdit', async (params: ApplyWorkspaceEditParams) => {
      this.applied.push(params);
      for (const [uri, edits] of Object.entries(params.edit.changes ?? {})) {
        const doc = this.docs.get(uri);
        if (doc) {
          // The edits of a WorkspaceEdit all refer to the text before them; VS Code sends them in one didChange, last
          // first, so that applying them one after another leaves the earlier ranges valid.
          const text = TextDocument.applyEdits(doc, edits);
          const sorted = [...edits].sort((a, b) => doc.offsetAt(b.range.start) - doc.offsetAt(a.range.start));
          this.docs.set(uri, TextDocument.create(uri, doc.languageId, doc.version + 1, text));
          await client.change(
            uri,
            sorted.map((e) => ({ range: e.range, text: e.newText })),
          );
        } else {
          // VS Code opens a file the edit touches; the server hears a didOpen with the edited text.
          const disk = TextDocument.create(uri, 'terraform', 0, fs.readFileSync(fileURLToPath(uri), 'utf8'));
          const text = TextDocument.applyEdits(disk, edits);
          await this.open(uri, text);
        }
      }
      return { applied: true };
    });
  }

  async open(uri: string, text: string): Promise<void> {
    this.docs.set(uri, TextDocument.create(uri, 'terraform', 1, text));
    await this.client.open(uri, text, 1);
  }

  text(uri: string): string {
    const doc = this.docs.get(uri);
    assert.ok(doc, `${uri} is open`);
    return doc.getText();
  }

  version(uri: string): number {
    return this.docs.get(uri)!.version;
  }

  positionOf(uri: string, needle: string) {
    const doc = this.docs.get(uri)!;
    const at = doc.getText().indexOf(needle);
    assert.ok(at >= 0, `"${needle}" is in ${uri}`);
    return doc.positionAt(at + 1);
  }
}
