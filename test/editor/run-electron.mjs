#!/usr/bin/env node
// Runs the editor tests (test/editor/suite) in desktop VS Code through @vscode/test-electron: the route for developer
// machines and GitHub Actions, where VS Code can be downloaded. It runs the same suite as run-editor-tests.mjs, on
// the same pinned VS Code (test/editor/vscode-version.mjs), against a throwaway copy of test/editor/workspace.
// It does not build: run `npm run build` first. On Linux without a display, wrap it: `xvfb-run -a npm run test:electron`.
//
// Environment: VSCODE_EXECUTABLE (use this VS Code instead of downloading the pinned one into .vscode-test/),
// VSCODE_VERSION (test another version, e.g. `stable`, as rust-analyzer does beside the minimum),
// EDITOR_TEST_GREP (a mocha grep), KEEP_TMP=1 (keep the temporary folder).
// Exit code: 0 all passed, 1 a test failed, 2 VS Code could not be downloaded or started.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { QUIET_SETTINGS } from './code-server.mjs';
import { VSCODE_VERSION, checkVersionPins } from './vscode-version.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

async function main() {
  checkVersionPins();
  for (const file of ['dist/client.js', 'dist/server.js']) {
    if (!fs.existsSync(path.join(root, file))) {
      console.error(`[electron] ${file} is missing: run \`npm run build\` first`);
      return 2;
    }
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-electron-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(path.join(here, 'workspace'), workspace, { recursive: true });
  const userData = path.join(tmp, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  // The same quiet settings as the code-server run: no welcome page, no trust prompt, no background git.
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(QUIET_SETTINGS, null, 2));

  const version = process.env.VSCODE_VERSION || VSCODE_VERSION;
  let code;
  try {
    code = await runTests({
      version,
      vscodeExecutablePath: process.env.VSCODE_EXECUTABLE || undefined,
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(here, 'suite', 'index.js'),
      extensionTestsEnv: process.env.EDITOR_TEST_GREP ? { EDITOR_TEST_GREP: process.env.EDITOR_TEST_GREP } : undefined,
      launchArgs: [
        workspace,
        '--user-data-dir',
        userData,
        '--extensions-dir',
        path.join(tmp, 'extensions'),
        // Only this extension: a developer's own extensions must not change what the suite sees.
        '--disable-extensions',
      ],
    });
  } catch (e) {
    // runTests rejects both when VS Code cannot be had and when the suite fails; the suite's failure was printed.
    const message = e instanceof Error ? e.message : String(e);
    console.error(`[electron] ${message}`);
    code = /^Test run failed/.test(message) ? 1 : 2;
  }
  if (process.env.KEEP_TMP === '1') console.log(`[electron] kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`[electron] VS Code ${version}: exit code ${code}`);
  return code;
}

process.exit(await main());
