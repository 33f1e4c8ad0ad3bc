// The documents the editor has open, as the editor sees them (text and version), and the two ways of naming a file:
// the client's URI and the workspace's path. Applying the editor's changes here gives the offsets the core needs.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { TextChange } from './core/source-format';

export class OpenDocuments {
  private readonly docs = new Map<string, TextDocument>();

  open(uri: string, languageId: string, version: number, text: string): { file: string; doc: TextDocument } {
    const file = toPath(uri);
    const doc = TextDocument.create(uri, languageId, version, text);
    this.docs.set(file, doc);
    return { file, doc };
  }

  /** Applies the editor's changes in order; the offsets of each are in the text as it was before that change. */
  change(
    uri: string,
    version: number,
    events: readonly TextDocumentContentChangeEvent[],
  ): { file: string; doc: TextDocument; changes: TextChange[] } | undefined {
    const file = toPath(uri);
    let current = this.docs.get(file);
    if (!current) return undefined;
    const changes: TextChange[] = [];
    for (const event of events) {
      if ('range' in event) changes.push({ start: current.offsetAt(event.range.start), end: current.offsetAt(event.range.end), text: event.text });
      else changes.push({ start: 0, end: current.getText().length, text: event.text });
      current = TextDocument.update(current, [event], version);
    }
    this.docs.set(file, current);
    return { file, doc: current, changes };
  }

  close(uri: string): string {
    const file = toPath(uri);
    this.docs.delete(file);
    return file;
  }

  get(file: string): TextDocument | undefined {
    return this.docs.get(file);
  }

  has(file: string): boolean {
    return this.docs.has(file);
  }

  files(): string[] {
    return [...this.docs.keys()];
  }

  /** The URI the client uses for a file: its own for an open document. */
  uriOf(file: string): string {
    return this.docs.get(file)?.uri ?? toUri(file);
  }
}

export function toPath(uri: string): string {
  const parsed = URI.parse(uri);
  return parsed.scheme === 'file' ? parsed.fsPath.replace(/\\/g, '/') : uri;
}

export function toUri(file: string): string {
  return file.startsWith('/') ? URI.file(file).toString() : file;
}
