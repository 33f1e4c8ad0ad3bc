// The inventory as CSV for a spreadsheet: one row per backend, every fact in a column of its own, quoted as RFC 4180
// has it (fields holding a comma, a quote or a line break in double quotes, quotes doubled, CRLF between records).
import type { Inventory, InventoryEntry } from '../types';
import { findingWords, liveVerdictWords, pinWords, pinWouldBeWords, type ReportOptions } from './columns';

const COLUMNS: Array<[string, (e: InventoryEntry) => string]> = [
  ['service', (e) => e.service ?? ''],
  ['service name', (e) => e.serviceName ?? ''],
  ['sku', (e) => e.sku ?? ''],
  ['tier', (e) => e.tier ?? ''],
  ['backend', (e) => e.address],
  ['environment', (e) => e.environment ?? ''],
  ['key', (e) => (e.keysUnknown ? '(keys unknown)' : (e.key ?? ''))],
  ['name in APIM', (e) => e.name ?? ''],
  ['file', (e) => e.file],
  ['line', (e) => String(e.line)],
  ['url', (e) => e.url ?? ''],
  ['host', (e) => e.host ?? ''],
  ['trust state', (e) => e.stateLabel],
  ['trust', (e) => e.trust],
  ['chain validation', (e) => e.chainValidation],
  ['name validation', (e) => e.nameValidation],
  ['pins', pinWords],
  ['issuing CA', (e) => e.issuingCa?.subject ?? ''],
  ['issuing CA SHA-1', (e) => e.issuingCa?.sha1 ?? ''],
  ['issuing CA known from', (e) => (e.issuingCa ? `${e.issuingCa.source}${e.issuingCa.file ? `: ${e.issuingCa.file}` : ''}` : '')],
  ['stage', (e) => String(e.stage)],
  ['reason', (e) => e.reason],
  ['findings', findingWords],
];

const LIVE_COLUMNS: Array<[string, (e: InventoryEntry) => string]> = [
  ['presented names', (e) => e.live?.presentedNames.join(' ') ?? ''],
  ['presented issuing CA', (e) => e.live?.issuingCa?.subject ?? ''],
  ['presented issuing CA SHA-1', (e) => e.live?.issuingCa?.sha1 ?? ''],
  ['live verdict', liveVerdictWords],
  ['pin would be', pinWouldBeWords],
];

export function formatInventoryCsv(inventory: Inventory, options: ReportOptions): string {
  const columns = options.probed ? [...COLUMNS, ...LIVE_COLUMNS] : COLUMNS;
  const records = [columns.map(([header]) => header), ...inventory.backends.map((e) => columns.map(([, cell]) => cell(e)))];
  return records.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** One field as RFC 4180 writes it. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
