// Mutations of a seed file, as plain data fast-check generates and shrinks: what hostile input looks like to the
// linter (half-typed, binary, huge, deeply nested, wrong encoding). A plan is printed with every failure, so a
// failure can be read and replayed without the fuzzer.
import fc from 'fast-check';

/** The formats the fuzzer mutates with their own syntax (formats are plug-ins, so the core's Format is any string). */
export type LintedFormat = 'terraform' | 'arm' | 'bicep' | 'policy';

/** A position in a file as a fraction of its length, in millionths (shrinks towards the start). */
type At = number;

export type Mutation =
  | { kind: 'flip'; at: At; mask: number }
  | { kind: 'truncate'; at: At }
  | { kind: 'delete'; at: At; length: number }
  | { kind: 'duplicate'; at: At; length: number; to: At }
  | { kind: 'bracket'; at: At; char: string }
  | { kind: 'unterminated'; at: At; text: string; lineStart: boolean }
  | { kind: 'deep'; at: At; depth: number; shape: number; balanced: boolean; asValue: boolean }
  | { kind: 'long-line'; at: At; length: number; fill: string; afterEquals: boolean }
  | { kind: 'nul'; at: At; count: number }
  | { kind: 'invalid-utf8'; at: At; bytes: number[] }
  | { kind: 'bom'; encoding: 'utf8' | 'utf16le' | 'utf16be' }
  | { kind: 'newlines'; style: 'crlf' | 'cr' | 'mixed' }
  | { kind: 'schema'; value: string }
  | { kind: 'size-cap'; delta: number; fill: 'ascii' | 'multibyte' | 'spaces' };

/** How far the mutations go: the short run in `npm test` keeps lines and nesting small enough to stay quick. */
export interface MutationLimits {
  maxLineLength: number;
  maxDepth: number;
  /** Files padded to the size cap (5 MB) are costly: allowed or not. */
  sizeCap: boolean;
}

export const SHORT_LIMITS: MutationLimits = { maxLineLength: 5_000, maxDepth: 10_000, sizeCap: false };
export const LONG_LIMITS: MutationLimits = { maxLineLength: 100_000, maxDepth: 100_000, sizeCap: true };

/** What a format's text says when it is cut off inside a construct. */
const UNTERMINATED: Record<LintedFormat | 'certificate', string[]> = {
  terraform: ['<<EOT\n', '<<-EOT\n  x = 1\n', '"', '"${', '${', '/*', '%{ if true }', 'resource "azurerm_api_management_backend" "x" {\n'],
  arm: ['"', '/*', '"[concat(', '{"type": "Microsoft.ApiManagement/service/backends", "properties": {'],
  bicep: ["'", "'''", "'${", '/*', '${', "resource x 'Microsoft.ApiManagement/service/backends@2024-05-01' = {\n"],
  policy: ['<', '<!--', '<![CDATA[', '<set-backend-service base-url="', '<set-backend-service backend-id="', '@(', '@{', '{{', '<policies>\n<inbound>\n'],
  certificate: ['-----BEGIN CERTIFICATE-----\n', '-----BEGIN PKCS7-----\nMIIB', '-----END CERTIFICATE-----\n'],
};

/** Nesting per format: prefix, the opener repeated, the innermost value, the closer repeated, suffix. */
export const DEEP_SHAPES: Record<LintedFormat, Array<[string, string, string, string, string]>> = {
  terraform: [
    ['', '[', '', ']', ''],
    ['', '{a = ', '1', '}', ''],
    ['', '(', '1', ')', ''],
    ['', 'lower(', '"x"', ')', ''],
    ['', '"${', '1', '}"', ''],
    ['', 'true ? ', 'false', ' : true', ''],
  ],
  arm: [
    ['', '[', '0', ']', ''],
    ['', '{"a":', '0', '}', ''],
    ['"[', 'concat(', "'a'", ')', ']"'],
    ['"[', 'if(true(), ', "'a'", ", 'b')", ']"'],
    ['"[', "json('", '1', "')", ']"'],
  ],
  bicep: [
    ['', '[', '', ']', ''],
    ['', '{\na: ', '1', '\n}', ''],
    ['', '(', '1', ')', ''],
    ['', 'concat(', "'a'", ')', ''],
    ['', "'${", '1', "}'", ''],
  ],
  policy: [
    ['', '<a>', '', '</a>', ''],
    ['', '<choose><when condition="@(true)">', '<set-backend-service base-url="http://x" />', '</when></choose>', ''],
    ['<set-body>@(', '(', '1', ')', ')</set-body>'],
    ['<set-body>@{', '{', 'return 1;', '}', '}</set-body>'],
  ],
};

