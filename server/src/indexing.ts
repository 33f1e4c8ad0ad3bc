// The files the editor has not opened: the workspace folder read at start (so findings show in a .tfvars or a
// parameters file nobody opened), kept current by the client's file watcher, and the configuration file. What it does
// is logged to the client's output channel: how many files were read and how long it took, and each config load.
import * as path from 'node:path';
import { FileChangeType, type FileEvent } from 'vscode-languageserver/node';
import { isCertificateFile } from './core/certificates/files';
import { readCertificates } from './core/certificates/read';
import { CONFIG_FILE_NAME, defaultConfig, parseConfig } from './core/config';
import { formatFor, isLintedFile, isLintedText } from './core/formats';
import { RULE_IDS } from './core/rules';
import { toPath } from './documents';
import type { ServerState } from './server-state';
import { readCertificateFile, readLintedFile, readTextFile, walkFiles } from './workspace-files';

/** A guard against walking a home directory or a monorepo of generated files for ever. */
const MAX_FILES = 20000;

/** Reading pauses for other messages this often, so that a large folder never keeps a keystroke waiting long. */
const SLICE_MS = 20;

export class WorkspaceIndex {
  constructor(private readonly state: ServerState) {}

  /**
   * Reads every linted file below the root. JSON that is neither an ARM template nor a parameters file is left out
   * after reading its head. Large folders report work-done progress.
   */
  async index(): Promise<void> {
    const { connection, workspace, rootDir, documents } = this.state;
    if (!rootDir || !workspace) return;
    const began = performance.now();
    const progress = this.state.progress ? await connection.window.createWorkDoneProgress() : undefined;
    progress?.begin('APIM TLS Lint', 0, 'Indexing Terraform, ARM and Bicep files', false);
    let linted = 0;
    let certificates = 0;
    try {
      let slice = performance.now();
      for (const file of walkFiles(rootDir, rootDir, { isIgnored: (p, isDir) => workspace.isIgnored(isDir ? `${p}/` : p) })) {
        if (linted + certificates >= MAX_FILES) break;
        const key = file.path.replace(/\\/g, '/');
        if (file.format) {
          // The editor may have opened the file while it was being read: its text wins over the disk's.
          const text = documents.has(key) ? undefined : readLintedFile(key);
          if (text !== undefined && !documents.has(key)) workspace.setFile(key, text);
          linted++;
        } else if (file.certificate) {
          this.loadCertificates(key);
          certificates++;
        }
        if (performance.now() - slice > SLICE_MS) {
          progress?.report(`${linted + certificates} files read`);
          await new Promise((resolve) => setImmediate(resolve));
          slice = performance.now();
        }
      }
    } finally {
      progress?.done();
    }
    const ms = Math.round(performance.now() - began);
    connection.console.info(`Indexed ${rootDir}: ${linted} Terraform, ARM and Bicep files and ${certificates} certificate files in ${ms} ms.`);
    this.state.scheduler.scheduleAll();
  }

  /** The client's file watcher: files changed on disk that the editor does not have open. */
  onWatchedFiles(changes: readonly FileEvent[]): void {
    const { workspace, documents, scheduler } = this.state;
    for (const change of changes) {
      const file = toPath(change.uri);
      if (this.isConfigPath(file)) {
        this.onConfigChanged();
        continue;
      }
      if (workspace && isCertificateFile(file)) {
        // Any pin in any module may name this certificate, so everything is linted again.
        if (change.type === FileChangeType.Deleted) workspace.setCertificates(file, []);
        else this.loadCertificates(file);
        scheduler.scheduleAll();
        continue;
      }
      if (!workspace || !isLintedFile(file) || documents.has(file)) continue;
      const text = change.type === FileChangeType.Deleted ? undefined : readLintedFile(file);
      if (text === undefined) {
        this.drop(file);
        continue;
      }
      if (workspace.isIgnored(file)) continue;
      workspace.setFile(file, text);
      scheduler.schedule(file);
    }
  }

