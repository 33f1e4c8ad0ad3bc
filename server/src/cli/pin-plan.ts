// The seam between `apim-tls-lint pin` and the core's pin flow: given the backend instances the command line chose,
// the certificates of the --ca file and the user's --index and --yes, the edit or why not. Everything the command
// needs from Workspace.planPin goes through here, so that the core's flow (which certificate, which instances,
// which confirmations) can change without the command changing.
import { chooseIssuingCa } from '../core/certificates/choose';
import type { CertificateInfo } from '../core/certificates/types';
import type { Backend } from '../core/model';
import type { TextEdit } from '../core/types';
import type { Workspace } from '../core/workspace';

export interface PinSelection {
  /** The instances to pin: one instance of a `for_each` backend, or every instance of the resource. */
  selected: Backend[];
  /** Every instance of the same resource (one unless it has `for_each`). */
  instances: Backend[];
}

export interface PinChoices {
  /** --index: the certificate of the file to pin, by its position. */
  index?: number;
  /** --yes: the confirmations a pin may need (a root, a leaf) are given. */
  yes: boolean;
}

export type PinOutcome =
  | { ok: true; edits: TextEdit[]; certificate: CertificateInfo; kind: 'issuer' | 'certificate' }
  /** `hint` names the option that would answer (--index, --yes), when one would. */
  | { ok: false; reason: string; hint?: string };

export function planSelectionPin(workspace: Workspace, selection: PinSelection, certificates: readonly CertificateInfo[], choices: PinChoices): PinOutcome {
  const backend = selection.selected[0];
  if (selection.selected.length < selection.instances.length) {
    // The pin edit of this build writes one overlay for every instance of a for_each resource, to one CA.
    return {
      ok: false,
      reason: `it is one instance of ${backend.address}, and this build pins every instance of a for_each backend together`,
      hint: `name ${backend.address} to pin all ${selection.instances.length} instances to this CA`,
    };
  }
  const chosen = chooseCertificate(certificates, choices);
  if (!chosen.ok) return chosen;
  const certificate = certificates[chosen.index];
  const confirmation = needsConfirmation(certificate, certificates);
  if (confirmation && !choices.yes) return { ok: false, reason: confirmation, hint: '--yes pins it anyway' };
  const plan = workspace.planPin({ file: backend.block.file, offset: backend.block.start, certificate });
  if (!plan.ok) return { ok: false, reason: plan.reason };
  if (plan.placeholder) {
    return {
      ok: false,
      reason: `the URL host of ${backend.name} is not known from the configuration, so the name to pin is not either`,
      hint: 'pin it in the editor, which selects the name to fill in',
    };
  }
  return { ok: true, edits: plan.edits, certificate, kind: plan.kind };
}

function chooseCertificate(
  certificates: readonly CertificateInfo[],
  choices: PinChoices,
): { ok: true; index: number } | { ok: false; reason: string; hint?: string } {
  if (choices.index !== undefined) {
    if (choices.index >= certificates.length)
      return { ok: false, reason: `the file holds ${certificates.length} certificate(s); there is no certificate ${choices.index}` };
    return { ok: true, index: choices.index };
  }
  const choice = chooseIssuingCa(certificates);
  if (choice.kind === 'chosen') return { ok: true, index: choice.index };
  const list = choice.candidates.map((i) => `${i}: ${certificates[i].subject} (${certificates[i].isCa ? 'CA' : 'leaf'}, ${certificates[i].sha1})`).join('; ');
  return { ok: false, reason: `the file holds several certificates and does not say which issues the backend's: ${list}`, hint: '--index N picks one' };
}

/** What must be confirmed before pinning `certificate`: a leaf (breaks at renewal) or a root (APIM pins the issuing CA). */
function needsConfirmation(certificate: CertificateInfo, all: readonly CertificateInfo[]): string | undefined {
  if (!certificate.isCa) {
    return `${certificate.subject} is a leaf, the backend's own certificate: its pin (serverCertificateThumbprints) breaks at every renewal; pin the CA that issues it instead`;
  }
  const selfSigned = certificate.subject === certificate.issuer;
  const signsAnotherCa = all.some((c) => c !== certificate && c.isCa && c.issuer === certificate.subject && c.subject !== c.issuer);
  if (selfSigned && signsAnotherCa) {
    return `${certificate.subject} is a root: APIM's pin wants the issuing CA that signs the backend's certificate, which the file also holds`;
  }
  return undefined;
}
