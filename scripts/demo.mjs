#!/usr/bin/env node
// `npm run demo`: the packaged extension in VS Code in a browser, for someone without VS Code. Packages the .vsix when
// it is missing or older than its sources, installs it into a throwaway code-server, opens a copy of examples/ and
// prints the URL. Runs until Ctrl+C, then stops code-server and removes the throwaway folder.
// Environment: PORT (default: a free port), CODE_SERVER (use this binary instead of installing).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CodeServerSession, QUIET_SETTINGS, ensureCodeServer, root } from '../test/editor/code-server.mjs';

const vsix = path.join(root, 'apim-tls-lint.vsix');
// Everything that goes into the .vsix.
const SOURCES = [
  'client/src',
  'server/src',
  'scripts/build.mjs',
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  '.vscodeignore',
  'syntaxes',
  'schemas',
  'images',
  'language-configuration.json',
];

try {
  if (!fs.existsSync(vsix) || newestMtime(SOURCES) > fs.statSync(vsix).mtimeMs) {
    console.log('[demo] packaging apim-tls-lint.vsix (npm run package)');
    const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('npm run package failed');
  }
  ensureCodeServer('demo');
} catch (e) {
  console.error(`[demo] ${e instanceof Error ? e.message : e}`);
  process.exit(1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apim-demo-'));
const workspace = path.join(tmp, 'examples');
fs.cpSync(path.join(root, 'examples'), workspace, { recursive: true });
const session = new CodeServerSession(tmp, { settings: QUIET_SETTINGS });
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n[demo] stopping code-server');
    await session.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
    process.exit(0);
  });
}
try {
  session.installExtension(vsix, 'apim-tls-lint.apim-tls-lint-');
  await session.start(Number(process.env.PORT) || undefined);
} catch (e) {
  console.error(`[demo] ${e instanceof Error ? e.message : e}`);
  await session.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
}
console.log(`\napim-tls-lint in VS Code, with a copy of examples/ open:\n\n  ${session.url(workspace)}\n`);
console.log('Open backends.tf and the Problems panel (Ctrl+Shift+M); Ctrl+. on a finding offers its fixes. Ctrl+C stops the demo.');
session.server.once('exit', (code) => {
  if (stopping) return;
  console.error(`[demo] code-server exited with ${code}\n${session.output.trim().split('\n').slice(-20).join('\n')}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
});

function newestMtime(entries) {
  let newest = 0;
  const visit = (p) => {
    if (!fs.existsSync(p)) return;
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) visit(path.join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  };
  for (const e of entries) visit(path.join(root, e));
  return newest;
}
