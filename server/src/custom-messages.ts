// Every command the server and the client exchange, declared once with its arguments and result. The server
// commands travel as standard `workspace/executeCommand` requests, so any LSP client can use them; the client
// commands are VS Code commands (palette, quick fixes) that gather input and call a server command. Types only:
// the client bundle imports this file and must not pull server code in with it.
import type { LiveReport } from './core/live/report';

/** 0-based line and UTF-16 character, as LSP has it. */
export interface CommandPosition {
  line: number;
  character: number;
}

export interface CommandRange {
  start: CommandPosition;
  end: CommandPosition;
}

/**
 * Server command, sent by the client (or any LSP client): pins the backend at `position` of `uri` (anywhere in its
 * block, or on one of its findings) to a certificate of the file at `certificatePath`. Without `certificateIndex`
 * the server chooses the issuing CA of the file, or answers with `choices` when it cannot.
 */
export const PIN_BACKEND = 'apimTls.pinBackend';

export interface PinBackendArgs {
  uri: string;
  position: CommandPosition;
  /** An absolute path (or a file URI); a relative path is taken from the workspace root. */
  certificatePath: string;
  /** Which certificate of the file to pin (`CertificateChoice.index`). */
  certificateIndex?: number;
}

export type PinBackendResult = PinApplied | PinChoices | CommandFailure;

export interface PinApplied {
  /** Whether the client applied the edit it was sent with `workspace/applyEdit`. */
  applied: boolean;
  /** The pinned SHA-1, 40 uppercase hex digits. */
  thumbprint: string;
  /** The backend's address, e.g. `azurerm_api_management_backend.orders`. */
  backend: string;
  /** `issuer`: a `serverX509Names` pin of a CA; `certificate`: a `serverCertificateThumbprints` pin of a leaf. */
  kind: 'issuer' | 'certificate';
  /** The pinned certificate's subject. */
  subject: string;
  /** The `name` the user must fill in, after the edit, when the backend's URL host is unknown. */
  placeholder?: { uri: string; range: CommandRange };
  /** Why the client refused the edit, when it did. */
  error?: string;
}

/** The file holds several certificates and none is evidently the issuing CA: ask, then call again with an index. */
export interface PinChoices {
  applied: false;
  choices: CertificateChoice[];
}

export interface CertificateChoice {
  index: number;
  subject: string;
  issuer: string;
  isCa: boolean;
  /** ISO 8601. */
  notAfter: string;
  sha1: string;
}

/** A refused certificate file, a position in no backend, an unreadable file: said in one sentence. */
export interface CommandFailure {
  applied?: false;
  error: string;
}

/** Server command: every certificate of a file, or why the file is refused. Nothing of a refused file is returned. */
export const READ_CERTIFICATES = 'apimTls.readCertificates';

export interface ReadCertificatesArgs {
  certificatePath: string;
}

export type ReadCertificatesResult = { certificates: CertificateSummary[] } | CommandFailure;

export interface CertificateSummary {
  subject: string;
  issuer: string;
  isCa: boolean;
  /** ISO 8601. */
  notBefore: string;
  notAfter: string;
  /** 40 uppercase hex digits: APIM's thumbprint form. */
  sha1: string;
  sha256: string;
}

/**
 * Server command, sent by the client (or any LSP client, also as the "Check live" code lens command): connects to the
 * backend at `position` of `uri` and judges what it presents as APIM would (DESIGN §4b). The one server command
 * that opens a network connection, to the host of the backend's URL (or `connect`), sending nothing after the TLS
 * handshake; a client asks first in an untrusted workspace. When the position holds several `for_each` instances
 * and `backend` does not say which, the answer is `choices`.
 */
export const CHECK_BACKEND_LIVE = 'apimTls.checkBackendLive';

export interface CheckBackendLiveArgs {
  uri: string;
  position: CommandPosition;
  /** The instance to check (`azurerm_api_management_backend.orders["eu"]`), from `choices`. */
  backend?: string;
  /** `host:port` to dial instead of the URL host (a tunnel or jump host); the URL host is still the name checked. */
  connect?: string;
  /** Deadline of each connection, in milliseconds (default 5000). */
  timeoutMs?: number;
}

/** The verdict (the same JSON as `apim-tls-lint probe --format json`), instance choices, or why nothing was checked. */
export type CheckBackendLiveResult = LiveReport | { choices: string[] } | CommandFailure;

/** The commands the server announces in `executeCommandProvider`. */
export const SERVER_COMMANDS: readonly string[] = [PIN_BACKEND, READ_CERTIFICATES, CHECK_BACKEND_LIVE];

/**
 * Client command: the quick fix on APIM001/002/003 and the palette entry. Asks for a certificate file (unless
 * given), runs PIN_BACKEND, asks again on choices, selects the placeholder, and resolves to the server's result.
 */
export const PIN_BACKEND_FROM_CA_FILE = 'apimTls.pinBackendFromCaFile';

export interface PinBackendFromCaFileArgs {
  uri?: string;
  position?: CommandPosition;
  certificatePath?: string;
  certificateIndex?: number;
}

/**
 * Client command: shows the certificates of a file and copies the chosen SHA-1 to the clipboard. Takes a path, or
 * `{ certificatePath, index }` to skip the quick pick; resolves to the copied SHA-1.
 */
export const EXTRACT_THUMBPRINT = 'apimTls.extractThumbprint';

export type ExtractThumbprintArgs = string | { certificatePath: string; index?: number };
