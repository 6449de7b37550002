/**
 * The lookup index's worker thread (lookup-index-thread.ts starts it): holds the index's contents
 * in this thread's own heap, so that a heap of gigabytes at 10 M indicators is marked and
 * compacted here, not on the thread serving HTTP. One message at a time: a question never sees
 * half a change.
 *
 * Messages in: `{ id, method, args, epoch? }` with a LookupIndexThread method; out:
 * `{ id, result }`, `{ id, error }` (the error's message) when the method threw, or
 * `{ id, stale: true }` for a question whose epoch is not the live index's (a rebuild replaced it).
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { LookupIndexData, type LookupIndexCounts } from './lookup-index-data.js';
import type { LookupIndexCall } from './lookup-index-thread.js';

let live = new LookupIndexData();
/** Incremented at every finishBuild: questions of an older epoch are refused as stale. */
let epoch = 0;
/** The index being built beside the live one (startBuild … finishBuild). */
let next: LookupIndexData | null = null;

function building(): LookupIndexData {
  if (next === null) throw new Error('no build was started');
  return next;
}

/** Heap in use after a full collection when the process exposes one (`--expose-gc`), bytes. */
function heapUsed(): number {
  const gc: unknown = Reflect.get(globalThis, 'gc');
  if (typeof gc === 'function') gc();
  return getHeapStatistics().used_heap_size;
}

function perform(call: LookupIndexCall): unknown {
  switch (call.method) {
    case 'startBuild':
      next = new LookupIndexData();
      return null;
    case 'loadBuild':
      return building().replace(...call.args);
    case 'finishBuild': {
      live = building();
      next = null;
      epoch++;
      return { counts: live.counts satisfies LookupIndexCounts, epoch };
    }
    case 'replace':
      return live.replace(...call.args);
    case 'exactHolders':
      return live.exactHolders(...call.args);
    case 'siteHolders':
      return live.siteHolders(...call.args);
    case 'reportUrlsOf':
      return live.reportUrlsOf(...call.args);
    case 'caseIdsByKeys':
      return live.caseIdsByKeys(...call.args);
    case 'severityOf':
      return live.severityOf(...call.args);
    case 'nearDuplicateCandidates':
      return live.nearDuplicateCandidates(...call.args);
    case 'heapUsed':
      return heapUsed();
  }
}

parentPort?.on('message', (message: { id: number } & LookupIndexCall) => {
  if (message.epoch !== undefined && message.epoch !== epoch) {
    parentPort?.postMessage({ id: message.id, stale: true });
    return;
  }
  try {
    parentPort?.postMessage({ id: message.id, result: perform(message) });
  } catch (error) {
    parentPort?.postMessage({
      id: message.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
