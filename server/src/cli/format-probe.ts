// A live check's verdict as text a person reads at a glance (the answer first, then ✓/✗ per check, the presented
// chain, the pin that would trust it) or as JSON for scripts.
import type { CheckStatus, LiveVerdict } from '../core/live/judge';
import { liveReport } from '../core/live/report';

export interface ProbeTextOptions {
  color: boolean;
}

const MARKS: Record<CheckStatus, string> = { pass: '✓', warn: '!', fail: '✗', unknown: '?', skip: '–' };
const COLORS: Record<CheckStatus, string> = { pass: '\x1b[32m', warn: '\x1b[33m', fail: '\x1b[31m', unknown: '\x1b[35m', skip: '\x1b[2m' };
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';

export function formatProbeText(v: LiveVerdict, options: ProbeTextOptions): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const lines: string[] = [];
  const dialled = v.target.connect ? ` via ${v.target.connect.host}:${v.target.connect.port}` : '';
  lines.push(
    paint(
      DIM,
      `Live check of ${v.backend}${v.backend !== v.url ? ` (${v.url})` : ''}${dialled}: tier ${v.tier ?? 'not known'} (${v.tierSource}), ${v.durationMs} ms`,
    ),
  );
  const status: CheckStatus = v.verdict === 'accept' ? (v.acceptsAnything ? 'warn' : 'pass') : v.verdict === 'reject' ? 'fail' : 'unknown';
  lines.push(paint(BOLD + COLORS[status], `${MARKS[status]} ${v.outcome}`));
  if (v.todo) lines.push(`  ${v.todo}`);

  if (v.checks.length) {
    lines.push('', paint(BOLD, 'Checks'));
    const width = Math.max(...v.checks.map((c) => c.title.length));
    for (const c of v.checks) lines.push(`  ${paint(COLORS[c.status], MARKS[c.status])} ${c.title.padEnd(width)}  ${c.detail}`);
  }

  if (v.chain.length) {
    lines.push('', paint(BOLD, 'Presented chain'));
    const width = Math.max(...v.chain.map((c) => c.role.length));
    for (const c of v.chain) {
      const pad = ' '.repeat(width + 4);
      const sent = c.presented ? '' : c.anchor === 'public-root' ? ' (not sent: from the public root list)' : ' (not sent: from the CA store)';
      lines.push(`  ${c.role.padEnd(width)}  ${c.subject}${paint(DIM, sent)}`);
      lines.push(`${pad}SHA-1 ${c.sha1}  expires ${c.notAfter.slice(0, 10)}${c.names ? `  names ${c.names.join(', ') || '(none)'}` : ''}`);
      lines.push(paint(DIM, `${pad}issued by ${c.issuer}`));
    }
  }

  // A backend that a matching pin already trusts needs no suggestion.
  const pin = v.checks.some((c) => c.id === 'pin' && c.status === 'pass') ? undefined : v.suggestedPin;
  if (pin) {
    lines.push('', paint(BOLD, 'What a pin would be'));
    if (pin.kind === 'issuer') {
      lines.push(`  serverX509Names: [{ "name": "${pin.name}", "issuerCertificateThumbprint": "${pin.thumbprint}" }]`);
      lines.push(paint(DIM, `  the issuing CA ${pin.certificate.subject}, expires ${pin.certificate.notAfter.toISOString().slice(0, 10)}`));
    } else {
      lines.push(`  serverCertificateThumbprints: ["${pin.thumbprint}"]`);
      lines.push(paint(DIM, `  the certificate ${pin.certificate.subject} itself, expires ${pin.certificate.notAfter.toISOString().slice(0, 10)}`));
    }
    if (pin.caveat) lines.push(`  Note: ${pin.caveat}.`);
  }
  return lines.join('\n') + '\n';
}

/** The verdict as one JSON object (the shape the LSP command returns too). */
export function formatProbeJson(v: LiveVerdict): string {
  return JSON.stringify(liveReport(v), null, 2) + '\n';
}
