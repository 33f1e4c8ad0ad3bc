// Hundreds of edits in quick succession, as fast typing and undo produce them: the server must end on the findings
// of the final text, not on those of some version in between. The reference is the CLI run on a copy of the final
// text, which shares the core but none of the server's document and scheduling code.
const assert = require('assert');
const childProcess = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const { extensionPath, findingKeys, revertAndClose, waitFor, waitForFindings, workspaceUri } = require('./helpers');

const START = `resource "azurerm_api_management_backend" "alpha" {
  name                = "alpha-backend"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://alpha.contoso.com/api"

  tls {
    validate_certificate_chain = false
    validate_certificate_name  = false
  }
}

resource "azurerm_api_management_backend" "beta" {
  name                = "beta-backend"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://beta.contoso.com/api"

  tls {
    validate_certificate_chain = true
    validate_certificate_name  = false
  }
}
`;
const EDITS = 300;

suite('Edit storm', () => {
  let file;
  let scratch;

  suiteSetup(() => {
    file = path.join(workspaceUri('storm').fsPath, 'main.tf');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, START);
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-storm-'));
  });

  suiteTeardown(async () => {
    await revertAndClose();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  test(`after ${EDITS} rapid edits the findings equal a fresh lint of the final text`, async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc, { preview: false });
    await waitForFindings(doc.uri, 'APIM001');
    const before = findingKeys(doc.uri);

    // A fixed seed, so a failure replays the same storm.
    let seed = 6;
    const random = (n) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    // Most edits land inside the tls blocks, where every keystroke changes what the server sees; each insertion
    // is deleted again later, so the text passes through hundreds of broken versions. The last edits really
    // change it: alpha's chain flag is retyped from false to true, one character at a time.
    const typed = [];
    let sent = 0;
    const apply = async (build) => {
      const edit = new vscode.WorkspaceEdit();
      build(edit);
      assert.ok(await vscode.workspace.applyEdit(edit), `edit ${sent} applied`);
      sent++;
    };
    // The last edits: five backspaces over false, four keystrokes for true, and a line break at the end. The
    // storm before them pairs every insertion with a deletion, so its length must be even.
    const retype = 'false'.length + 'true'.length + 1;
    while (sent < EDITS - retype) {
      const text = doc.getText();
      if (typed.length > 0 && (random(3) === 0 || EDITS - retype - sent <= typed.length)) {
        const offset = typed.pop();
        await apply((e) => e.delete(doc.uri, new vscode.Range(doc.positionAt(offset), doc.positionAt(offset + 1))));
      } else {
        // A typed brace can hide a block from this pattern for a while; then the edit goes anywhere.
        const blocks = [...text.matchAll(/tls \{[^}]*\}/g)];
        const block = blocks.length > 0 && random(4) !== 0 ? blocks[random(blocks.length)] : undefined;
        const offset = block ? block.index + 5 + random(block[0].length - 5) : random(text.length);
        // Deletions undo insertions last-in first-out, so each removes the very character it undoes.
        typed.push(offset);
        const ch = ' ={}"#\nxf'[random(9)];
        await apply((e) => e.insert(doc.uri, doc.positionAt(offset), ch));
      }
    }
    assert.strictEqual(doc.getText(), START, 'the typed characters are all deleted again');
    const at = doc.getText().indexOf('validate_certificate_chain = false') + 'validate_certificate_chain = '.length;
    for (let i = 'false'.length - 1; i >= 0; i--) {
      await apply((e) => e.delete(doc.uri, new vscode.Range(doc.positionAt(at + i), doc.positionAt(at + i + 1))));
    }
    for (const [i, ch] of [...'true'].entries()) await apply((e) => e.insert(doc.uri, doc.positionAt(at + i), ch));
    await apply((e) => e.insert(doc.uri, doc.positionAt(doc.getText().length), '\n'));
    assert.strictEqual(sent, EDITS);

    const expected = freshLint(doc.getText());
    assert.notDeepStrictEqual(expected, before, 'the storm changed what the file should report');
    assert.ok(
      expected.some((k) => k.startsWith('APIM002@')),
      `the final text still has findings: ${expected}`,
    );
    await waitFor('the findings to equal a fresh lint', () => sameKeys(findingKeys(doc.uri), expected), 30000);
    // A request answered after every change was handled: nothing stale may arrive after it and undo the match.
    await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, new vscode.Range(0, 0, 0, 0));
    assert.deepStrictEqual(findingKeys(doc.uri), expected);
  });

  /** The CLI's findings for `text` as a main.tf alone in its folder, in findingKeys' form (0-based). */
  function freshLint(text) {
    const dir = fs.mkdtempSync(path.join(scratch, 'lint-'));
    fs.writeFileSync(path.join(dir, 'main.tf'), text);
    // In desktop VS Code the extension host is Electron, which runs as Node with this variable.
    const r = childProcess.spawnSync(process.execPath, [path.join(extensionPath(), 'dist', 'cli.js'), dir, '--format', 'json', '--fail-on', 'never'], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      timeout: 30000,
    });
    assert.strictEqual(r.status, 0, `the CLI ran: ${r.stderr}`);
    return JSON.parse(r.stdout)
      .map((f) => `${f.rule}@${f.line - 1}:${f.column - 1}-${f.endLine - 1}:${f.endColumn - 1}`)
      .sort();
  }
});

function sameKeys(a, b) {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
