// The package the running bundle belongs to: its folder (dist/'s parent, or the checkout above out/) and its version,
// for `--version`, SARIF and the server's start line.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The package's version, from the package.json above the running file. */
export function packageVersion(): string {
  const root = packageRoot();
  if (!root) return 'unknown';
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
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
