// Linting never opens a network connection (DESIGN §8): the bundled CLI lints the examples in a process where every
// connect and name lookup throws, and prints exactly what it prints in a normal process. The same preload stops the
// live probe, which shows that it bites.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT } from '../support/parser';

const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const PRELOAD = path.join(REPO_ROOT, 'test', 'support', 'no-network.cjs');

function cli(args: string[], offline: boolean) {
  const node = offline ? ['--require', PRELOAD] : [];
  return spawnSync(process.execPath, [...node, CLI, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
}

describe('linting never opens a network connection', () => {
  test('the examples lint to the same findings with networking made to fail', () => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (npm run build)');
    for (const format of ['json', 'sarif']) {
      const online = cli(['examples', '--format', format], false);
      const offline = cli(['examples', '--format', format], true);
      assert.equal(offline.stderr, online.stderr, `${format}: nothing new on stderr`);
      assert.equal(offline.status, online.status, `${format}: same exit code`);
      assert.equal(offline.stdout, online.stdout, `${format}: same findings`);
    }
    const findings = JSON.parse(cli(['examples', '--format', 'json'], true).stdout) as unknown[];
    assert.ok(findings.length > 0, 'the examples do have findings');
  });

  test('the preload does stop a connection: a live probe under it fails', () => {
    const run = cli(['probe', 'https://tic.localtest:1', '--connect', '127.0.0.1:1', '--format', 'json'], true);
    assert.notEqual(run.status, 0);
    assert.match(run.stdout + run.stderr, /network access attempted: tls\.connect/);
  });
});
