// The inventory as one self-contained HTML file: a stacked bar of trust states per service drawn as inline SVG, filters
// by state, and the table of backends. No script, no font, no image, nothing fetched: the filters are checkboxes
// that CSS reads (`:checked ~`), and the Content-Security-Policy forbids every request, so the file opens offline,
// as an attachment, and in a VS Code webview with scripts off (where VS Code's theme colours replace the defaults).
import { STAGE_LABELS, STATE_LABELS, STATE_ORDER, type Inventory, type InventoryEntry, type ServiceSummary, type TrustState } from '../types';
import { findingWords, issuingCaWords, liveVerdictWords, nextStep, pinWords, pinWouldBeWords, serviceWords, shortName, type ReportOptions } from './columns';

/** Worst to best: reds for no or no real validation, ambers for half of it or a pin that cannot work, blue default, green pinned, grey for a pool. */
export const STATE_COLORS: Readonly<Record<TrustState, string>> = {
  'plain-http': '#8e0b0b',
  'trusts-any': '#d7301f',
  'name-only': '#f16913',
  'chain-only': '#fd8d3c',
  'pin-cannot-match': '#b15928',
  'pin-ignored': '#e7a600',
  'depends-on-inputs': '#969696',
  default: '#4a90c2',
  pinned: '#1a9850',
  pool: '#bdbdbd',
};

