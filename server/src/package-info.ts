// The package the running bundle belongs to: its folder (dist/'s parent, or the checkout above out/) and its version,
// read from its package.json so that it is never written twice (`--version`, SARIF, the server's serverInfo and start
// line).
import * as fs from 'node:fs';
import * as path from 'node:path';

let version: string | undefined;

/** The package's version, from the package.json above the running file. */
export function packageVersion(): string {
  if (version !== undefined) return version;
  const root = packageRoot();
  version = 'unknown';
  if (!root) return version;
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
    if (typeof pkg.version === 'string') version = pkg.version;
  } catch {
    // Unreadable now though it was read a moment ago: the version stays unknown.
  }
  return version;
}

/** The folder above the running file whose package.json is this package's (dist/, or out/server/src/cli/). */
export function packageRoot(): string | undefined {
  for (let d = __dirname; ; d = path.dirname(d)) {
    try {
      if ((JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')) as { name?: unknown }).name === 'apim-tls-lint') return d;
    } catch {
      // No package.json here, or not ours: keep looking upward.
    }
    if (path.dirname(d) === d) return undefined;
  }
}
