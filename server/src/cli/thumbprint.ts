// `apim-tls-lint thumbprint FILE`: every certificate of a file as `SHA1  subject  CA|leaf  notAfter`, the SHA-1 in
// APIM's form (40 uppercase hex digits), so nobody needs `openssl x509 -fingerprint -sha1` and a colon stripper.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readCertificates } from './certificates';
import type { CertificateInfo } from '../core/certificates/types';

export interface ThumbprintIo {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
}

/** Certificate files are small; anything bigger is not one worth reading into memory. */
const MAX_FILE = 5 * 1024 * 1024;

/** Prints the file's certificates and returns 0, or prints why it was refused and returns 2. */
export function runThumbprint(file: string, io: ThumbprintIo): number {
  const full = path.resolve(io.cwd, file);
  let bytes: Uint8Array;
  try {
    const stat = fs.statSync(full);
    if (stat.isDirectory()) return fail(io, `${file} is a directory, not a certificate file.`);
    if (stat.size > MAX_FILE) return fail(io, `${file} is ${(stat.size / 1024 / 1024).toFixed(1)} MB: too large for a certificate file.`);
    bytes = new Uint8Array(fs.readFileSync(full));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(io, code === 'ENOENT' ? `${file} does not exist.` : `cannot read ${file}: ${code ?? String(e)}.`);
  }
  const result = readCertificates(bytes, full);
  if (!result.ok) return fail(io, result.reason);
  io.stdout(result.certificates.map(thumbprintLine).join(''));
  return 0;
}

export function thumbprintLine(cert: CertificateInfo): string {
  return `${cert.sha1}  ${cert.subject}  ${cert.isCa ? 'CA' : 'leaf'}  ${cert.notAfter.toISOString().replace(/\.\d{3}Z$/, 'Z')}\n`;
}

function fail(io: ThumbprintIo, reason: string): number {
  io.stderr(`apim-tls-lint: ${reason}\n`);
  return 2;
}
