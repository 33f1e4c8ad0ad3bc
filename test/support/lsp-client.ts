// A small LSP client for protocol tests: spawns the real server bundle (`node dist/server.js --stdio`), speaks
// JSON-RPC to it over the child's stdio, records every publishDiagnostics notification, and lets a test wait for a
// condition on what was recorded with a deadline instead of sleeping.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { REPO_ROOT } from './parser';

export const SERVER_BUNDLE = path.join(REPO_ROOT, 'dist', 'server.js');

/** How long a test waits for the server before it fails with a description of what it was waiting for. */
export const DEFAULT_DEADLINE_MS = 20_000;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class LspClient {
  /** Every publishDiagnostics notification in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  readonly versions = new Map<string, number>();
  stderr = '';
  /** $/progress notifications (work-done progress), in arrival order. */
  readonly progress: Array<{ token: string | number; value: { kind: 'begin' | 'report' | 'end'; message?: string } }> = [];
  /** window/logMessage texts (the server logs caught exceptions there). */
  readonly log: string[] = [];
  exit: Exit | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly exited: Promise<Exit>;

  private constructor(
    readonly child: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve(this.exit);
      });
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => (this.stderr += chunk));
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.published.push(params);
      this.notify();
    });
    // Requests a real client answers; the server may send them depending on the capabilities we declare.
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
    connection.onNotification('window/logMessage', (p: { message: string }) => this.log.push(p.message));
    connection.onNotification('$/progress', (p: LspClient['progress'][number]) => {
      this.progress.push(p);
      this.notify();
    });
    // A closed pipe after exit is expected; anything else shows up as a failed wait or request.
    connection.onError(() => undefined);
    connection.onClose(() => this.notify());
  }

  /** Starts `node dist/server.js --stdio`, or `executable --stdio` (an installed `apim-tls-lint-server`). */
  static start(extraArgs: string[] = [], executable?: string): LspClient {
    if (!executable && !fs.existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run \`npm run build\` first`);
    const [command, ...args] = executable ? [executable] : [process.execPath, SERVER_BUNDLE];
    const child = spawn(command, [...args, '--stdio', ...extraArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    connection.listen();
    return new LspClient(child, connection);
  }

  /** initialize + initialized, with `root` as rootUri and the only workspace folder. */
  async initialize(root: string | undefined, capabilities: Record<string, unknown> = {}): Promise<InitializeResult> {
    const rootUri = root === undefined ? null : fileUri(root);
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: path.basename(root!) }] : null,
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true, relatedInformation: true } }, ...capabilities },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async open(uri: string, text: string, version = 1, languageId = 'terraform'): Promise<void> {
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** Sends one didChange with the next version number and returns that version. */
  async change(uri: string, changes: TextDocumentContentChangeEvent[]): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** The diagnostics last published for `uri`, or undefined if none were. */
  latest(uri: string): PublishDiagnosticsParams | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i];
    return undefined;
  }

  history(uri: string): PublishDiagnosticsParams[] {
    return this.published.filter((p) => p.uri === uri);
  }

  /**
   * Resolves with the first truthy value of `probe`, which is re-evaluated whenever a notification arrives (and
   * once now); rejects after `ms` or when the server exits first, naming `what` and what was published.
   */
  waitFor<T>(what: string, probe: () => T | undefined | false | null, ms = DEFAULT_DEADLINE_MS): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        let value: T | undefined | false | null;
        try {
          value = probe();
        } catch (e) {
          finish();
          reject(e instanceof Error ? e : new Error(String(e)));
          return;
        }
        if (value) {
          finish();
          resolve(value);
        } else if (this.exit) {
          finish();
          reject(new Error(`the server exited (${JSON.stringify(this.exit)}) while waiting for ${what}\n${this.describe()}`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${ms} ms waiting for ${what}\n${this.describe()}`));
      }, ms);
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Waits until diagnostics for `uri` have been published and `probe` accepts the latest of them. */
  waitForDiagnostics(uri: string, what: string, probe: (p: PublishDiagnosticsParams) => boolean = () => true, ms?: number): Promise<PublishDiagnosticsParams> {
    return this.waitFor(
      `${what} (${uri})`,
      () => {
        const p = this.latest(uri);
        return p && probe(p) ? p : undefined;
      },
      ms,
    );
  }

  /** shutdown, then exit; resolves with how the process ended. */
  async shutdown(ms = DEFAULT_DEADLINE_MS): Promise<Exit> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    return this.waitExit(ms);
  }

  waitExit(ms = DEFAULT_DEADLINE_MS): Promise<Exit> {
    return Promise.race([
      this.exited,
      new Promise<Exit>((_, reject) => setTimeout(() => reject(new Error(`the server did not exit within ${ms} ms`)), ms).unref()),
    ]);
  }

  /** Ends the server whatever state it is in; for test teardown. */
  async dispose(): Promise<void> {
    if (!this.exit) {
      try {
        await Promise.race([this.shutdown(3000), new Promise((r) => setTimeout(r, 3000).unref())]);
      } catch {
        // Falls through to the kill below.
      }
    }
    if (!this.exit) this.child.kill('SIGKILL');
    this.connection.dispose();
  }

  describe(): string {
    const last = this.published.slice(-8).map((p) => `  ${p.uri} v${p.version ?? '-'}: ${summarize(p.diagnostics)}`);
    return [
      `published (${this.published.length}, last 8):`,
      ...last,
      this.log.length ? `log:\n${this.log.slice(-5).join('\n').slice(-3000)}` : '',
      this.stderr ? `stderr:\n${this.stderr.slice(-2000)}` : '',
    ].join('\n');
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }
}

export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}

export function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code)).sort();
}

export function summarize(diagnostics: Diagnostic[]): string {
  return diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`).join(', ') || '(none)';
}

/** Starts a server on a fresh temp workspace holding `files`; both are cleaned up after the test. */
export async function startServer(t: TestContext, files: Record<string, string | Buffer> = {}): Promise<{ client: LspClient; root: string }> {
  const root = makeWorkspace(files);
  const client = LspClient.start();
  t.after(async () => {
    await client.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });
  return { client, root };
}

/** Makes a fresh temp directory holding `files` (relative path → text) and returns its real path. */
export function makeWorkspace(files: Record<string, string | Buffer> = {}): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-')));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return root;
}
