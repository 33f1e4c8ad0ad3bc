#!/usr/bin/env node
// The packaged extension as a person meets it: the .vsix installed into a throwaway code-server with nothing beside
// it (no node_modules anywhere up the tree), a copy of examples/ open in Chromium, findings read from the Problems
// panel, a quick fix applied with Ctrl+. and the saved file checked. It also takes the picture the README shows:
// into test-results/screenshot.png, or with --update-screenshot into docs/images/screenshot.png (so that a test run
// leaves the tracked picture alone).
//
// Exit code: 0 every step passed, 1 a step failed. Environment: SMOKE_TIMEOUT_MS (default 150000), KEEP_TMP=1,
// SCREENSHOT (another path for the screenshot, or "none"), CODE_SERVER and CHROMIUM (use these binaries instead of
// installing).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CodeServerSession, QUIET_SETTINGS, ensureCodeServer, root } from '../editor/code-server.mjs';

const vsix = path.join(root, 'apim-tls-lint.vsix');
const screenshotPath =
  process.env.SCREENSHOT ||
  (process.argv.includes('--update-screenshot') ? path.join(root, 'docs', 'images', 'screenshot.png') : path.join(root, 'test-results', 'screenshot.png'));
const timeoutMs = Number(process.env.SMOKE_TIMEOUT_MS || 150000);
const MAX_VSIX_BYTES = 5 * 1024 * 1024;
// Everything the .vsix may hold; the first group must be there. package.json's `files` list decides, for the .vsix and
// the npm package alike (vsce refuses a .vscodeignore beside it), so the docs pages and the CLI bundle come along.
const REQUIRED = [
  'extension/package.json',
  'extension/dist/client.js',
  'extension/dist/server.js',
  'extension/dist/tree-sitter.wasm',
  'extension/dist/tree-sitter-terraform.wasm',
  'extension/dist/tree-sitter-bicep.wasm',
  'extension/syntaxes/terraform.tmLanguage.json',
  'extension/language-configuration.json',
  'extension/schemas/apim-tls-lint.schema.json',
  'extension/images/icon.png',
  // vsce renames these three.
  'extension/readme.md',
  'extension/changelog.md',
  'extension/LICENSE.txt',
  // "Explain APIMxxx" shows these without network; the rest of the rule pages are checked in checkVsix.
  'extension/docs/rules/APIM001.md',
  'extension/docs/suppression.md',
];
const ALLOWED =
  /^(extension\.vsixmanifest|\[Content_Types\]\.xml|extension\/(dist\/[\w.-]+\.(js|wasm)|syntaxes\/[\w.-]+\.json|schemas\/[\w.-]+\.json|images\/icon\.png|package\.json|language-configuration\.json|readme\.md|changelog\.md|LICENSE\.txt|docs\/rules\/(APIM\d{3}|README)\.md|docs\/(suppression|ci)\.md))$/;

const STEP_COUNT = 5;
const steps = [];
let passed = 0;
const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