/** `$schema` values of ARM JSON that are odd: the other kind, other case, none, huge, not a string. */
const SCHEMAS = [
  'https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#',
  'https://schema.management.azure.com/schemas/2019-04-01/DEPLOYMENTTEMPLATE.JSON#',
  'https://schema.management.azure.com/schemas/2019-04-01/subscriptionDeploymentTemplate.json#',
  '',
  'deploymentTemplate.json' + 'x'.repeat(5000),
  '\u0000deploymentTemplate.json',
];

const at = (): fc.Arbitrary<At> => fc.integer({ min: 0, max: 1_000_000 });

/** Byte runs that are not UTF-8: a lone continuation, an overlong form, a truncated sequence, a UTF-16 surrogate. */
const INVALID_UTF8 = [[0xff], [0x80], [0xc0, 0xaf], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xfe, 0xfe, 0xff]];

/** One mutation fit for a file of `format` (a certificate file gets the byte-level ones). */
export function mutationArb(format: LintedFormat | 'certificate', limits: MutationLimits): fc.Arbitrary<Mutation> {
  // Weights: padding a file to the 5 MB cap costs seconds per input, so it comes about once in 130 mutations.
  const options: Array<fc.WeightedArbitrary<Mutation>> = [
    { weight: 16, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: at(), mask: fc.integer({ min: 1, max: 255 }) }) },
    { weight: 12, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: at() }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: at(), length: fc.integer({ min: 1, max: 400 }) }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: at(), length: fc.integer({ min: 1, max: 400 }), to: at() }) },
    { weight: 12, arbitrary: fc.record({ kind: fc.constant('bracket' as const), at: at(), char: fc.constantFrom('{', '}', '[', ']', '(', ')', '"', "'") }) },
    {
      weight: 12,
      arbitrary: fc.record({ kind: fc.constant('unterminated' as const), at: at(), text: fc.constantFrom(...UNTERMINATED[format]), lineStart: fc.boolean() }),
    },
    {
      weight: 12,
      arbitrary: fc.record({
        kind: fc.constant('long-line' as const),
        at: at(),
        length: fc.constantFrom(...[1_000, 5_000, 10_000, 40_000, 100_000, 1_000_000].filter((n) => n <= limits.maxLineLength)),
        fill: fc.constantFrom(' ', '\t', '"', 'a', '${', '/', '{', '[', '\\', 'é', '😀'),
        afterEquals: fc.boolean(),
      }),
    },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('nul' as const), at: at(), count: fc.integer({ min: 1, max: 64 }) }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('invalid-utf8' as const), at: at(), bytes: fc.constantFrom(...INVALID_UTF8) }) },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('bom' as const), encoding: fc.constantFrom('utf8' as const, 'utf16le' as const, 'utf16be' as const) }),
    },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('newlines' as const), style: fc.constantFrom('crlf' as const, 'cr' as const, 'mixed' as const) }) },
  ];
  if (format !== 'certificate') {
    options.push({
      weight: 16,
      arbitrary: fc.record({
        kind: fc.constant('deep' as const),
        at: at(),
        depth: fc.constantFrom(...[10, 100, 500, 1_000, 5_000, 10_000, 100_000].filter((n) => n <= limits.maxDepth)),
        shape: fc.nat({ max: DEEP_SHAPES[format].length - 1 }),
        balanced: fc.boolean(),
        asValue: fc.boolean(),
      }),
    });
  }
  if (format === 'arm') options.push({ weight: 8, arbitrary: fc.record({ kind: fc.constant('schema' as const), value: fc.constantFrom(...SCHEMAS) }) });
  if (limits.sizeCap && format !== 'certificate') {
    options.push({
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('size-cap' as const),
        delta: fc.constantFrom(-4096, -1, 0, 1, 4096),
        fill: fc.constantFrom('ascii' as const, 'multibyte' as const, 'spaces' as const),
      }),
    });
  }
  return fc.oneof(...options);
}

/** The file size cap the size-cap mutation aims at (the workspace's MAX_FILE_SIZE, in bytes). */
export const SIZE_CAP_BYTES = 5 * 1024 * 1024;

/** Applies mutations in order to a file's bytes. */
export function applyMutations(bytes: Uint8Array, format: LintedFormat | 'certificate', mutations: readonly Mutation[]): Uint8Array {
  let out: Buffer = Buffer.from(bytes);
  for (const m of mutations) out = applyOne(out, format, m);
  return new Uint8Array(out);
}

