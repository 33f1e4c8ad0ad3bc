// The CLI's second thread (read-ahead.ts): loads its own Terraform parser, then reads the files of each batch from the
// last back, claiming each before reading it, and stops where the lint's thread has claimed one.
import * as fs from 'node:fs';
import { workerData } from 'node:worker_threads';
import { loadTerraformParser, setWasmReader } from '../core/parse/terraform-parser';
import { readClosedFile } from '../core/terraform/read-closed';
import { FREE, THREAD, type ReadAheadBatch, type ReadAheadResult, type ReadAheadSetup } from './read-ahead-protocol';

function run({ wasm, port, signal: shared }: ReadAheadSetup): void {
  const signal = new Int32Array(shared);
  const fail = () => {
    Atomics.store(signal, 1, 1);
    Atomics.notify(signal, 0);
  };
  setWasmReader((p) => fs.readFileSync(p));
  const parser = loadTerraformParser(wasm);
  parser.catch(fail);
  port.on('message', (message: ReadAheadBatch) => {
    void parser
      .then((p) => {
        const claims = new Int32Array(message.claims);
        for (let i = message.files.length - 1; i >= 0; i--) {
          if (Atomics.compareExchange(claims, i, FREE, THREAD) !== FREE) break;
          const { path, text } = message.files[i];
          const result: ReadAheadResult = { batch: message.batch, index: i, read: readClosedFile(p, path, text) };
          port.postMessage(result);
          Atomics.add(signal, 0, 1);
          Atomics.notify(signal, 0);
        }
      })
      .catch(fail);
  });
}

run(workerData as ReadAheadSetup);