  /**
   * The first diagnostics of an opened file must not wait for the whole workspace: its family of files (a Terraform
   * module's folder; a template's parameters file, .bicepparam or modules beside it) is read now.
   */
  readSiblings(file: string): void {
    const { workspace, documents } = this.state;
    const format = formatFor(file, workspace?.formats() ?? []);
    if (!workspace || !format || !file.startsWith('/')) return;
    const dir = path.dirname(file);
    for (const sibling of walkFiles(dir, dir, { isIgnored: (p, isDir) => isDir || workspace.isIgnored(p) })) {
      const key = sibling.path.replace(/\\/g, '/');
      if (key === file || documents.has(key) || workspace.has(key) || sibling.format?.family !== format.family) continue;
      const text = readLintedFile(key);
      if (text !== undefined) workspace.setFile(key, text);
    }
  }

  /**
   * Forgets a file that is gone or is no longer linted (JSON whose $schema is not a template's). What it fed (values
   * of a module, parameters of a template) is not known once it is gone, so everything is linted again.
   */
  drop(file: string): void {
    const { workspace, publisher, scheduler } = this.state;
    if (!workspace) return;
    const had = workspace.has(file);
    workspace.removeFile(file);
    publisher.clear(file);
    if (had) scheduler.scheduleAll();
  }

  /** A file's text on disk, if a format of the workspace claims it. */
  readDisk(file: string): string | undefined {
    return readLintedFile(file, this.state.workspace?.formats());
  }

  /** Whether an open document's text is the linter's to read: JSON only when it is a template or parameters file. */
  isLinted(file: string, text: string): boolean {
    return isLintedText(file, text, this.state.workspace?.formats());
  }

  /** Reads `.apim-tls-lint.json` (the open document's text, else the disk's) into the workspace, and says so. */
  readConfig(): void {
    const { workspace, rootDir, documents, publisher, connection } = this.state;
    if (!rootDir || !workspace) return;
    const file = path.join(rootDir, CONFIG_FILE_NAME).replace(/\\/g, '/');
    const text = documents.get(file)?.getText() ?? readTextFile(file);
    if (text === undefined) {
      workspace.setConfig(defaultConfig(), rootDir);
      publisher.publishConfigProblems(file, '', []);
      connection.console.info(`No ${CONFIG_FILE_NAME} in ${rootDir}: the default configuration applies.`);
      return;
    }
    const { config, problems } = parseConfig(text, RULE_IDS);
    workspace.setConfig(config, rootDir);
    publisher.publishConfigProblems(file, text, problems);
    if (problems.length === 0) connection.console.info(`Read the configuration from ${file}.`);
    else {
      const first = problems[0].message;
      connection.console.warn(
        `The configuration ${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'} (${first}${problems.length > 1 ? ', …' : ''}); the rest of it applies.`,
      );
    }
  }

  onConfigChanged(): void {
    const before = JSON.stringify(this.state.workspace?.getConfig().ignore);
    this.readConfig();
    // Files that were ignored until now have never been read: walk the workspace again.
    if (JSON.stringify(this.state.workspace?.getConfig().ignore) !== before) {
      this.index().catch((e) => this.state.connection.console.error(`Indexing the workspace failed: ${String(e)}`));
    } else this.state.scheduler.scheduleAll();
  }

  isConfigPath(file: string): boolean {
    return !!this.state.rootDir && file === `${this.state.rootDir}/${CONFIG_FILE_NAME}`;
  }

  /** Reads a workspace certificate file; refused files (a private key, say) contribute nothing and are not logged. */
  private loadCertificates(file: string): void {
    const { workspace } = this.state;
    if (!workspace || workspace.isIgnored(file)) return;
    const bytes = readCertificateFile(file);
    const result = bytes ? readCertificates(bytes, file) : undefined;
    workspace.setCertificates(file, result?.ok ? result.certificates : []);
  }
}
