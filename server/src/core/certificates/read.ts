// Reading certificate files: bytes in, certificates (or a refusal that says what the file holds) out. PEM, bundles
// of PEM, DER and PKCS#7 are read; private keys, PKCS#12, requests, CRLs and garbage are refused before anything
// in them is decoded further, and nothing of their content reaches the result.
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { CertificateInfo, CertificateReadResult } from './types';

// The library asks its provider for hashing only; parsing needs none, but a provider must be set for it to load.
x509.cryptoProvider.set(webcrypto as Parameters<typeof x509.cryptoProvider.set>[1]);

export { CERTIFICATE_EXTENSIONS, isCertificateFile } from './files';

/**
 * Every certificate in a file. `fileName` names the file in messages and in the results; only its extension
 * influences reading (`.pfx`/`.p12` are refused unread).
 */
export function readCertificates(bytes: Uint8Array, fileName: string): CertificateReadResult {
  const name = baseName(fileName);
  if (bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d)) return refuse(`${name} is empty.`);
  if (/\.(pfx|p12)$/i.test(fileName)) return refuse(pfxMessage(name));
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  // A private key anywhere refuses the whole file, before any other block of it is decoded.
  if (PRIVATE_KEY_TEXT.test(text)) return refuse(privateKeyMessage(name));
  // Windows tools save PEM as UTF-16: its text is read as what it is, from the private-key check on.
  const utf16 = utf16Text(bytes);
  if (utf16 !== undefined) return readCertificates(new Uint8Array(Buffer.from(utf16, 'utf8')), fileName);
  if (text.includes('-----BEGIN ')) return readPem(text, fileName, name);
  if (bytes[0] === 0x30) return readDer(bytes, fileName, name);
  const bare = text.replace(/\s+/g, '');
  if (bare.length >= 64 && /^[A-Za-z0-9+/]+={0,2}$/.test(bare)) {
    const der = new Uint8Array(Buffer.from(bare, 'base64'));
    if (der[0] === 0x30) return readDer(der, fileName, name);
  }
  return refuse(isText(bytes) ? noCertificateText(name) : `${name} is not a certificate file: its bytes are neither PEM text nor DER.`);
}

const PRIVATE_KEY_TEXT = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z0-9 ]*-----|PuTTY-User-Key-File-/;

