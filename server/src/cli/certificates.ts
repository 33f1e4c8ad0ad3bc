// The certificate reader for the CLI, loaded on first use: it pulls in an X.509 library whose start-up (decorators,
// a metadata polyfill) would otherwise be paid by every run, including the many that read no certificate at all.
import type * as CertificateReader from '../core/certificates/read';
import type { CertificateReadResult } from '../core/certificates/types';

type Reader = typeof CertificateReader;

let reader: Reader | undefined;

export function readCertificates(bytes: Uint8Array, fileName: string): CertificateReadResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  reader ??= require('../core/certificates/read') as Reader;
  return reader.readCertificates(bytes, fileName);
}
