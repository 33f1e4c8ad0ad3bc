// Real certificates for the editor tests, made with the repository's @peculiar/x509 (test/support/certs.ts is
// TypeScript and not built for the extension host): a root, CAs it signs, and leaves with the DNS names given.
const crypto = require('crypto');
const path = require('path');
const vscode = require('vscode');
const { EXTENSION_ID } = require('./helpers');

let x509;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

function library() {
  if (x509) return x509;
  const modules = path.join(vscode.extensions.getExtension(EXTENSION_ID).extensionPath, 'node_modules');
  require(path.join(modules, 'reflect-metadata'));
  x509 = require(path.join(modules, '@peculiar/x509'));
  x509.cryptoProvider.set(crypto.webcrypto);
  return x509;
}

/** A certificate signed by `issuer` (self-signed without one); a leaf carries `dnsNames`. */
async function makeCert(subject, issuer, ca, dnsNames = []) {
  const lib = library();
  const { webcrypto } = crypto;
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const extensions = [new lib.BasicConstraintsExtension(ca, undefined, true), await lib.SubjectKeyIdentifierExtension.create(keys.publicKey)];
  if (issuer) extensions.push(await lib.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey));
  if (dnsNames.length) extensions.push(new lib.SubjectAlternativeNameExtension(dnsNames.map((value) => ({ type: 'dns', value }))));
  const cert = await lib.X509CertificateGenerator.create({
    serialNumber: '01' + crypto.randomBytes(8).toString('hex'),
    subject,
    issuer: issuer ? issuer.cert.subject : subject,
    notBefore: new Date(Date.now() - 86400000),
    notAfter: new Date(Date.now() + 365 * 86400000),
    publicKey: keys.publicKey,
    signingKey: issuer ? issuer.keys.privateKey : keys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions,
  });
  return { cert, keys, pem: cert.toString('pem') + '\n', der: Buffer.from(cert.rawData) };
}

/** root → issuing CA → leaf for `host`. */
async function makeChain(host, names = { root: 'Editor Test Root CA', issuing: 'Editor Test Issuing CA' }) {
  const root = await makeCert(`CN=${names.root}, O=Contoso`, undefined, true);
  const issuing = await makeCert(`CN=${names.issuing}, O=Contoso`, root, true);
  const leaf = await makeCert(`CN=${host}, O=Contoso`, issuing, false, [host]);
  return { root, issuing, leaf };
}

/** APIM's thumbprint: SHA-1 of the DER bytes, uppercase hex. */
function sha1(der) {
  return crypto.createHash('sha1').update(der).digest('hex').toUpperCase();
}

module.exports = { makeCert, makeChain, sha1 };
