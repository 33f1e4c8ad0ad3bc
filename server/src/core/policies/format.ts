// APIM policy XML as a format of the workspace: standalone `<policies>` files (the APIOps layout: `apis/<api>/policy.xml`,
// `products/<p>/policy.xml`, …) and the policy XML other formats find in their files (EmbeddedText), each read into a
// Policy whose values carry the host characters that write them.
import { POLICY } from '../formats';
import type { Model, Policy, PolicyOwner, PolicySetting, Val } from '../model';
import type { EmbeddedText, FormatDocument, SourceFormat } from '../source-format';
import { hclTemplateText } from './host-strings';
import { OffsetMap } from './offset-map';
import { readPolicy, type PolicyRead, type PolicyValue } from './read-policy';

export const policyFormat: SourceFormat = {
  ...POLICY,
  readsEmbedded: true,
  createDocument: (path, text): FormatDocument => ({ path, text }),
  extract(documents, request) {
    const policies: Policy[] = [];
    const files = new Set<string>();
    const embedded = request.embedded ?? [];
    // A file that a host reads whole is that host's policy; read on its own too, it would be a second, ownerless one.
    const hosted = new Set(embedded.map((e) => e.origin).filter((o): o is string => !!o));
    for (const e of embedded) {
      files.add(e.file);
      const policy = policyOf(e);
      if (policy) policies.push(policy);
    }
    for (const [path, doc] of documents) {
      if (hosted.has(path) || (request.only && !request.only.has(path))) continue;
      files.add(path);
      const policy = policyOf(standalone(path, doc.text));
      if (policy) policies.push(policy);
    }
    const model: Model = { backends: [], services: [], overlays: [], dependsOn: [], policies };
    return { model, files: [...files], notices: [] };
  },
  // Policy files hold no backend settings: nothing of theirs is ever removed.
  edits: { removeFlag: () => undefined },
  /** A fixed policy file (a renamed backend-id) is written only when it still reads as a policy. */
  parsesCleanly(path, text) {
    const { text: read, map } = standalone(path, text);
    return readPolicy(read, map.opaqueRanges()) !== undefined;
  },
};

/** A policy file read on its own: what it is attached to comes from where APIOps puts it. */
function standalone(path: string, text: string): EmbeddedText {
  const mapped = /\.(tftpl|tpl)$/i.test(path) ? hclTemplateText(text) : { text, map: OffsetMap.identity(text.length) };
  return { language: POLICY.id, file: path, ...mapped, owner: ownerFromPath(path) };
}

/**
 * APIOps extracts a service as folders: `apis/<api>/policy.xml`, `apis/<api>/operations/<op>/policy.xml`,
 * `products/<product>/policy.xml`, `policy fragments/<name>/policy.xml`, and the service's own `policy.xml`.
 */
export function ownerFromPath(path: string): PolicyOwner {
  const parts = path.split('/');
  const header = { file: path, start: 0, end: 0 };
  const at = (folder: RegExp) => {
    for (let i = parts.length - 3; i >= 0; i--) if (folder.test(parts[i])) return i;
    return -1;
  };
  const api = at(/^apis$/i);
  const operation = at(/^operations$/i);
  if (operation > api && api >= 0) return { name: `operation '${parts[operation + 1]}' of API '${parts[api + 1]}'`, header };
  if (api >= 0) return { name: `API '${parts[api + 1]}'`, header };
  const product = at(/^products$/i);
  if (product >= 0) return { name: `product '${parts[product + 1]}'`, header };
  const fragment = at(/^(policy ?fragments|policyFragments|fragments)$/i);
  if (fragment >= 0) return { name: `policy fragment '${parts[fragment + 1]}'`, header };
  if (/^policy\.xml$/i.test(parts[parts.length - 1])) return { name: 'the service', header };
  return { name: `'${parts[parts.length - 1]}'`, header };
}

/** The policy an embedded text holds; undefined when it is not well-formed (no finding is better than a guess). */
function policyOf(e: EmbeddedText): Policy | undefined {
  const read = cachedRead(e);
  if (!read) return undefined;
  const setting = (v: PolicyValue): PolicySetting => {
    const where = e.map.toSource(v.start, v.end);
    const span = { file: e.file, start: where.start, end: where.end };
    const val: Val = v.unknown ? { kind: 'unknown', span, prefix: v.value || undefined } : { kind: 'prim', value: v.value, quoted: true, span };
    // Written as it reads (no escape of the host's, no XML reference), a value can be replaced by a rename as it is.
    const editable = !v.unknown && e.map.isVerbatim(v.start, v.end) && e.text.slice(v.start, v.end) === v.value;
    return { setting: v.setting, val, editable };
  };
  const whole = e.map.toSource(0, e.text.length);
  return {
    ...e.owner,
    span: { file: e.file, start: whole.start, end: whole.end },
    backendIds: read.backendIds.map(setting),
    urls: read.urls.map(setting),
  };
}

/** The last reads, by text: a keystroke elsewhere re-reads no policy (a host builds its texts afresh on every lint). */
const reads = new Map<string, PolicyRead | undefined>();
const MAX_CACHED = 256;

function cachedRead(e: EmbeddedText): PolicyRead | undefined {
  const unknown = e.map.opaqueRanges();
  const key = unknown.length ? `${unknown.map((r) => `${r.start}-${r.end}`).join(',')}\u0000${e.text}` : e.text;
  if (reads.has(key)) return reads.get(key);
  const read = readPolicy(e.text, unknown);
  if (reads.size >= MAX_CACHED) reads.delete(reads.keys().next().value!);
  reads.set(key, read);
  return read;
}
