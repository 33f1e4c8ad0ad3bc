// The `apim-tls-lint` executable (dist/cli.js): loads the CLI bundle (dist/cli-main.js) through V8's code cache, so
// that a run after the first does not compile a megabyte of JavaScript again — a pre-commit hook or a pipeline step
// that lints a large workspace pays that at every start otherwise. Node 22 has this built in
// (`module.enableCompileCache`); Node 20 has only the V8 API underneath it, `vm.Script`'s cached data, used here.
// Anything wrong with the cache (missing, another Node, a changed bundle, an unwritable folder) only costs the compile.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { userCacheDir } from './user-cache-dir';

// A run of the CLI is short: V8's optimizing tier for WebAssembly compiles the grammars in the background and makes the
// process wait for it at exit (some 60 ms), and never pays that back in one run. Its baseline compiler is enough. Set
// before the bundle is compiled: V8 rejects cached code made under other flags.
v8.setFlagsFromString('--liftoff-only');

const bundle = path.join(__dirname, 'cli-main.js');
const source = fs.readFileSync(bundle, 'utf8');
const install = installOf(bundle);
const cacheFile = cacheFileFor(bundle, install);
const cached = cacheFile === undefined ? undefined : readOwnFile(cacheFile);
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData: cached });
if (cacheFile !== undefined && (cached === undefined || script.cachedDataRejected)) {
  // Made at exit, the cache holds the functions this run compiled too, not only the top level.
  process.once('exit', () => writeAtomically(cacheFile, install, script.createCachedData()));
}
const loaded = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(loaded.exports, createRequire(bundle), loaded, bundle, __dirname);

/**
 * One file per bundle and V8 in a folder of the user's own below the temporary folder; undefined when caching is off
 * (`NODE_DISABLE_COMPILE_CACHE`, as Node's own cache) or the folder cannot be made the user's alone.
 */
function cacheFileFor(file: string, install: string): string | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const dir = userCacheDir('apim-tls-lint-compile-cache');
  if (dir === undefined) return undefined;
  try {
    const stat = fs.statSync(file);
    const key = `${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.versions.v8}-${process.arch}`.replace(/[^\w.-]/g, '_');
    return path.join(dir, `${install}-${key}.bin`);
  } catch {
    return undefined;
  }
}

/** A short name for where the bundle is installed, so that two installs keep a cache each. */
function installOf(file: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < file.length; i++) hash = Math.imul(hash ^ file.charCodeAt(i), 0x01000193);
  return `cli-main-${(hash >>> 0).toString(16)}`;
}

function readOwnFile(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Written beside and renamed, so that a run starting meanwhile reads the whole cache or none; the caches of this
 * install's earlier bundles (a rebuild, an upgrade) are removed, so the folder holds one per install.
 */
function writeAtomically(file: string, install: string, data: Buffer): void {
  const partial = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(partial, data, { mode: 0o600 });
    fs.renameSync(partial, file);
    const dir = path.dirname(file);
    for (const name of fs.readdirSync(dir)) {
      if (name.startsWith(`${install}-`) && name !== path.basename(file) && name.endsWith('.bin')) fs.rmSync(path.join(dir, name), { force: true });
    }
  } catch {
    fs.rmSync(partial, { force: true });
  }
}
