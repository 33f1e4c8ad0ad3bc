// The client commands: gather input (a file, a choice), send one server command, show the answer. The server
// reads the certificates, chooses, computes and applies the edit; nothing here parses a certificate.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import { ask } from './ask';
import {
  EXPLAIN_RULE,
  EXTRACT_THUMBPRINT,
  PIN_BACKEND,
  PIN_BACKEND_FROM_CA_FILE,
  PIN_BACKEND_FROM_LIVE,
  READ_CERTIFICATES,
  type CertificateChoice,
  type CommandPosition,
  type CertificateSummary,
  type ExplainRuleArgs,
  type ExtractThumbprintArgs,
  type PinAnswers,
  type PinBackendArgs,
  type PinBackendFromCaFileArgs,
  type PinBackendFromLiveArgs,
  type PinBackendResult,
  type PinChoices,
  type PinConfirmation,
  type PinConfirmOption,
  type PinInstances,
  type ReadCertificatesArgs,
  type ReadCertificatesResult,
} from '../../server/src/custom-messages';

const CERTIFICATE_FILTERS = { Certificates: ['cer', 'crt', 'pem', 'der', 'p7b'], 'All files': ['*'] };

export function registerCommands(getClient: () => LanguageClient | undefined, extensionUri: vscode.Uri): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(PIN_BACKEND_FROM_CA_FILE, (args?: PinBackendFromCaFileArgs) => pinBackendFromCaFile(getClient, args)),
    vscode.commands.registerCommand(PIN_BACKEND_FROM_LIVE, (args?: PinBackendFromLiveArgs) => pinBackendFromLive(getClient, args)),
    vscode.commands.registerCommand(EXTRACT_THUMBPRINT, (args?: ExtractThumbprintArgs | vscode.Uri) => extractThumbprint(getClient, args)),
    vscode.commands.registerCommand(EXPLAIN_RULE, (args?: ExplainRuleArgs | string) => explainRule(extensionUri, args)),
  ];
}

/**
 * Resolves to the server's last answer (the tests read it): the pin applied, an error, or the question the user
 * dismissed (nothing was written then); undefined when the user cancelled before anything was sent.
 */
export async function pinBackendFromCaFile(
  getClient: () => LanguageClient | undefined,
  args: PinBackendFromCaFileArgs = {},
): Promise<PinBackendResult | undefined> {
  const client = running(getClient);
  if (!client) return undefined;
  const at = targetOf(args, 'Place the cursor in an API Management backend (Terraform, ARM template or Bicep) to pin it.');
  if (!at) return undefined;
  const certificatePath = args.certificatePath ?? (await pickCertificateFile('Pin Issuing CA'));
  if (!certificatePath) return undefined;
  // Linting runs in untrusted workspaces because it executes nothing; writing files there needs the user's consent.
  if (!(await consent('This workspace is not trusted. Write the pin into its files?'))) return undefined;
  return runPin(client, at, { certificatePath }, args);
}

/**
 * "Pin what it presents": the same questions and answers as the file pin, with the server's live source (what the
 * backend presented to its last live check, or to one the server runs now). Resolves as pinBackendFromCaFile does.
 */
export async function pinBackendFromLive(
  getClient: () => LanguageClient | undefined,
  args: PinBackendFromLiveArgs = {},
): Promise<PinBackendResult | undefined> {
  const client = running(getClient);
  if (!client) return undefined;
  const at = targetOf(args, 'Place the cursor in an API Management backend to pin what it presents.');
  if (!at) return undefined;
  const asked = await consent(
    'This workspace is not trusted. Write the pin of what the backend presents into its files? If the backend was not ' +
      'checked live yet, this connects to the host its URL names first (a TLS handshake, nothing sent after it).',
  );
  if (!asked) return undefined;
  const { backend, connect, timeoutMs } = args;
  return runPin(client, at, { fromLive: true, backend, connect, timeoutMs }, args);
}

/** Where a pin comes from: a certificate file, or what the backend presents (PinBackendArgs' live fields). */
type PinSource = { certificatePath: string } | Pick<PinBackendArgs, 'fromLive' | 'backend' | 'connect' | 'timeoutMs'>;

