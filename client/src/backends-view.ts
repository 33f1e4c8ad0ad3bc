// The APIM Backends view in the Explorer (DESIGN §4c): services (with tier) → backends, each with an icon per trust
// state, its stage as description and the hover's facts as tooltip; the title says "7 of 12 pinned". It draws what
// the server's `apimTls/inventory` answers and asks again whenever the server says the inventory changed (after
// each lint and live check), so it never reads the workspace itself.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { shortName } from '../../server/src/core/inventory/report/columns';
import { markdownRow } from '../../server/src/core/inventory/report/markdown';
import type { ServiceSummary, TrustState } from '../../server/src/core/inventory/types';
import {
  CHECK_BACKEND_LIVE,
  INVENTORY_CHANGED,
  INVENTORY_REQUEST,
  PIN_BACKEND_FROM_CA_FILE,
  type CheckBackendLiveArgs,
  type InventoryParams,
  type InventoryResult,
  type InventoryViewEntry,
  type PinBackendFromCaFileArgs,
} from '../../server/src/custom-messages';

export const BACKENDS_VIEW = 'apimTls.backends';
/** The view's commands: the title's refresh, a row's click, and its context menu. */
export const BACKENDS_COMMANDS = {
  refresh: 'apimTls.backends.refresh',
  reveal: 'apimTls.backends.reveal',
  pin: 'apimTls.backends.pin',
  checkLive: 'apimTls.backends.checkLive',
  applySafeFix: 'apimTls.backends.applySafeFix',
  copyMarkdownRow: 'apimTls.backends.copyMarkdownRow',
} as const;

export type BackendsNode = { kind: 'service'; service: ServiceSummary; entries: InventoryViewEntry[] } | { kind: 'backend'; entry: InventoryViewEntry };

/** A codicon and a theme colour per trust state: green lock pinned, blue shield default, reds and ambers for the rest. */
const ICONS: Readonly<Record<TrustState, [string, string]>> = {
  pinned: ['lock', 'charts.green'],
  default: ['shield', 'charts.blue'],
  'depends-on-inputs': ['question', 'disabledForeground'],
  'pin-ignored': ['circle-slash', 'charts.yellow'],
  'pin-cannot-match': ['error', 'charts.orange'],
  'chain-only': ['warning', 'charts.orange'],
  'name-only': ['warning', 'charts.orange'],
  'trusts-any': ['unlock', 'charts.red'],
  'plain-http': ['globe', 'charts.red'],
  pool: ['layers', 'disabledForeground'],
};

export class BackendsView implements vscode.TreeDataProvider<BackendsNode>, vscode.Disposable {
  readonly treeView: vscode.TreeView<BackendsNode>;
  private readonly changed = new vscode.EventEmitter<BackendsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly refreshed = new vscode.EventEmitter<InventoryResult>();
  /** Fires after each refresh with what the view now shows (the editor tests wait on it). */
  readonly onDidRefresh = this.refreshed.event;
  private inventory: InventoryResult | undefined;
  private client: LanguageClient | undefined;
  private listener: vscode.Disposable | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The server said the inventory changed while the view was hidden: ask when it is shown. */
  private stale = true;
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.treeView = vscode.window.createTreeView(BACKENDS_VIEW, { treeDataProvider: this, showCollapseAll: true });
    this.treeView.message = 'Waiting for the APIM TLS Lint server…';
    this.disposables.push(
      this.treeView,
      this.changed,
      this.refreshed,
      this.treeView.onDidChangeVisibility((e) => e.visible && this.stale && this.schedule()),
      vscode.commands.registerCommand(BACKENDS_COMMANDS.refresh, () => this.refresh()),
      vscode.commands.registerCommand(BACKENDS_COMMANDS.reveal, (node: BackendsNode | InventoryViewEntry) => reveal(entryOf(node))),
      vscode.commands.registerCommand(BACKENDS_COMMANDS.pin, (node: BackendsNode, extra?: PinBackendFromCaFileArgs) => pin(entryOf(node), extra)),
      vscode.commands.registerCommand(BACKENDS_COMMANDS.checkLive, (node: BackendsNode) => checkLive(entryOf(node))),
      vscode.commands.registerCommand(BACKENDS_COMMANDS.applySafeFix, (node: BackendsNode) => applySafeFix(entryOf(node))),
      vscode.commands.registerCommand(BACKENDS_COMMANDS.copyMarkdownRow, (node: BackendsNode) => copyMarkdownRow(entryOf(node))),
    );
  }

  /** Follows a new client (after a start or restart), or none when the server is stopped. */
  attach(client: LanguageClient | undefined): void {
    this.listener?.dispose();
    this.listener = undefined;
    this.client = client;
    if (!client) {
      this.show(undefined, 'The APIM TLS Lint server is not running.');
      return;
    }
    this.listener = client.onNotification(INVENTORY_CHANGED, () => this.schedule());
    this.schedule();
  }

  /** What the view shows now (undefined before the first answer). */
  current(): InventoryResult | undefined {
    return this.inventory;
  }

  /** Asks the server again and redraws; resolves when the view shows the answer. */
  async refresh(): Promise<InventoryResult | undefined> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const client = this.client;
    if (!client?.isRunning()) return undefined;
    try {
      const result = await client.sendRequest<InventoryResult>(INVENTORY_REQUEST, {} satisfies InventoryParams);
      this.show(result);
      return result;
    } catch (e) {
      // A request cut short by a restart is answered by the next client's refresh.
      this.treeView.message = `The inventory could not be read: ${e instanceof Error ? e.message : String(e)}`;
      return undefined;
    }
  }

  getChildren(node?: BackendsNode): BackendsNode[] {
    const inventory = this.inventory;
    if (!inventory) return [];
    if (!node) {
      return inventory.services.map((service) => ({ kind: 'service', service, entries: inventory.backends.filter((b) => b.service === service.address) }));
    }
    return node.kind === 'service' ? node.entries.map((entry) => ({ kind: 'backend', entry })) : [];
  }

  getTreeItem(node: BackendsNode): vscode.TreeItem {
    return node.kind === 'service' ? serviceItem(node.service) : backendItem(node.entry);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.listener?.dispose();
    for (const d of this.disposables) d.dispose();
  }

  /**
   * Notifications come after every lint, several a second while typing: one request per quiet moment, and none while
   * the view is hidden (the whole workspace's inventory is not free on a large one).
   */
  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.treeView.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    this.timer = setTimeout(() => void this.refresh(), 150);
  }

  private show(result: InventoryResult | undefined, message?: string): void {
    this.inventory = result;
    const t = result?.totals;
    this.treeView.description = t ? `${t.pinned} of ${t.backends} pinned` : undefined;
    this.treeView.message = message ?? (t && t.backends === 0 ? 'No API Management backends in this workspace.' : undefined);
    this.changed.fire(undefined);
    if (result) this.refreshed.fire(result);
  }
}

