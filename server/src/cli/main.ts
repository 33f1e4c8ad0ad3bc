// The `apim-tls-lint` executable: wires runCli to the process. Setting exitCode (not calling exit) lets a long
// report finish flushing to a pipe.
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import { setWasmReader } from '../core/parse/terraform-parser';
import { runCli } from './cli';

// A run of the CLI is short: V8's optimizing tier for WebAssembly compiles the grammars in the background and makes the
// process wait for it at exit (some 60 ms), and never pays that back in one run. Its baseline compiler is enough.
v8.setFlagsFromString('--liftoff-only');
setWasmReader((file) => fs.readFileSync(file));

// A reader that stops early (`| head`) closes the pipe; that is not an error worth a stack trace, and the exit code
// must still say whether there were findings.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`apim-tls-lint: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