/** Sends PIN_BACKEND, asks each question it answers with, and sends the answers until the pin is applied or refused. */
async function runPin(client: LanguageClient, at: Target, source: PinSource, given: PinAnswers): Promise<PinBackendResult | undefined> {
  // Files the user has open stay as the edit leaves them (unsaved, undoable); the others are saved after it.
  const openBefore = openFiles();
  let answers: PinAnswers = { certificateIndex: given.certificateIndex, instances: given.instances, accept: given.accept, name: given.name };
  let result: PinBackendResult | undefined;
  // Each round answers one question; a pin asks at most four (instances, certificate, root or leaf, name).
  for (let round = 0; round < 8; round++) {
    const args: PinBackendArgs = { ...at, ...source, ...answers };
    const live = 'fromLive' in source;
    const request = executeServerCommand<PinBackendResult, PinBackendArgs>(client, PIN_BACKEND, args);
    result = live ? await withProgress('APIM TLS: pinning what the backend presents…', request) : await request;
    if ('choices' in result) {
      const index = await askCertificate(result);
      if (index === undefined) return result;
      answers = { ...answers, certificateIndex: index };
    } else if ('instances' in result) {
      // Each instance presents its own certificate: a live pin takes one at a time.
      const keys = await askInstances(result, !live);
      if (keys === undefined) return result;
      answers = { ...answers, instances: keys };
    } else if ('confirm' in result) {
      const option = await askConfirmation(result);
      if (!option || (!option.with && !option.pickFile)) return result;
      if (option.pickFile) {
        const next = await pickCertificateFile('Pin Issuing CA');
        if (!next) return result;
        source = { certificatePath: next };
      }
      answers = option.with ?? {};
    } else break;
  }
  if (!result || !('thumbprint' in result)) {
    if (result && 'error' in result) void vscode.window.showErrorMessage(result.error);
    return result;
  }
  if (!result.applied) {
    void vscode.window.showErrorMessage(result.error ?? 'The pin was not applied.');
    return result;
  }
  await saveUnopened(result.changed, openBefore);
  const what = `${result.kind === 'issuer' ? 'issuing CA' : 'certificate'} ${result.subject} (${result.thumbprint})${result.presentedAt ? ', as the backend presents it' : ''}`;
  if (result.placeholder) {
    // The backend's host is not known: select the name so the user types it over.
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(result.placeholder.uri));
    const { start, end } = result.placeholder.range;
    const selection = new vscode.Selection(start.line, start.character, end.line, end.character);
    await vscode.window.showTextDocument(doc, { selection });
    void vscode.window.showInformationMessage(`Pinned ${result.backend} to ${what}. Type the backend's host name in the selected "name".`);
  } else {
    void vscode.window.showInformationMessage(`Pinned ${result.backend} to ${what}.`);
  }
  return result;
}

type Target = Pick<PinBackendArgs, 'uri' | 'position'>;

/** The document and position a command was given, else the active editor's cursor; undefined (said) when neither. */
function targetOf(args: { uri?: string; position?: CommandPosition }, missing: string): Target | undefined {
  const editor = vscode.window.activeTextEditor;
  const uri = args.uri ?? editor?.document.uri.toString();
  const position = args.position ?? (editor && { line: editor.selection.active.line, character: editor.selection.active.character });
  if (uri && position) return { uri, position };
  void vscode.window.showErrorMessage(missing);
  return undefined;
}

/** In a trusted workspace, yes; in Restricted Mode, what the user answers to `message`. */
async function consent(message: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  return (await vscode.window.showWarningMessage(message, { modal: true }, 'Pin')) === 'Pin';
}

function withProgress<T>(title: string, work: Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => work));
}

async function askCertificate(result: PinChoices): Promise<number | undefined> {
  const picked = await ask(
    {
      title: 'Which certificate should the backend trust?',
      placeholder: 'The file holds several certificates: APIM pins the CA that issues the backend certificate',
    },
    result.choices.map((c) => ({
      label: c.subject,
      description: `${c.label} · ${describe(c)}`,
      detail: `SHA-1 ${c.sha1} · issued by ${c.issuer}`,
      value: c.index,
      preselected: c.preselected,
    })),
  );
  return picked?.[0];
}

