// The fuzz run: fast-check generates cases (a seed group and mutations of one or two of its files, or a mutated
// certificate file) from a fixed seed, every case is checked (check.ts), and the run reports what it tried, what
// failed and which inputs were slowest. Failures are counted, not stopped at; the first ones are then replayed
// and shrunk by fast-check to a smaller input that still fails.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Checker, type InputFile, type Outcome } from './check';
import { KNOWN_SLOW } from './known-slow';
import { applyMutations, mutationArb, type Mutation, type MutationLimits } from './mutations';
import { certificateSeeds, privateKeyLines, seedGroups, type SeedFile, type SeedGroup } from './seeds';

export interface FuzzOptions {
  runs: number;
  seed: number;
  limits: MutationLimits;
  /** An input slower than this (core lint or CLI run) is a failure; none in the short run (no timing in npm test). */
  boundMs?: number;
  /** How many failures are shrunk after the run. */
  shrink: number;
  /** Failing inputs are written below this folder, one subfolder each. */
  saveDir?: string;
  log: (line: string) => void;
}

export type FuzzCase =
  { kind: 'lint'; group: number; edits: Array<{ file: number; mutations: Mutation[] }> } | { kind: 'certificate'; seed: number; mutations: Mutation[] };

export interface CaseResult {
  index: number;
  label: string;
  outcome: Outcome;
}

export interface FuzzReport {
  inputs: number;
  failed: CaseResult[];
  /** Failures by kind: a throw, a range outside the text, a fix, the time bound, anything else. */
  counts: { throws: number; outOfRange: number; fixes: number; overBound: number; other: number };
  slowest: CaseResult[];
  shrunk: string[];
  seeds: number;
  elapsedMs: number;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const groups = seedGroups();
  const certificates = await certificateSeeds();
  const checker = await Checker.create();
  const arb = caseArb(groups, certificates, options.limits);
  const failed: CaseResult[] = [];
  const slowest: CaseResult[] = [];
  let index = 0;
  const check = async (c: FuzzCase): Promise<CaseResult> => {
    const { files, label } = materialise(c, groups, certificates);
    const outcome = c.kind === 'certificate' ? checker.checkCertificate(files[0], keyLinesOf(certificates[c.seed])) : await checker.checkGroup(files);
    const ms = Math.max(outcome.lintMs, outcome.cliMs);
    if (options.boundMs !== undefined && ms > options.boundMs)
      outcome.failures.push(`took ${Math.round(ms)} ms${parseNote(outcome)}, over the ${options.boundMs} ms bound`);
    return { index: -1, label, outcome };
  };
  try {
    await fc.check(
      fc.asyncProperty(arb, async (c) => {
        const result = await check(c);
        result.index = index++;
        keepSlowest(slowest, result);
        if (result.outcome.failures.length) {
          failed.push(result);
          options.log(`FAIL #${result.index} ${result.label}\n  ${result.outcome.failures.join('\n  ')}`);
          if (options.saveDir) save(options.saveDir, result, c, groups, certificates);
        }
        if (index % 500 === 0) options.log(`… ${index} inputs, ${failed.length} failed`);
        return true;
      }),
      { seed: options.seed, numRuns: options.runs },
    );
    const shrunk: string[] = [];
    for (const f of failed.slice(0, options.shrink)) {
      // Replaying run `index` of the same seed regenerates the case; fast-check then shrinks it while it fails.
      const details = await fc.check(
        fc.asyncProperty(arb, async (c) => (await check(c)).outcome.failures.length === 0),
        { seed: options.seed, path: String(f.index), numRuns: options.runs, interruptAfterTimeLimit: 120_000 },
      );
      const smallest = details.counterexample?.[0];
      if (smallest) shrunk.push(`#${f.index} shrinks to ${materialise(smallest, groups, certificates).label}`);
    }
    return {
      inputs: index,
      failed,
      counts: countKinds(failed),
      slowest,
      shrunk,
      seeds: groups.length + certificates.length,
      elapsedMs: performance.now() - started,
    };
  } finally {
    checker.dispose();
  }
}

/** The known slow inputs (known-slow.ts) through the same checks, each with its time and any failure. */
export async function runKnownSlow(boundMs: number): Promise<Array<{ name: string; outcome: Outcome }>> {
  const checker = await Checker.create();
  try {
    const out: Array<{ name: string; outcome: Outcome }> = [];
    for (const slow of KNOWN_SLOW) {
      const outcome = await checker.checkGroup(slow.files(), true);
      const ms = Math.max(outcome.lintMs, outcome.cliMs);
      if (ms > boundMs) outcome.failures.push(`took ${Math.round(ms)} ms${parseNote(outcome)}, over the ${boundMs} ms bound`);
      out.push({ name: slow.name, outcome });
    }
    return out;
  } finally {
    checker.dispose();
  }
}

