// Real certificates for the editor tests and the smoke tests, made with the repository's @peculiar/x509
// (test/support/certs.ts is TypeScript and not built for the extension host): a root, CAs it signs, and leaves with
// the DNS names given, each with its key as PEM for a local TLS server. Plain Node: no `vscode` here, so scripts
// outside the extension host load it too.
const crypto = require('crypto');
const path = require('path');

let x509;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

function library() {
  if (x509) return x509;
  // The repository's own packages, wherever the test runner was started from.
  const modules = path.join(__dirname, '..', '..', '..', 'node_modules');
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
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { cert, keys, pem: cert.toString('pem') + '\n', der: Buffer.from(cert.rawData), keyPem: lib.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
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
