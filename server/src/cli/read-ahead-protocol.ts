// What the CLI's thread (read-ahead.ts) and its worker (read-ahead-worker.ts) pass each other.
import type { MessagePort } from 'node:worker_threads';
import type { WasmLocation } from '../core/parse/terraform-parser';
import type { ClosedRead } from '../core/terraform/read-closed';

/** Claims of a batch's files: free, taken by the lint, taken by the thread. */
export const FREE = 0;
export const LINT = 1;
export const THREAD = 2;

export interface ReadAheadSetup {
  wasm: WasmLocation;
  /** Where batches come in and reads go out. */
  port: MessagePort;
  /** [0]: reads posted so far; [1]: 1 once this thread failed. */
  signal: SharedArrayBuffer;
}

export interface ReadAheadBatch {
  batch: number;
  files: Array<{ path: string; text: string }>;
  /** One claim per file: 0 free, 1 the lint's, 2 this thread's. */
  claims: SharedArrayBuffer;
}

export interface ReadAheadResult {
  batch: number;
  index: number;
  read: ClosedRead;
}
