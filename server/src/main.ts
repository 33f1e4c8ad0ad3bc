// Entry point of the language server: `apim-tls-lint-server --stdio` (or node IPC when VS Code starts it).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { packageVersion } from './package-info';
import { startServer } from './server';

if (process.argv.includes('--version')) {
  process.stdout.write(`apim-tls-lint-server ${packageVersion()}\n`);
  process.exit(0);
}
if (!process.argv.some((a) => /^--(stdio|node-ipc|socket|pipe)/.test(a))) {
  process.stderr.write('usage: apim-tls-lint-server --stdio   (an LSP server; also --node-ipc, --socket=PORT, --pipe=NAME)\n');
  process.exit(2);
}
startServer(createConnection(ProposedFeatures.all), { wasmDir: __dirname, version: packageVersion() });
