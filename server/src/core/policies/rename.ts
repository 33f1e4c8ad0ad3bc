// Renaming a backend: its name where it is written, and every policy `backend-id` that routes to it, in one edit
// across files and formats (LSP rename). A rename that would leave a reference behind is refused, naming what stops it:
// the migration's cleanup step renames backends, and a reference left behind breaks its API at runtime.
import type { Backend, Model } from '../model';
import { LineIndex } from '../text';
import type { Span, TextEdit } from '../types';
import { backendIdOf, backendsOfService, policyRoutes } from './routes';

export interface RenameTarget {
  backend: Backend;
  /** The characters of the name itself, where it is written. */
  span: Span;
  name: string;
}

export type RenameAt = { ok: true; target: RenameTarget } | { ok: false; reason: string };
export type RenamePlan = { ok: true; edits: TextEdit[] } | { ok: false; reason: string };

/**
 * The backend whose name is written at `offset`, with the characters of the name; undefined when no backend's name
 * is there, a refusal when one is but the linter cannot edit it as it is.
 */
export function renameTargetAt(model: Model, file: string, offset: number, textOf: (file: string) => string | undefined): RenameAt | undefined {
  const backend = model.backends.find((b) => {
    const span = b.backendName?.span;
    return !!span && span.file === file && span.start <= offset && offset <= span.end;
  });
  if (!backend) return undefined;
  const name = backendIdOf(backend);
  const span = backend.backendName!.span!;
  if (name === undefined)
    return { ok: false, reason: `The name of ${backend.name} is built by an expression the linter cannot read, so it cannot be renamed here.` };
  const at = nameCharacters(textOf(span.file), span, name);
  if (!at)
    return {
      ok: false,
      reason: `The name of ${backend.name} is not written as plain text here (escaped, or built by an expression), so it cannot be renamed here.`,
    };
  return { ok: true, target: { backend, span: at, name } };
}

/** Backend ids APIM accepts, less what would need escaping in one of the formats that write them. */
const VALID_NAME = /^[^*#&+:<>?/\\"'`$%{}@\s]{1,80}$/;

/** The edit that renames the backend and every policy reference to it; a refusal that says why when it cannot. */
export function planRename(model: Model, target: RenameTarget, newName: string, textOf: (file: string) => string | undefined): RenamePlan {
  if (!VALID_NAME.test(newName)) {
    return { ok: false, reason: `'${newName}' cannot be a backend's name: at most 80 characters, none of * # & + : < > ? / \\ " ' \` $ % { } @ or spaces.` };
  }
  const { backend } = target;
  if (newName === target.name) return { ok: true, edits: [] };
  const clash = backendsOfService(model, backend).find((b) => b !== backend && backendIdOf(b)?.toLowerCase() === newName.toLowerCase());
  if (clash && newName.toLowerCase() !== target.name.toLowerCase())
    return { ok: false, reason: `The service already has a backend named '${backendIdOf(clash)}' (${clash.name}).` };
  const routes = policyRoutes(model, backend);
  const stuck = routes.filter((r) => !r.setting.editable || !r.setting.val.span);
  if (stuck.length > 0) {
    const places = stuck.map((r) => `the policy of ${r.policy.name} (${where(r.setting.val.span, textOf)})`).join(', ');
    return {
      ok: false,
      reason: `Renaming ${backend.name} would leave references the linter cannot edit as they are written (escaped): ${places}. Edit those first.`,
    };
  }
  const edits: TextEdit[] = [{ ...target.span, newText: newName }];
  for (const r of routes) {
    const span = r.setting.val.span!;
    if (!edits.some((e) => e.file === span.file && e.start === span.start)) edits.push({ ...span, newText: newName });
  }
  return { ok: true, edits };
}

/** Where in the value written at `span` the name itself is: once, between quotes or after a `/`. */
function nameCharacters(text: string | undefined, span: Span, name: string): Span | undefined {
  if (text === undefined || !name) return undefined;
  const raw = text.slice(span.start, span.end);
  const hits: number[] = [];
  for (let i = raw.indexOf(name); i >= 0; i = raw.indexOf(name, i + 1)) {
    const before = raw[i - 1];
    const after = raw[i + name.length];
    if ((before === '"' || before === "'" || before === '/') && (after === '"' || after === "'")) hits.push(i);
  }
  return hits.length === 1 ? { file: span.file, start: span.start + hits[0], end: span.start + hits[0] + name.length } : undefined;
}

function where(span: Span | undefined, textOf: (file: string) => string | undefined): string {
  if (!span) return 'an unknown place';
  const text = textOf(span.file);
  const line = text === undefined ? '?' : new LineIndex(text).positionAt(span.start).line + 1;
  return `${span.file.split('/').pop()}:${line}`;
}
