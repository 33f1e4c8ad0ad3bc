#!/usr/bin/env node
// The HTML inventory report as a person opens it: `apim-tls-lint inventory examples --format html --output FILE` (the
// built CLI), opened from disk in headless Chromium with every request but the file itself intercepted. It must
// request nothing else (no script, font, image or style from anywhere), show one row per backend and one stacked bar
// per service with a segment per trust state present, and its filters must hide and show rows by state. The
// screenshot goes to test-results/inventory-report.png, or with --update-screenshot to docs/images/inventory-report.png.
// Exit code: 0 passed, 1 failed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromiumPath, ensureCodeServer, root, withTimeout } from '../editor/code-server.mjs';

const SCREENSHOT = process.argv.includes('--update-screenshot')
  ? path.join(root, 'docs', 'images', 'inventory-report.png')
  : path.join(root, 'test-results', 'inventory-report.png');
const steps = [];
let passed = 0;

function step(name, ok, detail = '') {
  steps.push(name);
  if (ok) passed++;
  console.log(`  ${ok ? '✔' : '✘'} ${name}${ok || !detail ? '' : `\n    ${detail}`}`);
}

async function main() {
  ensureCodeServer('inventory-report');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-inventory-html-'));
  const file = path.join(tmp, 'inventory.html');
  let browser;
  try {
    const cli = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'inventory', 'examples', '--format', 'html', '--output', file], {
      cwd: root,
      encoding: 'utf8',
    });
    step('the CLI writes the report', cli.status === 0 && fs.existsSync(file), cli.stderr);
    const json = JSON.parse(
      spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'inventory', 'examples', '--format', 'json'], { cwd: root, encoding: 'utf8' }).stdout,
    );

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    const url = pathToFileURL(file).href;
    const requests = [];
    // Everything but the report itself is refused and recorded: a self-contained file asks for nothing.
    await page.route('**/*', (route) => {
      const wanted = route.request().url();
      if (wanted === url) return route.continue();
      requests.push(wanted);
      return route.abort();
    });
    page.on('request', (r) => r.url() !== url && !requests.includes(r.url()) && requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });

    const rows = await page.locator('table.backends tbody tr').count();
    step(`one row per backend (${json.backends.length})`, rows === json.backends.length, `${rows} rows`);
    const bars = await page.locator('svg.bar').count();
    step(`one stacked bar per service (${json.services.length})`, bars === json.services.length, `${bars} bars`);
    const segments = await page.locator('svg.bar rect').evaluateAll((rects) => rects.map((r) => [r.dataset.state, r.getBoundingClientRect().width]));
    const present = Object.entries(json.totals.byState).filter(([, n]) => n > 0);
    const total = segments.reduce((sum, [, w]) => sum + w, 0);
    const proportional = segments.every(([state, w]) => Math.abs(w / total - json.totals.byState[state] / json.totals.backends) < 0.01);
    step(
      `the bar has a visible segment per trust state, sized by count (${present.length})`,
      segments.length === present.length && segments.every(([, w]) => w > 0) && proportional,
      JSON.stringify(segments),
    );

    const pinnedBefore = await page.locator('tr.s-pinned').isVisible();
    await page.locator('label[for="show-pinned"]').click();
    const hidden = !(await page.locator('tr.s-pinned').isVisible());
    const othersShown = (await page.locator('table.backends tbody tr:visible').count()) === rows - json.totals.byState.pinned;
    await page.locator('label[for="show-pinned"]').click();
    const back = await page.locator('tr.s-pinned').isVisible();
    step('the "pinned" filter hides the pinned rows and shows them again', pinnedBefore && hidden && othersShown && back);

    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    step(`no request left the page (${requests.length})`, requests.length === 0, requests.join(', '));
    console.log(`  screenshot: ${path.relative(root, SCREENSHOT)}`);
  } catch (e) {
    step('the report opens in Chromium', false, e instanceof Error ? e.stack : String(e));
  } finally {
    if (browser) await withTimeout(browser.close(), 10000).catch(() => undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const failed = steps.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    console.error(e);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
