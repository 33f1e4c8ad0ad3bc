// A throwaway VS Code in the browser, shared by the editor tests (run-editor-tests.mjs), the .vsix smoke test
// (test/smoke/ui-smoke.mjs) and `npm run demo`: code-server installed on demand into .vscode-test/ at the pinned
// version, started on 127.0.0.1 with every folder it writes to inside one temporary directory, and headless
// Chromium (playwright-core) to drive it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_VERSION, VSCODE_VERSION, bundledVsCodeVersion, checkVersionPins } from './vscode-version.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
const csPrefix = path.join(root, '.vscode-test', 'code-server');
/** CODE_SERVER and CHROMIUM name binaries to use instead of installing. */
export const codeServer = process.env.CODE_SERVER || path.join(csPrefix, 'node_modules', '.bin', 'code-server');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

/** Settings that keep the workbench quiet and offline: no welcome page, tips, telemetry, updates or git. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'files.autoSave': 'off',
};

function installed() {
  if (process.env.CODE_SERVER) return fs.existsSync(codeServer) && fs.existsSync(chromiumPath);
  return fs.existsSync(codeServer) && fs.existsSync(path.join(csPrefix, `.installed-${CODE_SERVER_VERSION}`)) && fs.existsSync(chromiumPath);
}

/**
 * Installs code-server and Chromium unless they are there (idempotent; npm registry and Debian packages only), and
 * checks that the code-server bundles the pinned VS Code. Throws with the reason when either fails.
 */
export function ensureCodeServer(tag) {
  checkVersionPins();
  if (!installed()) {
    console.log(`[${tag}] installing code-server ${CODE_SERVER_VERSION} and Chromium (once; about a minute)`);
    const r = spawnSync('sh', [path.join(here, 'install-code-server.sh'), csPrefix], {
      stdio: 'inherit',
      env: { ...process.env, CS_VERSION: CODE_SERVER_VERSION },
    });
    if (r.status !== 0 || !installed()) throw new Error('installing code-server failed');
  }
  // A code-server given through CODE_SERVER may bundle another VS Code than the pinned one.
  const bundled = bundledVsCodeVersion(fs.realpathSync(codeServer));
  if (bundled !== VSCODE_VERSION) throw new Error(`${codeServer} bundles VS Code ${bundled ?? '(unknown)'}, not the pinned ${VSCODE_VERSION}`);
}

/** One code-server and at most one browser, with user data, extensions, config and XDG folders inside `tmp`. */
export class CodeServerSession {
  /**
   * `settings` become the user settings and `keybindings` the user keybindings; `onOutput` sees code-server's stdout
   * and stderr as they come. `workspaceTrust` keeps VS Code's workspace trust on, so a folder can open in Restricted
   * Mode; otherwise every folder is trusted without asking.
   */
  constructor(tmp, { settings = QUIET_SETTINGS, keybindings, onOutput, workspaceTrust = false } = {}) {
    this.tmp = tmp;
    this.workspaceTrust = workspaceTrust;
    this.userData = path.join(tmp, 'user-data');
    this.extensions = path.join(tmp, 'extensions');
    this.onOutput = onOutput;
    this.env = {
      ...process.env,
      XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'),
      XDG_DATA_HOME: path.join(tmp, 'xdg-data'),
      XDG_CACHE_HOME: path.join(tmp, 'xdg-cache'),
      TMPDIR: tmp,
      // No marketplace, so the workbench makes no outbound lookups.
      EXTENSIONS_GALLERY: '{}',
    };
    this.common = ['--config', path.join(tmp, 'config.yaml'), '--user-data-dir', this.userData, '--extensions-dir', this.extensions];
    fs.mkdirSync(path.join(this.userData, 'User'), { recursive: true });
    fs.writeFileSync(path.join(this.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    if (keybindings) fs.writeFileSync(path.join(this.userData, 'User', 'keybindings.json'), JSON.stringify(keybindings, null, 2));
    fs.mkdirSync(this.extensions, { recursive: true });
    this.output = '';
    this.server = undefined;
    this.browser = undefined;
    this.port = undefined;
  }

  /** `code-server --install-extension vsix`; returns the installed extension's folder. */
  installExtension(vsix, idPrefix) {
    const r = spawnSync(codeServer, [...this.common, '--install-extension', vsix], { env: this.env, encoding: 'utf8' });
    const said = `${r.stdout}${r.stderr}`.trim();
    if (r.status !== 0 || !/successfully installed/i.test(said)) throw new Error(`--install-extension failed:\n${said}`);
    const dirs = fs.readdirSync(this.extensions).filter((d) => d.startsWith(idPrefix));
    if (dirs.length !== 1) throw new Error(`expected one installed ${idPrefix}* folder, found ${fs.readdirSync(this.extensions).join(', ') || 'none'}`);
    return path.join(this.extensions, dirs[0]);
  }

  /** Starts code-server on 127.0.0.1 (`port`, or a free one) and resolves once it listens. */
  async start(port) {
    this.port = port || (await freePort());
    // detached: code-server and its extension host form one process group, which stop() ends by its id.
    this.server = spawn(
      codeServer,
      [
        ...this.common,
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${this.port}`,
        '--disable-telemetry',
        '--disable-update-check',
        ...(this.workspaceTrust ? [] : ['--disable-workspace-trust']),
        '--disable-getting-started-override',
        '--disable-proxy',
        '--ignore-last-opened',
      ],
      { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: this.env },
    );
    for (const stream of [this.server.stdout, this.server.stderr]) {
      stream.on('data', (chunk) => {
        this.output += chunk;
        this.onOutput?.(chunk);
      });
    }
    await new Promise((resolve, reject) => {
      const timer = setInterval(() => /HTTP server listening/.test(this.output) && done(resolve), 100);
      const deadline = setTimeout(() => done(() => reject(new Error(`code-server did not start\n${this.output}`))), 60000);
      const onExit = (c) => done(() => reject(new Error(`code-server exited with ${c}\n${this.output}`)));
      this.server.once('exit', onExit);
      const server = this.server;
      function done(then) {
        clearInterval(timer);
        clearTimeout(deadline);
        server.removeListener('exit', onExit);
        then();
      }
    });
    return this.port;
  }

  /** The workbench URL with `folder` open and optional extra query parameters. */
  url(folder, query = {}) {
    const params = Object.entries({ folder, ...query }).map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
    return `http://127.0.0.1:${this.port}/?${params.join('&')}`;
  }

  /** Headless Chromium with a fresh page of the given viewport. */
  async newPage(viewport) {
    const { chromium } = await import('playwright-core');
    this.browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      env: this.env,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    });
    return this.browser.newPage(viewport ? { viewport } : {});
  }

  /** Closes the browser, then ends code-server's process group: SIGTERM, SIGKILL after 5 s. */
  async stop() {
    if (this.browser) await withTimeout(this.browser.close(), 10000).catch(() => undefined);
    const server = this.server;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    this.kill('SIGTERM');
    if (
      !(await withTimeout(
        exited.then(() => true),
        5000,
      ).catch(() => false))
    )
      this.kill('SIGKILL');
  }

  kill(signal) {
    try {
      if (this.server && this.server.pid) process.kill(-this.server.pid, signal);
    } catch {
      // The process group is already gone.
    }
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export function withTimeout(promise, ms) {
  let timer;
  return Promise.race([promise.finally(() => clearTimeout(timer)), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]);
}
