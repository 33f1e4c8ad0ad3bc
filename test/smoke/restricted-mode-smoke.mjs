#!/usr/bin/env node
// Restricted Mode as a person meets it (package.json declares untrustedWorkspaces "limited"): the packaged extension
// in code-server with workspace trust on, a copy of examples/ opened and not trusted. Linting must still run; the
// pin command, bound to a key with a certificate file argument, must ask before writing, write nothing when
// cancelled, and write the pin when allowed; Check live must ask before connecting, and connect nowhere when
// cancelled; allowed, it connects to a TLS server this script starts on 127.0.0.1, and the panel's "Pin what it
// presents" link, clicked, asks before writing and then writes what that server presents. Needs the .vsix that
// ui-smoke.mjs packages (it runs first in `npm run test:smoke`).
//
// Exit code: 0 every step passed, 1 a step failed. Environment: KEEP_TMP=1, CODE_SERVER and CHROMIUM.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { CodeServerSession, QUIET_SETTINGS, ensureCodeServer, root } from '../editor/code-server.mjs';

const { makeChain, sha1 } = createRequire(import.meta.url)('../editor/suite/certs.js');

const vsix = path.join(root, 'apim-tls-lint.vsix');
const TIMEOUT_MS = 150000;
const PIN_KEY = 'ctrl+alt+k';
const LIVE_KEY = 'ctrl+alt+l';
const LIVE_LOCAL_KEY = 'ctrl+alt+j';
const PAYMENTS_HOST = 'payments.contoso.com';
const CONSENT = 'This workspace is not trusted';

