// A format is a plug-in object, as ESLint v9's languages and Prettier's plugins are: which files it owns, how it reads
// them into its part of the one format-neutral model, and the edits only its syntax can write. The workspace, the
// rules, the CLI and the server iterate over a list of formats and never name one.
//
// What comes next plugs in here, without the workspace learning a format's name:
// - Policy XML (issue 13) is a format of its own for standalone `<policies>` files (claimsPath `.xml`, claimsText for
//   the root element). Policy XML embedded in another format's file (a heredoc, a JSON string, a Bicep string or
//   `loadTextContent`) is found by the host format's `extract`, which returns it beside its model as text plus a map
//   from that text's offsets back to the host's characters (Volar's virtual code and mappings); the workspace hands it
//   to the format claiming it, and spans come back through the map.
// - Environments are alternative evaluations of one unit (a Terraform module once per var file): `extract` returns
//   them as `runs`, named; the workspace lints each run and merges the findings, naming the runs a finding holds in
//   when it does not hold in all of its unit's runs.
// - The inventory (issue 15) and the live check (issue 14) read the same Model the rules read.
import type { Backend, Bound, Misplaced, Model, PrimVal } from './model';
import type { PinPlan, PinRequest } from './fixes/pin';
import type { Finding, Span, TextEdit } from './types';

/** One change of a document's text; offsets are in the text as it is before this change. */
export interface TextChange {
  start: number;
  end: number;
  text: string;
}

/** What identifies a format and its files, without loading anything it needs to read them. */
export interface FormatDescriptor {
  /** Stable id: `terraform`, `arm`, `bicep`. Rules' metadata and fixtures name formats by it. */
  readonly id: string;
  /** How the user calls it: `Terraform`, `ARM template`, `Bicep`. */
  readonly displayName: string;
  /**
   * Files of one family are context for each other: when one of them is opened or named alone, its siblings of the
   * same family are read too (a Terraform module is its folder; a template reads the parameters file beside it).
   */
  readonly family: string;
  /** Whether a file at this path may be this format's, from the path alone. */
  claimsPath(path: string): boolean;
  /**
   * For formats that share an extension with files they do not own (JSON): whether a file whose path they claim is
   * theirs, from the first `headLength` characters of its text. Without it, the path decides.
   */
  claimsText?(head: string): boolean;
  readonly headLength?: number;
}

/** A format's own state for one file: its text and whatever it parsed, kept while the text does not change. */
export interface FormatDocument {
  readonly path: string;
  readonly text: string;
  /** Applies an editor's changes (in order) to a document opened for editing; `text` is the text after all of them. */
  edit?(changes: readonly TextChange[], text: string): void;
  /** Frees what the document holds outside the JavaScript heap (a tree-sitter tree). */
  dispose?(): void;
}

/** What the workspace tells a format when it asks for its part of the model. */
export interface ExtractRequest {
  /** With `only`: just the units (a module, a template and its parameters) touching one of these paths. */
  only?: ReadonlySet<string>;
  /** Files named by the configuration's `varFiles`: applied in every run, wherever they sit. */
  isConfiguredVarFile(path: string): boolean;
  /**
   * The configuration's `environments`: the alternative var files, each evaluated as its own run. Undefined when the
   * configuration names none (each format then finds its own: for Terraform, every `.tfvars` of a module's folder
   * tree that Terraform does not load by itself). The same function until the configuration changes.
   */
  environments?: (path: string) => boolean;
  /** The text of any file of the workspace, whatever its format (a Bicep template reads its parameters JSON). */
  textOf(path: string): string | undefined;
}

/** One format's part of the model. */
export interface FormatResult {
  /** The units evaluated once. */
  model: Model;
  /**
   * Units evaluated once per environment (DESIGN §2: a Terraform module once per alternative var file). Each run is
   * linted on its own; a finding that holds in some runs of its unit only names them.
   */
  runs?: RunGroup[];
  /** Every file the extraction covered (so that stale diagnostics of those files are cleared). */
  files: string[];
  /** Findings that are no rule's: a parse over its time budget, a file nested too deep. */
  notices: Finding[];
  /**
   * Files read as context that are not the user's own (a registry module's source that `terraform init` downloaded):
   * a finding there is reported at `at`, in the user's file that leads to it, with `note` saying where it came from.
   */
  borrowed?: ReadonlyMap<string, { at: Span; note: string }>;
}

/** The runs of one unit: alternatives, never layered on each other. */
export interface RunGroup {
  /** The unit, e.g. the root module's folder. */
  unit: string;
  runs: Array<{ name: string; model: Model }>;
}

/** Edits whose text depends on the format's syntax; rules and commands reach them through the file's format. */
export interface FormatEdits {
  /**
   * Removes a validation flag that pins make redundant: `val` is the `false`, `bound` the resource attribute that reads
   * it, `removable` whether every resource reading that attribute is pinned. Undefined when no safe edit exists.
   */
  removeFlag(bound: Bound & { val: PrimVal }, removable: boolean, textOf: (file: string) => string | undefined): TextEdit[] | undefined;
  /**
   * Removes the object `span` covers from the list holding it in `text` (an entry of a service's `certificates`).
   * Undefined when `span` is not one, or the format cannot say.
   */
  removeListItem?(file: string, text: string, span: Span): TextEdit[] | undefined;
  /**
   * Moves a member (`key = value`, `key: value`, `"key": value`) into the object where the API reads it, or renames
   * its key (APIM017). Undefined when the text does not allow a safe move.
   */
  moveMember?(file: string, text: string, move: NonNullable<Misplaced['move']>): TextEdit[] | undefined;
  /**
   * Writes a member the user's object literal omits (`tls: { validateCertificateChain: true, … }`), for a value a
   * registry module implies when it is omitted (Bound.implied). Undefined when the object cannot take it safely.
   */
  writeMember?(file: string, text: string, entry: Span, key: string, values: ReadonlyArray<readonly [string, boolean]>): TextEdit[] | undefined;
}

/** How a finding tells the user to pin, in the words of the file it is about (an ARM finding never asks for azapi). */
export interface FormatWords {
  /** Where this backend's pin is written, e.g. "an azapi_update_resource overlay setting properties.tls.serverX509Names". */
  howToPin(backend: Backend): string;
  /** The same for the backends of a service declared in one of this format's files. */
  readonly howToPinBackends: string;
}

export interface SourceFormat extends FormatDescriptor {
  /** Reads a file into this format's state; `editing` documents are kept ready for incremental edits. */
  createDocument(path: string, text: string, editing: boolean): FormatDocument;
  /** This format's part of the model, from its documents (all of the workspace's files of this format). */
  extract(documents: ReadonlyMap<string, FormatDocument>, request: ExtractRequest): FormatResult;
  readonly edits: FormatEdits;
  /** Pin advice in this format's words; without it, findings use words that name no syntax. */
  readonly words?: FormatWords;
  /**
   * Whether a text parses without errors, read as this format reads it: the last check before a fixed file is written
   * (DESIGN §4: every fix leaves a file that parses). Without it no fixed text of the format counts as parsing.
   */
  parsesCleanly?(path: string, text: string): boolean;
  /**
   * The pin edit of one of this format's backends (DESIGN §4), reading whatever else of the workspace it needs;
   * undefined when the format cannot write pins.
   */
  planPin?(site: PinSite): PinPlan;
}

/** The backend a pin request points at, in the model it was found in, and the workspace's documents. */
export interface PinSite {
  request: PinRequest;
  model: Model;
  backend: Model['backends'][number];
  documents: ReadonlyMap<string, FormatDocument>;
  isIgnored(path: string): boolean;
}
