// Runs a worker thread's TypeScript entry (workerData.entry, a file URL) through tsx, for code
// running from the sources (tests, benches): Node 20 does not apply `--import tsx` to a worker,
// so the worker registers tsx's module hooks itself. The built server's workers load their
// compiled `.js` entries directly and never come here.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
