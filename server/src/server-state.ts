// What the parts of the server share: the connection, the open documents, the workspace (once initialized), where
// diagnostics go and when lints run. Each part (document sync, indexing, features) reads it; startServer builds it.
import type { Connection } from 'vscode-languageserver/node';
import type { Workspace } from './core/workspace';
import type { DiagnosticsPublisher } from './diagnostics';
import type { OpenDocuments } from './documents';
import type { LintScheduler } from './lint-scheduler';

export interface ServerState {
  readonly connection: Connection;
  readonly documents: OpenDocuments;
  readonly publisher: DiagnosticsPublisher;
  readonly scheduler: LintScheduler;
  /** Set when the client has initialized the server (the parsers are loaded then). */
  workspace?: Workspace;
  /** The workspace folder, when the client opened one on disk. */
  rootDir?: string;
  /** What the client supports. */
  progress: boolean;
  lensRefresh: boolean;
}

/** Runs a handler; an exception is logged and the request answered with nothing, never a dead server. */
export function guarded<A extends unknown[], R>(state: ServerState, what: string, fn: (...args: A) => R): (...args: A) => R | undefined {
  return (...args: A): R | undefined => {
    try {
      return fn(...args);
    } catch (e) {
      state.connection.console.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return undefined;
    }
  };
}
