// What a CLI run read from each Terraform file, kept for the next run in the same folder: most of a large workspace's
// lint is tree-sitter parsing, and a pre-commit hook or a developer's re-run lints the same files again with one or two
// changed. Entries are keyed by the file's kind and a hash of its text, and the cache file by the bundle (its size and
// time), so an edited file or another build of the CLI is read afresh; only what this run read is written back, and
// only when that changed. The cache sits beside the compile cache (bin.ts), in a folder of the user's own below the
// temporary folder; anything wrong with it (missing, unreadable, from another version) only costs the reads.
// `APIM_TLS_LINT_CACHE=0` turns it off.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { isVarFile } from '../core/terraform/module';
import type { ClosedRead } from '../core/terraform/read-closed';
import { userCacheDir } from './user-cache-dir';

export const READ_CACHE_ENV = 'APIM_TLS_LINT_CACHE';

/** Bumped when the shape of what is cached changes. */
const FORMAT = 'apim-tls-lint-read-cache-1';

export class ReadCache {
  private readonly kept: Map<string, ClosedRead>;
  private readonly used = new Map<string, ClosedRead>();
  /** Reads taken from the cache and made afresh in this run (for tests). */
  hits = 0;
  misses = 0;

  /**
   * The cache of runs in `cwd` of the bundle `bundle` (the running cli-main.js); undefined when it is off, when the CLI
   * does not run from its bundle (tests and a compiled checkout, whose modules change under one file name), or when
   * no folder of the user's own can be had.
   */
  static open(cwd: string, bundle: string, env: Readonly<Record<string, string | undefined>>): ReadCache | undefined {
    if (env[READ_CACHE_ENV] === '0' || path.basename(bundle) !== 'cli-main.js') return undefined;
    const dir = userCacheDir('apim-tls-lint-read-cache');
    if (dir === undefined) return undefined;
    try {
      const stat = fs.statSync(bundle);
      const key = hash(`${FORMAT}\0${bundle}\0${stat.size}\0${stat.mtimeMs}\0${path.resolve(cwd)}`);
      return new ReadCache(path.join(dir, `${key}.bin`));
    } catch {
      return undefined;
    }
  }

  constructor(private readonly file: string) {
    this.kept = load(file);
  }

  /** What `readFresh` would read from this file's text: from the cache when this text was read before. */
  read(filePath: string, text: string, readFresh: () => ClosedRead): ClosedRead {
    const key = hash(`${isVarFile(filePath) ? 'var' : 'config'}\0${text}`);
    let read = this.used.get(key) ?? this.kept.get(key);
    if (read) this.hits++;
    else {
      read = readFresh();
      this.misses++;
    }
    this.used.set(key, read);
    return read;
  }

  /**
   * Writes what this run read, when it differs from what was there: beside, then renamed, so a reader sees all or
   * nothing. Caches of folders not linted for a week are removed then (looked for once a day).
   */
  save(): void {
    if (this.used.size === this.kept.size && [...this.used.keys()].every((k) => this.kept.has(k))) {
      // Unchanged: its time says it is in use, so that pruning keeps it.
      try {
        const now = new Date();
        fs.utimesSync(this.file, now, now);
      } catch {
        // Gone meanwhile: the next run writes it again.
      }
      return;
    }
    const partial = `${this.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(partial, v8.serialize({ format: FORMAT, reads: this.used }), { mode: 0o600 });
      fs.renameSync(partial, this.file);
      pruneStale(path.dirname(this.file));
    } catch {
      fs.rmSync(partial, { force: true });
    }
  }
}

/** The caches of folders not linted for a week (one file per folder and build) go; looked for once a day. */
function pruneStale(dir: string): void {
  const marker = path.join(dir, 'pruned');
  const now = Date.now();
  try {
    if (fs.statSync(marker).mtimeMs > now - DAY_MS) return;
  } catch {
    // Never pruned yet.
  }
  fs.writeFileSync(marker, '', { mode: 0o600 });
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (name.endsWith('.bin') && fs.statSync(file).mtimeMs < now - 7 * DAY_MS) fs.rmSync(file, { force: true });
  }
}

const DAY_MS = 24 * 3600 * 1000;

function load(file: string): Map<string, ClosedRead> {
  try {
    const data = v8.deserialize(fs.readFileSync(file)) as { format?: unknown; reads?: unknown };
    if (data.format === FORMAT && data.reads instanceof Map) return data.reads as Map<string, ClosedRead>;
  } catch {
    // Missing or unreadable: read afresh.
  }
  return new Map();
}

function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
