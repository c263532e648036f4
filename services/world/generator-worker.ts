// A worker thread of loadRegistry (seed.ts): generates the world's slices it is asked for and
// answers them as COPY lines, with each line's key (a person's ID number, an entity's USCC).
import { parentPort } from 'node:worker_threads';
import { sliceLines, type SliceRequest } from './slices.js';

parentPort!.on('message', (request: SliceRequest) => {
  const slice = sliceLines(request);
  const { persons, enterprises } = slice;
  parentPort!.postMessage(slice, [persons.text.buffer, persons.hashes.buffer, enterprises.text.buffer, enterprises.hashes.buffer]); // moved, not copied
});