function readPem(text: string, fileName: string, name: string): CertificateReadResult {
  const begin = /-----BEGIN ([A-Z0-9 #]+)-----/g;
  const certificates: CertificateInfo[] = [];
  const others: string[] = [];
  let m: RegExpExecArray | null;
  let blocks = 0;
  while ((m = begin.exec(text))) {
    // Each block is searched for its END once and the search goes on after it, so reading stays linear in the text.
    const end = text.indexOf(`-----END ${m[1]}-----`, begin.lastIndex);
    if (end < 0) return refuse(`${name} has a -----BEGIN ${m[1].trim()}----- line without its -----END line: the file looks truncated.`);
    blocks++;
    const label = m[1].trim();
    const body = text.slice(begin.lastIndex, end);
    begin.lastIndex = end + m[1].length + 13;
    if (label === 'CERTIFICATE' || label === 'X509 CERTIFICATE' || label === 'TRUSTED CERTIFICATE') {
      const der = base64(body);
      // OpenSSL's TRUSTED CERTIFICATE appends trust settings after the certificate: take the first element.
      const first = der && readTlv(der, 0, der.length);
      const info = first && first.tag === 0x30 ? certificateInfo(der.subarray(0, first.end), fileName, certificates.length) : undefined;
      if (!info) return refuse(`${name}: PEM block ${blocks} (${label}) is not a readable certificate; nothing was read from the file.`);
      certificates.push(info);
    } else if (label === 'PKCS7' || label === 'CMS') {
      const der = base64(body);
      const result = der ? readPkcs7(der, fileName, name, certificates.length) : undefined;
      if (!result?.ok) return result ?? refuse(`${name}: PEM block ${blocks} (${label}) is not readable PKCS#7.`);
      certificates.push(...result.certificates);
    } else {
      others.push(label);
    }
  }
  if (certificates.length) return { ok: true, certificates };
  if (others.length) return refuse(describeLabel(name, others[0]));
  return refuse(noCertificateText(name));
}

function describeLabel(name: string, label: string): string {
  if (/CERTIFICATE REQUEST/.test(label)) return csrMessage(name, 'CSR');
  if (label === 'X509 CRL' || label === 'CRL') return `${name} holds a certificate revocation list (X509 CRL), not a certificate.`;
  if (/PUBLIC KEY/.test(label)) return `${name} holds a public key (${label}), not a certificate: APIM pins certificates by thumbprint.`;
  return `${name} holds a PEM block of type ${label}, not a certificate.`;
}

function readDer(der: Uint8Array, fileName: string, name: string): CertificateReadResult {
  const kind = classifyDer(der);
  switch (kind.kind) {
    case 'certificate': {
      const info = certificateInfo(der.subarray(0, kind.end), fileName, 0);
      return info ? { ok: true, certificates: [info] } : refuse(`${name} has the shape of a DER certificate but could not be decoded.`);
    }
    case 'pkcs7':
      return readPkcs7(der, fileName, name, 0);
    case 'pfx':
      return refuse(pfxMessage(name));
    case 'private-key':
      return refuse(privateKeyMessage(name));
    case 'public-key':
      return refuse(`${name} holds a public key (${kind.form}, DER), not a certificate: APIM pins certificates by thumbprint.`);
    case 'csr':
      return refuse(csrMessage(name, 'CSR, DER'));
    case 'crl':
      return refuse(`${name} holds a certificate revocation list (CRL, DER), not a certificate.`);
    default:
      return refuse(isText(der) ? noCertificateText(name) : `${name} is not a certificate file: it is binary data of no known certificate format.`);
  }
}

/** PKCS#7 SignedData (`.p7b`): the certificates it carries, with their exact bytes. */
function readPkcs7(der: Uint8Array, fileName: string, name: string, firstIndex: number): CertificateReadResult {
  let raws = pkcs7Certificates(der);
  if (!raws) {
    // BER with indefinite lengths (some Windows exports): let the library's BER reader take it.
    try {
      raws = [...new x509.X509Certificates(der)].map((c) => new Uint8Array(c.rawData));
    } catch {
      return refuse(`${name} is not readable PKCS#7 (.p7b) data.`);
    }
  }
  const certificates: CertificateInfo[] = [];
  for (const raw of raws) {
    const info = certificateInfo(raw, fileName, firstIndex + certificates.length);
    if (!info) return refuse(`${name}: certificate ${certificates.length + 1} of the PKCS#7 data could not be decoded; nothing was read.`);
    certificates.push(info);
  }
  return certificates.length ? { ok: true, certificates } : refuse(`${name} is a PKCS#7 file with no certificates in it.`);
}

function certificateInfo(der: Uint8Array, file: string, index: number): CertificateInfo | undefined {
  try {
    const cert = new x509.X509Certificate(der);
    return {
      file,
      index,
      subject: cert.subject,
      issuer: cert.issuer,
      isCa: cert.getExtension(x509.BasicConstraintsExtension)?.ca === true,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      sha1: createHash('sha1').update(der).digest('hex').toUpperCase(),
      sha256: createHash('sha256').update(der).digest('hex').toUpperCase(),
      subjectKeyId: keyId(() => cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId),
      authorityKeyId: keyId(() => cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId),
      names: namesOf(cert),
    };
  } catch {
    return undefined;
  }
}

/** subjectAltName's DNS names and IP addresses; the CN when the certificate has no subjectAltName at all. */
function namesOf(cert: x509.X509Certificate): string[] {
  let san: x509.SubjectAlternativeNameExtension | null = null;
  try {
    san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  } catch {
    // A malformed extension names nothing; the CN still may.
  }
  if (san) return san.names.items.filter((n) => n.type === 'dns' || n.type === 'ip').map((n) => n.value);
  try {
    return cert.subjectName.getField('CN').filter((cn) => /^[\w*.:-]+$/.test(cn));
  } catch {
    return [];
  }
}

/** A key identifier as uppercase hex; a malformed extension leaves it unknown rather than failing the read. */
function keyId(read: () => string | undefined): string | undefined {
  try {
    const id = read();
    return id ? id.toUpperCase() : undefined;
  } catch {
    return undefined;
  }
}

function refuse(reason: string): CertificateReadResult {
  return { ok: false, reason };
}

function privateKeyMessage(name: string): string {
  return (
    `${name} holds a private key; nothing was read from it. Use a file with the CA certificate alone (.cer, .crt or .pem), ` +
    'and keep private keys out of the repository.'
  );
}

function pfxMessage(name: string): string {
  return (
    `${name} is a PKCS#12 (PFX) archive, which carries private keys; nothing was read from it. ` +
    'Export the CA certificate alone (.cer, .crt or .pem) and use that.'
  );
}

function csrMessage(name: string, what: string): string {
  return `${name} holds a certificate signing request (${what}), not a certificate: a request has no issuer and no thumbprint APIM could pin.`;
}

function noCertificateText(name: string): string {
  return `${name} is text with no certificate in it (no -----BEGIN CERTIFICATE----- block).`;
}

function base64(body: string): Uint8Array | undefined {
  const bare = body.replace(/\s+/g, '');
  if (!bare || !/^[A-Za-z0-9+/]+={0,2}$/.test(bare)) return undefined;
  return new Uint8Array(Buffer.from(bare, 'base64'));
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/**
 * The text of a UTF-16 file: with a byte order mark, or without one when its first characters are plain ASCII
 * with a zero byte beside each (PEM is ASCII). Undefined for anything else.
 */
function utf16Text(bytes: Uint8Array): string | undefined {
  let bigEndian: boolean;
  let start = 0;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) [bigEndian, start] = [false, 2];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [bigEndian, start] = [true, 2];
  else {
    const sample = bytes.subarray(0, Math.min(bytes.length, 256) & ~1);
    const ascii = (hi: number, lo: number) => hi === 0 && (lo === 0x09 || lo === 0x0a || lo === 0x0d || (lo >= 0x20 && lo < 0x7f));
    const pairs = (big: boolean) => {
      for (let i = 0; i < sample.length; i += 2) if (!(big ? ascii(sample[i], sample[i + 1]) : ascii(sample[i + 1], sample[i]))) return false;
      return sample.length >= 4;
    };
    if (pairs(false)) bigEndian = false;
    else if (pairs(true)) bigEndian = true;
    else return undefined;
  }
  const units = Buffer.from(bytes.subarray(start, start + ((bytes.length - start) & ~1)));
  if (bigEndian) units.swap16();
  return units.toString('utf16le');
}

function isText(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 512).every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0x80);
}

