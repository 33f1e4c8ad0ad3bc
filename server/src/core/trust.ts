// A backend's effective TLS trust in words: one line for a code lens, a few for a hover. Both read the same model
// the rules read, so what the editor shows and what the linter reports cannot disagree.
import type { CertificateInfo } from './certificates/types';
import { asBool, asString, tierOf, type Backend, type Bound, type Pin, type Val } from './model';
import { LineIndex } from './text';

export interface TrustSummary {
  /** e.g. `TLS: pinned to Contoso Issuing CA 01`, `TLS: trusts any certificate`. */
  lens: string;
  /** Markdown for a hover. */
  hover: string;
}

export function summarizeTrust(backend: Backend, certificates: readonly CertificateInfo[], textOf: (file: string) => string | undefined): TrustSummary {
  const chain = asBool(backend.validateChain?.val);
  const name = asBool(backend.validateName?.val);
  const url = asString(backend.url?.val);
  const issuers = backend.pins.filter((p) => p.kind === 'issuer');
  const leaves = backend.pins.filter((p) => p.kind === 'certificate');
  const certOf = (pin: Pin) => matchCertificate(pin.thumbprint, certificates);

  let lens: string;
  if (url !== undefined && /^\s*http:\/\//i.test(url)) lens = 'no TLS: plain http://';
  else if (issuers.length === 1) lens = `pinned to ${certOf(issuers[0]) ? commonName(certOf(issuers[0])!.subject) : `issuer ${short(issuers[0].thumbprint)}`}`;
  else if (issuers.length > 1) lens = `pinned to ${issuers.length} issuing CAs`;
  else if (leaves.length > 0) lens = `pinned to ${leaves.length === 1 ? 'one certificate' : `${leaves.length} certificates`}`;
  else if (chain === false) lens = 'trusts any certificate';
  else if (name === false) lens = 'accepts any host name';
  else if (backend.validateChain?.val.kind === 'unknown' || backend.validateName?.val.kind === 'unknown') lens = 'trust depends on input values';
  else lens = 'default trust';

  const tier = tierOf(backend.service?.sku?.val);
  const sku = asString(backend.service?.sku?.val);
  const lines: string[] = [`**Backend TLS trust** — \`${backend.name}\``, ''];
  if (url !== undefined) lines.push(`- URL: \`${url}\``);
  lines.push(
    `- Service: ${backend.service ? `\`${backend.service.name}\`${sku ? `, ${sku} (${tier === 'v2' ? 'v2 tier: the service CA store is ignored for backends' : 'classic tier'})` : ''}` : 'not found in this workspace'}`,
  );
  lines.push(`- Chain validation: ${flag(backend.validateChain, textOf)}`);
  lines.push(`- Name validation: ${flag(backend.validateName, textOf)}`);
  if (backend.pins.length === 0) lines.push('- Pins: none');
  for (const pin of backend.pins) {
    const cert = certOf(pin);
    const what =
      pin.kind === 'issuer' ? `issuer \`${thumb(pin.thumbprint)}\` for \`${asString(pin.name) ?? '?'}\`` : `certificate \`${thumb(pin.thumbprint)}\``;
    const version = pin.apiVersion ? ` (api-version ${pin.apiVersion.value}, set by \`${pin.owner}\`)` : ` (set by \`${pin.owner}\`)`;
    lines.push(`- Pin: ${what}${version}`);
    if (cert)
      lines.push(
        `  - matches \`${cert.file.split('/').pop()}\`: ${cert.subject}, ${cert.isCa ? 'CA' : 'leaf'}, expires ${cert.notAfter.toISOString().slice(0, 10)}`,
      );
  }
  if (backend.pins.length > 0) lines.push('', 'Pins take precedence: APIM validates the name and the chain against them whatever the flags say.');
  return { lens: `TLS: ${lens}`, hover: lines.join('\n') };
}

export function matchCertificate(thumbprint: Val | undefined, certificates: readonly CertificateInfo[]): CertificateInfo | undefined {
  const t = asString(thumbprint);
  if (!t) return undefined;
  const normalized = t.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return certificates.find((c) => c.sha1 === normalized);
}

function flag(bound: Bound | undefined, textOf: (file: string) => string | undefined): string {
  if (!bound) return '`true` (default)';
  const v = bound.val;
  const b = asBool(v);
  if (b === undefined) return 'unknown (depends on an input value)';
  return `\`${b}\`${v.span ? ` — ${where(v.span.file, v.span.start, textOf)}` : ''}`;
}

function where(file: string, offset: number, textOf: (file: string) => string | undefined): string {
  const text = textOf(file);
  const line = text === undefined ? undefined : new LineIndex(text).positionAt(offset).line + 1;
  return `${file.split('/').pop()}${line ? `:${line}` : ''}`;
}

function commonName(subject: string): string {
  return /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1] ?? subject;
}

function thumb(v: Val | undefined): string {
  return asString(v) ?? '?';
}

function short(v: Val | undefined): string {
  const t = asString(v);
  return t ? `${t.slice(0, 8)}…` : '?';
}
