// The worker thread that checks fuzz inputs, so that the runner can stop an input that runs too long (a parse
// cannot be interrupted from inside the thread running it) and go on with a fresh worker.
import { parentPort, workerData } from 'node:worker_threads';
import { Checker, type Outcome } from './check';
import { keyLinesOf, materialise, type FuzzCase } from './cases';
import { SLOW_INPUTS } from './slow-inputs';
import { seedGroups, type SeedFile } from './seeds';

/** What the runner asks: a generated case, or one of the known slow inputs by index. */
export type WorkRequest = { id: number; case: FuzzCase } | { id: number; known: number };

export interface WorkResult {
  id: number;
  outcome: Outcome;
}

/** The certificate seeds come from the runner: the keys in them are made once, for the files it saves to match. */
export interface WorkerData {
  certificates: SeedFile[];
  tmpRoot: string;
}

async function main(): Promise<void> {
  const port = parentPort!;
  const { certificates, tmpRoot } = workerData as WorkerData;
  const groups = seedGroups();
  const checker = await Checker.create(tmpRoot);
  port.on('message', (request: WorkRequest) => {
    void answer(request).then((outcome) => port.postMessage({ id: request.id, outcome } satisfies WorkResult));
  });
  port.on('close', () => checker.dispose());
  port.postMessage('ready');

  async function answer(request: WorkRequest): Promise<Outcome> {
    if ('known' in request) return checker.checkGroup(SLOW_INPUTS[request.known].files(), true);
    const c = request.case;
    const { files } = materialise(c, groups, certificates);
    return c.kind === 'certificate' ? checker.checkCertificate(files[0], keyLinesOf(certificates[c.seed])) : checker.checkGroup(files);
  }
}

void main();
