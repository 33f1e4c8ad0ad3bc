// The client commands: gather input (a file, a choice), send one server command, show the answer. The server
// reads the certificates, chooses, computes and applies the edit; nothing here parses a certificate.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import {
  EXTRACT_THUMBPRINT,
  PIN_BACKEND,
  PIN_BACKEND_FROM_CA_FILE,
  READ_CERTIFICATES,
  type CertificateChoice,
  type CertificateSummary,
  type ExtractThumbprintArgs,
  type PinBackendArgs,
  type PinBackendFromCaFileArgs,
  type PinBackendResult,
  type ReadCertificatesArgs,
  type ReadCertificatesResult,
} from '../../server/src/custom-messages';

const CERTIFICATE_FILTERS = { Certificates: ['cer', 'crt', 'pem', 'der', 'p7b'], 'All files': ['*'] };

export function registerCommands(getClient: () => LanguageClient | undefined): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(PIN_BACKEND_FROM_CA_FILE, (args?: PinBackendFromCaFileArgs) => pinBackendFromCaFile(getClient, args)),
    vscode.commands.registerCommand(EXTRACT_THUMBPRINT, (args?: ExtractThumbprintArgs | vscode.Uri) => extractThumbprint(getClient, args)),
  ];
}

/** Resolves to the server's answer (the tests read it), or undefined when the user cancelled or nothing could run. */
export async function pinBackendFromCaFile(
  getClient: () => LanguageClient | undefined,
  args: PinBackendFromCaFileArgs = {},
): Promise<PinBackendResult | undefined> {
  const client = running(getClient);
  if (!client) return undefined;
  const editor = vscode.window.activeTextEditor;
  const uri = args.uri ?? editor?.document.uri.toString();
  const position = args.position ?? (editor && { line: editor.selection.active.line, character: editor.selection.active.character });
  if (!uri || !position) {
    void vscode.window.showErrorMessage('Place the cursor in an API Management backend (Terraform, ARM template or Bicep) to pin it.');
    return undefined;
  }
  const certificatePath = args.certificatePath ?? (await pickCertificateFile('Pin Issuing CA'));
  if (!certificatePath) return undefined;
  // Linting runs in untrusted workspaces because it executes nothing; writing files there needs the user's consent.
  if (!vscode.workspace.isTrusted) {
    const go = await vscode.window.showWarningMessage('This workspace is not trusted. Write the pin into its files?', { modal: true }, 'Pin');
    if (go !== 'Pin') return undefined;
  }

  const pin = (certificateIndex?: number) =>
    executeServerCommand<PinBackendResult, PinBackendArgs>(client, PIN_BACKEND, { uri, position, certificatePath, certificateIndex });
  let result = await pin(args.certificateIndex);
  if ('choices' in result) {
    const picked = await vscode.window.showQuickPick(
      result.choices.map((c) => ({ label: c.subject, description: describe(c), detail: `SHA-1 ${c.sha1}`, choice: c })),
      {
        title: 'Which certificate should the backend trust?',
        placeHolder: 'The file holds several certificates; pick the CA that issues the backend certificate',
      },
    );
    if (!picked) return result;
    result = await pin(picked.choice.index);
  }
  if (!('thumbprint' in result)) {
    if ('error' in result) void vscode.window.showErrorMessage(result.error);
    return result;
  }
  if (!result.applied) {
    void vscode.window.showErrorMessage(result.error ?? 'The pin was not applied.');
    return result;
  }
  const what = result.kind === 'issuer' ? 'issuing CA' : 'certificate';
  if (result.placeholder) {
    // The backend's host is not known: select the name so the user types it over.
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(result.placeholder.uri));
    const { start, end } = result.placeholder.range;
    const selection = new vscode.Selection(start.line, start.character, end.line, end.character);
    await vscode.window.showTextDocument(doc, { selection });
    void vscode.window.showInformationMessage(
      `Pinned ${result.backend} to ${what} ${result.subject} (${result.thumbprint}). Type the backend's host name in the selected "name".`,
    );
  } else {
    void vscode.window.showInformationMessage(`Pinned ${result.backend} to ${what} ${result.subject} (${result.thumbprint}).`);
  }
  return result;
}

/** Resolves to the SHA-1 copied to the clipboard, or undefined. */
export async function extractThumbprint(getClient: () => LanguageClient | undefined, args?: ExtractThumbprintArgs | vscode.Uri): Promise<string | undefined> {
  const client = running(getClient);
  if (!client) return undefined;
  // A path argument (a test, a keybinding) or a file from the explorer skips the dialog.
  const given = args instanceof vscode.Uri ? args.fsPath : typeof args === 'string' ? args : args?.certificatePath;
  const index = typeof args === 'object' && !(args instanceof vscode.Uri) ? args.index : undefined;
  const certificatePath = given ?? (await pickCertificateFile('Extract Thumbprint'));
  if (!certificatePath) return undefined;
  const result = await executeServerCommand<ReadCertificatesResult, ReadCertificatesArgs>(client, READ_CERTIFICATES, { certificatePath });
  if ('error' in result) {
    void vscode.window.showErrorMessage(result.error);
    return undefined;
  }
  const certificates = result.certificates;
  let chosen: CertificateSummary | undefined;
  if (index !== undefined) {
    chosen = certificates[index];
    if (!chosen) {
      void vscode.window.showErrorMessage(`The file has ${certificates.length} certificate(s); there is no certificate ${index}.`);
      return undefined;
    }
  } else if (given && certificates.length === 1) {
    chosen = certificates[0];
  } else {
    const picked = await vscode.window.showQuickPick(
      certificates.map((c) => ({ label: c.subject, description: describe(c), detail: `SHA-1 ${c.sha1} · issued by ${c.issuer}`, certificate: c })),
      { title: 'Copy the SHA-1 thumbprint of which certificate?', matchOnDescription: true, matchOnDetail: true },
    );
    chosen = picked?.certificate;
  }
  if (!chosen) return undefined;
  await vscode.env.clipboard.writeText(chosen.sha1);
  void vscode.window.showInformationMessage(`Copied the SHA-1 thumbprint of ${chosen.subject}: ${chosen.sha1}`);
  return chosen.sha1;
}

function running(getClient: () => LanguageClient | undefined): LanguageClient | undefined {
  const client = getClient();
  if (!client?.isRunning()) {
    void vscode.window.showErrorMessage('The APIM TLS Lint language server is not running (see the apimTls.enable setting).');
    return undefined;
  }
  return client;
}

async function pickCertificateFile(openLabel: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    canSelectFiles: true,
    canSelectFolders: false,
    filters: CERTIFICATE_FILTERS,
    openLabel,
    title: 'Certificate file (PEM, DER, .cer, .crt, .p7b or a PEM bundle)',
  });
  return picked?.[0]?.fsPath;
}

function executeServerCommand<R, A>(client: LanguageClient, command: string, arg: A): Promise<R> {
  return client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [arg] }) as Promise<R>;
}

/** `CA · expires 2026-05-01` (or `expired`), for quick pick descriptions. */
function describe(c: CertificateChoice | CertificateSummary): string {
  const expired = Date.parse(c.notAfter) < Date.now();
  return `${c.isCa ? 'CA' : 'leaf'} · ${expired ? 'expired' : 'expires'} ${c.notAfter.slice(0, 10)}`;
}
