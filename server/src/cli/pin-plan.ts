// The seam between `apim-tls-lint pin` and the core's pin flow (Workspace.planPin, fixes/pin-flow.ts): the backend
// instances the command line chose, the certificates of the --ca file and the user's --index and --yes become the
// flow's answers; its questions, which the editor asks in quick picks, become refusals that name the option that
// answers them. The command never decides a pin itself.
import { ROLE_LABELS } from '../core/certificates/choose';
import type { CertificateInfo } from '../core/certificates/types';
import type { PinAnswers, PinQuestion, PinRequest } from '../core/fixes/pin-flow';
import type { Backend } from '../core/model';
import type { TextEdit } from '../core/types';
import type { Workspace } from '../core/workspace';

export interface PinSelection {
  /** The instances to pin: some instances of a `for_each` backend, or every instance of the resource. */
  selected: Backend[];
  /** Every instance of the same resource (one unless it has `for_each`). */
  instances: Backend[];
}

export interface PinChoices {
  /** --index: the certificate of the file to pin, by its position. */
  index?: number;
  /** --yes: the confirmations a pin may need (a root, a leaf, a leaf whose names miss the URL host) are given. */
  yes: boolean;
}

export type PinOutcome =
  | { ok: true; edits: TextEdit[]; subject: string; thumbprint: string; kind: 'issuer' | 'certificate' }
  /** `hint` names the option that would answer (--index, --yes), when one would. */
  | { ok: false; reason: string; hint?: string };

export function planSelectionPin(workspace: Workspace, selection: PinSelection, certificates: readonly CertificateInfo[], choices: PinChoices): PinOutcome {
  const backend = selection.selected[0];
  const answers: PinAnswers = {
    ...(choices.index !== undefined ? { certificateIndex: choices.index } : {}),
    ...(selection.instances.length > 1 ? { instances: selection.selected.map((b) => b.key!) } : {}),
    accept: acceptedBy(choices),
  };
  return planRequestPin(workspace, backend, { file: backend.block.file, offset: backend.block.start, certificates, answers });
}

/** The confirmations --yes gives. */
export function acceptedBy(choices: Pick<PinChoices, 'yes'>): NonNullable<PinAnswers['accept']> {
  return choices.yes ? ['root', 'leaf', 'name'] : [];
}

/**
 * Plans one pin request (from a file's certificates, or from what a backend presented to a live check) and turns the
 * flow's answer into an outcome: the edits, a reason, or the question the command line did not answer.
 */
export function planRequestPin(workspace: Workspace, backend: Backend, request: PinRequest): PinOutcome {
  const certificates = request.certificates;
  const plan = workspace.planPin(request);
  if (plan.ok) {
    if (plan.placeholder) {
      return {
        ok: false,
        reason: `the URL host of ${backend.name} is not known from the configuration, so the name to pin is not either`,
        hint: 'pin it in the editor, which selects the name to fill in',
      };
    }
    return { ok: true, edits: plan.edits, subject: plan.subject, thumbprint: plan.thumbprint, kind: plan.kind };
  }
  if ('reason' in plan) return { ok: false, reason: plan.reason.replace(/\.$/, '') };
  return unanswered(plan.question, certificates);
}

/** A question of the pin flow that the command line did not answer, as a refusal. */
function unanswered(question: PinQuestion, certificates: readonly CertificateInfo[]): PinOutcome {
  switch (question.kind) {
    case 'certificate': {
      const list = question.candidates.map((c) => `${c.index}: ${certificates[c.index].subject} (${ROLE_LABELS[c.role]}, ${certificates[c.index].sha1})`);
      return { ok: false, reason: `the file does not say which certificate issues the backend's: ${list.join('; ')}`, hint: '--index N picks one' };
    }
    case 'instances':
      return {
        ok: false,
        reason: `${question.backend} has several instances`,
        hint: `name them: ${question.instances.map((i) => `${question.backend}[${JSON.stringify(i.key)}]`).join(', ')}`,
      };
    case 'confirm':
      return { ok: false, reason: question.message.replace(/\.$/, ''), hint: '--yes pins it anyway' };
  }
}
