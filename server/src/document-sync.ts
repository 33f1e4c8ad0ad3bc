// Document sync: the editor's open, change and close notifications, turned into workspace updates and lints. The
// configuration file and JSON that is no template are recognised here; everything else goes to the workspace.
import type { Connection } from 'vscode-languageserver/node';
import type { WorkspaceIndex } from './indexing';
import { guarded, type ServerState } from './server-state';

export function registerDocumentSync(connection: Connection, state: ServerState, index: WorkspaceIndex): void {
  const { documents, scheduler } = state;

  connection.onDidOpenTextDocument(
    guarded(state, 'didOpen', ({ textDocument }) => {
      const { file, doc } = documents.open(textDocument.uri, textDocument.languageId, textDocument.version, textDocument.text);
      if (index.isConfigPath(file)) return index.onConfigChanged();
      const workspace = state.workspace;
      if (!workspace || !workspace.formatOf(file)) return;
      // Unrelated JSON (package.json, settings) is never linted; the index may have read the disk text before.
      if (!index.isLinted(file, doc.getText())) return index.drop(file);
      // The first diagnostics must not wait for the whole workspace: read this file's own module now.
      index.readSiblings(file);
      workspace.openFile(file, doc.getText());
      scheduler.schedule(file);
    }),
  );

  connection.onDidChangeTextDocument(
    guarded(state, 'didChange', ({ textDocument, contentChanges }) => {
      const changed = documents.change(textDocument.uri, textDocument.version, contentChanges);
      if (!changed) return;
      const { file, doc, changes } = changed;
      if (index.isConfigPath(file)) return index.onConfigChanged();
      const workspace = state.workspace;
      if (!workspace || !workspace.formatOf(file)) return;
      // A JSON document becomes a template, or stops being one, when its $schema is typed or removed.
      if (!index.isLinted(file, doc.getText())) return index.drop(file);
      if (!workspace.has(file)) {
        index.readSiblings(file);
        workspace.openFile(file, doc.getText());
      } else workspace.editFile(file, changes);
      scheduler.schedule(file);
    }),
  );

  connection.onDidCloseTextDocument(
    guarded(state, 'didClose', ({ textDocument }) => {
      const file = documents.close(textDocument.uri);
      if (index.isConfigPath(file)) return index.onConfigChanged();
      const workspace = state.workspace;
      if (!workspace || !workspace.formatOf(file)) return;
      workspace.closeFile(file);
      const disk = index.readDisk(file);
      if (disk === undefined) return index.drop(file);
      workspace.setFile(file, disk);
      scheduler.schedule(file);
    }),
  );
}
