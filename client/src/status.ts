// The language status item next to the language mode: whether the server runs and how many findings it reported.
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';

const SELECTOR: vscode.DocumentSelector = [
  { language: 'terraform' },
  { pattern: '**/*.tfvars' },
  { pattern: '**/*.tofu' },
  { language: 'bicep' },
  { pattern: '**/*.bicepparam' },
  { pattern: '**/.apim-tls-lint.json' },
];

export class ServerStatus implements vscode.Disposable {
  private readonly item = vscode.languages.createLanguageStatusItem('apimTls.status', SELECTOR);
  private readonly listeners: vscode.Disposable[] = [];
  private client: LanguageClient | undefined;

  constructor() {
    this.item.name = 'APIM TLS Lint';
    this.item.command = { title: 'Show Output', command: 'apimTls.showOutput' };
    this.listeners.push(vscode.languages.onDidChangeDiagnostics(() => this.update()));
    this.update();
  }

  /** Follows a new client (after a start or restart), or none when the server is stopped. */
  attach(client: LanguageClient | undefined): void {
    for (const d of this.listeners.splice(1)) void d.dispose();
    this.client = client;
    if (client) this.listeners.push(client.onDidChangeState(() => this.update()));
    this.update();
  }

  dispose(): void {
    for (const d of this.listeners) void d.dispose();
    this.item.dispose();
  }

  private update(): void {
    const client = this.client;
    this.item.severity = vscode.LanguageStatusSeverity.Information;
    this.item.busy = false;
    if (!client) {
      this.item.text = 'APIM TLS: off';
      this.item.detail = 'The language server is not running';
    } else if (client.state === State.Starting) {
      this.item.text = 'APIM TLS';
      this.item.detail = 'Starting the language server';
      this.item.busy = true;
    } else if (client.state === State.Stopped) {
      this.item.text = 'APIM TLS: stopped';
      this.item.detail = 'The language server stopped; see the output';
      this.item.severity = vscode.LanguageStatusSeverity.Error;
    } else {
      let findings = 0;
      client.diagnostics?.forEach((_uri, diagnostics) => (findings += diagnostics.length));
      this.item.text = `APIM TLS: ${findings} ${findings === 1 ? 'finding' : 'findings'}`;
      this.item.detail = 'In the files the server has linted';
    }
  }
}
