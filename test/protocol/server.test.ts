// The real server bundle over stdio: each test starts `node dist/server.js --stdio` on a fresh temp workspace,
// drives it the way an editor does, and checks what it publishes. Waits are on events with deadlines, never sleeps.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic, PublishDiagnosticsParams, TextEdit } from 'vscode-languageserver-protocol';
import { codes, fileUri, startServer as start } from '../support/lsp-client';

const BACKEND = `resource "azurerm_api_management_backend" "orders" {
  name                = "orders"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://orders.contoso.com/api"

  tls {
    validate_certificate_chain = false
    validate_certificate_name  = false
  }
}
`;

describe('language server over stdio', () => {
  test('initialize announces incremental sync and quick fixes', async (t) => {
    const { client } = await start(t, {});
    const result = await client.initialize(undefined);
    const sync = result.capabilities.textDocumentSync;
    assert.ok(sync && typeof sync === 'object', 'textDocumentSync is an options object');
    assert.equal(sync.openClose, true);
    assert.equal(sync.change, 2, 'TextDocumentSyncKind.Incremental');
    const actions = result.capabilities.codeActionProvider;
    assert.ok(actions && typeof actions === 'object', 'codeActionProvider is an options object');
    assert.ok(actions.codeActionKinds?.includes('quickfix'), 'code actions of kind quickfix');
  });

  test('didOpen publishes APIM001 and APIM002 on the false literals, for the opened version', async (t) => {
    const { client, root } = await start(t, {});
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    await client.open(uri, BACKEND, 7);
    const p = await client.waitForDiagnostics(uri, 'APIM001 and APIM002', (p) => codes(p.diagnostics).join() === 'APIM001,APIM002');
    assert.equal(p.version, 7);
    const byCode = new Map(p.diagnostics.map((d) => [d.code, d]));
    for (const [id, attr] of [
      ['APIM001', 'validate_certificate_chain = '],
      ['APIM002', 'validate_certificate_name  = '],
    ] as const) {
      const d = byCode.get(id)!;
      assert.equal(d.source, 'apim-tls-lint');
      assert.equal(d.severity, 2, `${id} is a warning`);
      assert.match(d.codeDescription?.href ?? '', new RegExp(`/docs/rules/${id}\\.md$`));
      assert.deepEqual(d.range, rangeAfter(BACKEND, attr, 'false'), `${id} sits on the false literal`);
      assert.ok(d.message.length > 20, `${id} has a real message`);
    }
    // Spelled out once, so a wrong position convention (1-based, offsets) cannot hide behind rangeAfter.
    assert.deepEqual(byCode.get('APIM001')!.range, { start: { line: 8, character: 33 }, end: { line: 8, character: 38 } });
  });

  test('an incremental didChange re-publishes for the new version without the fixed finding', async (t) => {
    const { client, root } = await start(t, {});
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    await client.open(uri, BACKEND);
    await client.waitForDiagnostics(uri, 'both findings', (p) => p.diagnostics.length === 2);
    const version = await client.change(uri, [{ range: rangeAfter(BACKEND, 'validate_certificate_chain = ', 'false'), text: 'true' }]);
    const p = await client.waitForDiagnostics(uri, `diagnostics for version ${version}`, (p) => p.version === version);
    assert.deepEqual(codes(p.diagnostics), ['APIM002']);
    const fixed = BACKEND.replace('validate_certificate_chain = false', 'validate_certificate_chain = true');
    assert.deepEqual(p.diagnostics[0].range, rangeAfter(fixed, 'validate_certificate_name  = ', 'false'));
  });

  test('a burst of 50 edits ends with diagnostics for the last version, equal to a fresh open of the final text', async (t) => {
    const { client, root } = await start(t, {});
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    const initial = manyBackends(12);
    await client.open(uri, initial, 1);
    await client.waitForDiagnostics(uri, 'the first diagnostics', (p) => p.version === 1);

    // The client's own copy of the document, updated the way VS Code does it.
    let doc = TextDocument.create(uri, 'terraform', 1, initial);
    const sends: Promise<number>[] = [];
    for (let i = 0; i < 50; i++) {
      const text = doc.getText();
      let change;
      if (i % 5 === 4) {
        // Typing into a comment: one character inserted.
        const at = text.indexOf('# note') + '# note'.length;
        change = { range: { start: doc.positionAt(at), end: doc.positionAt(at) }, text: 'x' };
      } else {
        // Flip a literal of backend (i * 7) % 12 between false and true.
        const n = (i * 7) % 12;
        const key = `"b${n}" {`;
        const attr = text.indexOf('validate_certificate_chain = ', text.indexOf(key)) + 'validate_certificate_chain = '.length;
        const old = text.startsWith('false', attr) ? 'false' : 'true';
        change = { range: { start: doc.positionAt(attr), end: doc.positionAt(attr + old.length) }, text: old === 'false' ? 'true' : 'false' };
      }
      doc = TextDocument.update(doc, [change], doc.version + 1);
      // Not awaited one by one: they go out back to back, as fast typing does.
      sends.push(client.change(uri, [change]));
    }
    await Promise.all(sends);
    const last = doc.version;
    assert.equal(last, 51);
    const final = await client.waitForDiagnostics(uri, `diagnostics for version ${last}`, (p) => p.version === last);
    // A request round trip: anything still queued in the server has run by the time it answers.
    await client.connection.sendRequest(
      'textDocument/codeAction',
      codeActionParams(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []),
    );
    assert.equal(client.latest(uri)!.version, last, 'nothing older was published after the last version');
    const versions = client.history(uri).map((p) => p.version ?? 0);
    assert.deepEqual(
      versions,
      [...versions].sort((a, b) => a - b),
      'versions are published in order',
    );

    const freshUri = fileUri(path.join(root, 'fresh', 'main.tf'));
    await client.open(freshUri, doc.getText(), 1);
    const fresh = await client.waitForDiagnostics(freshUri, 'the fresh open', (p) => p.version === 1);
    assert.ok(fresh.diagnostics.length > 0, 'the final text has findings to compare');
    assert.deepEqual(normalize(final.diagnostics, uri), normalize(fresh.diagnostics, freshUri));
  });

  test('codeAction on APIM002 offers the preferred set-to-true fix and a suppression', async (t) => {
    const { client, root } = await start(t, {});
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    await client.open(uri, BACKEND);
    const p = await client.waitForDiagnostics(uri, 'APIM002', (p) => p.diagnostics.some((d) => d.code === 'APIM002'));
    const diagnostic = p.diagnostics.find((d) => d.code === 'APIM002')!;
    const actions = await client.connection.sendRequest<CodeAction[]>('textDocument/codeAction', codeActionParams(uri, diagnostic.range, [diagnostic]));

    const fix = actions.find((a) => a.title === 'Set validate_certificate_name = true');
    assert.ok(fix, `a set-to-true fix among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(
      fix.diagnostics?.map((d) => d.code),
      ['APIM002'],
    );
    assert.deepEqual(fix.edit?.changes?.[uri], [{ range: diagnostic.range, newText: 'true' }]);
    assert.equal(actions[0], fix, 'the preferred fix comes first');
    const fixedText = applyTextEdits(BACKEND, fix.edit.changes[uri]);
    assert.match(fixedText, /validate_certificate_name {2}= true\n/);

    const suppress = actions.find((a) => a.title === 'Suppress APIM002 on this line');
    assert.ok(suppress, 'a suppression action');
    assert.notEqual(suppress.isPreferred, true);
    const suppressed = applyTextEdits(BACKEND, suppress.edit!.changes![uri]);
    assert.match(suppressed, /\n {4}# apim-tls-lint-disable-next-line APIM002\b[^\n]*\n {4}validate_certificate_name {2}= false\n/);

    // Applying the fix the way an editor does makes the finding go away.
    const version = await client.change(
      uri,
      fix.edit.changes[uri].map((e) => ({ range: e.range, text: e.newText })),
    );
    const after = await client.waitForDiagnostics(uri, 'the fixed version', (p) => p.version === version);
    assert.deepEqual(codes(after.diagnostics), ['APIM001']);
  });

  test('a terraform.tfvars on disk gets diagnostics once the workspace is indexed', async (t) => {
    const main = `variable "chain" {
  type    = bool
  default = true
}

resource "azurerm_api_management_backend" "billing" {
  name                = "billing"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://billing.contoso.com"
  tls {
    validate_certificate_chain = var.chain
  }
}
`;
    const tfvars = '# until the CA is sorted\nchain = false\n';
    const { client, root } = await start(t, { 'main.tf': main, 'terraform.tfvars': tfvars });
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'terraform.tfvars'));
    const p = await client.waitForDiagnostics(uri, 'APIM001 in the tfvars', (p) => p.diagnostics.length > 0);
    assert.deepEqual(codes(p.diagnostics), ['APIM001']);
    const d = p.diagnostics[0];
    assert.deepEqual(d.range, rangeAfter(tfvars, 'chain = ', 'false'));
    const related = d.relatedInformation ?? [];
    assert.ok(
      related.some((r) => r.location.uri === fileUri(path.join(root, 'main.tf')) && r.location.range.start.line === 12),
      `relatedInformation points at the consuming attribute in main.tf: ${JSON.stringify(related)}`,
    );
  });

  test('documents opened while the workspace is being indexed keep their own text', async (t) => {
    // Many small modules on disk, each with a false flag; the editor opens each with the flag set to true while
    // the server is still reading them. The open text must win over the disk text, whatever the interleaving.
    const count = 600;
    const disk = (i: number) => BACKEND.replace('"orders" {', `"b${i}" {`).replace('validate_certificate_name  = false', 'validate_certificate_name  = true');
    const name = (i: number) => `d${String(i).padStart(4, '0')}/main.tf`;
    const files: Record<string, string> = {};
    for (let i = 0; i < count; i++) files[name(i)] = disk(i);
    const { client, root } = await start(t, files);
    await client.initialize(root, { window: { workDoneProgress: true } });
    const uris: string[] = [];
    for (let i = 0; i < count; i++) {
      uris.push(fileUri(path.join(root, name(i))));
      await client.open(uris[i], disk(i).replace('validate_certificate_chain = false', 'validate_certificate_chain = true'), 1);
      // Spread the opens over the indexing instead of sending them all before it starts.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await client.waitFor('the end of indexing', () => client.progress.some((p) => p.value.kind === 'end'), 60_000);
    await client.waitFor('diagnostics for every open document', () => uris.every((u) => client.latest(u)), 60_000);
    // The lint that follows indexing has run by the time a request sent now is answered.
    await client.connection.sendRequest(
      'textDocument/codeAction',
      codeActionParams(uris[0], { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []),
    );
    const wrong = uris.filter((u) => client.latest(u)!.diagnostics.length > 0);
    assert.deepEqual(
      wrong.map((u) => `${path.basename(path.dirname(u))}: ${codes(client.latest(u)!.diagnostics).join(',')}`),
      [],
      'open documents linted with their disk text',
    );
  });

  test('a broken config file is an error on that file; fixing it re-lints open documents', async (t) => {
    const { client, root } = await start(t, { '.apim-tls-lint.json': '{ "rules": { "APIM002": "warning", \n' });
    await client.initialize(root);
    const configUri = fileUri(path.join(root, '.apim-tls-lint.json'));
    const broken = await client.waitForDiagnostics(configUri, 'a config error', (p) => p.diagnostics.length > 0);
    assert.ok(
      broken.diagnostics.every((d) => d.severity === 1 && d.source === 'apim-tls-lint'),
      'errors from apim-tls-lint',
    );
    assert.ok(
      broken.diagnostics.every((d) => d.range.start.line <= 1),
      'inside the two-line file',
    );

    const uri = fileUri(path.join(root, 'main.tf'));
    await client.open(uri, BACKEND);
    await client.waitForDiagnostics(uri, 'both findings despite the broken config', (p) => codes(p.diagnostics).join() === 'APIM001,APIM002');

    fs.writeFileSync(path.join(root, '.apim-tls-lint.json'), '{"rules":{"APIM002":"off"}}');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    const p = await client.waitForDiagnostics(uri, 'APIM002 gone', (p) => codes(p.diagnostics).join() === 'APIM001');
    assert.equal(p.version, 1);
    await client.waitForDiagnostics(configUri, 'the config error cleared', (p) => p.diagnostics.length === 0);
  });

  test('didClose re-publishes the file from its disk text', async (t) => {
    const disk = BACKEND.replace('validate_certificate_name  = false', 'validate_certificate_name  = true');
    const { client, root } = await start(t, { 'main.tf': disk });
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    await client.open(uri, BACKEND, 3);
    await client.waitForDiagnostics(uri, 'the open text', (p) => p.version === 3 && p.diagnostics.length === 2);
    await client.close(uri);
    // Publishes already under way for version 3 (the workspace index finishing, say) may still arrive first.
    const p = await client.waitForDiagnostics(uri, 'diagnostics from disk after close', (p) => p.version === undefined || p.version === null);
    await client.connection.sendRequest(
      'textDocument/codeAction',
      codeActionParams(uri, p.diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []),
    );
    // The disk text may be published more than once (the workspace index and the close both do); what matters is
    // that nothing for the closed version 3 came after it.
    const latest = client.latest(uri);
    assert.ok(latest?.version === undefined || latest?.version === null, `the last publish is for version ${latest?.version}, not the disk text`);
    assert.deepEqual(latest, p, 'the last publish is the disk text');
    assert.deepEqual(codes(p.diagnostics), ['APIM001']);
    assert.deepEqual(p.diagnostics[0].range, rangeAfter(disk, 'validate_certificate_chain = ', 'false'));
  });

  test('shutdown then exit ends the process with code 0', async (t) => {
    const { client, root } = await start(t, { 'main.tf': BACKEND });
    await client.initialize(root);
    await client.waitForDiagnostics(fileUri(path.join(root, 'main.tf')), 'the indexed file');
    const exit = await client.shutdown();
    assert.deepEqual(exit, { code: 0, signal: null });
  });
});

describe('garbage never crashes the server and every range stays inside its document', () => {
  const rng = prng(42);
  const binary = Buffer.from(Array.from({ length: 64 * 1024 }, () => Math.floor(rng() * 256)));
  const usesVar = BACKEND.replace('validate_certificate_chain = false', 'validate_certificate_chain = var.chain') + 'variable "chain" {}\n';
  // name, text, rule ids that must still be found (the intact backend beside the garbage), files on disk.
  const inputs: Array<[string, string, string[], Record<string, string>?]> = [
    ['binary.tf', binary.toString('latin1'), []],
    ['utf16.tf', randomUtf16(rng, 32 * 1024) + BACKEND + randomUtf16(rng, 1024), []],
    ['mixed.tf', interleave(rng, BACKEND, 200), []],
    ['big.tf', bigFile(2 * 1024 * 1024), ['APIM001', 'APIM002']],
    [
      'deep-object.tf',
      `locals {\n  deep = ${'{ a = '.repeat(5000)}false${' }'.repeat(5000)}\n}\n${BACKEND.replace('= false', '= local.deep.a.a')}`,
      ['APIM002'],
    ],
    ['deep-tuple.tf', `locals {\n  deep = ${'['.repeat(5000)}false${']'.repeat(5000)}\n}\n${BACKEND}`, ['APIM001', 'APIM002']],
    ['deep-unclosed.tf', `${BACKEND}locals {\n  deep = ${'{ a = ('.repeat(5000)}\n`, ['APIM001', 'APIM002']],
    ['deep-call.tf', `locals {\n  deep = ${'merge('.repeat(5000)}{}${')'.repeat(5000)}\n}\n${BACKEND}`, ['APIM001', 'APIM002']],
    [
      'nested-blocks.tf',
      `${'resource "azurerm_api_management_backend" "x" {\n'.repeat(5000)}tls { validate_certificate_chain = false }\n${'}\n'.repeat(5000)}`,
      [],
    ],
    ['deep.auto.tfvars', `chain = ${'{ a = '.repeat(5000)}false${' }'.repeat(5000)}\n`, [], { 'main.tf': usesVar }],
  ];

  for (const [name, text, mustFind, files] of inputs) {
    test(`${name} (${text.length} chars): open, half-typed edit, emptied`, async (t) => {
      const { client, root } = await start(t, files ?? {});
      await client.initialize(root);
      const uri = fileUri(path.join(root, name));
      await client.open(uri, text, 1);
      const p = await client.waitForDiagnostics(uri, `diagnostics for ${name}`, (p) => p.version === 1, 60_000);
      assertRangesInside(TextDocument.create(uri, 'terraform', 1, text), p, name);
      for (const id of mustFind) assert.ok(codes(p.diagnostics).includes(id), `${name}: ${id} is still found beside the garbage`);
      const actions = await client.connection.sendRequest<CodeAction[]>(
        'textDocument/codeAction',
        codeActionParams(uri, { start: { line: 0, character: 0 }, end: { line: 1, character: 0 } }, []),
      );
      assert.ok(Array.isArray(actions), `${name}: codeAction answered`);

      // Half-typed text on top: an unterminated string at the very start, then everything deleted.
      const edited = TextDocument.update(
        TextDocument.create(uri, 'terraform', 1, text),
        [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x = "' }],
        2,
      );
      const v2 = await client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'x = "' }]);
      assertRangesInside(edited, await client.waitForDiagnostics(uri, `${name} v2`, (p) => p.version === v2, 60_000), `${name} v2`);
      const v3 = await client.change(uri, [{ text: '' }]);
      const empty = await client.waitForDiagnostics(uri, `${name} emptied`, (p) => p.version === v3, 60_000);
      assert.deepEqual(empty.diagnostics, [], `${name}: an empty file has no findings`);

      assert.equal(client.exit, undefined, `${name}: the server is still running`);
      assert.deepEqual(
        client.log.filter((l) => / failed: /.test(l)),
        [],
        `${name}: no handler threw`,
      );
      assert.deepEqual(await client.shutdown(), { code: 0, signal: null });
    });
  }

  test('binary files on disk are indexed without harm', async (t) => {
    const { client, root } = await start(t, { 'junk.tf': binary, 'terraform.tfvars': binary, 'main.tf': BACKEND });
    await client.initialize(root);
    await client.waitForDiagnostics(fileUri(path.join(root, 'main.tf')), 'the intact file beside the junk', (p) => p.diagnostics.length === 2);
    for (const name of ['junk.tf', 'terraform.tfvars']) {
      const uri = fileUri(path.join(root, name));
      const text = fs.readFileSync(path.join(root, name), 'utf8');
      const p = await client.waitForDiagnostics(uri, name);
      assertRangesInside(TextDocument.create(uri, 'terraform', 0, text), p, name);
    }
    assert.deepEqual(
      client.log.filter((l) => / failed: /.test(l)),
      [],
      'no handler threw',
    );
    assert.deepEqual(await client.shutdown(), { code: 0, signal: null });
  });
});

/** The LSP range of `literal` where it first follows `prefix` in `text`. */
function rangeAfter(text: string, prefix: string, literal: string) {
  const at = text.indexOf(prefix);
  assert.ok(at >= 0, `"${prefix}" is in the text`);
  const start = at + prefix.length;
  assert.equal(text.slice(start, start + literal.length), literal);
  const doc = TextDocument.create('x:', 'terraform', 0, text);
  return { start: doc.positionAt(start), end: doc.positionAt(start + literal.length) };
}

function codeActionParams(uri: string, range: Diagnostic['range'], diagnostics: Diagnostic[]) {
  return { textDocument: { uri }, range, context: { diagnostics, only: ['quickfix'] } };
}

function applyTextEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('x:', 'terraform', 0, text), edits);
}

function normalize(diagnostics: Diagnostic[], uri: string): unknown {
  return JSON.parse(JSON.stringify(diagnostics).split(JSON.stringify(uri).slice(1, -1)).join('<doc>'));
}

function assertRangesInside(doc: TextDocument, p: PublishDiagnosticsParams, name: string): void {
  const lines = doc.getText().split(/\r\n|\r|\n/);
  const inside = (pos: { line: number; character: number }) =>
    Number.isInteger(pos.line) &&
    Number.isInteger(pos.character) &&
    pos.line >= 0 &&
    pos.line < lines.length &&
    pos.character >= 0 &&
    pos.character <= lines[pos.line].length;
  const check = (range: Diagnostic['range'], what: string) => {
    assert.ok(inside(range.start) && inside(range.end), `${name}: ${what} range ${JSON.stringify(range)} lies inside the document (${lines.length} lines)`);
    assert.ok(
      range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character),
      `${name}: ${what} range is ordered`,
    );
  };
  for (const d of p.diagnostics) {
    check(d.range, String(d.code));
    for (const r of d.relatedInformation ?? []) if (r.location.uri === doc.uri) check(r.location.range, `${d.code} related`);
  }
}

/** A module of `n` backends, b0 … b(n-1), each with a false chain flag, and a comment to type into. */
function manyBackends(n: number): string {
  let out = '# note\n';
  for (let i = 0; i < n; i++) {
    out += `resource "azurerm_api_management_backend" "b${i}" {
  name                = "b${i}"
  resource_group_name = "rg-apim"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = "https://b${i}.contoso.com/api"
  tls {
    validate_certificate_chain = false
    validate_certificate_name  = ${i % 2 === 0 ? 'false' : 'true'}
  }
}

`;
  }
  return out;
}

function bigFile(bytes: number): string {
  let out = '';
  for (let i = 0; out.length < bytes; i++) {
    out += BACKEND.replace('"orders" {', `"orders_${i}" {`).replace('= false', i % 3 ? '= true' : '= false');
    out += `resource "azurerm_storage_account" "s${i}" {\n  name = "s${i}"\n  tags = { a = "b", c = [1, 2, 3] }\n}\n\n`;
  }
  return out;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random UTF-16 code units, lone surrogates and control characters included. */
function randomUtf16(rng: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String.fromCharCode(rng() < 0.3 ? Math.floor(rng() * 32) : Math.floor(rng() * 0x10000));
  return out;
}

/** `text` with random fragments of HCL punctuation spliced in. */
function interleave(rng: () => number, text: string, cuts: number): string {
  const bits = ['{', '}', '"', '${', '\r', '\n', '=', '[', ']', '(', '<<EOT\n', '#', '/*', '\\', 'false', ' tls {', '\u2028', '\ud800'];
  let out = text.repeat(4);
  for (let i = 0; i < cuts; i++) {
    const at = Math.floor(rng() * out.length);
    out = out.slice(0, at) + bits[Math.floor(rng() * bits.length)] + out.slice(at);
  }
  return out;
}
