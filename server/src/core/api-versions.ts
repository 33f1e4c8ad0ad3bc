// api-versions of `Microsoft.ApiManagement/service/backends` and which of them have backend pins
// (`properties.tls.serverX509Names` / `serverCertificateThumbprints`). The rules and the pin fix share this list.

/** The first backend api-version with pins, and the one fixes write. */
export const PIN_API_VERSION = '2025-03-01-preview';

/**
 * The published api-versions in the order compareApiVersions gives, and whether backends have pins in them. `2024-05-01` is listed on
 * purpose: it is the GA version a widely read guide claims has pins, and it does not.
 */
export const KNOWN_API_VERSIONS: ReadonlyArray<{ version: string; pins: boolean }> = [
  '2016-07-07',
  '2016-10-10',
  '2017-03-01',
  '2018-01-01',
  '2018-06-01-preview',
  '2019-01-01',
  '2019-12-01-preview',
  '2019-12-01',
  '2020-06-01-preview',
  '2020-12-01',
  '2021-01-01-preview',
  '2021-04-01-preview',
  '2021-08-01',
  '2021-12-01-preview',
  '2022-04-01-preview',
  '2022-08-01',
  '2022-09-01-preview',
  '2023-03-01-preview',
  '2023-05-01-preview',
  '2023-09-01-preview',
  '2024-05-01',
  '2024-06-01-preview',
  '2024-10-01-preview',
  '2025-03-01-preview',
  '2025-09-01-preview',
  '2026-03-01-preview',
].map((version) => ({ version, pins: compareApiVersions(version, PIN_API_VERSION)! >= 0 }));

/**
 * Whether backends have pins at `version`: from the known list, else by the version's date (a dated version the
 * list does not know yet counts as what its date says). Undefined for text that is not a dated api-version.
 */
export function hasPins(version: string): boolean | undefined {
  const v = version.trim().toLowerCase();
  const known = KNOWN_API_VERSIONS.find((k) => k.version === v);
  if (known) return known.pins;
  const order = compareApiVersions(v, PIN_API_VERSION);
  return order === undefined ? undefined : order >= 0;
}

/**
 * Orders two api-versions by date; on the same date a preview comes before its GA. Undefined when either is not of
 * the form `YYYY-MM-DD` with an optional `-suffix`.
 */
export function compareApiVersions(a: string, b: string): number | undefined {
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return undefined;
  if (pa.date !== pb.date) return pa.date < pb.date ? -1 : 1;
  if (pa.preview !== pb.preview) return pa.preview ? -1 : 1;
  return 0;
}

function parse(version: string): { date: string; preview: boolean } | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(-[a-z0-9.]+)?$/i.exec(version.trim());
  return m ? { date: m[1], preview: m[2] !== undefined } : undefined;
}

/**
 * The first azapi release whose embedded schema knows a backend api-version (`azapi_resource` validates its body
 * against that schema at plan time; `azapi_update_resource` does not). Read in the azapi provider's repository at
 * commit c43c57bb (2026-08-13): 2025-03-01-preview from v2.8.0, 2025-09-01-preview from v2.11.0; 2026-03-01-preview is
 * in no release yet, so it is not listed (the linter does not guess).
 */
export const AZAPI_SCHEMA_SINCE: Readonly<Record<string, string>> = {
  '2025-03-01-preview': '2.8.0',
  '2025-09-01-preview': '2.11.0',
};
