// The live check's row of the benchmark (DESIGN §7): one live check of a backend on loopback, all six handshakes
// in parallel plus the verdict, against a local TLS server on 127.0.0.1 that this section starts and stops. Budget:
// at most one second. A bare TLS handshake to the same server is the baseline that shows what the machine gives.
import { performance } from 'node:perf_hooks';
import * as tls from 'node:tls';
import { liveConfigForUrl } from '../../server/src/core/live/backend-config';
import { gatewayOffer } from '../../server/src/core/live/gateway';
import { judgeLive } from '../../server/src/core/live/judge';
import { probeBackend, publicRoots } from '../../server/src/live/probe';
import { makeChain } from '../support/certs';
import { startTlsServer } from '../support/tls-servers';

export const BUDGET_LIVE_CHECK_MS = 1000;

/** Runs the section and returns its report lines. */
export async function benchLiveCheck(runs = 15, warm = 3): Promise<string[]> {
  const host = 'tic.localtest';
  const chain = await makeChain({ host });
  const server = await startTlsServer(undefined, { chain: [chain.leaf, chain.issuing] });
  try {
    const made = liveConfigForUrl(`https://${host}:${server.port}`, 'v2');
    if (!made.ok) throw new Error(made.reason);
    const config = made.config;
    const target = { host, port: server.port, connect: { host: '127.0.0.1', port: server.port } };
    const check = async () => judgeLive(await probeBackend(target, { offer: gatewayOffer(config.gateway) }), config, publicRoots());
    const handshake = () =>
      new Promise<void>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port: server.port, servername: host, rejectUnauthorized: false }, () => {
          socket.end();
          resolve();
        });
        socket.on('error', reject);
      });
    for (let i = 0; i < warm; i++) {
      await handshake();
      await check();
    }
    const bare: number[] = [];
    const live: number[] = [];
    let verdict = '';
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      await handshake();
      bare.push(performance.now() - t);
      t = performance.now();
      verdict = (await check()).verdict;
      live.push(performance.now() - t);
    }
    const med = median(live);
    return [
      'One live check on loopback (a local TLS server on 127.0.0.1: six handshakes in parallel, then the verdict),',
      `against one bare TLS handshake to the same server; ${runs} runs after ${warm} warm-up, verdict "${verdict}"`,
      ...table([
        [
          'bare handshake median',
          'live check median',
          'live check best',
          'live check worst',
          'check/handshake',
          `budget ≤ ${BUDGET_LIVE_CHECK_MS} ms (median)`,
        ],
        [
          fmt(median(bare)),
          fmt(med),
          fmt(Math.min(...live)),
          fmt(Math.max(...live)),
          (med / median(bare)).toFixed(1),
          med <= BUDGET_LIVE_CHECK_MS ? 'PASS' : 'OVER',
        ],
      ]),
    ];
  } finally {
    await server.close();
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function fmt(x: number): string {
  return x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0);
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd(),
  );
}
