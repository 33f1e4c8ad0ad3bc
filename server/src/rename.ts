// Rename of a backend (textDocument/prepareRename and textDocument/rename): the core plans one edit of its name and
// of every policy `backend-id` naming it, in open and closed files alike; this file only speaks LSP. A refusal is an
// error response whose message the editor shows.
import { ErrorCodes, ResponseError, type Connection, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver/node';
import { LineIndex } from './core/text';
import { toPath } from './documents';
import type { ServerState } from './server-state';

export function registerRename(connection: Connection, state: ServerState): void {
  const { documents, publisher } = state;
  const textOf = (file: string) => documents.get(file)?.getText() ?? state.workspace?.textOf(file);

  connection.onPrepareRename(({ textDocument, position }) => {
    const file = toPath(textDocument.uri);
    const text = textOf(file);
    if (!state.workspace || text === undefined) return null;
    const at = state.workspace.renameTargetAt(file, new LineIndex(text).offsetAt(position));
    if (!at) return null;
    if (!at.ok) throw new ResponseError(ErrorCodes.InvalidRequest, at.reason);
    const { span, name } = at.target;
    return { range: publisher.rangeIn(file, span.start, span.end), placeholder: name };
  });

  connection.onRenameRequest(({ textDocument, position, newName }): WorkspaceEdit => {
    const file = toPath(textDocument.uri);
    const text = textOf(file);
    if (!state.workspace || text === undefined) throw new ResponseError(ErrorCodes.InvalidRequest, 'The file is not known to apim-tls-lint.');
    const plan = state.workspace.planRename(file, new LineIndex(text).offsetAt(position), newName.trim());
    if (!plan.ok) throw new ResponseError(ErrorCodes.InvalidRequest, plan.reason);
    const changes: Record<string, TextEdit[]> = {};
    for (const e of plan.edits) (changes[documents.uriOf(e.file)] ??= []).push({ range: publisher.rangeIn(e.file, e.start, e.end), newText: e.newText });
    return { changes };
  });
}
