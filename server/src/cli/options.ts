// The command line as the CLI and each subcommand read it: `--name value` and `--name=value`, flags, positionals (a
// lone `-` among them), `--` ending the options, `-h`/`--help` anywhere; and the option values several commands take.
import type { CliIo } from './cli';

/** A command line the command cannot run: printed with a pointer to its --help, exit code 2. */
export class UsageError extends Error {}

export interface Option {
  /** `--format`, `-v`: the argument up to its `=`. */
  name: string;
  /**
   * The value after `=`, or the next argument. A following option is never a value: `--config --format json` is a
   * missing value, not a file named --format.
   */
  value(): string;
  /** An option that takes no value (`--yes=1` is refused). */
  flag(): true;
}

/**
 * Walks `argv`: positionals go to `positional`, each option to `onOption`, which returns false for one the command
 * does not know. Returns 'help' as soon as -h or --help is met.
 */
export function readOptions(argv: readonly string[], positional: string[], onOption: (option: Option) => boolean): 'help' | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const option: Option = {
      name,
      value: () => {
        if (eq > 0) return arg.slice(eq + 1);
        const next = argv[i + 1];
        if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`${name} needs a value.`);
        i++;
        return next;
      },
      flag: () => {
        if (eq > 0) throw new UsageError(`${name} takes no value.`);
        return true;
      },
    };
    if (!onOption(option)) throw new UsageError(`Unknown option ${name}.`);
  }
  return undefined;
}

/** The value of an option that names a file (`--config`, `--output`): not empty. */
export function fileName(flag: string, text: string): string {
  if (!text) throw new UsageError(`${flag} needs a file name.`);
  return text;
}

export function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}; got "${value}".`);
}

export function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${flag} takes a whole number from ${min} to ${max}; got "${text}".`);
  return n;
}

/** `--timeout MS` of a live check: the deadline of each handshake. */
export function timeoutOption(text: string): number {
  const ms = Number(text);
  if (!/^\d+$/.test(text) || ms < 1 || ms > 600_000) throw new UsageError(`--timeout takes milliseconds from 1 to 600000; got "${text}".`);
  return ms;
}

/**
 * A subcommand's arguments, or the exit code when there is nothing to run: 0 after printing `usage` for --help, 2
 * after saying what is wrong with the command line.
 */
export function subcommandArgs<A>(
  command: string,
  argv: readonly string[],
  parse: (argv: readonly string[]) => A | 'help',
  usage: string,
  io: CliIo,
): A | number {
  let args: A | 'help';
  try {
    args = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`apim-tls-lint ${command}: ${e.message}\nRun 'apim-tls-lint ${command} --help' for usage.\n`);
    return 2;
  }
  if (args === 'help') {
    io.stdout(usage);
    return 0;
  }
  return args;
}
