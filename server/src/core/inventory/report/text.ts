// The inventory for a terminal: per service a heading with its pinned count, then two lines per backend (stage, trust,
// name, host, where; then what keeps it from the next stage), every line within the width given.
import { STATE_LABELS, STATE_ORDER, type Inventory, type ServiceSummary } from '../types';
import { liveVerdictWords, pinWouldBeWords, shortName, type ReportOptions } from './columns';

export interface TextOptions extends ReportOptions {
  /** Characters per line (the terminal's width); 100 when unknown. */
  width?: number;
}

export function formatInventoryText(inventory: Inventory, options: TextOptions): string {
  const width = Math.max(60, options.width ?? 100);
  const lines: string[] = [];
  const nameWidth = Math.min(28, Math.max(7, ...inventory.backends.map((e) => shortName(e).length)));
  const hostWidth = Math.min(32, Math.max(4, ...inventory.backends.map((e) => (e.host ?? '').length)));
  for (const service of inventory.services) {
    const entries = inventory.backends.filter((e) => e.service === service.address);
    if (lines.length) lines.push('');
    lines.push(fit(serviceHeading(service), width));
    lines.push(fit(`  stage  ${'backend'.padEnd(nameWidth)}  ${'host'.padEnd(hostWidth)}  trust`, width));
    for (const e of entries) {
      lines.push(
        fit(
          `  ${String(e.stage).padEnd(5)}  ${cut(shortName(e), nameWidth).padEnd(nameWidth)}  ${cut(e.host ?? '', hostWidth).padEnd(hostWidth)}  ${e.trust}`,
          width,
        ),
      );
      // The second line says where it is written and what keeps it from the next stage.
      for (const l of wrap(`${e.file}:${e.line}: ${e.reason.replace(/^stage \d: /, '')}`, width - 9)) lines.push(`         ${l}`);
      if (options.probed && e.live !== null) {
        for (const l of wrap(`live: ${liveVerdictWords(e)}${pinWouldBeWords(e) ? `; pin would be ${pinWouldBeWords(e)}` : ''}`, width - 9))
          lines.push(`         ${l}`);
      }
    }
  }
  const t = inventory.totals;
  lines.push('');
  lines.push(`${t.backends} backend${t.backends === 1 ? '' : 's'}, ${t.pinned} of ${t.backends} pinned.`);
  const states = STATE_ORDER.filter((s) => t.byState[s] > 0).map((s) => `${STATE_LABELS[s]}: ${t.byState[s]}`);
  if (states.length) lines.push(...wrap(`By trust: ${states.join(' · ')}.`, width));
  lines.push(`By stage: ${t.byStage.map((n, i) => `${i}: ${n}`).join(', ')} (0 insecure, 1 name validation on, 2 issuing CA known, 3 pinned, 4 cleaned up).`);
  return lines.join('\n') + '\n';
}

function serviceHeading(s: ServiceSummary): string {
  const resource = s.address !== null && !s.address.includes('#') && s.name ? ` (${s.address})` : '';
  const name = s.address === null ? 'Backends whose service is not in these files' : `${s.name ?? s.address}${resource}`;
  const sku = s.sku ? `, ${s.sku}${s.tier ? ` (${s.tier})` : ''}` : '';
  return `${name}${sku}: ${s.pinned} of ${s.backends} pinned`;
}

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function fit(line: string, width: number): string {
  return cut(line.trimEnd(), width);
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out.map((l) => cut(l, width));
}
