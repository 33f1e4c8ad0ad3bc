// The short fuzz run of `npm test`: a fixed seed, so every run tries the same few hundred inputs (mutated fixtures,
// examples, corpus files and certificates; see test/fuzz/). It asserts the invariants of DESIGN §8 and no timing:
// the time bound is asserted only by the long run, `npm run fuzz`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatReport, runFuzz } from '../fuzz/fuzz';
import { SHORT_LIMITS } from '../fuzz/mutations';

/** Fixed: the same inputs on every machine. */
const SHORT_RUN_SEED = 20_260_601;
const SHORT_RUN_INPUTS = 200;

test(`fuzz: ${SHORT_RUN_INPUTS} mutated inputs through the core and the CLI break no invariant`, async (t) => {
  const options = { runs: SHORT_RUN_INPUTS, seed: SHORT_RUN_SEED, limits: SHORT_LIMITS, shrink: 1, log: () => undefined };
  const report = await runFuzz(options);
  const printed = formatReport(report, options);
  t.diagnostic(printed.split('\n').slice(0, 6).join(' | '));
  assert.equal(report.inputs, SHORT_RUN_INPUTS);
  assert.deepEqual(
    report.failed.map((f) => `#${f.index} ${f.label}: ${f.outcome.failures.join('; ')}`),
    [],
    printed,
  );
});
