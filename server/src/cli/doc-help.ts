// The help SARIF carries for a rule: its page under docs/ (docs/rules/<id>.md, docs/suppression.md) rendered by
// rule-help.ts. scripts/build.mjs replaces this module in dist/cli.js with the rendered help of every page, so the
// bundle needs no docs/ beside it and no Markdown parser inside it; unbundled (the compiled tests) the pages are read
// from the checkout and rendered here.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleHelp, type RuleHelp } from './rule-help';

const rendered = new Map<string, RuleHelp | undefined>();

/** The help of a page named by its path below docs/ without `.md` (`rules/APIM001`, `suppression`). */
export function docHelp(page: string): RuleHelp | undefined {
  if (!rendered.has(page)) {
    const file = docsFolder() && path.join(docsFolder()!, `${page}.md`);
    rendered.set(page, file && fs.existsSync(file) ? ruleHelp(page, fs.readFileSync(file, 'utf8')) : undefined);
  }
  return rendered.get(page);
}

function docsFolder(): string | undefined {
  for (let d = __dirname; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'docs', 'rules'))) return path.join(d, 'docs');
    if (path.dirname(d) === d) return undefined;
  }
}
