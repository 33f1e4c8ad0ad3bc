// The one place that pins the VS Code the editor tests run on: the minimum that package.json's engines.vscode
// accepts, so the suite proves the extension works on the oldest VS Code it claims to support. Both runners read
// it: run-editor-tests.mjs through code-server (whose release bundles exactly this VS Code) and run-electron.mjs
// through desktop VS Code.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Desktop VS Code for @vscode/test-electron, and the VS Code that CODE_SERVER_VERSION bundles. */
export const VSCODE_VERSION = '1.100.3';
/** code-server 4.X.Y bundles VS Code 1.X.Y; 4.100.3 is also the last release whose engines.node accepts Node 20. */
export const CODE_SERVER_VERSION = '4.100.3';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Throws unless the pins agree with each other and with engines.vscode (`^1.100.0` → 1.100.x), so raising the
 * minimum in package.json without moving the pin fails loudly instead of testing a VS Code nobody asked for.
 */
export function checkVersionPins() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const engine = pkg.engines && pkg.engines.vscode;
  const m = /^\^?(\d+)\.(\d+)\.\d+$/.exec(engine || '');
  if (!m) throw new Error(`package.json engines.vscode is "${engine}", not ^MAJOR.MINOR.PATCH`);
  const [major, minor] = VSCODE_VERSION.split('.');
  if (m[1] !== major || m[2] !== minor) {
    throw new Error(
      `the editor tests pin VS Code ${VSCODE_VERSION}, but engines.vscode ${engine} has the minimum ${m[1]}.${m[2]}: move the pin in test/editor/vscode-version.mjs`,
    );
  }
  if (CODE_SERVER_VERSION.replace(/^4\./, '1.') !== VSCODE_VERSION) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} does not bundle VS Code ${VSCODE_VERSION}`);
  }
}

/**
 * The VS Code version that the code-server whose entry point is `file` bundles (its lib/vscode/package.json,
 * found in a folder above the entry point), or undefined if there is none.
 */
export function bundledVsCodeVersion(file) {
  for (let dir = path.dirname(file), i = 0; i < 5; dir = path.dirname(dir), i++) {
    const manifest = path.join(dir, 'lib', 'vscode', 'package.json');
    if (fs.existsSync(manifest)) return JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
  }
  return undefined;
}
