// The questions a pin must have answered before anything is written (DESIGN §4, "A pin must be right, or not
// written"): which instances of a `for_each` backend, which certificate of the file, whether a root or a leaf is
// really meant, and which name to pin when the file's leaf does not name the backend's host. Every client asks them
// the same way: the answer to a question is a set of `PinAnswers` sent back with the same request.
import { certificateNameMatches, urlHostOf } from '../hosts';
import { asBool, sameSpan, type Backend } from '../model';
import type { Span } from '../types';
import { chooseIssuingCa, isSelfSigned, rankCertificates, signs, type CertificateRole } from '../certificates/choose';
import type { CertificateInfo } from '../certificates/types';

/** The confirmations a pin may need: a self-signed root, a leaf, a leaf whose names miss the URL host. */
export type PinCheck = 'root' | 'leaf' | 'name';

/** What the user has answered so far; each question's options carry the complete answers for the next request. */
export interface PinAnswers {
  /** Which certificate of the file to pin (its position in the file). */
  certificateIndex?: number;
  /** The `for_each` keys to pin, for a backend with several instances. */
  instances?: string[];
  /** The confirmations given. */
  accept?: PinCheck[];
  /** The name to pin instead of the one the URL host and the leaf give (one instance only). */
  name?: string;
}

export interface PinRequest {
  file: string;
  /** Anywhere in the backend's block, or on one of its findings (a finding of one instance pins that instance). */
  offset: number;
  /** Every certificate of the file the user picked, in file order; or what the backend presented, leaf first. */
  certificates: readonly CertificateInfo[];
  answers?: PinAnswers;
  /** Where the certificates come from: a file (the default) or a live check; the questions say which. */
  origin?: 'file' | 'live';
}

export type PinQuestion =
  | { kind: 'certificate'; candidates: CertificateCandidate[] }
  | { kind: 'instances'; backend: string; instances: InstanceCandidate[] }
  | { kind: 'confirm'; check: PinCheck; message: string; options: PinOption[] };

export interface CertificateCandidate {
  index: number;
  role: CertificateRole;
  label: string;
  /** The one to select before the user does anything: the issuing CA, never a root or a leaf. */
  preselected: boolean;
}

export interface InstanceCandidate {
  key: string;
  /** The URL host, when the configuration knows it. */
  host?: string;
  /** Whether the instance already has a pin. */
  pinned: boolean;
  /** Selected at first: unpinned instances whose validation is switched off. */
  preselected: boolean;
}

/** One answer to a confirmation, safest first. An option with neither `answers` nor `pickFile` cancels. */
export interface PinOption {
  label: string;
  detail: string;
  /** The complete answers to send with the next request. */
  answers?: PinAnswers;
  /** Ask for another certificate file, and send `answers` with it. */
  pickFile?: boolean;
}

export interface PinDecision {
  certificate: CertificateInfo;
  kind: 'issuer' | 'certificate';
  /** The instances to pin, each with the name to write (undefined when nothing tells it: the placeholder). */
  targets: Array<{ backend: Backend; name: string | undefined }>;
}

export type PinDecisionResult = { ok: true; decision: PinDecision } | { ok: false; reason: string } | { ok: false; question: PinQuestion };

export interface DecideOptions {
  /** Whether a leaf may be pinned (serverCertificateThumbprints) at all where this backend is written. */
  allowLeaf: boolean;
  /** Why not, when it may not. */
  leafRefusal?: string;
}

/**
 * Decides what to pin, or asks. `instances` are all instances of the backend's resource (one unless `for_each`);
 * `backend` is the one the request's offset found.
 */
