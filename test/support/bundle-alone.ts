// The bundles copied where nothing of the repository is near them: package.json (for the version) and dist/, no
// docs/, no node_modules up the tree. What runs there needs nothing the build did not put into dist/.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './parser';

/** Copies package.json and the dist/ bundles and wasm files into `dir`; returns the path of the copied cli.js. */
export function bundleAlone(dir: string): string {
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, 'package.json'), path.join(dir, 'package.json'));
  for (const name of fs.readdirSync(path.join(REPO_ROOT, 'dist'))) {
    if (/\.(js|wasm)$/.test(name)) fs.copyFileSync(path.join(REPO_ROOT, 'dist', name), path.join(dir, 'dist', name));
  }
  return path.join(dir, 'dist', 'cli.js');
}