async function askInstances(result: PinInstances, many: boolean): Promise<string[] | undefined> {
  return ask(
    many
      ? {
          title: `Which instances of ${result.backend} should be pinned?`,
          placeholder: 'Each instance gets its own pin: its own host, with the CA of this file',
          many: true,
        }
      : { title: `Pin what which instance of ${result.backend} presents?`, placeholder: 'Each instance presents its own certificate: one at a time' },
    result.instances.map((i) => ({
      label: i.key,
      description: [i.host, i.pinned ? 'already pinned' : undefined].filter(Boolean).join(' · '),
      value: i.key,
      preselected: i.preselected,
    })),
  );
}

async function askConfirmation(result: PinConfirmation): Promise<PinConfirmOption | undefined> {
  const { message, options } = result.confirm;
  // The first sentence names the problem; the rest says what happens, as far as a quick pick's line shows it.
  const split = /^(.+?[.:])\s+(.*)$/s.exec(message);
  const picked = await ask(
    { title: split ? split[1] : message, placeholder: split ? split[2] : 'Choose how to go on; nothing is written until you do.' },
    options.map((o, i) => ({ label: o.label, detail: o.detail, value: o, preselected: i === 0 })),
  );
  return picked?.[0];
}

/** The files open in an editor tab, or edited and not saved. */
function openFiles(): Set<string> {
  const out = new Set<string>();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) if (tab.input instanceof vscode.TabInputText) out.add(tab.input.uri.toString());
  }
  for (const doc of vscode.workspace.textDocuments) if (doc.isDirty) out.add(doc.uri.toString());
  return out;
}

/** Saves what the edit changed in files the user did not have open, so no change waits unseen in the background. */
async function saveUnopened(changed: readonly string[], openBefore: ReadonlySet<string>): Promise<void> {
  for (const uri of changed) {
    if (openBefore.has(uri)) continue;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri);
    if (doc?.isDirty && !(await doc.save())) void vscode.window.showWarningMessage(`${vscode.workspace.asRelativePath(doc.uri)} could not be saved.`);
  }
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

/**
 * Shows a rule's page in the Markdown preview, from the copy packaged with the extension: no network needed. Resolves
 * to the page shown.
 */
export async function explainRule(extensionUri: vscode.Uri, args?: ExplainRuleArgs | string): Promise<vscode.Uri | undefined> {
  const dir = vscode.Uri.joinPath(extensionUri, 'docs', 'rules');
  let ruleId = typeof args === 'string' ? args : args?.ruleId;
  if (!ruleId) {
    const pages = (await vscode.workspace.fs.readDirectory(dir)).map(([name]) => /^(APIM\d{3})\.md$/.exec(name)?.[1]).filter((id): id is string => !!id);
    const choices = await Promise.all(
      pages.sort().map(async (id) => {
        const head = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, `${id}.md`))).split('\n', 1)[0];
        return { label: id, description: head.replace(/^#\s*APIM\d{3}:\s*/, ''), value: id };
      }),
    );
    ruleId = (await ask({ title: 'Explain which rule?', placeholder: 'The rule pages of APIM TLS Lint' }, choices))?.[0];
    if (!ruleId) return undefined;
  }
  const page = vscode.Uri.joinPath(dir, `${ruleId}.md`);
  try {
    if (!/^APIM\d{3}$/.test(ruleId)) throw new Error('not a rule id');
    await vscode.workspace.fs.stat(page);
  } catch {
    void vscode.window.showErrorMessage(`There is no rule ${ruleId} in APIM TLS Lint.`);
    return undefined;
  }
  await vscode.commands.executeCommand('markdown.showPreview', page);
  return page;
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
function describe(c: Pick<CertificateChoice | CertificateSummary, 'isCa' | 'notAfter'>): string {
  const expired = Date.parse(c.notAfter) < Date.now();
  return `${c.isCa ? 'CA' : 'leaf'} · ${expired ? 'expired' : 'expires'} ${c.notAfter.slice(0, 10)}`;
}