export function decidePin(backend: Backend, instances: readonly Backend[], request: PinRequest, options: DecideOptions): PinDecisionResult {
  const answers = request.answers ?? {};
  const accepted = new Set(answers.accept ?? []);
  const live = request.origin === 'live';

  const chosen = chooseInstances(backend, instances, request.file, request.offset, answers);
  if (!chosen.ok) return chosen;
  const targets = chosen.instances;

  const certs = request.certificates;
  const holder = live ? 'The backend presented' : 'The file has';
  if (certs.length === 0) return refuse(`${holder} no certificate.`);
  let index: number;
  if (answers.certificateIndex !== undefined) {
    if (!Number.isInteger(answers.certificateIndex) || answers.certificateIndex < 0 || answers.certificateIndex >= certs.length) {
      return refuse(`${holder} ${certs.length} certificate(s); there is no certificate ${answers.certificateIndex}.`);
    }
    index = answers.certificateIndex;
  } else {
    const choice = chooseIssuingCa(certs);
    if (choice.kind === 'ask') {
      return ask({
        kind: 'certificate',
        candidates: choice.candidates.map((c, i) => ({ ...c, preselected: i === 0 && c.role === 'issuing' })),
      });
    }
    index = choice.index;
  }
  const certificate = certs[index];
  const base: PinAnswers = { ...answers, certificateIndex: index, ...(instances.length > 1 ? { instances: targets.map((t) => t.key!) } : {}) };
  const accept = (check: PinCheck): PinAnswers => ({ ...base, accept: [...(answers.accept ?? []), check] });
  const pickFile: PinOption = {
    label: 'Pick the issuing CA file instead…',
    detail: 'The CA that signs the backend certificate: its pin survives renewals.',
    pickFile: true,
    answers: instances.length > 1 ? { instances: base.instances } : {},
  };
  const cancel: PinOption = { label: 'Cancel', detail: 'Nothing is written.' };

  if (!certificate.isCa) {
    if (!options.allowLeaf) return refuse(options.leafRefusal ?? 'Only an issuing CA can be pinned here.');
    if (!accepted.has('leaf')) {
      const acceptLeaf: PinOption = {
        label: 'Pin the leaf certificate anyway',
        detail: 'serverCertificateThumbprints: pin it again at every renewal.',
        answers: accept('leaf'),
      };
      if (live && isSelfSigned(certificate)) {
        return ask({
          kind: 'confirm',
          check: 'leaf',
          message:
            `${commonName(certificate.subject)}, the certificate the backend presents, is self-signed: there is no CA to pin. Pinning ` +
            'it writes serverCertificateThumbprints, which matches this one certificate: when the backend gets a new one, APIM ' +
            'answers 500 until it is pinned again.',
          options: [{ ...acceptLeaf, label: 'Pin the self-signed certificate' }, cancel],
        });
      }
      return ask({
        kind: 'confirm',
        check: 'leaf',
        message: live
          ? `The backend presents only its own certificate, ${commonName(certificate.subject)}, not the CA that issues it ` +
            `(${commonName(certificate.issuer)}). Pinning the leaf writes serverCertificateThumbprints, which matches this one ` +
            'certificate: the pin breaks at every renewal, and APIM answers 500 until it is pinned again. Pin the issuing CA from ' +
            'its file instead, and make the backend send its chain.'
          : `${commonName(certificate.subject)} is the backend's own certificate (a leaf), not a CA. Pinning it writes ` +
            'serverCertificateThumbprints, which matches this one certificate: the pin breaks at every renewal, and APIM answers ' +
            '500 until it is pinned again. Pin the CA that issues it instead.',
        options: [...issuingAlternatives(certs, index, base), pickFile, acceptLeaf, cancel],
      });
    }
  } else if (isSelfSigned(certificate) && !certs.some((c) => !c.isCa && signs(certificate, c)) && !accepted.has('root')) {
    return ask({
      kind: 'confirm',
      check: 'root',
      message:
        `${commonName(certificate.subject)} is a self-signed root CA. APIM's serverX509Names pin compares the thumbprint of the CA ` +
        "that directly signs the backend's certificate (the issuing CA), so a root pin matches only when the root signs the " +
        'backend certificate itself, with no intermediate CA; otherwise every call answers 500.',
      options: [
        ...issuingAlternatives(certs, index, base),
        pickFile,
        { label: 'Pin the root anyway', detail: 'Right only when the root signs the backend certificate directly.', answers: accept('root') },
        cancel,
      ],
    });
  }

  const leaves = certificate.isCa ? certs.filter((c) => !c.isCa && signs(certificate, c)) : [certificate];
  const named = targets.map((backend) => nameFor(backend, leaves, answers.name !== undefined && targets.length === 1 ? answers.name : undefined));
  const misses = named.filter((n) => n.miss);
  if (misses.length && !accepted.has('name')) {
    const leafNames = [...new Set(leaves.flatMap((l) => l.names))];
    const shown = leafNames.slice(0, 3).join(', ') + (leafNames.length > 3 ? ', …' : '');
    const calls = misses.map((m) => `${m.backend.name} calls ${m.host}`).join('; ');
    const pinOptions: PinOption[] = [cancel];
    if (certificate.isCa) {
      pinOptions.push({
        label: misses.length === 1 ? `Pin with the URL host ${misses[0].host}` : 'Pin with each URL host',
        detail: live
          ? 'The issuing CA is right; calls fail on the name until the backend presents a certificate that carries the URL host.'
          : 'When the leaf belongs to another backend of the same CA: the issuing CA is right, the name is the URL host.',
        answers: accept('name'),
      });
    }
    if (targets.length === 1) {
      for (const n of leafNames.slice(0, 3)) {
        pinOptions.push({
          label: `Pin with the leaf's name ${n}`,
          detail: 'When the backend really is reached under that name: change the URL to match, or APIM007 reports the mismatch.',
          answers: { ...accept('name'), name: n },
        });
      }
    }
    const why = "APIM checks the backend certificate's name against the URL host, so the backend would answer 500 at the first call.";
    return ask({
      kind: 'confirm',
      check: 'name',
      message: live
        ? `The backend presents a certificate issued to ${shown || 'no host name'}, but ${calls}. ${why} Pin it all the same?`
        : `The leaf certificate in this file is issued to ${shown || 'no host name'}, but ${calls}. ${why} Is this the certificate file of this backend?`,
      options: pinOptions,
    });
  }
  return {
    ok: true,
    decision: { certificate, kind: certificate.isCa ? 'issuer' : 'certificate', targets: named.map((n) => ({ backend: n.backend, name: n.name })) },
  };
}

