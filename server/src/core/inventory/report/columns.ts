// The columns an inventory table shows, shared by the Markdown, CSV and text reports: each a header and the cell of an
// entry, as plain text (each report escapes for its own syntax).
import type { InventoryEntry } from '../types';

export interface Column {
  header: string;
  cell(entry: InventoryEntry): string;
}

export interface ReportOptions {
  /** ISO 8601: when the report was made. */
  generatedAt: string;
  /** The apim-tls-lint version that made it. */
  version: string;
  /** Whether live checks ran (--probe): the live columns are shown then. */
  probed: boolean;
}

/** The backend without its resource type: `orders`, `partner["customs"]`, `apim::orders`. */
export function shortName(entry: InventoryEntry): string {
  const name = /^[A-Za-z0-9_]+\.(.+)$/.exec(entry.address)?.[1] ?? entry.address;
  const shown = entry.keysUnknown ? `${name}[*] (keys unknown)` : name;
  return entry.environment === null ? shown : `${shown} in ${entry.environment}`;
}

export function serviceWords(entry: InventoryEntry): string {
  const name = entry.serviceName ?? entry.service ?? 'service not in these files';
  return entry.sku ? `${name} (${entry.sku})` : name;
}

export function pinWords(entry: InventoryEntry): string {
  return entry.pins
    .map((p) => {
      const what = p.kind === 'issuer' ? `${p.name ?? '?'} → issuer ${p.thumbprint ?? '?'}` : `certificate ${p.thumbprint ?? '?'}`;
      const extra = [p.apiVersion, p.certificate ? `${p.certificate.file}, expires ${p.certificate.notAfter}` : undefined, p.problem].filter(Boolean);
      return extra.length ? `${what} (${extra.join('; ')})` : what;
    })
    .join('; ');
}

export function issuingCaWords(entry: InventoryEntry): string {
  const ca = entry.issuingCa;
  if (!ca) return '';
  const name = ca.subject ? commonName(ca.subject) : 'issuer';
  return `${name}${ca.sha1 ? ` ${ca.sha1}` : ''} (${ca.source}${ca.file ? `: ${ca.file}` : ''})`;
}

export function findingWords(entry: InventoryEntry): string {
  return [...new Set(entry.findings.map((f) => f.ruleId))].join(', ');
}

/** The reason without its `stage N: ` head (the stage has a column of its own). */
export function nextStep(entry: InventoryEntry): string {
  return entry.reason.replace(/^stage \d: /, '');
}

export function liveVerdictWords(entry: InventoryEntry): string {
  const live = entry.live;
  if (!live) return entry.url && /^https:/i.test(entry.url) ? 'not checked' : '';
  if (!live.reachable) return `unreachable: ${live.outcome}`;
  return `${live.verdict === 'accept' ? 'accept' : live.verdict === 'reject' ? 'reject (500)' : 'unknown'}: ${live.outcome}`;
}

export function pinWouldBeWords(entry: InventoryEntry): string {
  const pin = entry.live?.pinWouldBe;
  if (!pin) return '';
  return pin.kind === 'issuer' ? `${pin.name} → issuer ${pin.thumbprint}` : `certificate ${pin.thumbprint}`;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

export function commonName(subject: string): string {
  return /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1] ?? subject;
}

/** The columns of a table for a person (Markdown: names, files and hosts as code), with the live ones when checks ran. */
export function tableColumns(probed: boolean): Column[] {
  const columns: Column[] = [
    { header: 'Service', cell: serviceWords },
    { header: 'Backend', cell: (e) => code(shortName(e)) },
    { header: 'File', cell: (e) => code(`${e.file}:${e.line}`) },
    { header: 'Host', cell: (e) => (e.host ? code(e.host) : e.url === null ? '' : 'unknown') },
    { header: 'Trust', cell: (e) => e.trust },
    { header: 'Stage', cell: (e) => String(e.stage) },
    { header: 'Next step', cell: nextStep },
    { header: 'Issuing CA', cell: issuingCaWords },
    { header: 'Findings', cell: findingWords },
  ];
  if (probed) columns.push(...liveColumns());
  return columns;
}

export function liveColumns(): Column[] {
  return [
    { header: 'Presented names', cell: (e) => e.live?.presentedNames.join(', ') ?? '' },
    { header: 'Presented issuing CA', cell: (e) => (e.live?.issuingCa ? `${commonName(e.live.issuingCa.subject)} ${e.live.issuingCa.sha1}` : '') },
    { header: 'Live verdict', cell: liveVerdictWords },
    { header: 'Pin would be', cell: pinWouldBeWords },
  ];
}
