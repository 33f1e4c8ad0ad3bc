// Real certificates for tests: a root CA, an issuing CA it signs, and a leaf the issuing CA signs, made with
// @peculiar/x509 over Node's webcrypto (EC P-256, SHA-256). Private keys stay in memory unless a test asks for one
// (to check that files holding keys are refused), and then only in a temporary folder.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as Parameters<typeof x509.cryptoProvider.set>[1]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY = 24 * 60 * 60 * 1000;

export interface TestCert {
  cert: x509.X509Certificate;
  keys: webcrypto.CryptoKeyPair;
  pem: string;
  der: Uint8Array;
}

export interface CertOptions {
  /** A distinguished name, e.g. `CN=Contoso Root CA, O=Contoso`. */
  subject: string;
  /** The signer; the certificate is self-signed without one. */
  issuer?: TestCert;
  ca: boolean;
  /** DNS names for the subjectAltName extension (leaf certificates). */
  dnsNames?: string[];
  notBefore?: Date;
  notAfter?: Date;
}

export async function makeCertificate(options: CertOptions): Promise<TestCert> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const usages = options.ca
    ? x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature
    : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyAgreement;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(options.ca, undefined, true),
    new x509.KeyUsagesExtension(usages, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  if (options.issuer) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(options.issuer.keys.publicKey));
  if (options.dnsNames?.length) {
    extensions.push(new x509.SubjectAlternativeNameExtension(options.dnsNames.map((value) => ({ type: 'dns' as const, value }))));
  }
  const notAfter = options.notAfter ?? new Date(Date.now() + 365 * DAY);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: options.subject,
    issuer: options.issuer ? options.issuer.cert.subject : options.subject,
    // Two years of validity ending at notAfter, so expired and soon-expiring certificates are valid otherwise.
    notBefore: options.notBefore ?? new Date(notAfter.getTime() - 730 * DAY),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: options.issuer ? options.issuer.keys.privateKey : keys.privateKey,
    signingAlgorithm: ALGORITHM,
    extensions,
  });
  return { cert, keys, pem: cert.toString('pem') + '\n', der: new Uint8Array(cert.rawData) };
}

export interface TestChain {
  root: TestCert;
  issuing: TestCert;
  leaf: TestCert;
  /** leaf, issuing CA, root: the order servers send and people paste. */
  bundlePem: string;
}

export interface ChainOptions {
  host?: string;
  /** notAfter per certificate; the others get a year. */
  rootNotAfter?: Date;
  issuingNotAfter?: Date;
  leafNotAfter?: Date;
}

export async function makeChain(options: ChainOptions = {}): Promise<TestChain> {
  const host = options.host ?? 'orders.internal.contoso.com';
  const root = await makeCertificate({ subject: 'CN=Contoso Test Root CA, O=Contoso', ca: true, notAfter: options.rootNotAfter });
  const issuing = await makeCertificate({
    subject: 'CN=Contoso Test Issuing CA 01, O=Contoso',
    issuer: root,
    ca: true,
    notAfter: options.issuingNotAfter,
  });
  const leaf = await makeCertificate({
    subject: `CN=${host}, O=Contoso`,
    issuer: issuing,
    ca: false,
    dnsNames: [host],
    notAfter: options.leafNotAfter,
  });
  return { root, issuing, leaf, bundlePem: leaf.pem + issuing.pem + root.pem };
}

/** A key as a PKCS#8 PEM file would hold it: only for tests that check such files are refused. */
export async function privateKeyPem(cert: TestCert): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', cert.keys.privateKey);
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n';
}

/** A CRL signed by `issuer`, as PEM and DER. */
export async function makeCrl(issuer: TestCert): Promise<{ pem: string; der: Uint8Array }> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.cert.subject,
    thisUpdate: new Date(),
    nextUpdate: new Date(Date.now() + 7 * DAY),
    entries: [{ serialNumber: randomSerial(), revocationDate: new Date() }],
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ALGORITHM,
  });
  return { pem: crl.toString('pem') + '\n', der: new Uint8Array(crl.rawData) };
}

function randomSerial(): string {
  // Positive and non-zero: the first byte stays below 0x80.
  return '1' + Buffer.from(webcrypto.getRandomValues(new Uint8Array(15))).toString('hex');
}