/** The instances to pin: those answered, the one the offset points at, the only one, or a question. */
function chooseInstances(
  backend: Backend,
  instances: readonly Backend[],
  file: string,
  offset: number,
  answers: PinAnswers,
): { ok: true; instances: Backend[] } | { ok: false; reason: string } | { ok: false; question: PinQuestion } {
  if (instances.length <= 1) return { ok: true, instances: [backend] };
  if (answers.instances !== undefined) {
    const keys = [...new Set(answers.instances)];
    const unknown = keys.filter((k) => !instances.some((b) => b.key === k));
    if (unknown.length) return refuse(`${backend.address} has no instance ${unknown.map((k) => JSON.stringify(k)).join(', ')}.`);
    if (keys.length === 0) return refuse(`No instance of ${backend.address} was chosen.`);
    return { ok: true, instances: instances.filter((b) => keys.includes(b.key!)) };
  }
  const own = instances.filter((b) => [b.validateChain, b.validateName, b.url].some((bound) => ownValueAt(bound?.val.span, file, offset, b, instances)));
  if (own.length === 1) return { ok: true, instances: own };
  return ask({
    kind: 'instances',
    backend: backend.address,
    instances: instances.map((b) => {
      const pinned = b.pins.some((p) => !p.uncertain);
      return {
        key: b.key!,
        host: urlHostOf(b.url?.val)?.host,
        pinned,
        preselected: !pinned && (asBool(b.validateChain?.val) === false || asBool(b.validateName?.val) === false),
      };
    }),
  });
}

/** Whether `span`, a value of instance `b`, holds the offset and is written for that instance alone (a map entry). */
function ownValueAt(span: Span | undefined, file: string, offset: number, b: Backend, all: readonly Backend[]): boolean {
  if (!span || span.file !== file || span.start > offset || offset > span.end) return false;
  // A value written once in the resource block is every instance's; an entry of the for_each map is one instance's.
  return !all.some((o) => o !== b && [o.validateChain, o.validateName, o.url].some((x) => x?.val.span && sameSpan(x.val.span, span)));
}

/**
 * The name to pin for one instance: the explicit answer; else the URL host, or the wildcard of the leaf that covers
 * it when the leaf has no exact name for it (DESIGN §1a); a miss when the file's leaves name other hosts only.
 */
function nameFor(backend: Backend, leaves: readonly CertificateInfo[], explicit: string | undefined) {
  const host = urlHostOf(backend.url?.val)?.host;
  if (explicit !== undefined) return { backend, host, name: explicit, miss: false };
  const names = leaves.flatMap((l) => l.names);
  if (host === undefined || names.length === 0) return { backend, host, name: host, miss: false };
  if (names.some((n) => n.toLowerCase().replace(/\.$/, '') === host.toLowerCase().replace(/\.$/, ''))) return { backend, host, name: host, miss: false };
  const wildcard = names.find((n) => n.startsWith('*.') && certificateNameMatches(n, host));
  if (wildcard) return { backend, host, name: wildcard, miss: false };
  return { backend, host, name: host, miss: true };
}

/** "Pin <issuing CA> instead" for each issuing CA of the file other than the certificate in question. */
function issuingAlternatives(certs: readonly CertificateInfo[], index: number, base: PinAnswers): PinOption[] {
  return rankCertificates(certs)
    .filter((r) => r.role === 'issuing' && r.index !== index)
    .map((r) => ({
      label: `Pin ${commonName(certs[r.index].subject)} instead`,
      detail: 'The issuing CA of this file: what APIM pins.',
      answers: { ...base, certificateIndex: r.index, accept: (base.accept ?? []).filter((c) => c === 'name') },
    }));
}

export function commonName(subject: string): string {
  return /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1] ?? subject;
}

function refuse(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}

function ask(question: PinQuestion): { ok: false; question: PinQuestion } {
  return { ok: false, question };
}