// A few lines of DER reading decide what a binary file is before any library decodes it: the shapes of
// Certificate, PKCS#7 ContentInfo, PFX, private keys, requests and CRLs differ in their first elements.

interface Tlv {
  tag: number;
  start: number;
  bodyStart: number;
  end: number;
}

const SIGNED_DATA_OID = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];

type DerKind =
  { kind: 'certificate'; end: number } | { kind: 'public-key'; form: string } | { kind: 'pkcs7' | 'pfx' | 'private-key' | 'csr' | 'crl' | 'unknown' };

function classifyDer(der: Uint8Array): DerKind {
  // BER with an indefinite length (streamed PKCS#7): recognised by its content type, read by the library.
  if (der[0] === 0x30 && der[1] === 0x80 && der[2] === 0x06 && sameBytes(der.subarray(4, 4 + der[3]), SIGNED_DATA_OID)) return { kind: 'pkcs7' };
  const top = readTlv(der, 0, der.length);
  const kids = top?.tag === 0x30 ? childrenOf(der, top) : undefined;
  if (!top || !kids || kids.length === 0) return { kind: 'unknown' };
  const [a, b, c] = kids;
  if (a.tag === 0x02) {
    const version = smallInt(der, a);
    if (version === 3 && b?.tag === 0x30) return { kind: 'pfx' };
    // A PKCS#1 RSAPublicKey is exactly a modulus (many bytes) and an exponent. PKCS#1 RSAPrivateKey (version 0 or
    // 1, then 8 integers) and DSA keys (0, then 5) start with two integers too; anything else that does is taken
    // for a key as well, because refusing a key as a key is the safe mistake.
    if (b?.tag === 0x02) {
      const publicKey = kids.length === 2 && version === undefined && a.end - a.bodyStart > 1;
      return publicKey ? { kind: 'public-key', form: 'PKCS#1 RSAPublicKey' } : { kind: 'private-key' };
    }
    // PKCS#8 (version, algorithm, key), SEC 1 EC keys (1, key).
    if ((version === 0 || version === 1) && b?.tag === 0x30 && c?.tag === 0x04) return { kind: 'private-key' };
    if (version === 1 && b?.tag === 0x04) return { kind: 'private-key' };
    return { kind: 'unknown' };
  }
  if (a.tag === 0x06) return sameBytes(der.subarray(a.bodyStart, a.end), SIGNED_DATA_OID) ? { kind: 'pkcs7' } : { kind: 'unknown' };
  // EncryptedPrivateKeyInfo: algorithm, encrypted key.
  if (a.tag === 0x30 && b?.tag === 0x04 && kids.length === 2) return { kind: 'private-key' };
  // SubjectPublicKeyInfo: algorithm (an OID first), the key as a BIT STRING.
  if (a.tag === 0x30 && b?.tag === 0x03 && kids.length === 2 && childrenOf(der, a)?.[0]?.tag === 0x06)
    return { kind: 'public-key', form: 'SubjectPublicKeyInfo' };
  if (a.tag === 0x30 && b?.tag === 0x30 && c?.tag === 0x03 && kids.length === 3) {
    const tbs = childrenOf(der, a);
    if (!tbs || tbs.length === 0) return { kind: 'unknown' };
    if (tbs[0].tag === 0xa0) return { kind: 'certificate', end: top.end };
    // TBSCertList has its update times as direct elements; a certificate keeps them inside Validity.
    if (tbs.some((t) => t.tag === 0x17 || t.tag === 0x18)) return { kind: 'crl' };
    if (tbs.length === 4 && tbs[0].tag === 0x02 && tbs[3].tag === 0xa0) return { kind: 'csr' };
    return { kind: 'certificate', end: top.end };
  }
  return { kind: 'unknown' };
}

