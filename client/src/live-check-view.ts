// The live check panel's page: the answer first, then ✓/✗ per check, the presented chain (subject, issuer, SHA-1,
// expiry) and the pin that would trust it. Static HTML in VS Code's colours, no script: the one action is a link.
import type { LiveReport } from '../../server/src/core/live/report';

const MARKS: Record<string, string> = { pass: '✓', warn: '!', fail: '✗', unknown: '?', skip: '–' };

export interface LiveCheckActions {
  /** A `command:` link that pins what the backend presents, when the pin can be written from the editor. */
  pinLink?: string;
}

export function renderLiveCheck(report: LiveReport, cspSource: string, actions: LiveCheckActions = {}): string {
  const verdictClass = report.verdict === 'accept' ? (report.acceptsAnything ? 'warn' : 'pass') : report.verdict === 'reject' ? 'fail' : 'unknown';
  const dialled = report.connect ? ` via ${report.connect.host}:${report.connect.port}` : '';
  const checks = report.checks
    .map((c) => `<tr class="${c.status}"><td class="mark">${MARKS[c.status] ?? ''}</td><th>${esc(c.title)}</th><td>${esc(c.detail)}</td></tr>`)
    .join('\n');
  const chain = report.chain
    .map(
      (c) =>
        `<tr><th>${esc(c.role)}</th><td>${esc(c.subject)}${c.presented ? '' : ` <em>(not sent: ${c.anchor === 'ca-store' ? 'CA store' : 'public root list'})</em>`}` +
        `${c.names ? `<br><small>names ${esc(c.names.join(', ') || '(none)')}</small>` : ''}</td>` +
        `<td>${esc(c.issuer)}</td><td><code>${esc(c.sha1)}</code></td><td>${esc(c.notAfter.slice(0, 10))}</td></tr>`,
    )
    .join('\n');
  const pin = report.suggestedPin;
  const pinned = report.checks.some((c) => c.id === 'pin' && c.status === 'pass');
  const pinSection =
    pin && !pinned
      ? `<section class="pin"><h2>What a pin would be</h2>
<p>${
          pin.kind === 'issuer'
            ? `<code>serverX509Names</code>: name <code>${esc(pin.name)}</code>, issuerCertificateThumbprint <code>${esc(pin.thumbprint)}</code>`
            : `<code>serverCertificateThumbprints</code>: <code>${esc(pin.thumbprint)}</code>`
        }<br><small>${esc(pin.subject)}, expires ${esc(pin.notAfter.slice(0, 10))}</small></p>
${pin.caveat ? `<p class="caveat">Note: ${esc(pin.caveat)}.</p>` : ''}
${actions.pinLink ? `<p><a class="button" href="${esc(actions.pinLink)}">Pin what it presents</a></p>` : ''}
</section>`
      : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline';">
<title>Live check: ${esc(report.backend)}</title>
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em 1em; }
h1 { font-size: 1.2em; } h2 { font-size: 1em; margin-top: 1.5em; }
.verdict { padding: .6em .8em; border-left: 4px solid; margin: 1em 0; }
.verdict.pass { border-color: var(--vscode-testing-iconPassed); } .verdict.fail { border-color: var(--vscode-testing-iconFailed); }
.verdict.warn, .verdict.unknown { border-color: var(--vscode-editorWarning-foreground); }
table { border-collapse: collapse; } th, td { text-align: left; vertical-align: top; padding: .25em .6em; }
tr.pass .mark { color: var(--vscode-testing-iconPassed); } tr.fail .mark { color: var(--vscode-testing-iconFailed); }
tr.warn .mark, tr.unknown .mark { color: var(--vscode-editorWarning-foreground); } tr.skip { opacity: .7; }
code { font-family: var(--vscode-editor-font-family); }
a.button { background: var(--vscode-button-background); color: var(--vscode-button-foreground); padding: .4em .9em; text-decoration: none; display: inline-block; }
.meta { opacity: .8; }
</style>
</head>
<body>
<h1>Live check: ${esc(report.backend)}</h1>
<p class="meta">${esc(report.url)}${esc(dialled)} · tier ${esc(report.tier ?? 'not known')} (${esc(report.tierSource)}) · ${report.durationMs} ms · ${esc(report.at)}</p>
<div class="verdict ${verdictClass}"><p><strong>${esc(report.outcome)}</strong></p>${report.todo ? `<p>${esc(report.todo)}</p>` : ''}</div>
<h2>Checks</h2>
<table class="checks">
${checks}
</table>
${chain ? `<h2>Presented chain</h2>\n<table class="chain">\n<tr><th></th><th>Subject</th><th>Issuer</th><th>SHA-1</th><th>Expires</th></tr>\n${chain}\n</table>` : ''}
${pinSection}
</body>
</html>
`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
