// What the editor asks for besides diagnostics: quick fixes and Explain (from the findings last published, in the
// order rule-actions.ts gives them), the trust hover and code lenses of backends (trust-views.ts), the inventory of
// backends (inventory.ts), and the server's commands (commands.ts, the live check among them).
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Connection,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { executeCommand } from './commands';
import { RULE_IDS } from './core/rules';
import { LineIndex } from './core/text';
import type { Finding } from './core/types';
import { INVENTORY_REQUEST, PIN_BACKEND_FROM_CA_FILE, type InventoryParams, type PinBackendFromCaFileArgs } from './custom-messages';
import { toPath } from './documents';
import { inventoryOf } from './inventory';
import { explainAction, orderActions, type RankedAction } from './rule-actions';
import { guarded, type ServerState } from './server-state';
import { trustHover, trustLenses } from './trust-views';

/** The findings a pin resolves (DESIGN §3); it is the preferred fix of APIM001 and APIM003. */
const PIN_RULES = new Set(['APIM001', 'APIM002', 'APIM003']);

export function registerFeatures(connection: Connection, state: ServerState): void {
  const { documents } = state;
  const openText = (file: string) => documents.get(file)?.getText();

  connection.onCodeAction(guarded(state, 'codeAction', (params: CodeActionParams) => codeActions(state, params)));

  connection.onHover(
    guarded(state, 'hover', ({ textDocument, position }) => {
      const file = toPath(textDocument.uri);
      const text = openText(file);
      return state.workspace && text !== undefined && state.workspace.has(file) ? trustHover(state.workspace, file, text, position) : null;
    }),
  );

  connection.onCodeLens(
    guarded(state, 'codeLens', ({ textDocument }) => {
      const file = toPath(textDocument.uri);
      const text = openText(file);
      return state.workspace && text !== undefined && state.workspace.has(file) ? trustLenses(state.workspace, file, text) : [];
    }),
  );

  connection.onRequest(
    INVENTORY_REQUEST,
    guarded(state, 'inventory', (params: InventoryParams | undefined) => inventoryOf(state, params)),
  );

  connection.onExecuteCommand((params) =>
    executeCommand(
      {
        connection,
        workspace: () => state.workspace,
        rootDir: () => state.rootDir,
        textOf: (file) => openText(file) ?? state.workspace?.textOf(file),
        uriOf: (file) => documents.uriOf(file),
        toPath,
      },
      params,
    ),
  );
}

function codeActions(state: ServerState, params: CodeActionParams): CodeAction[] {
  const { documents, publisher, workspace } = state;
  const file = toPath(params.textDocument.uri);
  const doc = documents.get(file);
  const text = doc?.getText() ?? workspace?.textOf(file);
  if (text === undefined) return [];
  const index = new LineIndex(text);
  const start = index.offsetAt(params.range.start);
  const end = index.offsetAt(params.range.end);
  const actions: RankedAction[] = [];
  const pins = new Map<string, CodeAction>();
  const explained = new Set<string>();
  for (const f of publisher.findingsOf(file)) {
    if (f.end < start || f.start > end) continue;
    const diagnostic = publisher.toDiagnostic(f);
    if (PIN_RULES.has(f.ruleId)) addPinAction(state, pins, f, diagnostic, file, doc?.uri ?? documents.uriOf(file));
    for (const fix of f.fixes) {
      const changes: Record<string, TextEdit[]> = {};
      for (const e of fix.edits) (changes[documents.uriOf(e.file)] ??= []).push({ range: publisher.rangeIn(e.file, e.start, e.end), newText: e.newText });
      const edit: WorkspaceEdit = { changes };
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix.isPreferred, edit };
      actions.push({ action, role: fix.kind === 'suppress' ? 'suppress' : 'fix' });
    }
    if (RULE_IDS.includes(f.ruleId) && !explained.has(f.ruleId)) {
      explained.add(f.ruleId);
      actions.push(explainAction(f.ruleId, diagnostic));
    }
  }
  for (const action of pins.values()) actions.push({ action, role: 'fix' });
  // The preferred fix first, suppressions last, on every rule.
  return orderActions(actions);
}

/**
 * The pin needs a certificate file, which only the client can ask for: the action runs the client command. One action
 * per backend, however many of its findings the range covers.
 */
function addPinAction(state: ServerState, pins: Map<string, CodeAction>, f: Finding, diagnostic: Diagnostic, file: string, uri: string): void {
  const backend = state.workspace?.backendsIn(file).find((b) => b.block.start <= f.start && f.end <= b.block.end);
  const key = backend?.name ?? `${f.start}`;
  const existing = pins.get(key);
  const preferred = f.ruleId !== 'APIM002';
  if (existing) {
    existing.diagnostics!.push(diagnostic);
    existing.isPreferred ||= preferred;
    return;
  }
  const args: PinBackendFromCaFileArgs = { uri, position: diagnostic.range.start };
  pins.set(key, {
    title: 'Pin issuing CA from certificate file…',
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: preferred,
    command: { title: 'Pin issuing CA from certificate file…', command: PIN_BACKEND_FROM_CA_FILE, arguments: [args] },
  });
}