async function main() {
  const tmp = fs.mkdtempSync(path.join(process.env.RUN_TMP || os.tmpdir(), 'apim-smoke-'));
  const run = new Run(tmp);
  const watchdog = setTimeout(() => {
    console.log(`[smoke] hard timeout after ${timeoutMs} ms; kept ${tmp}`);
    run.session?.kill('SIGKILL');
    report();
    process.exit(1);
  }, timeoutMs);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      run.session?.kill('SIGKILL');
      process.exit(1);
    });
  }

  try {
    await step('the .vsix holds the bundles, wasm files, grammar, docs and rule pages and icon, no node_modules, under 5 MB', checkVsix);
    await step('code-server installs the .vsix, with no node_modules beside the extension', () => run.install());
    await step('backends.tf of examples/ shows APIM001 and APIM002 in the Problems panel', () => run.openAndReadProblems());
    await step('the screenshot shows the findings with the hover and code lens', () => run.screenshot());
    await step('Ctrl+. applies "Set validate_certificate_name = true" and APIM002 is gone', () => run.quickFix());
  } finally {
    await run.stop();
  }
  const ok = report();
  if (!ok || process.env.KEEP_TMP === '1') console.log(`[smoke] kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
  return ok ? 0 : 1;
}

/** Runs one step unless an earlier one failed: every later step needs what the earlier ones set up. */
async function step(name, fn) {
  if (steps.some((s) => !s.ok)) {
    steps.push({ name, ok: false, skipped: true });
    return;
  }
  try {
    const detail = await fn();
    steps.push({ name, ok: true });
    passed++;
    console.log(`  ✔ ${name}${detail ? ` (${detail})` : ''} [${elapsed()}]`);
  } catch (e) {
    steps.push({ name, ok: false });
    console.log(`  ✘ ${name}\n    ${(e instanceof Error ? e.message : String(e)).split('\n').slice(0, 6).join('\n    ')}`);
  }
}

function report() {
  for (const s of steps.filter((x) => x.skipped)) console.log(`  - ${s.name} (not run)`);
  // A step cut off by the timeout, and every step after it, counts as failed.
  const failed = Math.max(steps.length, STEP_COUNT) - passed;
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0;
}

/** Packages the extension from the current build, then checks the .vsix's entries. */
function checkVsix() {
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}${r.stderr}`);
  const size = fs.statSync(vsix).size;
  const entries = zipEntries(fs.readFileSync(vsix));
  const problems = [];
  if (size >= MAX_VSIX_BYTES) problems.push(`${size} bytes, not under ${MAX_VSIX_BYTES}`);
  for (const e of entries) if (/(^|\/)node_modules\//.test(e) || !ALLOWED.test(e)) problems.push(`unexpected entry ${e}`);
  for (const r of REQUIRED) if (!entries.includes(r)) problems.push(`missing ${r}`);
  // Every rule page of the repository is in the package, so every "Explain" action has its page offline.
  for (const page of fs.readdirSync(path.join(root, 'docs', 'rules')).filter((f) => f.endsWith('.md'))) {
    if (!entries.includes(`extension/docs/rules/${page}`)) problems.push(`missing extension/docs/rules/${page}`);
  }
  if (problems.length) throw new Error(problems.join('\n'));
  return `${(size / 1024).toFixed(0)} KB, ${entries.length} entries`;
}

