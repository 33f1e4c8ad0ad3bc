#!/usr/bin/env node
// `npm run demo` as a person runs it: it prints a localhost URL, that URL serves the VS Code workbench with the
// extension installed, and Ctrl+C (SIGINT) stops code-server and removes the throwaway folder.
// Exit code: 0 passed, 1 failed.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { root } from '../editor/code-server.mjs';

const TIMEOUT_MS = 120000;

async function main() {
  const demo = spawn('npm', ['run', '--silent', 'demo'], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '' } });
  let output = '';
  for (const s of [demo.stdout, demo.stderr]) s.on('data', (b) => (output += b));
  const exited = new Promise((resolve) => demo.once('exit', (code, signal) => resolve({ code, signal })));
  const fail = (message) => {
    try {
      process.kill(-demo.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
    console.log(
      `  ✘ ${message}\n${output
        .trim()
        .split('\n')
        .map((l) => `    ${l}`)
        .join('\n')}\n0 passed, 1 failed`,
    );
    return 1;
  };

  const deadline = Date.now() + TIMEOUT_MS;
  let url;
  while (!(url = /http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/.exec(output)?.[0])) {
    if (demo.exitCode !== null) return fail(`npm run demo exited with ${demo.exitCode} before printing a URL`);
    if (Date.now() > deadline) return fail(`npm run demo printed no URL within ${TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const folder = decodeURIComponent(new URL(url).searchParams.get('folder'));
  const page = await fetch(url);
  const html = await page.text();
  if (page.status !== 200 || !/vs\/code\/browser\/workbench\/workbench/.test(html)) return fail(`${url} answered ${page.status} without the workbench`);
  const extensions = path.join(path.dirname(folder), 'extensions');
  const installed = fs.existsSync(extensions) ? fs.readdirSync(extensions).filter((d) => d.startsWith('apim-tls-lint.apim-tls-lint-')) : [];
  if (installed.length !== 1) return fail(`the demo's code-server has no apim-tls-lint extension in ${extensions}`);
  if (!fs.existsSync(path.join(folder, 'backends.tf'))) return fail(`the demo's workspace ${folder} lacks backends.tf`);

  // npm passes Ctrl+C to the whole process group, as a terminal does.
  process.kill(-demo.pid, 'SIGINT');
  const timer = setTimeout(() => process.kill(-demo.pid, 'SIGKILL'), 15000);
  const end = await exited;
  clearTimeout(timer);
  if (end.code !== 0 && end.signal !== 'SIGINT') return fail(`after Ctrl+C the demo ended with ${end.code ?? end.signal}`);
  if (fs.existsSync(path.dirname(folder))) return fail(`after Ctrl+C the demo left ${path.dirname(folder)} behind`);
  console.log(`  ✔ npm run demo serves the workbench with the extension at ${new URL(url).origin} and cleans up on Ctrl+C`);
  console.log('1 passed, 0 failed');
  return 0;
}

process.exit(await main());