async function main() {
  const tmp = fs.mkdtempSync(path.join(process.env.RUN_TMP || os.tmpdir(), 'apim-restricted-'));
  const workspace = path.join(tmp, 'examples');
  fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
  const backends = path.join(workspace, 'backends.tf');
  const certificate = path.join(workspace, 'certs', 'contoso-issuing-ca-01.cer');
  let session;
  let tlsServer;
  const watchdog = setTimeout(() => {
    console.log(`  ✘ not finished after ${TIMEOUT_MS} ms; kept ${tmp}\n0 passed, 1 failed`);
    session?.kill('SIGKILL');
    process.exit(1);
  }, TIMEOUT_MS);
  watchdog.unref();

  let passed = 0;
  const pass = (name) => {
    passed++;
    console.log(`  ✔ ${name}`);
  };
  let ok = false;
  try {
    if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run node test/smoke/ui-smoke.mjs (or npm run package) first`);
    ensureCodeServer('restricted');
    // The payments backend, as a local server presents it: its leaf and the issuing CA, generated for this run.
    const chain = await makeChain(PAYMENTS_HOST, { root: 'Smoke Test Root CA', issuing: 'Smoke Test Issuing CA' });
    tlsServer = tls.createServer({ key: chain.leaf.keyPem, cert: chain.leaf.pem + chain.issuing.pem }, (socket) => socket.end());
    tlsServer.on('tlsClientError', () => undefined);
    await new Promise((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
    const tlsPort = tlsServer.address().port;
    session = new CodeServerSession(tmp, {
      settings: { ...QUIET_SETTINGS, 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'always' },
      keybindings: [
        { key: PIN_KEY, command: 'apimTls.pinBackendFromCaFile', args: { certificatePath: certificate } },
        { key: LIVE_KEY, command: 'apimTls.checkBackendLive' },
        { key: LIVE_LOCAL_KEY, command: 'apimTls.checkBackendLive', args: { connect: `127.0.0.1:${tlsPort}` } },
      ],
      workspaceTrust: true,
    });
    session.installExtension(vsix, 'apim-tls-lint.apim-tls-lint-');
    await session.start();
    const page = await session.newPage({ width: 1400, height: 900 });
    await page.goto(session.url(workspace));

    // VS Code asks whether to trust the folder; the answer is no.
    const trustDialog = page.locator('.monaco-dialog-box', { hasText: 'Do you trust the authors' });
    await trustDialog.waitFor({ timeout: 60000 });
    await trustDialog.locator('.monaco-button', { hasText: "No, I don't trust the authors" }).click();
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 15000 });
    pass('the folder opened in Restricted Mode');

    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'backends.tf' }).click({ timeout: 30000 });
    await page.locator('.tab.active', { hasText: 'backends.tf' }).waitFor({ timeout: 15000 });
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    const ordersFinding = problems.locator('.monaco-list-row', { hasText: 'azurerm_api_management_backend.orders:' });
    await ordersFinding.first().waitFor({ timeout: 45000 });
    pass("linting runs: the orders backend's findings are in the Problems panel");

    // The cursor goes into the orders backend; the bound key runs the pin command with the certificate file.
    const before = fs.readFileSync(backends, 'utf8');
    const ordersLine = 1 + before.split('\n').findIndex((l) => l.includes('"azurerm_api_management_backend" "orders"'));
    const pinWithConsent = async (answer) => {
      await goToLine(page, ordersLine + 1);
      await page.keyboard.press('Control+Alt+K');
      const consent = page.locator('.monaco-dialog-box', { hasText: CONSENT });
      await consent.waitFor({ timeout: 15000 });
      await consent.locator('.monaco-button', { hasText: new RegExp(`^${answer}$`) }).click();
      await consent.waitFor({ state: 'hidden', timeout: 15000 });
    };

    // Check live on the same backend asks before it connects; Cancel connects nowhere: no progress, no panel.
    await goToLine(page, ordersLine + 1);
    await page.keyboard.press('Control+Alt+L');
    const liveConsent = page.locator('.monaco-dialog-box', { hasText: 'Check live connects' });
    await liveConsent.waitFor({ timeout: 15000 });
    await liveConsent.locator('.monaco-button', { hasText: /^Cancel$/ }).click();
    await liveConsent.waitFor({ state: 'hidden', timeout: 15000 });
    for (const end = Date.now() + 3000; Date.now() < end; await page.waitForTimeout(200)) {
      if (await page.locator('.tab', { hasText: 'Live check:' }).count()) throw new Error('a live check panel opened although Check live was cancelled');
      if (await page.locator('.notifications-toasts', { hasText: 'checking the backend live' }).count())
        throw new Error('the live check ran although it was cancelled');
    }
    pass('Check live asked before connecting, and Cancel connected nowhere');

    await pinWithConsent('Cancel');
    // Nothing may change: neither the file on disk nor any editor (no dirty tab), and the findings stay. An edit would
    // come within a second of the answer (the "Pin" below shows how fast), so three seconds of nothing is the proof.
    for (const end = Date.now() + 3000; Date.now() < end; await page.waitForTimeout(200)) {
      if (fs.readFileSync(backends, 'utf8') !== before) throw new Error('backends.tf changed on disk although the pin was cancelled');
      if (await page.locator('.tab.dirty').count()) throw new Error(`cancelling left modified editors: ${await page.locator('.tab.dirty').allInnerTexts()}`);
      if (!(await ordersFinding.count())) throw new Error("the orders backend's findings went although the pin was cancelled");
    }
    pass('the pin command asked first, and Cancel wrote nothing');

    await pinWithConsent('Pin');
    await ordersFinding.first().waitFor({ state: 'detached', timeout: 30000 });
    await page.keyboard.press('Control+K');
    await page.keyboard.press('S');
    const overlay = () => /resource "azapi_update_resource" "orders_tls" \{[^]*?\n\}/.exec(fs.readFileSync(backends, 'utf8'))?.[0] ?? '';
    const deadline = Date.now() + 15000;
    while (!overlay().includes('C54CD3D82A01A49B61C6B4C3D3F935762F553A83')) {
      if (Date.now() > deadline)
        throw new Error(
          `after "Pin" and Save All, backends.tf has no orders_tls overlay with the CA's thumbprint:\n${overlay() || fs.readFileSync(backends, 'utf8').slice(0, 2000)}`,
        );
      await page.waitForTimeout(100);
    }
    pass('"Pin" wrote the orders_tls overlay with the Contoso Issuing CA 01 thumbprint, and the findings went');

    // Check live on payments, allowed this time, reaches the local server; the panel's link pins what it presented.
    const now = fs.readFileSync(backends, 'utf8');
    const paymentsLine = 1 + now.split('\n').findIndex((l) => l.includes('"azurerm_api_management_backend" "payments"'));
    await goToLine(page, paymentsLine + 1);
    await page.keyboard.press('Control+Alt+J');
    const connect = page.locator('.monaco-dialog-box', { hasText: 'Check live connects' });
    await connect.waitFor({ timeout: 15000 });
    await connect.locator('.monaco-button', { hasText: /^Connect$/ }).click();
    await page.locator('.tab', { hasText: 'Live check: payments' }).waitFor({ timeout: 30000 });
    const panel = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await panel.locator('.verdict', { hasText: 'APIM will answer 500' }).waitFor({ timeout: 15000 });
    pass('Check live, allowed, connected to the local server and the panel shows the verdict');

    await panel.locator('a', { hasText: 'Pin what it presents' }).click();
    const pinConsent = page.locator('.monaco-dialog-box', { hasText: 'Write the pin of what the backend presents' });
    await pinConsent.waitFor({ timeout: 15000 });
    await pinConsent.locator('.monaco-button', { hasText: /^Pin$/ }).click();
    await pinConsent.waitFor({ state: 'hidden', timeout: 15000 });
    const issuing = sha1(chain.issuing.der);
    const paymentsOverlay = () => /resource "azapi_update_resource" "payments_tls" \{[^]*?\n\}/.exec(fs.readFileSync(backends, 'utf8'))?.[0] ?? '';
    const saveBy = Date.now() + 20000;
    while (!paymentsOverlay().includes(issuing)) {
      if (Date.now() > saveBy) throw new Error(`after "Pin what it presents", backends.tf has no payments_tls overlay with ${issuing}:\n${paymentsOverlay()}`);
      // The edit leaves the open file modified; Save All writes it.
      await page.locator('.editor-instance .monaco-editor textarea').first().focus();
      await page.keyboard.press('Control+K');
      await page.keyboard.press('S');
      await page.waitForTimeout(300);
    }
    if (!new RegExp(`name\\s+= "${PAYMENTS_HOST.replace(/\./g, '\\.')}"`).test(paymentsOverlay()))
      throw new Error(`the pin does not name ${PAYMENTS_HOST}:\n${paymentsOverlay()}`);
    pass('the panel\'s "Pin what it presents" asked before writing, then wrote the presented issuing CA and the leaf\'s name');
    ok = true;
  } catch (e) {
    console.log(`  ✘ ${(e instanceof Error ? e.message : String(e)).split('\n').slice(0, 8).join('\n    ')}`);
  } finally {
    await session?.stop();
    await new Promise((resolve) => (tlsServer ? tlsServer.close(resolve) : resolve()));
  }
  console.log(`${passed} passed, ${ok ? 0 : 1} failed`);
  if (ok && process.env.KEEP_TMP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`[restricted] kept ${tmp}`);
  return ok ? 0 : 1;
}

/** Puts the cursor on a line of the active editor (1-based), as Ctrl+G does. */
async function goToLine(page, line) {
  await page.locator('.editor-instance .monaco-editor textarea').first().focus();
  await page.keyboard.press('Control+G');
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
}

process.exit(await main());