/** The tree item of a backend, as the view draws it (also what the editor tests read). */
export function backendItem(entry: InventoryViewEntry): vscode.TreeItem {
  const item = new vscode.TreeItem(shortName(entry), vscode.TreeItemCollapsibleState.None);
  item.id = `${entry.uri}#${entry.address}${entry.environment === null ? '' : `#${entry.environment}`}`;
  item.description = `stage ${entry.stage} · ${entry.trust}`;
  const [icon, color] = ICONS[entry.state];
  item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
  const tooltip = new vscode.MarkdownString(entry.hover);
  tooltip.appendMarkdown(`\n\n**Stage ${entry.stage}** — ${entry.reason.replace(/^stage \d: /, '')}`);
  for (const f of entry.findings) tooltip.appendMarkdown(`\n- \`${f.ruleId}\` ${f.file}:${f.line}`);
  item.tooltip = tooltip;
  item.command = { title: 'Reveal', command: BACKENDS_COMMANDS.reveal, arguments: [entry] };
  // The context menu shows what applies: a pin (not for plain http or unknown keys), a live check (https), the safe fix.
  const traits = ['backend'];
  if (entry.state !== 'plain-http' && !entry.keysUnknown) traits.push('pinnable');
  if (entry.url && /^https:\/\//i.test(entry.url) && entry.host) traits.push('https');
  if (entry.safeFix) traits.push('fixable');
  item.contextValue = traits.join(' ');
  return item;
}

export function serviceItem(service: ServiceSummary): vscode.TreeItem {
  const name = service.address === null ? 'Service not in this workspace' : (service.name ?? service.address);
  const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `service:${service.address ?? ''}`;
  const tier = service.sku ? `${service.sku}${service.tier ? ` (${service.tier})` : ''} · ` : '';
  item.description = `${tier}${service.pinned} of ${service.backends} pinned`;
  item.iconPath = new vscode.ThemeIcon('server-environment');
  item.tooltip = service.address ?? 'Backends whose service is defined outside this workspace';
  item.contextValue = 'service';
  return item;
}

function entryOf(node: BackendsNode | InventoryViewEntry): InventoryViewEntry {
  if ('entry' in node) return node.entry;
  if ('address' in node && 'uri' in node) return node;
  throw new Error('This command applies to a backend of the APIM Backends view.');
}

async function reveal(entry: InventoryViewEntry): Promise<vscode.TextEditor> {
  const { start, end } = entry.range;
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(entry.uri));
  return vscode.window.showTextDocument(doc, { selection: new vscode.Range(start.line, start.character, end.line, end.character), preview: false });
}

/** The pin of the editor, for this instance (a for_each instance alone); `extra` carries answers a caller already has. */
function pin(entry: InventoryViewEntry, extra: PinBackendFromCaFileArgs = {}): Thenable<unknown> {
  const args: PinBackendFromCaFileArgs = { ...extra, uri: entry.uri, position: entry.range.start };
  if (entry.key !== null && args.instances === undefined) args.instances = [entry.key];
  return vscode.commands.executeCommand(PIN_BACKEND_FROM_CA_FILE, args);
}

function checkLive(entry: InventoryViewEntry): Thenable<unknown> {
  const args: CheckBackendLiveArgs = { uri: entry.uri, position: entry.range.start, backend: entry.address };
  return vscode.commands.executeCommand(CHECK_BACKEND_LIVE, args);
}

async function applySafeFix(entry: InventoryViewEntry): Promise<boolean> {
  const fix = entry.safeFix;
  if (!fix) {
    void vscode.window.showInformationMessage(`${entry.address} has no fix that needs no input.`);
    return false;
  }
  const edit = new vscode.WorkspaceEdit();
  for (const [uri, edits] of Object.entries(fix.edit.changes)) {
    for (const e of edits) {
      const { start, end } = e.range;
      edit.replace(vscode.Uri.parse(uri), new vscode.Range(start.line, start.character, end.line, end.character), e.newText);
    }
  }
  const applied = await vscode.workspace.applyEdit(edit);
  if (!applied) void vscode.window.showErrorMessage(`${fix.title} could not be applied.`);
  return applied;
}

/** Copies the backend as a row of the Markdown inventory table, and resolves to it. */
async function copyMarkdownRow(entry: InventoryViewEntry): Promise<string> {
  const row = markdownRow(entry);
  await vscode.env.clipboard.writeText(row);
  void vscode.window.setStatusBarMessage('APIM TLS: copied the backend as a Markdown row', 3000);
  return row;
}
