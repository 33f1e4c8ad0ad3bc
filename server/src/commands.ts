// The server's `workspace/executeCommand` handlers: pinning a backend from a certificate file or from what it presented
// to a live check (live-check.ts), reading the certificates of a file, and the live check of a backend. The core
// chooses the certificate and computes the edit; this file reads the file, sends the edit with `workspace/applyEdit`,
// and converts offsets to positions.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Connection, ExecuteCommandParams, TextEdit as LspTextEdit } from 'vscode-languageserver/node';
import { readCertificates } from './core/certificates/read';
import type { CertificateInfo, CertificateReadResult } from './core/certificates/types';
import type { PinQuestion, PinRequest } from './core/fixes/pin-flow';
import { LineIndex } from './core/text';
import type { TextEdit } from './core/types';
import type { Workspace } from './core/workspace';
import { checkBackendLive, livePinSource } from './live-check';
import {
  CHECK_BACKEND_LIVE,
  PIN_BACKEND,
  READ_CERTIFICATES,
  type CertificateChoice,
  type CertificateSummary,
  type CheckBackendLiveArgs,
  type CommandFailure,
  type PinAnswers,
  type PinApplied,
  type PinBackendArgs,
  type PinBackendResult,
  type PinCheck,
  type PinChoices,
  type PinConfirmation,
  type PinInstances,
  type ReadCertificatesArgs,
  type ReadCertificatesResult,
} from './custom-messages';

/** What the handlers need from the server: its workspace and its view of documents and paths. */
export interface CommandHost {
  connection: Connection;
  workspace(): Workspace | undefined;
  rootDir(): string | undefined;
  /** The text the server holds for a file: the open document's, else the workspace's. */
  textOf(file: string): string | undefined;
  uriOf(file: string): string;
  toPath(uri: string): string;
}

/** A CA bundle is a few hundred kB; anything larger is not a certificate file the user meant to pick. */
export const MAX_CERTIFICATE_FILE = 1024 * 1024;

export const PIN_EDIT_LABEL = 'Pin issuing CA';

