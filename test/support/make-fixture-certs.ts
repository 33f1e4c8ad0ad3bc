// Writes the certificate files of the APIM016 fixtures (certificates only: the keys that sign them live in memory
// and are dropped) and prints each file's SHA-1, the thumbprint the fixtures pin. Run once after `npx tsc -p .`:
//   node out/test/support/make-fixture-certs.js [--force]
// Regenerating gives new keys and so new thumbprints: the fixtures' pins must then be updated to the printed ones.
// The dates are fixed around FIXTURE_NOW (2026-06-01), the clock of every fixture lint.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeCertificate, type TestCert } from './certs';
import { REPO_ROOT } from './parser';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'rules', 'APIM016');

async function main(): Promise<void> {
  const force = process.argv.includes('--force');
  const root = await makeCertificate({ subject: 'CN=Contoso Fixture Root CA, O=Contoso', ca: true, notAfter: new Date('2035-01-01T00:00:00Z') });
  const ca = (cn: string, notAfter: string) => makeCertificate({ subject: `CN=${cn}, O=Contoso`, issuer: root, ca: true, notAfter: new Date(notAfter) });
  const goodCa = await ca('Contoso Issuing CA 01', '2030-01-01T00:00:00Z');
  const leaf = (host: string, notAfter: string) =>
    makeCertificate({ subject: `CN=${host}, O=Contoso`, issuer: goodCa, ca: false, dnsNames: [host], notAfter: new Date(notAfter) });
  const files: Array<[string, TestCert]> = [
    ['expiry/certs/expired-ca.pem', await ca('Contoso Issuing CA 2023', '2026-03-01T00:00:00Z')],
    ['expiry/certs/soon-ca.crt', await ca('Contoso Issuing CA 2024', '2026-06-20T00:00:00Z')],
    ['expiry/certs/issuing-ca-01.cer', goodCa],
    ['expiry/certs/orders-leaf.pem', await leaf('orders.internal.contoso.com', '2028-01-01T00:00:00Z')],
    ['expiry/certs/billing-leaf.pem', await leaf('billing.internal.contoso.com', '2026-05-01T00:00:00Z')],
    ['warning-days/july-ca.pem', await ca('Contoso Issuing CA July', '2026-07-15T00:00:00Z')],
    ['clean/issuing-ca-01.cer', goodCa],
    ['clean/root-ca.pem', root],
  ];
  for (const [rel, cert] of files) {
    const file = path.join(DIR, rel);
    const der = rel.endsWith('.cer');
    if (fs.existsSync(file) && !force) {
      console.log(`kept     ${rel}`);
      continue;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, der ? cert.der : cert.pem);
    const sha1 = await cert.cert.getThumbprint('SHA-1');
    console.log(`${Buffer.from(sha1).toString('hex').toUpperCase()}  ${rel}  ${cert.cert.subject}  notAfter ${cert.cert.notAfter.toISOString()}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
