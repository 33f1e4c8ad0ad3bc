// The pin of a backend declared as a template resource (ARM, Bicep): the same questions as any pin (pin-flow.ts),
// then the edit written into the resource's own properties.tls by the format's builder, which the format passes in.
import type { Backend } from '../model';
import type { TextEdit } from '../types';
import { HOST_PLACEHOLDER, type PinPlan } from './pin';
import { decidePin, type PinRequest } from './pin-flow';

/** What a template format writes and allows. */
export interface TemplatePinWriter {
  /** Whether a leaf may be pinned (serverCertificateThumbprints) in this format; `leafRefusal` says why not. */
  allowLeaf: boolean;
  leafRefusal?: string;
  write(pin: { kind: 'issuer' | 'certificate'; name: string; thumbprint: string }): { ok: true; edits: TextEdit[] } | { ok: false; reason: string };
}

export function planTemplatePin(backend: Backend, text: string | undefined, request: PinRequest, writer: TemplatePinWriter): PinPlan {
  if (text === undefined) return { ok: false, reason: `${backend.block.file} is not a file of the workspace.` };
  const decided = decidePin(backend, [backend], request, { allowLeaf: writer.allowLeaf, leafRefusal: writer.leafRefusal });
  if (!decided.ok) return decided;
  const { certificate, kind, targets } = decided.decision;
  const name = targets[0].name ?? HOST_PLACEHOLDER;
  const plan = writer.write({ kind, name, thumbprint: certificate.sha1 });
  if (!plan.ok) return plan;
  const result: PinPlan = { ok: true, edits: plan.edits, thumbprint: certificate.sha1, backend: backend.name, kind, subject: certificate.subject };
  if (targets[0].name === undefined && kind === 'issuer') {
    const placeholder = placeholderAfter(backend.block.file, plan.edits);
    if (placeholder) result.placeholder = placeholder;
  }
  return result;
}

/** Where the placeholder name sits in the text after the edits (the first one an edit wrote). */
function placeholderAfter(file: string, edits: TextEdit[]): { file: string; start: number; end: number } | undefined {
  let shift = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    const at = e.newText.indexOf(HOST_PLACEHOLDER);
    if (at >= 0) {
      const start = e.start + shift + at;
      return { file, start, end: start + HOST_PLACEHOLDER.length };
    }
    shift += e.newText.length - (e.end - e.start);
  }
  return undefined;
}
