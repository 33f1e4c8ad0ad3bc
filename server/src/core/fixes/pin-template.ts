// The pin of an ARM template or Bicep backend: the same questions as any pin (pin-flow.ts), then the edit written
// into the resource's own properties.tls by the format's builder.
import type { Backend } from '../model';
import type { BicepParser } from '../parse/bicep-parser';
import type { TextEdit } from '../types';
import { HOST_PLACEHOLDER, type PinPlan } from './pin';
import { planArmPin } from './pin-arm';
import { planBicepPin } from './pin-bicep';
import { decidePin, type PinRequest } from './pin-flow';

export interface TemplatePinSite {
  backend: Backend;
  /** The text of the file that declares the backend. */
  text: string;
  /** Needed for Bicep backends; without it they are refused. */
  bicepParser?: BicepParser;
}

export function planTemplatePin(site: TemplatePinSite, request: PinRequest): PinPlan {
  const { backend, text } = site;
  const decided = decidePin(backend, [backend], request, {
    allowLeaf: backend.kind === 'bicep',
    leafRefusal: 'Pinning a leaf certificate is not supported for ARM templates yet: pin the issuing CA.',
  });
  if (!decided.ok) return decided;
  const { certificate, kind, targets } = decided.decision;
  const name = targets[0].name ?? HOST_PLACEHOLDER;
  let plan: { ok: true; edits: TextEdit[] } | { ok: false; reason: string };
  if (backend.kind === 'arm') plan = planArmPin(backend, text, { name, thumbprint: certificate.sha1 });
  else if (!site.bicepParser) plan = { ok: false, reason: 'Bicep files cannot be read here (no Bicep parser).' };
  else plan = planBicepPin(site.bicepParser, backend, text, { kind, name, thumbprint: certificate.sha1 });
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
