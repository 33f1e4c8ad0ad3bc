// The APIM Backends view in a real VS Code: a copy of examples/ in its own folder of the workspace shows its service
// (with tier) and its eight backends with the icon and stage of each; a click reveals the backend; the context menu's
// safe fix moves a backend to the next stage on the next refresh; a pin from the context menu counts one more pinned
// backend in the view's title; the markdown row and the HTML report are what the CLI writes.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const tls = require('tls');
const vscode = require('vscode');
const { makeChain, sha1 } = require('./certs');
const { extensionApi, extensionPath, waitFor, workspaceUri } = require('./helpers');

const SERVICE = 'apim-contoso-prod';

suite('APIM Backends view', () => {
  let api;
  let dir;
  let certDir;

  suiteSetup(async () => {
    api = await extensionApi();
    await waitFor('the language client running', () => api.client && api.client.isRunning());
    dir = workspaceUri('inventory-examples').fsPath;
    fs.cpSync(path.join(extensionPath(), 'examples'), dir, { recursive: true });
    // Opened (not shown), so the server has the module whether or not the file watcher reports the new folder in time.
    for (const name of fs.readdirSync(dir).filter((n) => /\.(tf|tfvars)$/.test(n)))
      await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, name)));
    certDir = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-inventory-'));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revertAll').then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(certDir, { recursive: true, force: true });
  });

  /** The view's nodes of the examples' service, once the view shows a state `ready` accepts. */
  async function examplesNodes(what, ready = () => true) {
    const view = api.backendsView;
    return waitFor(what, async () => {
      await view.refresh();
      const service = view.getChildren().find((n) => n.service.name === SERVICE);
      if (!service) return undefined;
      const backends = view.getChildren(service);
      const byName = new Map(backends.map((n) => [view.getTreeItem(n).label, n]));
      return ready(byName, service) && { service, backends, byName };
    });
  }

  test('shows the service with its tier and each backend with its state icon and stage', async () => {
    const view = api.backendsView;
    const { service, byName } = await examplesNodes('the examples in the view', (byName) => byName.size === 8);
    assert.strictEqual(view.getTreeItem(service).description, 'StandardV2_1 (v2) · 1 of 8 pinned');
    const shown = [...byName].map(([label, node]) => {
      const item = view.getTreeItem(node);
      return `${label} | ${item.description} | ${item.iconPath.id} ${item.iconPath.color.id}`;
    });
    assert.deepStrictEqual(shown, [
      'orders | stage 0 · trusts any certificate | unlock charts.red',
      'billing | stage 1 · name checked, chain not | warning charts.orange',
      'inventory | stage 0 · no TLS: plain http:// | globe charts.red',
      'payments | stage 1 · default trust | shield charts.blue',
      'partner["customs"] | stage 1 · name checked, chain not | warning charts.orange',
      'partner["fabrikam"] | stage 1 · default trust | shield charts.blue',
      'tic | stage 3 · pinned to Contoso Issuing CA 01 | lock charts.green',
      'shipping | stage 2 · pin ignored: api-version 2024-05-01 | circle-slash charts.yellow',
    ]);
    const tic = view.getTreeItem(byName.get('tic'));
    assert.match(tic.tooltip.value, /Backend TLS trust/);
    assert.match(tic.tooltip.value, /contoso-issuing-ca-01\.cer/);
    assert.match(tic.tooltip.value, /\*\*Stage 3\*\* — not cleaned up/);
    // What the context menu offers: the safe fix only where one applies, no pin or live check for plain http.
    assert.strictEqual(view.getTreeItem(byName.get('orders')).contextValue, 'backend pinnable https fixable');
    assert.strictEqual(view.getTreeItem(byName.get('inventory')).contextValue, 'backend');
    const totals = view.current().totals;
    assert.strictEqual(view.treeView.description, `${totals.pinned} of ${totals.backends} pinned`);
  });

  test('a click reveals the backend; Copy as Markdown Row gives its row of the inventory table', async () => {
    const { byName } = await examplesNodes('the examples in the view', (byName) => byName.has('payments'));
    const item = api.backendsView.getTreeItem(byName.get('payments'));
    await vscode.commands.executeCommand(item.command.command, ...item.command.arguments);
    const editor = await waitFor('the backend revealed', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.fsPath === path.join(dir, 'backends.tf') && e;
    });
    assert.match(editor.document.lineAt(editor.selection.start.line).text, /resource "azurerm_api_management_backend" "payments"/);
    const row = await vscode.commands.executeCommand('apimTls.backends.copyMarkdownRow', byName.get('payments'));
    assert.match(
      row,
      /^\| apim-contoso-prod \(StandardV2_1\) \| `payments` \| `inventory-examples\/backends\.tf:57` \| `payments\.contoso\.com` \| default trust \| 1 \|/,
    );
  });

  test('the safe fix from the context menu moves the backend to its next stage on the next refresh', async () => {
    const { byName } = await examplesNodes('orders at stage 0', (byName) => byName.has('orders'));
    const orders = byName.get('orders');
    assert.strictEqual(orders.entry.stage, 0);
    assert.strictEqual(orders.entry.safeFix.ruleId, 'APIM002');
    assert.strictEqual(await vscode.commands.executeCommand('apimTls.backends.applySafeFix', orders), true);
    const after = await examplesNodes('orders at stage 1', (byName) => byName.get('orders').entry.stage === 1);
    assert.strictEqual(api.backendsView.getTreeItem(after.byName.get('orders')).description, 'stage 1 · name checked, chain not');
  });

  test('a pin from the context menu counts one more pinned backend in the view', async () => {
    const before = await examplesNodes('billing unpinned', (byName) => byName.has('billing'));
    const pinnedBefore = api.backendsView.current().totals.pinned;
    const chain = await makeChain('billing.internal.contoso.com');
    const ca = path.join(certDir, 'issuing.cer');
    fs.writeFileSync(ca, chain.issuing.der);
    const result = await vscode.commands.executeCommand('apimTls.backends.pin', before.byName.get('billing'), { certificatePath: ca });
    assert.ok(result && result.applied, `the pin was applied: ${JSON.stringify(result)}`);
    const { service, byName } = await examplesNodes('billing pinned', (byName) => byName.get('billing').entry.state === 'pinned');
    // The CA file is outside the workspace, so the view names the pin by its thumbprint.
    const pinnedTo = `pinned to issuer ${sha1(chain.issuing.der).slice(0, 8)}…`;
    assert.strictEqual(api.backendsView.getTreeItem(byName.get('billing')).description, `stage 3 · ${pinnedTo}`);
    assert.strictEqual(api.backendsView.getTreeItem(service).description, 'StandardV2_1 (v2) · 2 of 8 pinned');
    const totals = api.backendsView.current().totals;
    assert.strictEqual(totals.pinned, pinnedBefore + 1);
    assert.strictEqual(api.backendsView.treeView.description, `${pinnedBefore + 1} of ${totals.backends} pinned`);
  });

  test('Check Live from the context menu: the view shows the issuing CA the backend presented (stage 2)', async () => {
    const chain = await makeChain('127.0.0.1', { root: 'View Test Root CA', issuing: 'View Test Issuing CA' });
    const server = tls.createServer({ key: chain.leaf.keyPem, cert: chain.leaf.pem + chain.issuing.pem }, (socket) => socket.end());
    server.on('tlsClientError', () => undefined);
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const moduleUri = workspaceUri('inventory-live/main.tf');
    try {
      fs.mkdirSync(path.dirname(moduleUri.fsPath), { recursive: true });
      fs.writeFileSync(
        moduleUri.fsPath,
        `resource "azurerm_api_management_backend" "local" {\n  name = "local"\n  api_management_name = "apim-local"\n  url = "https://127.0.0.1:${server.address().port}/api"\n}\n`,
      );
      // Opened, so the server has it whatever the file watcher does (a busy machine delivers its events late).
      await vscode.workspace.openTextDocument(moduleUri);
      const view = api.backendsView;
      const find = async () => {
        await view.refresh();
        const service = view.getChildren().find((n) => n.service.address === null);
        return service && view.getChildren(service).find((n) => n.entry.address === 'azurerm_api_management_backend.local');
      };
      const before = await waitFor('the local backend in the view', find);
      assert.deepStrictEqual([before.entry.stage, before.entry.live], [1, null]);
      assert.match(view.getTreeItem(before).contextValue, /\bhttps\b/);
      const report = await vscode.commands.executeCommand('apimTls.backends.checkLive', before);
      assert.ok(report && report.chain.length > 0, `the check saw the chain: ${JSON.stringify(report)}`);
      const after = await waitFor('the live facts in the view', async () => {
        const node = await find();
        return node && node.entry.live && node;
      });
      assert.strictEqual(after.entry.live.issuingCa.sha1, sha1(chain.issuing.der));
      assert.strictEqual(after.entry.stage, 2);
      assert.match(after.entry.reason, /^stage 2: not pinned — pin View Test Issuing CA \(.+, presented to the live check\)$/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(path.dirname(moduleUri.fsPath), { recursive: true, force: true });
    }
  });

  test('Show Inventory Report opens the HTML report with a row per backend and a bar per service', async () => {
    const shown = await vscode.commands.executeCommand('apimTls.showInventory');
    const totals = api.backendsView.current().totals;
    assert.strictEqual(shown.title, `APIM Backends: ${totals.pinned} of ${totals.backends} pinned`);
    assert.strictEqual((shown.html.match(/<tr class="s-/g) || []).length, totals.backends);
    assert.strictEqual((shown.html.match(/<svg class="bar"/g) || []).length, api.backendsView.current().services.length);
    assert.doesNotMatch(shown.html, /<script/);
  });
});
