// A second thread that reads Terraform files while the CLI reads others: most of a large workspace's lint is tree-sitter
// parsing, and the machines pipelines run on have two cores or more. The thread is started during the walk, once it
// has met READ_AHEAD_AFTER Terraform files, so that it is ready (its own runtime and grammar loaded) when the lint
// starts reading; the lint then reads the files of a
// rebuild from the first on, the thread from the last back, each claiming a file before reading it, until they meet.
// The lint runs synchronously, so it waits for the thread's reads with Atomics.wait and takes them off the port with
// receiveMessageOnPort. Both threads read a file with the same pure function (terraform/read-closed.ts), so which one
// read it changes nothing in what is found.
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { WasmLocation } from '../core/parse/terraform-parser';
import type { TerraformReadAhead } from '../core/terraform/model-cache';
import type { ClosedRead } from '../core/terraform/read-closed';
import { FREE, LINT, type ReadAheadBatch, type ReadAheadResult, type ReadAheadSetup } from './read-ahead-protocol';

/** The walk starts the thread when it has met this many Terraform files: a smaller run is done before it is ready. */
export const READ_AHEAD_AFTER = 200;
/** A rebuild that reads fewer files than this reads them all itself. */
const MIN_FILES = 32;
/** Without a new read for this long, the thread is taken for stuck or gone, and the lint reads the rest itself. */
const STALLED_MS = 10_000;

/** Set to 0 to read every file on the lint's own thread. */
export const READ_AHEAD_ENV = 'APIM_TLS_LINT_READ_AHEAD';

export class ReadAheadThread implements TerraformReadAhead {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  /** [0]: reads posted so far; [1]: 1 once the thread failed. */
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private readonly results = new Map<string, ClosedRead>();
  private batches = 0;
  private stalled = false;
  /** How many files the thread read, this one and all in the process (for tests and the bench). */
  readCount = 0;
  static readsInProcess = 0;

  /** Starts the thread when a second core is there; undefined otherwise, or when APIM_TLS_LINT_READ_AHEAD is 0. */
  static start(wasm: () => WasmLocation, env: Readonly<Record<string, string | undefined>>): ReadAheadThread | undefined {
    if (env[READ_AHEAD_ENV] === '0' || os.availableParallelism() < 2) return undefined;
    try {
      return new ReadAheadThread(wasm());
    } catch {
      // No wasm files (the lint reports that itself) or no thread to be had: the lint reads everything.
      return undefined;
    }
  }

  constructor(wasm: WasmLocation) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const setup: ReadAheadSetup = { wasm, port: port2, signal: this.signal.buffer };
    this.worker = new Worker(path.join(__dirname, 'read-ahead-worker.js'), { workerData: setup, transferList: [port2] });
    // The process ends when the lint is done, whatever the thread is doing.
    this.worker.unref();
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  offer(files: ReadonlyArray<{ path: string; text: string }>): Map<number, () => ClosedRead | undefined> {
    const waits = new Map<number, () => ClosedRead | undefined>();
    if (files.length < MIN_FILES || this.stalled || Atomics.load(this.signal, 1) === 1) return waits;
    const batch = this.batches++;
    const claims = new Int32Array(new SharedArrayBuffer(4 * files.length));
    const message: ReadAheadBatch = { batch, files: files.map((f) => ({ path: f.path, text: f.text })), claims: claims.buffer };
    this.port.postMessage(message);
    for (let i = 0; i < files.length; i++) waits.set(i, () => this.wait(batch, i, claims));
    return waits;
  }

  /** Stops the thread. */
  dispose(): void {
    this.stalled = true;
    void this.worker.terminate();
  }

  private wait(batch: number, index: number, claims: Int32Array): ClosedRead | undefined {
    // Claimed here first: read here.
    if (Atomics.compareExchange(claims, index, FREE, LINT) === FREE) return undefined;
    const key = `${batch}:${index}`;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      this.drain();
      const read = this.results.get(key);
      if (read) {
        this.results.delete(key);
        return read;
      }
      if (this.stalled || Atomics.load(this.signal, 1) === 1) return undefined;
      if (Atomics.wait(this.signal, 0, seen, STALLED_MS) === 'timed-out') {
        this.stalled = true;
        return undefined;
      }
    }
  }

  /** Takes the reads posted so far off the port. */
  private drain(): void {
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
      const result = m.message as ReadAheadResult;
      this.results.set(`${result.batch}:${result.index}`, result.read);
      this.readCount++;
      ReadAheadThread.readsInProcess++;
    }
  }

  private fail(): void {
    Atomics.store(this.signal, 1, 1);
    Atomics.notify(this.signal, 0);
  }
}