function applyOne(bytes: Buffer, format: LintedFormat | 'certificate', m: Mutation): Buffer {
  const pos = (a: At, length: number) => Math.floor((a / 1_000_000) * length);
  const text = () => bytes.toString('utf8');
  const insertText = (s: string, offset: number) => {
    const t = text();
    const i = Math.min(offset, t.length);
    return Buffer.from(t.slice(0, i) + s + t.slice(i), 'utf8');
  };
  switch (m.kind) {
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const copy = Buffer.from(bytes);
      copy[pos(m.at, copy.length)] ^= m.mask;
      return copy;
    }
    case 'truncate':
      return bytes.subarray(0, pos(m.at, bytes.length));
    case 'delete': {
      const t = text();
      const i = pos(m.at, t.length);
      return Buffer.from(t.slice(0, i) + t.slice(i + m.length), 'utf8');
    }
    case 'duplicate': {
      const t = text();
      const i = pos(m.at, t.length);
      return insertText(t.slice(i, i + m.length), pos(m.to, t.length));
    }
    case 'bracket':
      return insertText(m.char, pos(m.at, text().length));
    case 'unterminated': {
      const t = text();
      let i = pos(m.at, t.length);
      if (m.lineStart) i = t.lastIndexOf('\n', i - 1) + 1;
      return insertText(m.text, i);
    }
    case 'deep': {
      if (format === 'certificate') return bytes;
      const [prefix, open, middle, close, suffix] = DEEP_SHAPES[format][m.shape];
      const nest = prefix + open.repeat(m.depth) + middle + (m.balanced ? close.repeat(m.depth) : '') + suffix;
      const t = text();
      if (!m.asValue) return insertText(nest, pos(m.at, t.length));
      // Where a value may stand: a new attribute or property at the top of the first body that has one.
      const site = VALUE_SITES[format].exec(t);
      if (!site) return insertText(nest, pos(m.at, t.length));
      const end = site.index + site[0].length;
      const value = { arm: `"fuzzDeep": ${nest},`, bicep: `fuzzDeep: ${nest}\n`, terraform: `fuzz_deep = ${nest}\n`, policy: `${nest}\n` }[format];
      return insertText(value, end);
    }
    case 'long-line': {
      const t = text();
      const run = m.fill.repeat(Math.ceil(m.length / m.fill.length)).slice(0, m.length);
      // Valid but pathological: a run of spaces between `=` (or `:`) and its value, e.g. `= <40,000 spaces>false`.
      const eq = m.afterEquals ? /(?:=|":?|:) ?(?=\S)/.exec(t.slice(pos(m.at, t.length))) : null;
      if (eq) return insertText(' '.repeat(m.length), pos(m.at, t.length) + eq.index + eq[0].length);
      return insertText(`\n${run}\n`, pos(m.at, t.length));
    }
    case 'nul':
      return insertText('\u0000'.repeat(m.count), pos(m.at, text().length));
    case 'invalid-utf8': {
      const i = pos(m.at, bytes.length);
      return Buffer.concat([bytes.subarray(0, i), Buffer.from(m.bytes), bytes.subarray(i)]);
    }
    case 'bom': {
      if (m.encoding === 'utf8') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
      const units = Buffer.from('\ufeff' + text(), 'utf16le');
      return m.encoding === 'utf16be' ? units.swap16() : units;
    }
    case 'newlines': {
      const t = text().replace(/\r\n/g, '\n');
      if (m.style === 'crlf') return Buffer.from(t.replace(/\n/g, '\r\n'), 'utf8');
      if (m.style === 'cr') return Buffer.from(t.replace(/\n/g, '\r'), 'utf8');
      let n = 0;
      return Buffer.from(
        t.replace(/\n/g, () => ['\n', '\r\n', '\r'][n++ % 3]),
        'utf8',
      );
    }
    case 'schema': {
      const t = text();
      const replaced = t.replace(/("\$schema"\s*:\s*)"[^"]*"/, (_, key: string) => `${key}${JSON.stringify(m.value)}`);
      return Buffer.from(replaced, 'utf8');
    }
    case 'size-cap': {
      // Comment lines appended until the file is `delta` bytes from the cap (JSON with comments allows them too).
      const t = text();
      const [comment, close] = format === 'terraform' ? ['#', ''] : format === 'policy' ? ['<!--', ' -->'] : ['//', ''];
      const unit = m.fill === 'multibyte' ? 'é' : m.fill === 'spaces' ? ' ' : 'x';
      const line = `${comment} ${unit.repeat(99)}${close}\n`;
      let rest = SIZE_CAP_BYTES + m.delta - Buffer.byteLength(t, 'utf8') - 1;
      if (rest <= 0) return bytes;
      const lineBytes = Buffer.byteLength(line, 'utf8');
      const count = Math.floor(rest / lineBytes);
      rest -= count * lineBytes;
      // An XML comment must close: the rest of a policy file is spaces.
      const last = rest > comment.length && !close ? `${comment}${' '.repeat(rest - comment.length)}` : ' '.repeat(rest);
      return Buffer.from(`${t}\n${line.repeat(count)}${last}`, 'utf8');
    }
  }
}

/** Where a nested value can be added to a body without breaking the syntax around it. */
const VALUE_SITES: Record<LintedFormat, RegExp> = {
  terraform: /\{[ \t]*\r?\n/,
  arm: /"properties"\s*:\s*\{/i,
  bicep: /\bproperties:\s*\{[ \t]*\r?\n/,
  policy: /<inbound>[ \t]*\r?\n?/,
};
