// Every command the server and the client exchange, declared once with its arguments and result. The server
// commands travel as standard `workspace/executeCommand` requests, so any LSP client can use them; the client
// commands are VS Code commands (palette, quick fixes) that gather input and call a server command. Types only:
// the client bundle imports this file and must not pull server code in with it (type-only imports leave none).
import type { PinAnswers, PinCheck } from './core/fixes/pin-flow';
import type { Inventory, InventoryEntry } from './core/inventory/types';
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
 * block, or on one of its findings) to a certificate of the file at `certificatePath`, or, with `fromLive: true`, to
 * what the backend presents (DESIGN §4b "Pin what it presents"): the presented issuing CA (the leaf itself when the
 * backend is self-signed or sends no CA) and the name its certificate carries. The live source is the last
 * `apimTls.checkBackendLive` of that backend instance on this server, if its URL is still the one checked and it saw a
 * certificate; otherwise the server runs the live check first, which connects to the backend (through `connect` when
 * given) as `apimTls.checkBackendLive` does: a client that asks before connecting asks before sending it.
 *
 * A pin must be right, or not written, so the server may answer with a question instead of an edit; nothing is
 * written until every question is answered. The client asks the user and sends the same command again with the
 * answer added to its arguments:
 * - `choices`: the file holds several candidates and none is evidently the issuing CA. Send `certificateIndex`.
 * - `instances`: a `for_each` backend, and the position names no single instance. Send `instances` (the keys; with
 *   `fromLive` exactly one, since each instance presents its own certificate, or name it in `backend`).
 * - `confirm`: the pin would be wrong or fragile as it stands (a self-signed root, a leaf, a leaf whose names miss
 *   the URL host; with `fromLive`: a leaf-only or self-signed backend, a certificate whose names miss the URL host).
 *   Each option carries in `with` the complete answers to send next (they replace those sent before); `pickFile`
 *   asks for a certificate file first (with `fromLive`, send that file as `certificatePath` instead of `fromLive`); an
 *   option with neither cancels.
 * Repeat until the answer is a `PinApplied` (or an error). A client that cannot ask (a script, `--yes`) may send
 * `accept` with the checks it accepts up front.
 */
export const PIN_BACKEND = 'apimTls.pinBackend';

/**
 * The confirmations a pin may need (`root`: a self-signed CA; `leaf`: a leaf certificate; `name`: the leaf's names miss
 * the URL host), and the answers to the server's questions sent with the next `apimTls.pinBackend`:
 * `certificateIndex` (`CertificateChoice.index`), `instances` (`InstanceChoice.key`s), `accept` (the confirmations
 * given), `name` (the name to pin instead of the URL host, one instance only). The core's types, re-exported: type
 * imports leave no server code in the client bundle.
 */
export type { PinAnswers, PinCheck };

export interface PinBackendArgs extends PinAnswers {
  uri: string;
  position: CommandPosition;
  /** An absolute path (or a file URI); a relative path is taken from the workspace root. Or `fromLive`, not both. */
  certificatePath?: string;
  /** Pin what the backend presents to a live check instead of a file's certificate. */
  fromLive?: boolean;
  /** With `fromLive`: the instance (`azurerm_api_management_backend.orders["eu"]`), as `apimTls.checkBackendLive` names it. */
  backend?: string;
  /** With `fromLive`, when the server must check first: `host:port` to dial, and each connection's deadline in ms. */
  connect?: string;
  timeoutMs?: number;
}

export type PinBackendResult = PinApplied | PinChoices | PinInstances | PinConfirmation | CommandFailure;

export interface PinApplied {
  /** Whether the client applied the edit it was sent with `workspace/applyEdit`. */
  applied: boolean;
  /** The pinned SHA-1, 40 uppercase hex digits. */
  thumbprint: string;
  /** The backend's address, e.g. `azurerm_api_management_backend.orders`, or the pinned instances of a `for_each` backend. */
  backend: string;
  /** `issuer`: a `serverX509Names` pin of a CA; `certificate`: a `serverCertificateThumbprints` pin of a leaf. */
  kind: 'issuer' | 'certificate';
  /** The pinned certificate's subject. */
  subject: string;
  /** The URIs of the files the edit changes (a client saves those the user did not have open). */
  changed: string[];
  /** The `name` the user must fill in, after the edit, when the backend's URL host is unknown. */
  placeholder?: { uri: string; range: CommandRange };
  /** With `fromLive`: when the backend presented the pinned certificate (the live check's time, ISO 8601). */
  presentedAt?: string;
  /** Why the client refused the edit, when it did. */
  error?: string;
}

/** The file holds several certificates and none is evidently the issuing CA: ask, then call again with an index. */
export interface PinChoices {
  applied: false;
  /** In the order to list them: issuing CAs first, roots and leaves last. */
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
  /** What it is within the file: `issuing`, `intermediate`, `root`, `unrelated` (a CA that did not sign the file's leaf) or `leaf`. */
  role: 'issuing' | 'intermediate' | 'root' | 'unrelated' | 'leaf';
  /** The role in words: `issuing CA (what APIM pins)`, `root — APIM's pin wants the issuing CA, not the root`. */
  label: string;
  /** Select this one before the user does anything (only ever an issuing CA). */
  preselected: boolean;
}

