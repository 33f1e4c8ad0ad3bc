// The folder of one of the CLI's caches (bin.ts: V8's compiled code; read-cache.ts: what the lint read): below the
// temporary folder, the user's own. What is read from a cache becomes code or findings, so a folder another user could
// have written is not used.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `$TMPDIR/<name>-<uid>`, made if need be; undefined when it cannot be made or is not the user's alone. */
export function userCacheDir(name: string): string | undefined {
  try {
    const uid = process.getuid?.();
    const dir = path.join(os.tmpdir(), `${name}${uid === undefined ? '' : `-${uid}`}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const owner = fs.statSync(dir);
    if (uid !== undefined && (owner.uid !== uid || (owner.mode & 0o022) !== 0)) return undefined;
    return dir;
  } catch {
    return undefined;
  }
}
