// Which files may hold certificates, by name: kept apart from read.ts so that a walk of the disk does not load the
// certificate parser.

/** The extensions of files that may hold certificates (what workspace scans look for). */
export const CERTIFICATE_EXTENSIONS: readonly string[] = ['.cer', '.crt', '.pem', '.der', '.p7b'];

export function isCertificateFile(path: string): boolean {
  const lower = path.toLowerCase();
  return CERTIFICATE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}
