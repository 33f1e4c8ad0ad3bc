// Bundles the client, the language server and the CLI into dist/ and puts the wasm files beside them, so that
// the packaged extension and `node dist/cli.js` run with no node_modules.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
fs.mkdirSync(dist, { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  // jsonc-parser's UMD entry breaks when bundled (see shared notes); its ESM build works.
  mainFields: ['module', 'main'],
  // web-tree-sitter's ESM entry needs import.meta.url, which a CJS bundle lacks: use its CJS file.
  alias: { 'web-tree-sitter': path.join(root, 'node_modules/web-tree-sitter/tree-sitter.cjs') },
  logLevel: 'warning',
};

/**
 * dist/cli-main.js carries the help its SARIF output gives each rule, rendered here from the pages under docs/ by the same
 * code that renders them unbundled (server/src/cli/rule-help.ts), so the bundle needs no docs/ beside it and no
 * Markdown parser inside it.
 */
async function renderedDocHelp() {
  const out = await build({ ...common, entryPoints: [path.join(root, 'server/src/cli/rule-help.ts')], write: false, sourcemap: false });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, createRequire(import.meta.url));
  const docs = path.join(root, 'docs');
  const pages = [
    'suppression',
    ...fs
      .readdirSync(path.join(docs, 'rules'))
      .filter((n) => /^APIM\d+\.md$/.test(n))
      .map((n) => `rules/${n.slice(0, -3)}`),
  ];
  return Object.fromEntries(pages.sort().map((p) => [p, mod.exports.ruleHelp(p, fs.readFileSync(path.join(docs, `${p}.md`), 'utf8'))]));
}

const inlineDocHelp = {
  name: 'inline-doc-help',
  setup(b) {
    b.onLoad({ filter: /[\\/]server[\\/]src[\\/]cli[\\/]doc-help\.ts$/ }, async () => ({
      contents: `const HELP = ${JSON.stringify(await renderedDocHelp())};\nexport function docHelp(page) { return HELP[page]; }\n`,
      loader: 'js',
    }));
  },
};

/**
 * In dist/cli-main.js, the modules that need the X.509 library come from dist/certificate-reader.js, required where they are
 * first used (cli/certificates.ts, or the probe subcommand, which the CLI imports when it runs).
 */
const X509_MODULES = /[\\/]server[\\/]src[\\/]core[\\/](certificates[\\/]read|live[\\/]chain)$/;
const x509Apart = {
  name: 'x509-apart',
  setup(b) {
    b.onResolve({ filter: /(^|\/)(read|chain)$/ }, (args) =>
      X509_MODULES.test(path.resolve(args.resolveDir, args.path)) ? { path: './certificate-reader.js', external: true } : undefined,
    );
  },
};

await Promise.all([
  build({ ...common, entryPoints: [path.join(root, 'client/src/extension.ts')], outfile: path.join(dist, 'client.js'), external: ['vscode'] }),
  build({ ...common, entryPoints: [path.join(root, 'server/src/main.ts')], outfile: path.join(dist, 'server.js'), banner: { js: '#!/usr/bin/env node' } }),
  build({
    ...common,
    entryPoints: [path.join(root, 'server/src/cli/main.ts')],
    outfile: path.join(dist, 'cli-main.js'),
    plugins: [inlineDocHelp, x509Apart],
  }),
  // The executable itself is small: it loads cli-main.js through V8's code cache (server/src/cli/bin.ts).
  build({ ...common, entryPoints: [path.join(root, 'server/src/cli/bin.ts')], outfile: path.join(dist, 'cli.js'), banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: [path.join(root, 'server/src/cli/x509-modules.ts')], outfile: path.join(dist, 'certificate-reader.js') }),
]);

for (const [from, to] of [
  ['node_modules/web-tree-sitter/tree-sitter.wasm', 'tree-sitter.wasm'],
  ['node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm', 'tree-sitter-terraform.wasm'],
  ['node_modules/tree-sitter-bicep/tree-sitter-bicep.wasm', 'tree-sitter-bicep.wasm'],
]) {
  fs.copyFileSync(path.join(root, from), path.join(dist, to));
}
for (const f of ['server.js', 'cli.js']) fs.chmodSync(path.join(dist, f), 0o755);
