// The CLI's cache of Terraform reads (cli/read-cache.ts): a text read before comes from the cache and equals a fresh
// read, a changed text is read afresh, a damaged cache file costs only the reads, and the real CLI reports the same
// with the cache cold, warm, off, and after a file changed between two runs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { READ_CACHE_ENV, ReadCache } from '../../server/src/cli/read-cache';
import { readClosedFile } from '../../server/src/core/terraform/read-closed';
import { writeWorkspace } from '../bench/generate';
import { REPO_ROOT, testParser } from '../support/parser';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-read-cache-test-'));
}

const MAIN = `resource "azurerm_api_management_backend" "orders" {
  name = "orders"
  url  = "https://orders.contoso.com/api"
  tls {
    validate_certificate_chain = false
  }
}
`;

describe('the CLI keeps what it read of each Terraform file for the next run', () => {
  test('a text read before comes from the cache, equal to a fresh read; a changed text is read afresh', async () => {
    const dir = tempDir();
    try {
      const parser = await testParser();
      const file = path.join(dir, 'cache.bin');
      const fresh = (p: string, t: string) => () => readClosedFile(parser, p, t);
      const first = new ReadCache(file);
      first.read('/w/main.tf', MAIN, fresh('/w/main.tf', MAIN));
      first.read('/w/variables.tf', 'variable "x" {\n  default = 1\n}\n', fresh('/w/variables.tf', 'variable "x" {\n  default = 1\n}\n'));
      assert.deepEqual([first.hits, first.misses], [0, 2]);
      first.save();
      assert.ok(fs.existsSync(file));

      const second = new ReadCache(file);
      const cached = second.read('/w/main.tf', MAIN, () => assert.fail('read afresh'));
      assert.deepEqual(cached, readClosedFile(parser, '/w/main.tf', MAIN));
      const changed = MAIN.replace('false', 'true');
      assert.deepEqual(second.read('/w/main.tf', changed, fresh('/w/main.tf', changed)), readClosedFile(parser, '/w/main.tf', changed));
      // The same text as a var file is another read (its top level is attributes).
      second.read('/w/env.tfvars', MAIN, fresh('/w/env.tfvars', MAIN));
      assert.deepEqual([second.hits, second.misses], [1, 2]);
      second.save();

      // Only what the last run read is kept: variables.tf, not read in the second run, is gone.
      const third = new ReadCache(file);
      third.read('/w/variables.tf', 'variable "x" {\n  default = 1\n}\n', fresh('/w/variables.tf', 'variable "x" {\n  default = 1\n}\n'));
      assert.deepEqual([third.hits, third.misses], [0, 1]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a damaged or foreign cache file is read as empty', async () => {
    const dir = tempDir();
    try {
      const parser = await testParser();
      const file = path.join(dir, 'cache.bin');
      for (const content of [Buffer.from('not a cache'), Buffer.alloc(0), Buffer.from([0xff, 0x0d, 0x6f, 0x02])]) {
        fs.writeFileSync(file, content);
        const cache = new ReadCache(file);
        assert.deepEqual(
          cache.read('/w/main.tf', MAIN, () => readClosedFile(parser, '/w/main.tf', MAIN)),
          readClosedFile(parser, '/w/main.tf', MAIN),
        );
        assert.equal(cache.misses, 1);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('it is off outside the bundle, and with APIM_TLS_LINT_CACHE=0', () => {
    const bundle = path.join(REPO_ROOT, 'dist', 'cli-main.js');
    assert.equal(ReadCache.open(REPO_ROOT, __filename, {}), undefined, 'a compiled checkout changes modules under one name');
    assert.equal(ReadCache.open(REPO_ROOT, bundle, { [READ_CACHE_ENV]: '0' }), undefined);
    assert.ok(ReadCache.open(REPO_ROOT, bundle, {}));
  });

  test('the CLI reports the same with the cache cold, warm and off, and reads a file changed between runs afresh', () => {
    const dir = tempDir();
    const tmp = tempDir();
    try {
      writeWorkspace(dir, 40, 6);
      const cli = (env: Record<string, string> = {}) =>
        execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), '.', '--format', 'json', '--fail-on', 'never'], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, TMPDIR: tmp, ...env },
        });
      const off = cli({ [READ_CACHE_ENV]: '0' });
      const readCaches = () => fs.readdirSync(tmp).filter((n) => n.startsWith('apim-tls-lint-read-cache'));
      assert.deepEqual(readCaches(), [], 'nothing written with the cache off');
      const cold = cli();
      const cacheDir = readCaches()[0];
      assert.ok(cacheDir, 'the first run writes its cache');
      assert.equal(fs.readdirSync(path.join(tmp, cacheDir)).filter((n) => n.endsWith('.bin')).length, 1, 'one cache file for the folder');
      const warm = cli();
      assert.equal(cold, off);
      assert.equal(warm, off);

      // A backend's name check switched off between two runs: found, as a run without the cache finds it.
      const main = path.join(dir, 'modules', 'm13', 'main.tf');
      const text = fs.readFileSync(main, 'utf8');
      assert.match(text, /validate_certificate_name {2}= true/);
      fs.writeFileSync(main, text.replace(/validate_certificate_name {2}= true/, 'validate_certificate_name  = false'));
      const after = cli();
      assert.equal(after, cli({ [READ_CACHE_ENV]: '0' }));
      assert.ok((JSON.parse(after) as unknown[]).length > (JSON.parse(warm) as unknown[]).length, 'the change is reported');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
