// The documentation pages SARIF carries as rule help: docs/rules/<id>.md and the pages of the linter's own findings
// (docs/suppression.md). scripts/build.mjs replaces this module in dist/cli.js with the pages' text, so the bundle
// needs no docs/ beside it; unbundled (the compiled tests) the pages are read from the checkout.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Page text by path below docs/ without `.md`: `rules/APIM001`, `suppression`. */
export const DOC_PAGES: Readonly<Record<string, string>> = readPages();

function readPages(): Record<string, string> {
  const docs = docsFolder();
  if (!docs) return {};
  const pages: Record<string, string> = {};
  for (const name of fs.readdirSync(path.join(docs, 'rules'))) {
    if (/^APIM\d+\.md$/.test(name)) pages[`rules/${name.slice(0, -3)}`] = fs.readFileSync(path.join(docs, 'rules', name), 'utf8');
  }
  pages.suppression = fs.readFileSync(path.join(docs, 'suppression.md'), 'utf8');
  return pages;
}

function docsFolder(): string | undefined {
  for (let d = __dirname; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'docs', 'rules'))) return path.join(d, 'docs');
    if (path.dirname(d) === d) return undefined;
  }
}
