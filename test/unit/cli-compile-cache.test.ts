// dist/cli.js loads the CLI bundle through V8's code cache (server/src/cli/bin.ts): the first run leaves one cache
// file in a folder of the user's own below TMPDIR, later runs print exactly what an uncached run prints, a damaged
// cache costs nothing but the compile (and is replaced), and NODE_DISABLE_COMPILE_CACHE turns it off.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../support/parser';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function cli(tmp: string, extraEnv: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
  delete env.NODE_DISABLE_COMPILE_CACHE;
  Object.assign(env, extraEnv);
  return spawnSync(process.execPath, [CLI, 'examples', '--format', 'json', '--fail-on', 'never'], { cwd: REPO_ROOT, encoding: 'utf8', env, timeout: 60_000 });
}

function cacheFiles(tmp: string): string[] {
  const dirs = fs.readdirSync(tmp).filter((d) => d.startsWith('apim-tls-lint-compile-cache'));
  return dirs.flatMap((d) => fs.readdirSync(path.join(tmp, d)).map((f) => path.join(tmp, d, f)));
}

describe('the CLI start through the code cache', () => {
  test('a first run leaves one cache, later runs print the same, a damaged cache is replaced, and it can be turned off', () => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (npm run build)');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-cache-test-'));
    try {
      const off = cli(tmp, { NODE_DISABLE_COMPILE_CACHE: '1' });
      assert.equal(off.status, 0, off.stderr);
      assert.deepEqual(cacheFiles(tmp), [], 'no cache written when turned off');
      assert.ok((JSON.parse(off.stdout) as unknown[]).length > 0, 'the examples have findings');

      const first = cli(tmp);
      assert.equal(first.stdout, off.stdout);
      const [cache, ...more] = cacheFiles(tmp);
      assert.ok(cache, 'the first run wrote a cache');
      assert.deepEqual(more, [], 'one cache file');
      if (process.platform !== 'win32') {
        assert.equal(fs.statSync(path.dirname(cache)).mode & 0o077, 0, 'the cache folder is the user’s alone');
        assert.equal(fs.statSync(cache).mode & 0o077, 0, 'the cache file is the user’s alone');
      }
      const written = fs.statSync(cache).mtimeMs;

      const second = cli(tmp);
      assert.equal(second.stdout, off.stdout);
      assert.equal(second.stderr, '');
      assert.equal(fs.statSync(cache).mtimeMs, written, 'a cache V8 accepts is not written again');

      fs.writeFileSync(cache, Buffer.from('not V8 code cache data'));
      const damaged = cli(tmp);
      assert.equal(damaged.status, 0, damaged.stderr);
      assert.equal(damaged.stdout, off.stdout, 'a damaged cache changes nothing the user sees');
      assert.ok(fs.statSync(cache).size > 1000, 'and is replaced by a good one');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
