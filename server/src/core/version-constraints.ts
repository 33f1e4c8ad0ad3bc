// Version constraints as Terraform writes them (`~> 2.0`, `>= 1.5, < 2.0`, `2.1.0`) and what releases they admit,
// read with semver (npm's own range implementation) once converted: for the azapi body form of the pin edit, for the
// azapi release an api-version needs (APIM018), and for the release of a registry module (its defaults changed).
import type * as Semver from 'semver';

/** The semver range a Terraform constraint stands for; undefined when it cannot be read. */
export function semverRange(constraint: string): string | undefined {
  const parts: string[] = [];
  for (const raw of constraint.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^(~>|>=|<=|!=|=|>|<)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?$/.exec(part);
    if (!m) return undefined;
    const [, op = '=', a, b, c, pre = ''] = m;
    const version = `${a}.${b ?? 0}.${c ?? 0}${pre}`;
    if (op === '!=') continue;
    if (op === '~>') {
      // Pessimistic: only the rightmost written component may grow.
      if (b === undefined) parts.push(`>=${version}`);
      else if (c === undefined) parts.push(`>=${version} <${Number(a) + 1}.0.0-0`);
      else parts.push(`>=${version} <${a}.${Number(b) + 1}.0-0`);
    } else parts.push(`${op}${version}`);
  }
  const range = parts.join(' ') || '*';
  return loadSemver().validRange(range) === null ? undefined : range;
}

/**
 * Whether every one of `constraints` (Terraform's, all applying at once: a module's and its caller's) admits together
 * some release matching `range` (a semver range such as `>=2.0.0` or `<2.8.0`). A constraint that cannot be read is
 * taken to admit anything.
 */
export function admitsSome(constraints: readonly string[], range: string): boolean {
  const ranges = constraints.map(semverRange).filter((r): r is string => r !== undefined);
  const semver = loadSemver();
  const all = ranges.join(' ') || '*';
  return semver.validRange(all) === null || semver.intersects(all, range, { includePrerelease: true });
}

/** Whether `version` (exact, `0.9.0`) is below `bound`; undefined when it is no version semver can read. */
export function isBelow(version: string, bound: string): boolean | undefined {
  const semver = loadSemver();
  const v = semver.coerce(version, { includePrerelease: true });
  return v ? semver.lt(v, bound) : undefined;
}

let semverModule: typeof Semver | undefined;

/** semver, loaded when a constraint is first read: its start-up (dozens of regular expressions) is not every run's. */
function loadSemver(): typeof Semver {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (semverModule ??= require('semver') as typeof Semver);
}
