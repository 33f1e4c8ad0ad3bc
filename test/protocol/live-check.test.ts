// The live check through the real server over stdio, as any LSP client sees it: a "Check live" code lens on each
// backend with an https URL, whose command (`apimTls.checkBackendLive`) connects to a local TLS server on 127.0.0.1
// and returns the verdict. Linting the same workspace never connects: the server keeps serving diagnostics while
// the local server counts no connection.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol';
import type { CheckBackendLiveArgs, CheckBackendLiveResult } from '../../server/src/custom-messages';
import type { LiveReport } from '../../server/src/core/live/report';
import { makeChain, type TestChain } from '../support/certs';
import { codes, fileUri, startServer } from '../support/lsp-client';
import { startTlsServer } from '../support/tls-servers';

const HOST = 'tic.localtest';

let chain: TestChain;
before(async () => {
  chain = await makeChain({ host: HOST });
});

function module(port: number): string {
  return `resource "azurerm_api_management" "apim" {
  name     = "apim-contoso"
  sku_name = "BasicV2_1"
}

resource "azurerm_api_management_backend" "tic" {
  name                = "tic-backend"
  api_management_name = azurerm_api_management.apim.name
  protocol            = "http"
  url                 = "https://${HOST}:${port}/api"
  tls {
    validate_certificate_chain = false
  }
}

resource "azurerm_api_management_backend" "plain" {
  name                = "plain-backend"
  api_management_name = azurerm_api_management.apim.name
  protocol            = "http"
  url                 = "http://plain.contoso.test/api"
}
`;
}

describe('apimTls.checkBackendLive over stdio', () => {
  test('a "Check live" lens sits on the https backend only, and its command returns the verdict from the live server', async (t) => {
    const server = await startTlsServer(t, { chain: [chain.leaf, chain.issuing] });
    const { client, root } = await startServer(t, { 'main.tf': module(server.port) });
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    const text = module(server.port);
    await client.open(uri, text);
    await client.waitForDiagnostics(uri, 'APIM001 on the backend with chain validation off', (p) => codes(p.diagnostics).includes('APIM001'));

    assert.equal(server.connections(), 0, 'linting opened no connection');

    const lenses = await client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const live = lenses.filter((l) => l.command?.title === 'Check live');
    assert.equal(live.length, 1, JSON.stringify(lenses.map((l) => l.command?.title)));
    assert.equal(
      live[0].range.start.line,
      text.split('\n').findIndex((l) => l.includes('"tic"')),
    );
    assert.equal(live[0].command!.command, 'apimTls.checkBackendLive');

    const args = { ...(live[0].command!.arguments![0] as CheckBackendLiveArgs), connect: `127.0.0.1:${server.port}` };
    const report = await client.connection.sendRequest<LiveReport>('workspace/executeCommand', { command: 'apimTls.checkBackendLive', arguments: [args] });
    assert.equal(report.backend, 'azurerm_api_management_backend.tic');
    assert.equal(report.verdict, 'accept', report.outcome);
    assert.ok(report.acceptsAnything === false, 'name validation is still on');
    assert.match(report.outcome, /^APIM will accept azurerm_api_management_backend\.tic: it checks only the name/);
    assert.match(report.todo ?? '', /Chain validation is off: pin what it presents/);
    assert.equal(report.tier, 'v2');
    assert.equal(report.suggestedPin?.name, HOST);
    assert.equal(report.suggestedPin?.subject, chain.issuing.cert.subject);
    assert.ok(client.log.some((l) => l.includes('Live check of azurerm_api_management_backend.tic: connecting to 127.0.0.1:')));
    assert.equal(server.connections(), 6, 'one handshake for the chain, four for TLS 1.0–1.3, one for the cipher suites');
  });

  test('a for_each backend: the instances are the choices, and the one named is checked', async (t) => {
    const server = await startTlsServer(t, { chain: [chain.leaf, chain.issuing] });
    const text = `resource "azurerm_api_management_backend" "tic" {
  for_each            = { eu = "https://${HOST}:${server.port}/eu", us = "https://${HOST}:${server.port}/us" }
  name                = "tic-\${each.key}"
  api_management_name = "apim-contoso"
  protocol            = "http"
  url                 = each.value
}
`;
    const { client, root } = await startServer(t, { 'main.tf': text });
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    await client.open(uri, text);
    const run = (arg: CheckBackendLiveArgs) =>
      client.connection.sendRequest<CheckBackendLiveResult>('workspace/executeCommand', { command: 'apimTls.checkBackendLive', arguments: [arg] });
    const position = { line: 0, character: 2 };
    const choices = await run({ uri, position, connect: `127.0.0.1:${server.port}` });
    assert.deepEqual(choices, { choices: ['azurerm_api_management_backend.tic["eu"]', 'azurerm_api_management_backend.tic["us"]'] });
    assert.equal(server.connections(), 0, 'asking which instance connects nowhere');
    const report = (await run({ uri, position, backend: 'azurerm_api_management_backend.tic["us"]', connect: `127.0.0.1:${server.port}` })) as LiveReport;
    assert.equal(report.backend, 'azurerm_api_management_backend.tic["us"]');
    assert.equal(report.url, `https://${HOST}:${server.port}/us`);
    assert.equal(report.verdict, 'reject', 'an internal CA, and no pin');
  });

  test('no backend at the position, a bad connect address, a missing argument: an error, no connection', async (t) => {
    const { client, root } = await startServer(t, { 'main.tf': module(9) });
    await client.initialize(root);
    const uri = fileUri(path.join(root, 'main.tf'));
    await client.open(uri, module(9));
    const run = (arg: unknown) =>
      client.connection.sendRequest<CheckBackendLiveResult>('workspace/executeCommand', { command: 'apimTls.checkBackendLive', arguments: [arg] });
    const nowhere = await run({ uri, position: { line: 3, character: 0 } });
    assert.match((nowhere as { error: string }).error, /no backend here/);
    const plain = await run({ uri, position: { line: 17, character: 2 } });
    assert.match((plain as { error: string }).error, /plain http:\/\/: there is no TLS to check/);
    const badConnect = await run({ uri, position: { line: 6, character: 2 }, connect: 'a:b:c' });
    assert.match((badConnect as { error: string }).error, /connect takes HOST:PORT/);
    const missing = await run(undefined);
    assert.match((missing as { error: string }).error, /expects \[\{ uri, position/);
  });
});