export function formatInventoryHtml(inventory: Inventory, options: ReportOptions): string {
  const t = inventory.totals;
  const present = STATE_ORDER.filter((s) => t.byState[s] > 0);
  const filters = present.map((s) => `<input type="checkbox" class="filter" id="show-${s}" checked aria-label="Show ${esc(STATE_LABELS[s])}">`).join('\n');
  const labels = present
    .map(
      (s) =>
        `<label for="show-${s}"><span class="swatch" style="background:${STATE_COLORS[s]}"></span>${esc(STATE_LABELS[s])} <small>${t.byState[s]}</small></label>`,
    )
    .join('\n');
  const rules = present
    .map(
      (s) =>
        `#show-${s}:not(:checked) ~ table tr.s-${s} { display: none; }\n#show-${s}:not(:checked) ~ .filters label[for="show-${s}"] { opacity: .45; text-decoration: line-through; }`,
    )
    .join('\n');
  // One service is said in its heading; the column would repeat it on every row.
  const withService = inventory.services.length > 1;
  const live = options.probed ? '<th>Presented names</th><th>Presented issuing CA</th><th>Live verdict</th><th>Pin would be</th>' : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="apim-tls-lint ${esc(options.version)}">
<title>APIM backend TLS inventory</title>
<style>
body { font: 14px/1.45 var(--vscode-font-family, system-ui, -apple-system, "Segoe UI", sans-serif); color: var(--vscode-foreground, #1f2328); background: var(--vscode-editor-background, #fff); margin: 0 1.5em 2em; }
h1 { font-size: 1.4em; margin: .8em 0 .2em; } h2 { font-size: 1.05em; margin: 1.2em 0 .3em; }
.meta, small { opacity: .75; }
.service { margin-bottom: 1em; max-width: 60em; }
svg.bar { width: 100%; height: 22px; display: block; border-radius: 3px; }
.legend span, .filters label { margin-right: 1em; white-space: nowrap; }
.swatch { display: inline-block; width: .9em; height: .9em; border-radius: 2px; margin-right: .35em; vertical-align: -1px; }
input.filter { position: absolute; opacity: 0; pointer-events: none; }
.filters { margin: 1em 0 .6em; } .filters label { cursor: pointer; user-select: none; padding: .15em .4em; border: 1px solid rgba(128,128,128,.4); border-radius: 3px; }
input.filter:focus-visible + input, input.filter:focus-visible ~ .filters { outline: none; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .35em .5em; border-bottom: 1px solid rgba(128,128,128,.25); }
thead th { position: sticky; top: 0; background: var(--vscode-editor-background, #f6f8fa); }
td.stage { text-align: center; font-weight: 600; } code { font-family: var(--vscode-editor-font-family, ui-monospace, monospace); font-size: .92em; }
td.trust { white-space: nowrap; }
${rules}
</style>
</head>
<body>
<h1>APIM backend TLS inventory</h1>
<p class="meta">${t.backends} backend${t.backends === 1 ? '' : 's'}, <strong>${t.pinned} of ${t.backends} pinned</strong> · stages: ${STAGE_LABELS.map((l, i) => `${i} ${esc(l)}`).join(' → ')} · apim-tls-lint ${esc(options.version)}, ${esc(options.generatedAt.slice(0, 16).replace('T', ' '))} UTC${options.probed ? ' · with live checks' : ''}</p>
<section class="services">
${inventory.services.map(serviceSection).join('\n')}
<p class="legend">${present.map((s) => `<span><span class="swatch" style="background:${STATE_COLORS[s]}"></span>${esc(STATE_LABELS[s])}</span>`).join('')}</p>
</section>
<main>
${filters}
<div class="filters">Show: ${labels}</div>
<table class="backends">
<thead><tr><th>Backend</th>${withService ? '<th>Service</th>' : ''}<th>File</th><th>Host</th><th>Trust</th><th>Stage</th><th>Next step</th><th>Pins</th><th>Issuing CA</th><th>Findings</th>${live}</tr></thead>
<tbody>
${inventory.backends.map((e) => row(e, options.probed, withService)).join('\n')}
</tbody>
</table>
</main>
</body>
</html>
`;
}

/** A service's heading, its bar of trust states (one rect per state, widths by count) and its stages. */
function serviceSection(s: ServiceSummary): string {
  const name = s.address === null ? 'Service not in these files' : (s.name ?? s.address);
  const sku = s.sku ? ` <small>${esc(s.sku)}${s.tier ? ` (${s.tier})` : ''}</small>` : '';
  let x = 0;
  const rects = STATE_ORDER.filter((state) => s.byState[state] > 0).map((state) => {
    const w = (s.byState[state] / s.backends) * 1000;
    const rect = `<rect class="s-${state}" data-state="${state}" x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="20" fill="${STATE_COLORS[state]}"><title>${esc(STATE_LABELS[state])}: ${s.byState[state]}</title></rect>`;
    x += w;
    return rect;
  });
  const stages = s.byStage.map((n, i) => (n ? `stage ${i}: ${n}` : '')).filter(Boolean);
  const label = `${name}: ${STATE_ORDER.filter((st) => s.byState[st] > 0)
    .map((st) => `${STATE_LABELS[st]} ${s.byState[st]}`)
    .join(', ')}`;
  return `<div class="service" data-service="${esc(s.address ?? '')}">
<h2>${esc(name)}${sku} — ${s.pinned} of ${s.backends} pinned</h2>
<svg class="bar" viewBox="0 0 1000 20" preserveAspectRatio="none" role="img" aria-label="${esc(label)}">${rects.join('')}</svg>
<p class="meta">${stages.join(' · ')}</p>
</div>`;
}

function row(e: InventoryEntry, probed: boolean, withService: boolean): string {
  const cells = [
    `<td title="${esc(e.address)}"><code>${esc(shortName(e))}</code></td>`,
    withService ? `<td>${esc(serviceWords(e))}</td>` : '',
    `<td><code>${esc(`${e.file}:${e.line}`)}</code></td>`,
    `<td>${esc(e.host ?? '')}</td>`,
    `<td class="trust"><span class="swatch" style="background:${STATE_COLORS[e.state]}"></span>${esc(e.trust)}</td>`,
    `<td class="stage" title="${esc(STAGE_LABELS[e.stage])}">${e.stage}</td>`,
    `<td>${esc(nextStep(e))}</td>`,
    `<td>${esc(pinWords(e))}</td>`,
    `<td>${esc(issuingCaWords(e))}</td>`,
    `<td>${esc(findingWords(e))}</td>`,
  ];
  if (probed) {
    cells.push(
      `<td>${esc(e.live?.presentedNames.join(', ') ?? '')}</td>`,
      `<td>${esc(e.live?.issuingCa ? `${e.live.issuingCa.subject} ${e.live.issuingCa.sha1}` : '')}</td>`,
      `<td>${esc(liveVerdictWords(e))}</td>`,
      `<td>${esc(pinWouldBeWords(e))}</td>`,
    );
  }
  return `<tr class="s-${e.state}" data-state="${e.state}" data-stage="${e.stage}">${cells.join('')}</tr>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
