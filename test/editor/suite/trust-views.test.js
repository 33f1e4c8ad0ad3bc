// The editor surface of backend trust: a code lens above each backend and a hover on its header.
const assert = require('assert');
const vscode = require('vscode');
const { openInEditor, waitFor } = require('./helpers');

/** The lens titles VS Code shows for `doc`, once the server has produced them. */
async function lensTitles(doc, expected) {
  return waitFor(`a code lens matching ${expected}`, async () => {
    const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri)) || [];
    const titles = lenses.map((l) => (l.command ? l.command.title : ''));
    return titles.some((t) => expected.test(t)) && lenses;
  });
}

function hoverText(hovers) {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

suite('Trust lens and hover', () => {
  test('a pinned backend has a lens naming its issuing CA, on the resource line', async () => {
    const doc = await openInEditor('pinned.tf');
    const lenses = await lensTitles(doc, /pinned to Contoso Issuing CA 01/);
    const lens = lenses.find((l) => /pinned to Contoso Issuing CA 01/.test(l.command.title));
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('"azurerm_api_management_backend" "tic"'));
    assert.strictEqual(lens.range.start.line, line, 'the lens sits above the backend block');
  });

  test('a backend with chain validation off has a lens saying it trusts any certificate', async () => {
    const doc = await openInEditor('main.tf');
    await lensTitles(doc, /trusts any certificate/);
  });

  test('hovering the backend header shows its trust, the pin and the matching certificate file', async () => {
    const doc = await openInEditor('pinned.tf');
    const offset = doc.getText().indexOf('"tic" {');
    const position = doc.positionAt(offset + 2);
    const text = await waitFor('a hover with the backend trust', async () => {
      const hovers = (await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, position)) || [];
      const t = hoverText(hovers);
      return /Backend TLS trust/.test(t) && t;
    });
    assert.match(text, /azurerm_api_management_backend\.tic/);
    assert.match(text, /C54CD3D82A01A49B61C6B4C3D3F935762F553A83/);
    assert.match(text, /contoso-issuing-ca-01\.cer/, 'the hover names the certificate file that matches the pin');
    assert.match(text, /Contoso Issuing CA 01/);
  });

  test('hovering an attribute inside the block shows no trust summary', async () => {
    const doc = await openInEditor('pinned.tf');
    const position = doc.positionAt(doc.getText().indexOf('protocol'));
    const hovers = (await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, position)) || [];
    assert.doesNotMatch(hoverText(hovers), /Backend TLS trust/);
  });
});
