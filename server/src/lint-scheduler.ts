// When to lint and what: changes that arrive together are linted once, against the latest text, and the result is
// published for every file it covered; an open document the lint no longer covers is published empty for its new
// version. A file whose lint was slow (a Bicep file that spends its parse budget) waits for typing to pause, so that
// an edit storm does not pay for one slow lint per keystroke.
import { CodeLensRefreshRequest, type Connection } from 'vscode-languageserver/node';
import type { Finding } from './core/types';
import type { LintResult, Workspace } from './core/workspace';
import type { DiagnosticsPublisher } from './diagnostics';
import type { OpenDocuments } from './documents';

/** A lint slower than this makes the next lint of the same files wait for a pause in the edits. */
const SLOW_LINT_MS = 100;
/** The longest pause waited for, and the longest a pending change waits in all. */
const MAX_QUIET_MS = 500;
const MAX_WAIT_MS = 2000;

export class LintScheduler {
  private readonly pending = new Set<string>();
  private all = false;
  private immediate = false;
  private timer: NodeJS.Timeout | undefined;
  private firstPending = 0;
  /** How long the last lint of each file took. */
  private readonly durations = new Map<string, number>();

  constructor(
    private readonly connection: Connection,
    private readonly workspace: () => Workspace | undefined,
    private readonly documents: OpenDocuments,
    private readonly publisher: DiagnosticsPublisher,
    private readonly lensRefresh: () => boolean,
    /** Called after each lint that published something (the inventory view asks again then). */
    private readonly afterLint: () => void = () => undefined,
  ) {}

  schedule(file: string): void {
    this.pending.add(file);
    this.kick();
  }

  scheduleAll(): void {
    this.all = true;
    this.kick();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private kick(): void {
    const now = performance.now();
    if (!this.immediate && this.timer === undefined) this.firstPending = now;
    const quiet = this.all ? 0 : Math.min(MAX_QUIET_MS, Math.max(0, ...[...this.pending].map((f) => (this.durations.get(f) ?? 0) / 2)));
    if (quiet * 2 < SLOW_LINT_MS) {
      if (this.immediate) return;
      clearTimeout(this.timer);
      this.timer = undefined;
      this.immediate = true;
      setImmediate(() => this.run());
      return;
    }
    // Each change moves the lint back, up to a limit: typing into a slow file is linted when the typing pauses.
    if (this.immediate) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), Math.max(0, Math.min(quiet, this.firstPending + MAX_WAIT_MS - now)));
  }

  private run(): void {
    this.immediate = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    const workspace = this.workspace();
    if (!workspace) return;
    const all = this.all;
    const paths = [...this.pending];
    this.all = false;
    this.pending.clear();
    let result: LintResult;
    const began = performance.now();
    try {
      result = all ? workspace.lint() : workspace.lint(paths);
    } catch (e) {
      // Diagnostics must belong to the latest version: replace the stale ones instead of leaving them up.
      this.connection.console.error(`lint failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      for (const file of new Set([...paths, ...(all ? this.documents.files() : [])])) if (workspace.has(file)) this.publisher.publishFailure(file);
      return;
    }
    if (!all) for (const p of paths) this.durations.set(p, performance.now() - began);
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) {
      const list = byFile.get(f.file) ?? [];
      list.push(f);
      byFile.set(f.file, list);
    }
    const covered = new Set(result.files);
    for (const file of covered) this.publisher.publish(file, byFile.get(file) ?? []);
    // What the lint did not cover has nothing to show: a file gone or ignored, or one whose new text yields no model.
    const uncovered = new Set(paths);
    if (all) for (const p of [...this.publisher.publishedFiles(), ...this.documents.files()]) uncovered.add(p);
    for (const p of uncovered) if (!covered.has(p) && (workspace.has(p) || this.publisher.hasPublished(p))) this.publisher.settle(p);
    // A change in one file (an overlay, a tfvars value) can change the lens of a backend in another.
    if (this.lensRefresh()) this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    this.afterLint();
  }
}
