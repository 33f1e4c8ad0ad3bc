// The fuzz run: fast-check generates cases (cases.ts) from a fixed seed, a worker thread checks each (check.ts)
// and is replaced when one runs past the stop limit, and the run reports what it tried, what failed and which
// inputs were slowest. Failures are counted, not stopped at; the first ones are then replayed and shrunk by
// fast-check to a smaller input that still fails.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { caseArb, materialise, type FuzzCase } from './cases';
import type { Outcome } from './check';
import { SLOW_INPUTS } from './slow-inputs';
import type { MutationLimits } from './mutations';
import { certificateSeeds, seedGroups, type SeedFile, type SeedGroup } from './seeds';
import type { WorkerData, WorkRequest, WorkResult } from './worker';

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

/** An input still running after this long is stopped (its worker ended) and counted as a failure. */
export const STOP_AFTER_MS = 30_000;

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const groups = seedGroups();
  const certificates = await certificateSeeds();
  const thread = new CheckerThread(certificates);
  const arb = caseArb(groups, certificates, options.limits);
  const failed: CaseResult[] = [];
  const slowest: CaseResult[] = [];
  let index = 0;
  const check = async (c: FuzzCase): Promise<CaseResult> => {
    const outcome = await thread.check({ case: c });
    boundCheck(outcome, options.boundMs);
    // A failure may leave the parsers' wasm runtime broken (an abort is final): the next input gets a new thread.
    if (outcome.failures.length) await thread.restart();
    return { index: -1, label: materialise(c, groups, certificates).label, outcome };
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
        if (index % 500 === 0) options.log(`… ${index} inputs, ${failed.length} failed, ${((performance.now() - started) / 60_000).toFixed(1)} min`);
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
    await thread.dispose();
  }
}

/** The slow inputs found before (slow-inputs.ts), timed only, each with its time and any failure. */
export async function runSlowInputs(boundMs: number): Promise<Array<{ name: string; outcome: Outcome }>> {
  const thread = new CheckerThread(await certificateSeeds());
  try {
    const out: Array<{ name: string; outcome: Outcome }> = [];
    for (let i = 0; i < SLOW_INPUTS.length; i++) {
      const outcome = await thread.check({ known: i });
      boundCheck(outcome, boundMs);
      if (outcome.failures.length) await thread.restart();
      out.push({ name: SLOW_INPUTS[i].name, outcome });
    }
    return out;
  } finally {
    await thread.dispose();
  }
}

/** The report as printed by `npm run fuzz` and by the short run when it fails. */
export function formatReport(report: FuzzReport, options: Pick<FuzzOptions, 'seed' | 'boundMs'>): string {
  const c = report.counts;
  const lines = [
    `fuzz: seed ${options.seed}, ${report.seeds} seed files and groups, ${(report.elapsedMs / 1000).toFixed(1)} s`,
    `inputs tried: ${report.inputs}`,
    `failures: ${report.failed.length} (throws ${c.throws}, out-of-range ${c.outOfRange}, fixes ${c.fixes}, over ${options.boundMs ?? '–'} ms ${c.overBound}, other ${c.other})`,
    'slowest inputs (core lint / CLI run, wall clock and CPU, and the bare tree-sitter parse of the files where the lint was slow):',
    ...report.slowest.map((s) => `  ${timing(s.outcome)}${parseNote(s.outcome)}  #${s.index} ${s.label}`),
  ];
  for (const f of report.failed.slice(0, 20)) lines.push(`failed #${f.index} ${f.label}`, ...f.outcome.failures.map((x) => `    ${x}`));
  if (report.failed.length > 20) lines.push(`… and ${report.failed.length - 20} more failures`);
  lines.push(...report.shrunk);
  return lines.join('\n');
}

/**
 * One worker thread at a time, replaced when an input outlives STOP_AFTER_MS. Requests go one by one (the
 * property awaits each), so a reply always answers the request in flight.
 */
class CheckerThread {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private next = 0;
  private readonly tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-tls-lint-fuzz-run-'));

  constructor(private readonly certificates: SeedFile[]) {}

  async check(request: { case: FuzzCase } | { known: number }): Promise<Outcome> {
    const worker = await this.start();
    const id = this.next++;
    return new Promise<Outcome>((resolve) => {
      const done = (outcome: Outcome) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve(outcome);
      };
      const timer = setTimeout(() => {
        // The input keeps its thread busy: that thread goes, and the next input gets a new one.
        void this.stop();
        done({ failures: [`still running after ${STOP_AFTER_MS / 1000} s: stopped`], lintMs: STOP_AFTER_MS, cliMs: 0 });
      }, STOP_AFTER_MS);
      const onMessage = (result: WorkResult) => {
        if (result.id === id) done(result.outcome);
      };
      const onError = (e: Error) => {
        void this.stop();
        done({ failures: [`the checking thread died: ${e.name}: ${e.message}`.slice(0, 300)], lintMs: 0, cliMs: 0 });
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      const message: WorkRequest = { id, ...request };
      worker.postMessage(message);
    });
  }

  /** Ends the thread; the next check starts a fresh one. */
  async restart(): Promise<void> {
    await this.stop();
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.tmpRoot, { recursive: true, force: true });
  }

  private async start(): Promise<Worker> {
    if (this.worker && this.ready) {
      await this.ready;
      return this.worker;
    }
    const worker = new Worker(path.join(__dirname, 'worker.js'), {
      workerData: { certificates: this.certificates, tmpRoot: this.tmpRoot } satisfies WorkerData,
    });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    await this.ready;
    return worker;
  }

  private async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker) await worker.terminate();
  }
}

/**
 * The time bound, on CPU time (as the parse budgets count it): `boundMs`, plus what the Terraform parse budget adds
 * for the input's largest file (0.5 ms per 1,000 characters, DESIGN §7), so a file near the size cap may take that
 * much longer. Without CPU figures (a stopped or dead thread) the wall clock is used.
 */
export function boundFor(outcome: Outcome, boundMs: number): number {
  return boundMs + Math.round((outcome.maxChars ?? 0) / 2000);
}

function boundCheck(outcome: Outcome, boundMs: number | undefined): void {
  const ms = Math.max(outcome.lintCpuMs ?? outcome.lintMs, outcome.cliCpuMs ?? outcome.cliMs);
  if (boundMs === undefined || outcome.failures.some((f) => /^still running/.test(f))) return;
  const bound = boundFor(outcome, boundMs);
  if (ms > bound) outcome.failures.push(`took ${Math.round(ms)} ms of CPU${parseNote(outcome)}, over the ${bound} ms bound`);
}

/** Core lint and CLI run: wall clock, and CPU time where measured. */
export function timing(o: Outcome): string {
  const cpu = o.lintCpuMs !== undefined ? ` (CPU ${Math.round(o.lintCpuMs)} ms / ${Math.round(o.cliCpuMs ?? 0)} ms)` : '';
  return `${Math.round(o.lintMs)} ms / ${Math.round(o.cliMs)} ms${cpu}`;
}

function parseNote(o: Outcome): string {
  return o.parseMs === undefined ? '' : ` (parse ${Math.round(o.parseMs)} ms)`;
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
      if (/threw|died|CLI failed|CLI exited/.test(x)) counts.throws++;
      else if (/outside|not an input/.test(x)) counts.outOfRange++;
      else if (/^the fix|^the pin|cannot be applied/.test(x)) counts.fixes++;
      else if (/over the .* bound|^still running/.test(x)) counts.overBound++;
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
