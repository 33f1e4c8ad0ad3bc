// The version of the installed package, read from the package.json above the running bundle (dist/ in the npm
// package and the .vsix, out/server/src/ in a compiled checkout), so that it is never written twice.
import * as fs from 'node:fs';
import * as path from 'node:path';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached !== undefined) return cached;
  cached = 'unknown';
  for (let d = __dirname; ; d = path.dirname(d)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(d, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'apim-tls-lint' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch {
      // No package.json here, or not ours: keep looking upward.
    }
    if (path.dirname(d) === d) return cached;
  }
}
