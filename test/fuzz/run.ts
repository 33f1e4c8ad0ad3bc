// `npm run fuzz [-- --runs N --seed S|random --bound MS --shrink N]`: the long fuzz run. It checks the inputs once
// slow, then the generated inputs; it prints the inputs tried, the failures and the slowest inputs, writes each
// failing input to test-results/fuzz-failures/, and exits 1 on any failure.
import * as path from 'node:path';
import { REPO_ROOT } from '../support/parser';
import { formatReport, runFuzz, runSlowInputs, timing } from './fuzz';
import { LONG_LIMITS } from './mutations';

/** The default seed: a fixed one, so that two runs of the same code try the same inputs. */
export const LONG_RUN_SEED = 10_000;

async function main(): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const value = process.argv[i + 1] === 'random' ? Date.now() % 2 ** 31 : Number(process.argv[i + 1]);
    if (!Number.isFinite(value)) throw new Error(`--${name} needs a number`);
    return value;
  };
  const options = {
    runs: arg('runs', 10_000),
    seed: arg('seed', LONG_RUN_SEED),
    boundMs: arg('bound', 2_000),
    limits: LONG_LIMITS,
    shrink: arg('shrink', 3),
    saveDir: path.join(REPO_ROOT, 'test-results', 'fuzz-failures'),
    log: (line: string) => console.log(line),
  };
  // The inputs once slow first, apart from the generated inputs.
  const slow = await runSlowInputs(options.boundMs);
  console.log(`inputs once slow (${slow.length}), against the ${options.boundMs} ms bound:`);
  for (const s of slow) {
    const o = s.outcome;
    console.log(`  ${o.failures.length ? 'FAIL' : 'ok  '} ${s.name}: ${timing(o)}${o.failures.length ? ` — ${o.failures.join('; ')}` : ''}`);
  }
  const report = await runFuzz(options);
  console.log(formatReport(report, options));
  process.exitCode = report.failed.length || slow.some((s) => s.outcome.failures.length) ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 2;
});