/** The report as printed by `npm run fuzz` and by the short run when it fails. */
export function formatReport(report: FuzzReport, options: Pick<FuzzOptions, 'seed' | 'boundMs'>): string {
  const c = report.counts;
  const lines = [
    `fuzz: seed ${options.seed}, ${report.seeds} seed files and groups, ${(report.elapsedMs / 1000).toFixed(1)} s`,
    `inputs tried: ${report.inputs}`,
    `failures: ${report.failed.length} (throws ${c.throws}, out-of-range ${c.outOfRange}, fixes ${c.fixes}, over ${options.boundMs ?? '–'} ms ${c.overBound}, other ${c.other})`,
    'slowest inputs (core lint / CLI run, and the bare tree-sitter parse of the files where the lint was slow):',
    ...report.slowest.map((s) => `  ${Math.round(s.outcome.lintMs)} ms / ${Math.round(s.outcome.cliMs)} ms${parseNote(s.outcome)}  #${s.index} ${s.label}`),
  ];
  for (const f of report.failed.slice(0, 20)) lines.push(`failed #${f.index} ${f.label}`, ...f.outcome.failures.map((x) => `    ${x}`));
  if (report.failed.length > 20) lines.push(`… and ${report.failed.length - 20} more failures`);
  lines.push(...report.shrunk);
  return lines.join('\n');
}

function parseNote(o: Outcome): string {
  return o.parseMs === undefined ? '' : ` (parse ${Math.round(o.parseMs)} ms)`;
}

function caseArb(groups: SeedGroup[], certificates: SeedFile[], limits: MutationLimits): fc.Arbitrary<FuzzCase> {
  const mutations = (format: SeedFile['format']) => fc.array(mutationArb(format === 'config' ? 'arm' : format, limits), { minLength: 1, maxLength: 3 });
  const lint = fc.nat({ max: groups.length - 1 }).chain((group) => {
    const files = groups[group].files;
    const edit = fc.nat({ max: files.length - 1 }).chain((file) => mutations(files[file].format).map((m) => ({ file, mutations: m })));
    return fc.array(edit, { minLength: 1, maxLength: 2 }).map((edits): FuzzCase => ({ kind: 'lint', group, edits }));
  });
  const certificate = fc
    .nat({ max: certificates.length - 1 })
    .chain((seed) => mutations('certificate').map((m): FuzzCase => ({ kind: 'certificate', seed, mutations: m })));
  return fc.oneof({ weight: 9, arbitrary: lint }, { weight: 1, arbitrary: certificate });
}

/** The files of a case, its seed's files with the mutations applied, and a line that says what it is. */
function materialise(c: FuzzCase, groups: SeedGroup[], certificates: SeedFile[]): { files: InputFile[]; label: string } {
  if (c.kind === 'certificate') {
    const seed = certificates[c.seed];
    return {
      files: [{ ...seed, bytes: applyMutations(seed.bytes, 'certificate', c.mutations) }],
      label: `certificate ${seed.name} ${describeMutations(c.mutations)}`,
    };
  }
  const group = groups[c.group];
  const files = group.files.map((f) => ({ ...f }));
  const parts: string[] = [];
  for (const e of c.edits) {
    const f = files[e.file];
    f.bytes = applyMutations(f.bytes, f.format === 'config' ? 'arm' : f.format, e.mutations);
    parts.push(`${f.name} ${describeMutations(e.mutations)}`);
  }
  return { files, label: `${group.source}: ${parts.join('; ')}` };
}

function describeMutations(mutations: readonly Mutation[]): string {
  return JSON.stringify(mutations, (_, v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 20)}…(${v.length})` : v));
}

function keyLinesOf(seed: SeedFile): string[] {
  return privateKeyLines(Buffer.from(seed.bytes).toString('latin1'));
}

function keepSlowest(slowest: CaseResult[], r: CaseResult): void {
  slowest.push(r);
  slowest.sort((a, b) => Math.max(b.outcome.lintMs, b.outcome.cliMs) - Math.max(a.outcome.lintMs, a.outcome.cliMs));
  slowest.length = Math.min(slowest.length, 10);
}

function countKinds(failed: CaseResult[]): FuzzReport['counts'] {
  const counts = { throws: 0, outOfRange: 0, fixes: 0, overBound: 0, other: 0 };
  for (const f of failed) {
    for (const x of f.outcome.failures) {
      if (/threw|CLI failed|CLI exited/.test(x)) counts.throws++;
      else if (/outside|not an input/.test(x)) counts.outOfRange++;
      else if (/^the fix|^the pin|cannot be applied/.test(x)) counts.fixes++;
      else if (/over the .* bound/.test(x)) counts.overBound++;
      else counts.other++;
    }
  }
  return counts;
}

/** A failing input as files, with the case that made it: what a regression fixture is made from. */
function save(dir: string, result: CaseResult, c: FuzzCase, groups: SeedGroup[], certificates: SeedFile[]): void {
  const out = path.join(dir, String(result.index));
  const { files } = materialise(c, groups, certificates);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(out, f.name)), { recursive: true });
    fs.writeFileSync(path.join(out, f.name), f.bytes);
  }
  fs.writeFileSync(path.join(out, 'FUZZ-CASE.txt'), `${result.label}\n\n${result.outcome.failures.join('\n')}\n\n${JSON.stringify(c)}\n`);
}