export async function executeCommand(host: CommandHost, params: ExecuteCommandParams): Promise<unknown> {
  try {
    const arg: unknown = params.arguments?.[0];
    switch (params.command) {
      case PIN_BACKEND:
        return await pinBackend(host, arg as PinBackendArgs);
      case READ_CERTIFICATES:
        return readCertificatesCommand(host, arg as ReadCertificatesArgs);
      case CHECK_BACKEND_LIVE:
        return await checkBackendLive(host, arg as CheckBackendLiveArgs);
      default:
        return failure(`Unknown command ${params.command}.`);
    }
  } catch (e) {
    // The message may quote the file; the stack stays in the server log.
    host.connection.console.error(`${params.command} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return failure(`${params.command} failed: an internal error occurred (see the APIM TLS Lint output).`);
  }
}

async function pinBackend(host: CommandHost, args: PinBackendArgs | undefined): Promise<PinBackendResult> {
  const fromFile = typeof args?.certificatePath === 'string';
  if (!args || typeof args.uri !== 'string' || !isPosition(args.position) || fromFile === (args.fromLive === true)) {
    return failure(`${PIN_BACKEND} expects [{ uri, position, certificatePath or fromLive: true, certificateIndex?, instances?, accept?, name? }].`);
  }
  const answers = answersOf(args);
  if (typeof answers === 'string') return failure(answers);
  const workspace = host.workspace();
  if (!workspace) return failure('The language server is not initialized yet.');

  let request: PinRequest;
  let presentedAt: string | undefined;
  if (args.fromLive === true) {
    const live = await livePinSource(host, args, answers);
    if ('instances' in live) return live;
    if ('error' in live) return failure(live.error);
    ({ request, presentedAt } = live);
  } else {
    const read = readCertificateFile(host, args.certificatePath!);
    if (!read.ok) return failure(read.reason);
    const certificates = read.certificates;
    const index = answers.certificateIndex;
    if (index !== undefined && (!Number.isInteger(index) || index < 0 || index >= certificates.length)) {
      return failure(`${path.basename(args.certificatePath!)} has ${certificates.length} certificate(s); there is no certificate ${index}.`);
    }
    const file = host.toPath(args.uri);
    const text = host.textOf(file);
    if (text === undefined || !workspace.has(file)) return failure(`${path.basename(file)} is not a Terraform, ARM template or Bicep file of the workspace.`);
    request = { file, offset: new LineIndex(text).offsetAt(args.position), certificates, answers };
  }
  const plan = workspace.planPin(request);
  if (!plan.ok) return 'question' in plan ? questionOf(plan.question, request.certificates) : failure(plan.reason);

  // Positions are computed against the texts the edits were planned on, before anything is sent.
  const changes: Record<string, LspTextEdit[]> = {};
  for (const e of plan.edits) (changes[host.uriOf(e.file)] ??= []).push({ range: rangeIn(host, e.file, e.start, e.end), newText: e.newText });
  let placeholder: PinApplied['placeholder'];
  if (plan.placeholder) {
    const after = applyEdits(
      host.textOf(plan.placeholder.file) ?? '',
      plan.edits.filter((e) => e.file === plan.placeholder!.file),
    );
    const lines = new LineIndex(after);
    placeholder = {
      uri: host.uriOf(plan.placeholder.file),
      range: { start: lines.positionAt(plan.placeholder.start), end: lines.positionAt(plan.placeholder.end) },
    };
  }

  const response = await host.connection.workspace.applyEdit({ label: PIN_EDIT_LABEL, edit: { changes } });
  const result: PinApplied = {
    applied: response.applied,
    thumbprint: plan.thumbprint,
    backend: plan.backend,
    kind: plan.kind,
    subject: plan.subject,
    changed: Object.keys(changes),
  };
  if (placeholder) result.placeholder = placeholder;
  if (presentedAt) result.presentedAt = presentedAt;
  if (!response.applied) result.error = `The editor did not apply the edit${response.failureReason ? `: ${response.failureReason}` : '.'}`;
  return result;
}

/** The answers sent with the request, checked; a string says what is wrong with them. */
function answersOf(args: PinBackendArgs): PinAnswers | string {
  const answers: PinAnswers = {};
  if (args.certificateIndex !== undefined && args.certificateIndex !== null) answers.certificateIndex = args.certificateIndex;
  if (args.instances !== undefined && args.instances !== null) {
    if (!Array.isArray(args.instances) || !args.instances.every((k) => typeof k === 'string')) return '`instances` must be a list of for_each keys.';
    answers.instances = args.instances;
  }
  if (args.accept !== undefined && args.accept !== null) {
    if (!Array.isArray(args.accept) || !args.accept.every((c) => PIN_CHECKS.includes(c))) return `\`accept\` must list checks among ${PIN_CHECKS.join(', ')}.`;
    answers.accept = args.accept;
  }
  if (args.name !== undefined && args.name !== null) {
    if (typeof args.name !== 'string') return '`name` must be a host name.';
    answers.name = args.name;
  }
  return answers;
}

const PIN_CHECKS: readonly PinCheck[] = ['root', 'leaf', 'name'];

/** A question of the core, as the protocol puts it (custom-messages.ts). */
function questionOf(question: PinQuestion, certificates: readonly CertificateInfo[]): PinChoices | PinInstances | PinConfirmation {
  switch (question.kind) {
    case 'certificate':
      return {
        applied: false,
        choices: question.candidates.map((c) => ({ ...choiceOf(certificates[c.index], c.index), role: c.role, label: c.label, preselected: c.preselected })),
      };
    case 'instances':
      return { applied: false, backend: question.backend, instances: question.instances };
    case 'confirm':
      return {
        applied: false,
        confirm: {
          check: question.check,
          message: question.message,
          options: question.options.map((o) => ({
            label: o.label,
            detail: o.detail,
            ...(o.answers && !o.pickFile ? { with: o.answers } : {}),
            ...(o.pickFile ? { pickFile: true as const, with: o.answers ?? {} } : {}),
          })),
        },
      };
  }
}

function readCertificatesCommand(host: CommandHost, args: ReadCertificatesArgs | undefined): ReadCertificatesResult {
  if (!args || typeof args.certificatePath !== 'string') return failure(`${READ_CERTIFICATES} expects [{ certificatePath }].`);
  const read = readCertificateFile(host, args.certificatePath);
  if (!read.ok) return failure(read.reason);
  return { certificates: read.certificates.map(summaryOf) };
}

/** Reads and parses a file the user picked; the refusal names the file by its base name only. */
function readCertificateFile(host: CommandHost, certificatePath: string): CertificateReadResult {
  let file = certificatePath.startsWith('file:') ? host.toPath(certificatePath) : certificatePath;
  const root = host.rootDir();
  if (!path.isAbsolute(file) && root) file = path.join(root, file);
  const name = path.basename(file);
  let bytes: Uint8Array;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { ok: false, reason: `${name} is not a file.` };
    if (stat.size > MAX_CERTIFICATE_FILE) return { ok: false, reason: `${name} is larger than 1 MB: too large for a certificate file.` };
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? `${name} does not exist.` : `${name} could not be read (${code ?? 'I/O error'}).` };
  }
  return readCertificates(bytes, file);
}

function choiceOf(c: CertificateInfo, index: number): Omit<CertificateChoice, 'role' | 'label' | 'preselected'> {
  return { index, subject: c.subject, issuer: c.issuer, isCa: c.isCa, notAfter: c.notAfter.toISOString(), sha1: c.sha1 };
}

function summaryOf(c: CertificateInfo): CertificateSummary {
  return {
    subject: c.subject,
    issuer: c.issuer,
    isCa: c.isCa,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    sha1: c.sha1,
    sha256: c.sha256,
  };
}

function failure(error: string): CommandFailure & { applied: false } {
  return { applied: false, error };
}

function isPosition(p: unknown): p is { line: number; character: number } {
  const q = p as { line?: unknown; character?: unknown } | undefined;
  return !!q && Number.isInteger(q.line) && Number.isInteger(q.character);
}

function rangeIn(host: CommandHost, file: string, start: number, end: number) {
  const index = new LineIndex(host.textOf(file) ?? '');
  return { start: index.positionAt(start), end: index.positionAt(end) };
}

/** The text after non-overlapping edits of one file, applied from the last to the first. */
function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
