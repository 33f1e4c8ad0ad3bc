#!/usr/bin/env node
// Runs the editor tests (test/editor/suite) inside a real VS Code: code-server serves the VS Code 1.100 workbench and
// a Node extension host, headless Chromium (driven by playwright-core) opens it, and the workbench's own extension
// test machinery loads the suite from the `payload` URL parameter. The suite runs against a copy of
// test/editor/workspace, so tests may edit files freely. It does not build: run `npm run build` first.
//
// Exit code: 0 all passed, 1 a test failed or none ran, 2 the harness failed or timed out.
// Environment: EDITOR_TEST_TIMEOUT_MS (default 300000), EDITOR_TEST_GREP (a mocha grep), KEEP_TMP=1 (keep the
// temporary folder), CODE_SERVER and CHROMIUM (use these binaries instead of installing).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import util from 'node:util';
import { CodeServerSession, QUIET_SETTINGS, ensureCodeServer } from './code-server.mjs';
import { CODE_SERVER_VERSION } from './vscode-version.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const timeoutMs = Number(process.env.EDITOR_TEST_TIMEOUT_MS || 300000);
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
// Workbench chatter that arrives on the same console channel as the suite's output; it stays in the log file.
const NOISE =
  /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional|\[Service Worker\]|ChatSessionStore|Updating additional builtin|Started local extension host|Extension host .* started)/;

async function main() {
  for (const file of ['dist/client.js', 'dist/server.js']) {
    if (!fs.existsSync(path.join(root, file))) {
      console.error(`[editor] ${file} is missing: run \`npm run build\` first`);
      return 2;
    }
  }
  try {
    ensureCodeServer('editor');
  } catch (e) {
    console.error(`[editor] ${e instanceof Error ? e.message : e}`);
    return 2;
  }

  const tmp = fs.mkdtempSync(path.join(process.env.RUN_TMP || os.tmpdir(), 'apim-editor-'));
  const logFile = path.join(tmp, 'run.log');
  const log = fs.createWriteStream(logFile);
  const run = new Run(tmp, log);
  // The whole run, cleanup included, ends by this time even if something below never settles.
  const watchdog = setTimeout(() => {
    console.error(`[editor] hard timeout after ${timeoutMs + 30000} ms`);
    run.session?.kill('SIGKILL');
    process.exit(2);
  }, timeoutMs + 30000);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      run.session?.kill('SIGKILL');
      process.exit(2);
    });
  }

  let code;
  try {
    code = await run.start();
  } catch (e) {
    console.error('[editor] harness error:', e instanceof Error ? e.message : e);
    code = 2;
  } finally {
    await run.stop();
    await new Promise((resolve) => log.end(resolve));
  }

  // The suite's own closing line decides, so a run that printed no tests never passes.
  const summary = run.summary;
  if (code === 0 && (!summary || summary.passed === 0 || summary.failed > 0)) code = 1;
  if (code !== 0 || process.env.KEEP_TMP === '1') {
    if (code !== 0) printTail(logFile);
    console.log(`[editor] kept ${tmp} (log: ${logFile})`);
  } else {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`[editor] exit code ${code} after ${elapsed()}`);
  if (summary) console.log(`${summary.passed} passed, ${summary.failed} failed`);
  return code;
}

/** The suite's run: a code-server session whose workbench loads the suite through its extension test machinery. */
class Run {
  constructor(tmp, log) {
    this.tmp = tmp;
    this.log = log;
    this.session = undefined;
    this.summary = undefined;
  }

  async start() {
    const { tmp, log } = this;
    const workspace = path.join(tmp, 'workspace');
    fs.cpSync(path.join(here, 'workspace'), workspace, { recursive: true });
    const session = (this.session = new CodeServerSession(tmp, { settings: QUIET_SETTINGS, onOutput: (chunk) => log.write(`[code-server] ${chunk}`) }));
    const port = await session.start();
    console.log(`[editor] code-server ${CODE_SERVER_VERSION} on 127.0.0.1:${port} (${elapsed()})`);

    const page = await session.newPage();
    page.on('console', (m) => log.write(`[browser:${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => log.write(`[browser:pageerror] ${e}\n`));
    // The workbench calls these two when it runs extension tests: the log relays the extension host's console.
    // One at a time: when two exposeFunction calls overlap, Playwright can lose one of the bindings.
    let exit;
    const exited = new Promise((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationExit', (c) => exit(c));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = util.format(...(args || []));
      log.write(`[exthost:${type}] ${text}\n`);
      const m = /^(\d+) passed, (\d+) failed$/m.exec(text);
      // The closing line is printed once, at the very end, after the harness's own messages.
      if (m) this.summary = { passed: Number(m[1]), failed: Number(m[2]) };
      else if (!NOISE.test(text)) (type === 'error' ? console.error : console.log)(text);
    });

    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(path.join(here, 'suite'))],
      ['skipWelcome', 'true'],
    ];
    await page.goto(session.url(workspace, { payload: JSON.stringify(payload) }));
    console.log(`[editor] workbench loaded (${elapsed()}); running the suite`);
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => {
        console.error(`[editor] the suite did not finish within ${timeoutMs} ms`);
        resolve(2);
      }, timeoutMs);
    });
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    return typeof code === 'number' ? code : 2;
  }

  async stop() {
    await this.session?.stop();
  }
}

function printTail(logFile, lines = 40) {
  try {
    const tail = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines);
    console.log(`[editor] last ${tail.length} lines of ${logFile}:`);
    for (const line of tail) console.log(`  ${line}`);
  } catch {
    // No log to show.
  }
}

process.exit(await main());
