// Inventories of several workspaces (the CLI reads each configuration's files in a workspace of its own) as one.
import { emptyTally } from './inventory';
import type { Inventory, Tally } from './types';

export function mergeInventories(parts: readonly Inventory[]): Inventory {
  if (parts.length === 1) return parts[0];
  const totals = parts.reduce((sum, p) => addTally(sum, p.totals), emptyTally());
  return { backends: parts.flatMap((p) => p.backends), services: parts.flatMap((p) => p.services), totals };
}

function addTally(sum: Tally, t: Tally): Tally {
  sum.backends += t.backends;
  sum.pinned += t.pinned;
  for (const [state, n] of Object.entries(t.byState) as Array<[keyof Tally['byState'], number]>) sum.byState[state] += n;
  t.byStage.forEach((n, i) => (sum.byStage[i] += n));
  return sum;
}
