#!/usr/bin/env node
// Runs the editor tests (test/editor/suite) inside a real VS Code: code-server serves the VS Code 1.100 workbench and
// a Node extension host, headless Chromium (driven by playwright-core) opens it, and the workbench's own extension
// test machinery loads the suite from the `payload` URL parameter. The suite runs against a copy of
// test/editor/workspace, so tests may edit files freely. It does not build: run `npm run build` first.
//
// Exit code: 0 all passed, 1 a test failed or none ran, 2 the harness failed or timed out.
// Environment: EDITOR_TEST_TIMEOUT_MS (default 300000), EDITOR_TEST_GREP (a mocha grep), KEEP_TMP=1 (keep the
// temporary folder), CODE_SERVER and CHROMIUM (use these binaries instead of installing).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import util from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const CS_VERSION = '4.100.3';
const csPrefix = path.join(root, '.vscode-test', 'code-server');
const codeServer = process.env.CODE_SERVER || path.join(csPrefix, 'node_modules', '.bin', 'code-server');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
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
  if (!installed()) {
    console.log('[editor] installing code-server and Chromium (once; about a minute)');
    const r = spawnSync('sh', [path.join(here, 'install-code-server.sh'), csPrefix], { stdio: 'inherit' });
    if (r.status !== 0 || !installed()) {
      console.error('[editor] installing code-server failed');
      return 2;
    }
  }

  const tmp = fs.mkdtempSync(path.join(process.env.RUN_TMP || os.tmpdir(), 'apim-editor-'));
  const logFile = path.join(tmp, 'run.log');
  const log = fs.createWriteStream(logFile);
  const run = new Run(tmp, log);
  // The whole run, cleanup included, ends by this time even if something below never settles.
  const watchdog = setTimeout(() => {
    console.error(`[editor] hard timeout after ${timeoutMs + 30000} ms`);
    run.killServer('SIGKILL');
    process.exit(2);
  }, timeoutMs + 30000);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      run.killServer('SIGKILL');
      process.exit(2);
    });
  }

  let code = 2;
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

/** One code-server and one browser, with every folder they write to inside `tmp`. */
class Run {
  constructor(tmp, log) {
    this.tmp = tmp;
    this.log = log;
    this.server = undefined;
    this.browser = undefined;
    this.summary = undefined;
  }

  async start() {
    const { tmp, log } = this;
    const workspace = path.join(tmp, 'workspace');
    fs.cpSync(path.join(here, 'workspace'), workspace, { recursive: true });
    const userData = path.join(tmp, 'user-data');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(userSettings(), null, 2));
    fs.mkdirSync(path.join(tmp, 'extensions'));
    const env = {
      ...process.env,
      XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
      XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
      XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
      TMPDIR: tmp,
      // No marketplace, so the workbench makes no outbound lookups.
      EXTENSIONS_GALLERY: '{}',
    };

    const port = await freePort();
    // detached: code-server and its extension host form one process group, which stop() ends by its id.
    this.server = spawn(codeServer, [
      '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--config', path.join(tmp, 'config.yaml'),
      '--user-data-dir', userData, '--extensions-dir', path.join(tmp, 'extensions'),
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--disable-proxy', '--ignore-last-opened',
    ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
    let serverOutput = '';
    for (const stream of [this.server.stdout, this.server.stderr]) {
      stream.on('data', (chunk) => {
        serverOutput += chunk;
        log.write(`[code-server] ${chunk}`);
      });
    }
    await new Promise((resolve, reject) => {
      const timer = setInterval(() => /HTTP server listening/.test(serverOutput) && done(resolve), 100);
      const deadline = setTimeout(() => done(() => reject(new Error(`code-server did not start\n${serverOutput}`))), 60000);
      const onExit = (c) => done(() => reject(new Error(`code-server exited with ${c}\n${serverOutput}`)));
      this.server.once('exit', onExit);
      function done(then) {
        clearInterval(timer);
        clearTimeout(deadline);
        then();
      }
    }).finally(() => this.server.removeAllListeners('exit'));
    console.log(`[editor] code-server ${CS_VERSION} on 127.0.0.1:${port} (${elapsed()})`);

    const { chromium } = await import('playwright-core');
    this.browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      env,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await this.browser.newPage();
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

    const authority = `127.0.0.1:${port}`;
    const remote = (p) => `vscode-remote://${authority}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(path.join(here, 'suite'))],
      ['skipWelcome', 'true'],
    ];
    await page.goto(`http://${authority}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
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
    if (this.browser) await withTimeout(this.browser.close(), 10000).catch(() => undefined);
    const server = this.server;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    this.killServer('SIGTERM');
    if (!(await withTimeout(exited.then(() => true), 5000).catch(() => false))) this.killServer('SIGKILL');
  }

  killServer(signal) {
    try {
      if (this.server && this.server.pid) process.kill(-this.server.pid, signal);
    } catch {
      // The process group is already gone.
    }
  }
}

function installed() {
  if (process.env.CODE_SERVER) return fs.existsSync(codeServer) && fs.existsSync(chromiumPath);
  return fs.existsSync(codeServer) && fs.existsSync(path.join(csPrefix, `.installed-${CS_VERSION}`)) && fs.existsSync(chromiumPath);
}

function userSettings() {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    'files.autoSave': 'off',
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function withTimeout(promise, ms) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms))),
  ]);
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
