// What the core knows of a certificate: enough to show it, pin it and check it. Never key material.

export interface CertificateInfo {
  /** The file it was read from, and its position there (bundles hold several). */
  file: string;
  index: number;
  subject: string;
  issuer: string;
  /** basicConstraints cA = true. */
  isCa: boolean;
  notBefore: Date;
  notAfter: Date;
  /** SHA-1 of the DER bytes, 40 uppercase hex digits: APIM's thumbprint form. */
  sha1: string;
  sha256: string;
  /** The subjectKeyIdentifier extension, uppercase hex, when the certificate has one. */
  subjectKeyId?: string;
  /** The keyIdentifier of the authorityKeyIdentifier extension, uppercase hex, when present. */
  authorityKeyId?: string;
  /**
   * The host names and addresses the certificate is issued to: the DNS and IP entries of subjectAltName, or the
   * subject's CN when there is no subjectAltName (as older clients still read it). What a pin's name is checked against.
   */
  names: string[];
}

export type CertificateReadResult = { ok: true; certificates: CertificateInfo[] } | { ok: false; reason: string };
