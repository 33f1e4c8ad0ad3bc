// Connections that fail, probed directly (no configuration): each is an answer with what to try, never an exception
// or a hang. Servers listen on 127.0.0.1 only; the name that does not resolve goes to a resolver that fails at once
// (a real lookup would leave this machine).
import assert from 'node:assert/strict';
import type * as net from 'node:net';
import { describe, test } from 'node:test';
import { liveConfigForUrl } from '../../server/src/core/live/backend-config';
import { gatewayOffer } from '../../server/src/core/live/gateway';
import { judgeLive } from '../../server/src/core/live/judge';
import { probeBackend, publicRoots } from '../../server/src/live/probe';
import { startHttpServer, startResettingServer } from '../support/tls-servers';

const HOST = 'tic.localtest';

async function check(port: number, options: { connect?: string; lookup?: net.LookupFunction } = {}) {
  const made = liveConfigForUrl(`https://${HOST}:${port}`, 'v2');
  assert.ok(made.ok);
  const connect = { host: options.connect ?? '127.0.0.1', port };
  const observation = await probeBackend({ host: HOST, port, connect }, { offer: gatewayOffer(made.config.gateway), timeoutMs: 2000, lookup: options.lookup });
  return { observation, verdict: judgeLive(observation, made.config, publicRoots()) };
}

describe('probe failures are answers', () => {
  test('a name that does not resolve: could not check, with --connect as the way round', async () => {
    const lookups: string[] = [];
    const lookup = ((hostname: string, _options: unknown, callback: (e: NodeJS.ErrnoException | null) => void) => {
      lookups.push(hostname);
      const e: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      process.nextTick(() => callback(e));
    }) as unknown as net.LookupFunction;
    const { observation, verdict } = await check(443, { connect: 'apim-backend.invalid', lookup });
    assert.ok(lookups.length > 0 && lookups.every((h) => h === 'apim-backend.invalid'), JSON.stringify(lookups));
    assert.equal(verdict.verdict, 'unknown');
    assert.equal(observation.chain.ok ? '' : observation.chain.failure.kind, 'dns');
    assert.equal(verdict.outcome, `Could not check https://${HOST}:443: Could not resolve apim-backend.invalid (ENOTFOUND).`);
    assert.match(verdict.todo ?? '', /--connect HOST:PORT/);
  });

  test('a server that drops the connection: could not check, naming the SNI it was sent', async (t) => {
    const server = await startResettingServer(t);
    const { observation, verdict } = await check(server.port);
    assert.equal(verdict.verdict, 'unknown');
    assert.equal(observation.chain.ok ? '' : observation.chain.failure.kind, 'reset');
    assert.match(verdict.outcome, /closed the connection during the TLS handshake/);
    assert.match(verdict.todo ?? '', /refuse the name sent as SNI \(tic\.localtest\)/);
  });

  test('a plain HTTP port: every handshake fails alike, the verdict says it is not TLS', async (t) => {
    const server = await startHttpServer(t);
    const { observation, verdict } = await check(server.port);
    assert.equal(observation.chain.ok ? '' : observation.chain.failure.kind, 'not-tls');
    assert.equal(verdict.verdict, 'unknown');
    assert.match(verdict.todo ?? '', /Use the port where the backend serves TLS/);
  });
});
