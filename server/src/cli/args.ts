// Command-line arguments: `apim-tls-lint [paths...] [--format text|json|sarif] [--config FILE]
// [--fail-on error|warning|info|never] [--fix|--fix-dry-run]`, `apim-tls-lint thumbprint FILE`, the subcommands that
// parse their own (probe, pin, inventory), plus --help and --version. Pure: no I/O, so every usage error is testable.

import { fileName, oneOf, readOptions, UsageError } from './options';
export type Format = 'text' | 'json' | 'sarif';
export type FailOn = 'error' | 'warning' | 'info' | 'never';

export interface CliOptions {
  paths: string[];
  format: Format;
  config?: string;
  failOn: FailOn;
  /** `--fix` writes the fixes, `--fix-dry-run` prints them as a diff. */
  fix?: 'write' | 'dry-run';
}

export type ParsedArgs =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'run'; options: CliOptions }
  | { kind: 'thumbprint'; file: string }
  | { kind: 'subcommand'; name: Subcommand; argv: string[] };

/** Subcommands that parse their own arguments, each in its own file (cli.ts maps the name to its runner). */
export const SUBCOMMANDS = ['probe', 'pin', 'inventory'] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

export const USAGE = `Usage: apim-tls-lint [paths...] [options]
       apim-tls-lint thumbprint FILE
       apim-tls-lint probe URL|HOST[:PORT] | --backend FILE:LINE|ADDRESS [paths...]   (see probe --help)
       apim-tls-lint pin FILE:LINE|ADDRESS... --ca FILE [--index N] [--yes] [--dry-run]   (see pin --help)
       apim-tls-lint pin --all-unpinned --host PATTERN --ca FILE [paths...]
       apim-tls-lint inventory [paths...] [--format text|markdown|csv|json|html] [--probe] [--output FILE]   (see inventory --help)

Lints Terraform (.tf, .tofu, .tfvars), ARM templates (.json with a deploymentTemplate $schema, and their
parameters files) and Bicep (.bicep, .bicepparam) for Azure API Management backend TLS trust problems.
Paths are files or directories (searched recursively); the default is the current directory. Other JSON
files met in a directory are skipped with a note.

Options:
  --format text|json|sarif             output format (default: text)
  --config FILE                        use FILE instead of the nearest .apim-tls-lint.json
  --fail-on error|warning|info|never   lowest severity that makes the exit code 1 (default: warning)
  --fix                                apply every preferred fix that needs no input, then report what remains
  --fix-dry-run                        print those fixes as a unified diff and write nothing
  -h, --help                           show this help
  -v, --version                        show the version

thumbprint FILE prints one line per certificate in FILE (PEM, DER, PEM bundle or PKCS#7):
  SHA1  subject  CA|leaf  notAfter
with the SHA-1 as APIM wants it (40 uppercase hex digits); a file it refuses (a private key, PFX, CSR, CRL,
no certificate) exits 2 with the reason. To lint a folder named thumbprint, write ./thumbprint.

probe connects to a backend and says whether APIM will trust it; it is the only command that opens a network
connection (linting never does). To lint a folder named probe, write ./probe.

pin writes the same pin edit as the editor's "Pin issuing CA from certificate file…", from the shell. To lint
a folder named pin, write ./pin.

inventory lists every backend with its trust state and migration stage, as a table, Markdown, CSV, JSON or one
HTML file. To lint a folder named inventory, write ./inventory.

--fix rewrites files only where every fixed file still parses; suppressions and the pin (which needs a
certificate file) are never applied. With --fix-dry-run stdout is the diff (patch -p1 applies it), and the exit
code is what --fix would leave.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage, configuration or I/O error.
`;

const FORMATS: readonly Format[] = ['text', 'json', 'sarif'];
const FAIL_ON: readonly FailOn[] = ['error', 'warning', 'info', 'never'];

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (argv[0] === 'thumbprint') return parseThumbprint(argv.slice(1));
  const subcommand = SUBCOMMANDS.find((name) => name === argv[0]);
  if (subcommand) return { kind: 'subcommand', name: subcommand, argv: argv.slice(1) };
  const options: CliOptions = { paths: [], format: 'text', failOn: 'warning' };
  let wantsVersion = false;
  const help = readOptions(argv, options.paths, (option) => {
    switch (option.name) {
      case '-v':
      case '--version':
        return (wantsVersion = option.flag());
      case '--format':
        options.format = oneOf('--format', option.value(), FORMATS);
        return true;
      case '--fail-on':
        options.failOn = oneOf('--fail-on', option.value(), FAIL_ON);
        return true;
      case '--fix':
      case '--fix-dry-run': {
        option.flag();
        const mode = option.name === '--fix' ? 'write' : 'dry-run';
        if (options.fix && options.fix !== mode) throw new UsageError('--fix and --fix-dry-run exclude each other.');
        options.fix = mode;
        return true;
      }
      case '--config':
        options.config = fileName('--config', option.value());
        return true;
      default:
        return false;
    }
  });
  if (help) return { kind: 'help' };
  if (wantsVersion) return { kind: 'version' };
  if (options.fix === 'dry-run' && options.format !== 'text') throw new UsageError('--fix-dry-run prints a diff; --format does not apply to it.');
  if (options.paths.length === 0) options.paths.push('.');
  return { kind: 'run', options };
}

function parseThumbprint(argv: readonly string[]): ParsedArgs {
  if (argv.some((a) => a === '-h' || a === '--help')) return { kind: 'help' };
  const files = argv[0] === '--' ? argv.slice(1) : argv;
  const option = files.find((a) => a.startsWith('-') && a !== '-' && argv[0] !== '--');
  if (option) throw new UsageError(`Unknown option ${option} for thumbprint.`);
  if (files.length !== 1) throw new UsageError(files.length ? 'thumbprint takes one certificate file.' : 'thumbprint needs a certificate file.');
  return { kind: 'thumbprint', file: files[0] };
}
