// Preloaded with `node --require` into a process that must not touch the network: every way Node opens a
// connection or looks up a name throws instead, so a lint that tried would fail loudly rather than pass unseen.
const dns = require('node:dns');
const net = require('node:net');
const tls = require('node:tls');

function refuse(what) {
  return function refused() {
    throw new Error(`network access attempted: ${what}`);
  };
}

net.Socket.prototype.connect = refuse('net.Socket.prototype.connect');
net.connect = refuse('net.connect');
net.createConnection = refuse('net.createConnection');
tls.connect = refuse('tls.connect');
for (const name of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
  dns[name] = refuse(`dns.${name}`);
  dns.promises[name] = refuse(`dns.promises.${name}`);
}