/** A `for_each` backend whose instances each get their own pin: ask which, then call again with `instances`. */
export interface PinInstances {
  applied: false;
  /** The resource address, e.g. `azurerm_api_management_backend.partner`. */
  backend: string;
  instances: InstanceChoice[];
}

export interface InstanceChoice {
  key: string;
  /** The URL host, when the configuration knows it. */
  host?: string;
  /** Already pinned. */
  pinned: boolean;
  /** Selected at first: unpinned instances whose certificate validation is switched off. */
  preselected: boolean;
}

/** The pin as it stands would be wrong or fragile: say why, offer the ways on, safest first. */
export interface PinConfirmation {
  applied: false;
  confirm: {
    check: PinCheck;
    /** What is wrong and what happens at runtime, in two or three sentences. */
    message: string;
    options: PinConfirmOption[];
  };
}

export interface PinConfirmOption {
  label: string;
  /** One sentence on what choosing it means. */
  detail: string;
  /** The answers to send with the next request (replacing those sent before). */
  with?: PinAnswers;
  /** Ask the user for another certificate file, then send `with` with it. */
  pickFile?: true;
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
 * given), runs PIN_BACKEND and asks the user each question it answers with (answers given as arguments are sent
 * up front), saves the files the edit changed that were not open, selects the placeholder, and resolves to the
 * server's last result (undefined when the user cancelled before the first request).
 */
export const PIN_BACKEND_FROM_CA_FILE = 'apimTls.pinBackendFromCaFile';

export interface PinBackendFromCaFileArgs extends PinAnswers {
  uri?: string;
  position?: CommandPosition;
  certificatePath?: string;
}

/**
 * Client command: "Pin what it presents" in the live check panel (a command link) and the palette. Runs PIN_BACKEND
 * with `fromLive` for the backend at the position (the cursor's, unless given) and asks its questions as
 * PIN_BACKEND_FROM_CA_FILE does; in an untrusted workspace it asks first, since it writes (and connects when the
 * backend was not checked live yet). Resolves to the server's last result.
 */
export const PIN_BACKEND_FROM_LIVE = 'apimTls.pinBackendFromLive';

export interface PinBackendFromLiveArgs extends PinAnswers {
  uri?: string;
  position?: CommandPosition;
  backend?: string;
  connect?: string;
  timeoutMs?: number;
}

/**
 * Client command: shows a rule's page (docs/rules/<id>.md, packaged with the extension) without network. The code
 * action "Explain APIMxxx" of every finding runs it; without arguments it asks which rule.
 */
export const EXPLAIN_RULE = 'apimTls.explainRule';

export interface ExplainRuleArgs {
  /** `APIM001`. */
  ruleId: string;
}

/**
 * Client command: shows the certificates of a file and copies the chosen SHA-1 to the clipboard. Takes a path, or
 * `{ certificatePath, index }` to skip the quick pick; resolves to the copied SHA-1.
 */
export const EXTRACT_THUMBPRINT = 'apimTls.extractThumbprint';

export type ExtractThumbprintArgs = string | { certificatePath: string; index?: number };

/**
 * Server request (DESIGN §4c), sent by the client's APIM Backends view (or any LSP client that draws one): every
 * backend instance of the workspace with its trust state and migration stage, and the per-service tallies, the same
 * data as `apim-tls-lint inventory --format json` (schemas/inventory.schema.json) plus, per backend, where to reveal
 * it, the hover's words and the safe fix when one applies. It reads the workspace the server holds (no file is read
 * again) and the findings last published; live facts come from the live checks run on this server. With `html`, the
 * answer also carries the self-contained HTML report.
 */
export const INVENTORY_REQUEST = 'apimTls/inventory';

export interface InventoryParams {
  /** Also render the HTML report (what `apimTls.showInventory` shows). */
  html?: boolean;
}

export interface InventoryResult extends Omit<Inventory, 'backends'> {
  backends: InventoryViewEntry[];
  /** The HTML report, when asked for. */
  html?: string;
}

export interface InventoryViewEntry extends InventoryEntry {
  /** The backend's header: where "reveal" puts the cursor. `file` is relative to the workspace folder. */
  uri: string;
  range: CommandRange;
  /** The hover's facts (flags and who sets them, pins and matching certificate files, tier), as Markdown. */
  hover: string;
  /** The preferred fix of one of its findings that needs no input, as an edit the client can apply. */
  safeFix?: { title: string; ruleId: string; edit: { changes: Record<string, Array<{ range: CommandRange; newText: string }>> } };
}

/**
 * Server notification, sent after each lint and live check: the inventory may have changed, so a client that shows it
 * asks again (the server does not push the whole inventory on every keystroke).
 */
export const INVENTORY_CHANGED = 'apimTls/inventoryChanged';

/** Client command: opens the HTML inventory report (INVENTORY_REQUEST with `html`) in a webview. */
export const SHOW_INVENTORY = 'apimTls.showInventory';
