// The certificate reader for the CLI, loaded on first use: it pulls in an X.509 library whose start-up (decorators,
// a metadata polyfill) and size (half the CLI's) would otherwise be paid by every run, including the many that read
// no certificate at all. The build puts it in a bundle of its own beside the CLI's; from a compiled checkout it is the
// module itself.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as CertificateReader from '../core/certificates/read';
import type { CertificateReadResult } from '../core/certificates/types';

type Reader = typeof CertificateReader;

/** The bundle scripts/build.mjs writes beside dist/cli.js. */
const BUNDLE = 'certificate-reader.js';
/** The module itself, named through a variable so that the CLI's bundle does not take it in. */
const SOURCE = '../core/certificates/read';

let reader: Reader | undefined;

export function readCertificates(bytes: Uint8Array, fileName: string): CertificateReadResult {
  reader ??= load();
  return reader.readCertificates(bytes, fileName);
}

function load(): Reader {
  const bundled = path.join(__dirname, BUNDLE);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(fs.existsSync(bundled) ? bundled : SOURCE) as Reader;
}
