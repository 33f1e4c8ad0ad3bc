// Every tree-sitter parse runs under a time budget: both grammars are slow on some valid inputs (tree-sitter-bicep is
// quadratic in `${...}` runs and unclosed brackets, tree-sitter-hcl in long runs of quotes or `${`), and a linter must
// answer with one honest notice, not hang. A text whose parse ran out of time is remembered by the part the parser had
// read when it was stopped (and a little more, for the lexer's look-ahead): the time to get there depends on that part
// alone, so a later text that starts the same way (an edit storm after that point) is given up at once instead of
// spending the budget again. A change before that point is parsed again.
// The budget counts the process's CPU time, not the wall clock: on a busy machine (a CI runner, an editor building in
// the background) another process's work must not turn a file that parses in time into a notice, and a parse that
// truly runs away still stops after the same amount of its own work.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import TS = require('web-tree-sitter');

/** The finding code of a file given up because its parse ran out of time. */
export const PARSE_BUDGET_CODE = 'parse-budget-exceeded';

/**
 * CPU milliseconds a parse of `length` characters may take: a second, and half a millisecond for every thousand
 * characters. Both grammars read a 1 MB file of real configuration in about a third of a second and an 8,000-line Bicep
 * template in well under a tenth, so this leaves a wide margin on a slow machine; a file that takes longer is
 * pathological (runs of thousands of quotes or `${`), and the lint of any file stays within about two seconds.
 */
export function parseBudgetMs(length: number): number {
  return 1000 + Math.round(length / 2000);
}

/** Thrown by parses that ran out of time, where callers expect a tree. */
export class ParseBudgetError extends Error {
  constructor(readonly budgetMs: number) {
    super(`parsing took longer than its ${budgetMs} ms budget`);
  }
}

/** How many costly heads a parser remembers (each is a slice of a text that was parsed). */
const REMEMBERED = 8;
/** Characters past the stopping point kept in a head (the lexer reads ahead of the parser). */
const LOOK_AHEAD = 256;
/** Shorter heads are not remembered: a text that slow so early is rare, and a short head would match too much. */
const MIN_HEAD = 1024;
/**
 * Texts this short parse without a deadline: even the worst inputs known take a fraction of a second at this length,
 * and watching the clock costs a small file's parse almost half again (most files of a large workspace are small).
 */
const UNWATCHED = 4096;

/** Past the budget in wall-clock time, how often (in wall-clock milliseconds) a progress report reads the CPU clock. */
const LOOK_EVERY_MS = 10;

export interface BudgetedParse {
  (text: string, options: { budgetMs: number; oldTree?: TS.Tree | null; includedRanges?: TS.Range[] }): TS.Tree | null;
}

/** Wraps a parser so that each parse stops at its deadline (null) and costly heads are not parsed twice. */
export function budgeted(parser: TS.Parser): BudgetedParse {
  const costly: string[] = [];
  return (text, { budgetMs, oldTree, includedRanges }) => {
    // Partial parses (ranges) read only part of the text: a head says nothing about them.
    const whole = !includedRanges;
    if (whole && costly.some((head) => text.startsWith(head))) return null;
    let reached = 0;
    const watched = text.length > UNWATCHED;
    // The CPU clock adds up the time of every thread of the process, and reading it costs far more on a busy machine
    // than in a quiet loop (tens of microseconds, where a workspace makes hundreds of parses). The CPU time a parse has
    // used is never more than the wall-clock time since it began, so the CPU clock is read at the start of a watched
    // parse, then only once the wall clock has passed the budget, and then every few milliseconds (at every report past
    // that point: reports can come far apart, 200 ms each on a Bicep file nested 10,000 deep).
    const started = performance.now();
    const cpuAtStart = watched ? cpuMs() : 0;
    let looked = started;
    const tree = parser.parse(text, oldTree ?? null, {
      includedRanges,
      progressCallback: watched
        ? (state) => {
            reached = state.currentOffset;
            const now = performance.now();
            if (now - started < budgetMs || now - looked < LOOK_EVERY_MS) return false;
            looked = now;
            return cpuMs() - cpuAtStart > budgetMs;
          }
        : undefined,
    });
    if (tree) return tree;
    // A cancelled parse leaves the parser mid-way; reset so the next parse starts clean.
    parser.reset();
    // The offset is in bytes of the UTF-16 text the parser reads.
    const head = Math.min(text.length, Math.ceil(reached / 2) + LOOK_AHEAD);
    if (whole && head >= MIN_HEAD) {
      costly.unshift(text.slice(0, head));
      costly.length = Math.min(costly.length, REMEMBERED);
    }
    return null;
  };
}

/** CPU time this process has used, user and system, in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
