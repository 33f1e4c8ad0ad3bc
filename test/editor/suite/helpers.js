// Shared helpers for the editor tests, which run inside VS Code's extension host.
const assert = require('assert');
const vscode = require('vscode');

const EXTENSION_ID = 'apim-tls-lint.apim-tls-lint';
const SOURCE = 'apim-tls-lint';

/** Polls `probe` until it returns a truthy value, which it resolves to; rejects after `ms` with `what` named. */
async function waitFor(what, probe, ms = 30000) {
  const deadline = Date.now() + ms;
  let lastError;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function workspaceUri(name) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  assert.ok(folder, 'the test run opened a workspace folder');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens a workspace file in an editor and returns its document. */
async function openInEditor(name) {
  const doc = await vscode.workspace.openTextDocument(workspaceUri(name));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

function codeOf(diagnostic) {
  const code = diagnostic.code;
  return code !== null && typeof code === 'object' ? code.value : code;
}

/** This extension's diagnostics on `uri` with rule id `id`. */
function findings(uri, id) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && codeOf(d) === id);
}

/** Waits for at least one `id` finding on `uri` and returns them all. */
function waitForFindings(uri, id, ms) {
  return waitFor(
    `${id} on ${uri.path}`,
    () => {
      const found = findings(uri, id);
      return found.length > 0 && found;
    },
    ms,
  );
}

/**
 * The range of the `value` assigned to `attribute`, for the `occurrence`-th assignment in `text` (0-based), as
 * a vscode.Range: used to check that a finding sits on the literal the user must edit.
 */
function valueRange(text, attribute, value, occurrence = 0) {
  const pattern = new RegExp(`\\b${attribute}\\s*=\\s*`, 'g');
  let match;
  for (let i = 0; i <= occurrence; i++) {
    match = pattern.exec(text);
    assert.ok(match, `assignment #${occurrence} of ${attribute} in the fixture`);
  }
  const start = match.index + match[0].length;
  assert.strictEqual(text.slice(start, start + value.length), value, `${attribute} is assigned ${value}`);
  return new vscode.Range(positionAt(text, start), positionAt(text, start + value.length));
}

function positionAt(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, offset - (before.lastIndexOf('\n') + 1));
}

function assertRange(actual, expected, what) {
  assert.deepStrictEqual(
    [actual.start.line, actual.start.character, actual.end.line, actual.end.character],
    [expected.start.line, expected.start.character, expected.end.line, expected.end.character],
    `${what} range`,
  );
}

/** The extension's API (activate's return value), activating it if nothing has yet. */
async function extensionApi() {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  return extension.activate();
}

/** The repository the extension was loaded from (its extensionDevelopmentPath). */
function extensionPath() {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  return extension.extensionPath;
}

/** This extension's findings on `uri` as sorted `CODE@line:col-line:col` strings, for comparing whole sets. */
function findingKeys(uri) {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === SOURCE)
    .map((d) => `${codeOf(d)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`)
    .sort();
}

/**
 * Asks VS Code for the quick fixes at `diagnostic`'s range (as the light bulb does), picks the one whose title
 * matches `title`, and applies its edit.
 */
async function applyQuickFix(doc, diagnostic, title) {
  const actions =
    (await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value, 10)) || [];
  const fix = actions.find((a) => title.test(a.title) && a.edit);
  assert.ok(fix, `a quick fix titled ${title} for ${codeOf(diagnostic)} among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `${fix.title} is a quick fix`);
  assert.ok(await vscode.workspace.applyEdit(fix.edit), `${fix.title} applied`);
  return fix;
}

/** Reverts and closes the active editor, so a test leaves no dirty document behind. */
async function revertAndClose() {
  await vscode.commands.executeCommand('workbench.action.files.revert').then(undefined, () => undefined);
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
}

/** Replaces a document's whole text and saves it, so the editor and the disk agree again. */
async function setText(doc, text) {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applied');
  assert.ok(await doc.save(), 'the document saved');
}

module.exports = {
  EXTENSION_ID,
  SOURCE,
  assertRange,
  codeOf,
  applyQuickFix,
  extensionApi,
  extensionPath,
  findingKeys,
  findings,
  openInEditor,
  revertAndClose,
  setText,
  valueRange,
  waitFor,
  waitForFindings,
  workspaceUri,
};
