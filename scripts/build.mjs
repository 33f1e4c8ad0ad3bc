// Bundles the client, the language server and the CLI into dist/ and puts the wasm files beside them, so that
// the packaged extension and `node dist/cli.js` run with no node_modules.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
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
 * dist/cli.js carries the documentation pages its SARIF output uses as rule help (server/src/cli/rule-docs.ts reads
 * them from the checkout when unbundled), so the bundle runs with no docs/ beside it.
 */
const inlineDocPages = {
  name: 'inline-doc-pages',
  setup(b) {
    b.onLoad({ filter: /[\\/]server[\\/]src[\\/]cli[\\/]rule-docs\.ts$/ }, () => {
      const docs = path.join(root, 'docs');
      const pages = {};
      for (const name of fs.readdirSync(path.join(docs, 'rules')).sort()) {
        if (/^APIM\d+\.md$/.test(name)) pages[`rules/${name.slice(0, -3)}`] = fs.readFileSync(path.join(docs, 'rules', name), 'utf8');
      }
      pages.suppression = fs.readFileSync(path.join(docs, 'suppression.md'), 'utf8');
      return {
        contents: `export const DOC_PAGES = ${JSON.stringify(pages)};`,
        loader: 'ts',
        watchFiles: Object.keys(pages).map((p) => path.join(docs, `${p}.md`)),
      };
    });
  },
};

await Promise.all([
  build({ ...common, entryPoints: [path.join(root, 'client/src/extension.ts')], outfile: path.join(dist, 'client.js'), external: ['vscode'] }),
  build({ ...common, entryPoints: [path.join(root, 'server/src/main.ts')], outfile: path.join(dist, 'server.js'), banner: { js: '#!/usr/bin/env node' } }),
  build({
    ...common,
    entryPoints: [path.join(root, 'server/src/cli/main.ts')],
    outfile: path.join(dist, 'cli.js'),
    banner: { js: '#!/usr/bin/env node' },
    plugins: [inlineDocPages],
  }),
]);

for (const [from, to] of [
  ['node_modules/web-tree-sitter/tree-sitter.wasm', 'tree-sitter.wasm'],
  ['node_modules/@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm', 'tree-sitter-terraform.wasm'],
  ['node_modules/tree-sitter-bicep/tree-sitter-bicep.wasm', 'tree-sitter-bicep.wasm'],
]) {
  fs.copyFileSync(path.join(root, from), path.join(dist, to));
}
for (const f of ['server.js', 'cli.js']) fs.chmodSync(path.join(dist, f), 0o755);
