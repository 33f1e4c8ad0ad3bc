// Local TLS servers for the live-check tests: each listens on 127.0.0.1 only, on a port the system picks, serves the
// chain it is given with the key kept in memory, and is closed by the test that started it. Also the two servers that
// are not TLS servers: one that accepts and never answers, one that speaks plain HTTP.
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { TestContext } from 'node:test';
import { privateKeyPem, type TestCert } from './certs';

export interface LocalServer {
  port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export interface TlsServerOptions {
  /** What the server sends: leaf first (the leaf's key signs the handshake). */
  chain: TestCert[];
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  /** Ask for a client certificate and refuse the handshake without one. */
  requireClientCertificate?: boolean;
}

/** A TLS server that completes handshakes and then closes the connection; it never reads or writes application data. */
export async function startTlsServer(t: TestContext | undefined, options: TlsServerOptions): Promise<LocalServer> {
  const [leaf] = options.chain;
  const server = tls.createServer(
    {
      key: await privateKeyPem(leaf),
      cert: options.chain.map((c) => c.pem).join(''),
      minVersion: options.minVersion,
      maxVersion: options.maxVersion,
      ciphers: options.ciphers,
      requestCert: options.requireClientCertificate,
      rejectUnauthorized: options.requireClientCertificate,
    },
    (socket) => {
      socket.on('error', () => undefined);
      socket.end();
    },
  );
  // Failed handshakes are what several tests are about; they must not crash the test process.
  server.on('tlsClientError', () => undefined);
  return listen(t, server);
}

/** Accepts TCP connections and never says a word: the silent backend a deadline must cut short. */
export async function startSilentServer(t: TestContext | undefined): Promise<LocalServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return listen(t, server, () => sockets.forEach((s) => s.destroy()));
}

/** Accepts a connection and drops it at once, as a server does that refuses the name or the client. */
export async function startResettingServer(t: TestContext | undefined): Promise<LocalServer> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.resetAndDestroy();
  });
  return listen(t, server);
}

/** Answers anything with an HTTP 400, as a plain-HTTP server does when a TLS ClientHello arrives. */
export async function startHttpServer(t: TestContext | undefined): Promise<LocalServer> {
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
  });
  return listen(t, server);
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function listen(t: TestContext | undefined, server: net.Server, beforeClose?: () => void): Promise<LocalServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  let accepted = 0;
  server.on('connection', () => accepted++);
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= new Promise<void>((resolve) => {
      beforeClose?.();
      server.close(() => resolve());
    }));
  t?.after(close);
  return { port, connections: () => accepted, close };
}