/** The names in a zip's central directory (the .vsix is a zip), read without an unzip tool. */
function zipEntries(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('the .vsix is not a zip file');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('broken zip central directory');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    names.push(buf.toString('utf8', p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** One code-server session with the .vsix installed, a copy of examples/ and one browser page. */
class Run {
  constructor(tmp) {
    this.tmp = tmp;
    this.workspace = path.join(tmp, 'examples');
    this.session = undefined;
    this.page = undefined;
  }

  install() {
    ensureCodeServer('smoke');
    this.session = new CodeServerSession(this.tmp, { settings: SETTINGS });
    const extDir = this.session.installExtension(vsix, 'apim-tls-lint.apim-tls-lint-');
    // Node looks for modules in every node_modules up the tree, so none may exist there for the proof to hold.
    for (let d = extDir; ; d = path.dirname(d)) {
      if (fs.existsSync(path.join(d, 'node_modules'))) throw new Error(`${path.join(d, 'node_modules')} exists beside the installed extension`);
      if (path.dirname(d) === d) break;
    }
    for (const f of ['dist/client.js', 'dist/server.js', 'dist/tree-sitter.wasm']) {
      if (!fs.existsSync(path.join(extDir, f))) throw new Error(`${f} is missing from ${extDir}`);
    }
    return path.basename(extDir);
  }

  async openAndReadProblems() {
    fs.cpSync(path.join(root, 'examples'), this.workspace, { recursive: true });
    await this.session.start();
    const page = (this.page = await this.session.newPage({ width: 1400, height: 900 }));
    await page.goto(this.session.url(this.workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'backends.tf' }).click({ timeout: 30000 });
    await page.locator('.tab.active', { hasText: 'backends.tf' }).waitFor({ timeout: 15000 });
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems.locator('.monaco-list-row', { hasText: 'APIM002' }).first().waitFor({ timeout: 45000 });
    await problems.locator('.monaco-list-row', { hasText: 'APIM001' }).first().waitFor({ timeout: 15000 });
    const text = await problems.innerText();
    for (const want of ['Certificate chain validation is disabled', 'Certificate name validation is disabled', 'APIM012']) {
      if (!text.includes(want)) throw new Error(`the Problems panel lacks "${want}":\n${text}`);
    }
    return `${(text.match(/APIM0\d\d/g) || []).length} rule ids listed`;
  }

  /** The moment worth a picture: findings listed, the orders backend's code lens and its trust hover in view. */
  async screenshot() {
    const page = this.page;
    await page.locator('.monaco-editor .codelens-decoration', { hasText: 'TLS' }).first().waitFor({ timeout: 20000 });
    // Only backends.tf's findings stay expanded in the Problems panel.
    for (const other of ['pinned.tf', 'apim.tf']) {
      const row = page.locator('.markers-panel .monaco-list-row[aria-expanded="true"]', { hasText: other });
      if (await row.count()) await row.first().locator('.monaco-tl-twistie').click();
    }
    await page.locator('.editor-instance .monaco-editor textarea').first().focus();
    // Go to the orders backend's header line and show its hover (Ctrl+G, then Ctrl+K Ctrl+I).
    const header =
      1 +
      fs
        .readFileSync(path.join(this.workspace, 'backends.tf'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('"orders"'));
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(header));
    await page.keyboard.press('Enter');
    // Scroll the header near the top so the code lens above it, the hover below it and the false flags all show.
    await page.locator('.editor-instance .monaco-editor .view-lines').first().hover();
    await page.mouse.wheel(0, 19 * (header - 3));
    await page.locator('.editor-instance .monaco-editor textarea').first().focus();
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'orders' });
    for (let i = 0; i < 5 && !(await hover.isVisible()); i++) {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      await hover.waitFor({ timeout: 3000 }).catch(() => undefined);
    }
    if (!(await hover.isVisible())) throw new Error('the trust hover over the orders backend did not show');
    // The hover fades in: the picture waits for its animations to end.
    await hover.first().evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
    await page.waitForFunction(() => [...document.querySelectorAll('.monaco-hover:not(.hidden)')].every((el) => getComputedStyle(el).opacity === '1'), null, {
      timeout: 5000,
    });
    if (screenshotPath === 'none') return 'skipped (SCREENSHOT=none)';
    fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath });
    await page.keyboard.press('Escape');
    return path.relative(root, screenshotPath);
  }

  async quickFix() {
    const page = this.page;
    const problems = page.locator('.markers-panel');
    // A double-click opens the editor focused with the finding's range selected (a single click was flaky).
    await problems.locator('.monaco-list-row', { hasText: 'APIM002' }).first().dblclick();
    await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 15000 });
    // Code actions arrive asynchronously, so the menu may open empty or late: retry Ctrl+. a few times.
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Set validate_certificate_name = true' });
    for (let i = 0; i < 6 && !(await fix.isVisible()); i++) {
      if (i > 0) await page.keyboard.press('Escape');
      await page.keyboard.press('Control+.');
      await fix.waitFor({ timeout: 3000 }).catch(() => undefined);
    }
    // The menu animates in, so Playwright never sees the row stable enough to click: move the focus to it and press
    // Enter, as a user at the keyboard does.
    const focused = page.locator('.action-widget .monaco-list-row.focused');
    for (let i = 0; i < 8 && (await focused.getAttribute('aria-label', { timeout: 3000 })) !== 'Set validate_certificate_name = true'; i++) {
      await page.keyboard.press('ArrowDown');
    }
    if ((await focused.getAttribute('aria-label', { timeout: 3000 })) !== 'Set validate_certificate_name = true')
      throw new Error('the quick fix menu lacks "Set validate_certificate_name = true"');
    await page.keyboard.press('Enter');
    await page.locator('.editor-instance .monaco-editor.focused').waitFor({ timeout: 15000 });
    await page.keyboard.press('Control+S');
    // The saved file is the plain truth about the edit; the alignment spaces of the example are kept.
    const file = path.join(this.workspace, 'backends.tf');
    const ordersBlock = () => /resource "azurerm_api_management_backend" "orders" \{[^]*?\n\}/.exec(fs.readFileSync(file, 'utf8'))?.[0] ?? '';
    await poll(
      () => ordersBlock().includes('validate_certificate_name  = true'),
      15000,
      () => `backends.tf was not fixed; the orders backend reads:\n${ordersBlock()}`,
    );
    await page.waitForFunction(
      () => {
        const panel = document.querySelector('.markers-panel');
        return panel && !panel.innerText.includes('APIM002') && panel.innerText.includes('APIM001');
      },
      null,
      { timeout: 15000 },
    );
    return 'saved file checked';
  }

  async stop() {
    await this.session?.stop();
  }
}

const SETTINGS = {
  ...QUIET_SETTINGS,
  // The hover goes below the line, so the code lens above a backend stays in the screenshot.
  'editor.hover.above': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

async function poll(condition, ms, message) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (condition()) return;
    if (Date.now() > deadline) throw new Error(message());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

process.exit(await main());