/** ContentInfo → [0] SignedData → [0] certificates: the bytes of each, or undefined when not plain DER. */
function pkcs7Certificates(der: Uint8Array): Uint8Array[] | undefined {
  const top = readTlv(der, 0, der.length);
  const info = top && childrenOf(der, top);
  const explicit = info?.[1]?.tag === 0xa0 ? childrenOf(der, info[1]) : undefined;
  const signedData = explicit?.[0]?.tag === 0x30 ? childrenOf(der, explicit[0]) : undefined;
  if (!signedData) return undefined;
  const set = signedData.find((t) => t.tag === 0xa0);
  if (!set) return [];
  const certs = childrenOf(der, set);
  return certs?.filter((t) => t.tag === 0x30).map((t) => der.subarray(t.start, t.end));
}

function readTlv(der: Uint8Array, pos: number, limit: number): Tlv | undefined {
  if (pos + 2 > limit) return undefined;
  const tag = der[pos];
  // High tag numbers do not occur in these structures; indefinite lengths (BER) are left to the library.
  if ((tag & 0x1f) === 0x1f) return undefined;
  let length = der[pos + 1];
  let p = pos + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[p++];
  }
  const end = p + length;
  return end <= limit ? { tag, start: pos, bodyStart: p, end } : undefined;
}

function childrenOf(der: Uint8Array, parent: Tlv): Tlv[] | undefined {
  if (!(parent.tag & 0x20)) return undefined;
  const out: Tlv[] = [];
  for (let p = parent.bodyStart; p < parent.end;) {
    const t = readTlv(der, p, parent.end);
    if (!t) return undefined;
    out.push(t);
    p = t.end;
  }
  return out;
}

function smallInt(der: Uint8Array, t: Tlv): number | undefined {
  return t.end - t.bodyStart === 1 ? der[t.bodyStart] : undefined;
}

function sameBytes(a: Uint8Array, b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
