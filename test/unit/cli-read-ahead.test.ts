// The CLI's second thread (cli/read-ahead.ts): what it reads equals what the lint's own thread reads from the same
// text, it and the lint never read the same file, the lint carries on alone when the thread is gone, and a CLI run of a
// generated workspace reports the same with the thread and without it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli } from '../../server/src/cli/cli';
import { READ_AHEAD_ENV, ReadAheadThread } from '../../server/src/cli/read-ahead';
import { readClosedFile } from '../../server/src/core/terraform/read-closed';
import { writeWorkspace } from '../bench/generate';
import { REPO_ROOT, testParser } from '../support/parser';

const WASM = {
  runtime: path.join(REPO_ROOT, 'node_modules', 'web-tree-sitter', 'tree-sitter.wasm'),
  grammar: path.join(REPO_ROOT, 'node_modules', '@tree-sitter-grammars', 'tree-sitter-hcl', 'tree-sitter-terraform.wasm'),
};

/** The .tf files of a generated workspace of `modules` modules, each with its text. */
function workspaceFiles(modules: number): { dir: string; files: Array<{ path: string; text: string }> } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-read-ahead-'));
  writeWorkspace(dir, modules, 6);
  const files: Array<{ path: string; text: string }> = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push({ path: p, text: fs.readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return { dir, files };
}

/** Waits until the thread has read every file of a batch it was given time for (it reads from the last back). */
async function untilRead(thread: ReadAheadThread, count: number): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 20) {
    if (thread.readCount + pendingCount(thread) >= count) return;
    await sleep(20);
  }
}

/** Reads posted by the thread but not yet taken off its port (it counts them as it posts). */
function pendingCount(thread: ReadAheadThread): number {
  return Atomics.load((thread as unknown as { signal: Int32Array }).signal, 0) - thread.readCount;
}

describe('the CLI reads Terraform files on a second thread', () => {
  test('what the thread reads equals what the lint reads from the same text', async () => {
    const { dir, files } = workspaceFiles(20);
    const thread = new ReadAheadThread(WASM);
    try {
      const waits = thread.offer(files);
      assert.equal(waits.size, files.length);
      // Time for the thread to take every file, from the last back.
      await untilRead(thread, files.length);
      const parser = await testParser();
      for (const [i, wait] of waits) {
        const read = wait();
        assert.ok(read, `${files[i].path} was read by the thread`);
        assert.deepEqual(read, readClosedFile(parser, files[i].path, files[i].text), files[i].path);
      }
      assert.equal(thread.readCount, files.length);
    } finally {
      thread.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the lint and the thread share the files out, each read once, from both ends', async () => {
    const { dir, files } = workspaceFiles(60);
    const thread = new ReadAheadThread(WASM);
    try {
      const waits = thread.offer(files);
      // Give the thread a start, then read as the lint does: in order, each file as it is needed.
      await untilRead(thread, 1);
      const parser = await testParser();
      const byThread: number[] = [];
      for (const [i, wait] of waits) {
        const read = wait();
        if (read) {
          byThread.push(i);
          assert.deepEqual(read, readClosedFile(parser, files[i].path, files[i].text), files[i].path);
        }
      }
      assert.ok(byThread.length > 0, 'the thread read some');
      assert.ok(byThread.length < files.length, 'the lint read some');
      // The thread's files are the last ones: it goes from the end until it meets the lint.
      assert.deepEqual(byThread, files.map((_, i) => i).slice(files.length - byThread.length));
    } finally {
      thread.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a thread that is gone leaves every file to the lint; few files are not offered', async () => {
    const { dir, files } = workspaceFiles(20);
    const thread = new ReadAheadThread(WASM);
    try {
      assert.equal(thread.offer(files.slice(0, 5)).size, 0, 'a handful of files is read faster on one thread');
      thread.dispose();
      const waits = thread.offer(files);
      assert.equal(waits.size, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a CLI run of a 500-file workspace reports the same with the thread and without it', async () => {
    const { dir } = workspaceFiles(125);
    try {
      const run = async (env: Record<string, string>) => {
        let stdout = '';
        const code = await runCli(['.', '--format', 'json', '--fail-on', 'never'], {
          stdout: (s) => (stdout += s),
          stderr: () => undefined,
          cwd: dir,
          env: { ...env, APIM_TLS_LINT_WASM_DIR: path.join(REPO_ROOT, 'dist') },
          isTTY: false,
        });
        return { code, stdout };
      };
      const before = ReadAheadThread.readsInProcess;
      const alone = await run({ [READ_AHEAD_ENV]: '0' });
      assert.equal(ReadAheadThread.readsInProcess, before, 'APIM_TLS_LINT_READ_AHEAD=0: no thread');
      // Whether the thread is ready before this process's warm lint is done depends on the machine's load (the tests
      // above give it time and check what it reads); what is reported must not depend on it.
      const shared = await run({});
      assert.equal(alone.code, 0);
      assert.ok((JSON.parse(alone.stdout) as unknown[]).length > 10, 'the workspace has findings');
      assert.equal(shared.stdout, alone.stdout);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
