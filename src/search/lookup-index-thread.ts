import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { LookupIndexCounts, LookupIndexData } from './lookup-index-data.js';

/** What the worker answers: LookupIndexData's questions and changes, and the build steps. */
interface ThreadMethods extends Pick<
  LookupIndexData,
  | 'replace'
  | 'exactHolders'
  | 'siteHolders'
  | 'reportUrlsOf'
  | 'caseIdsByKeys'
  | 'severityOf'
  | 'nearDuplicateCandidates'
> {
  /** Starts an empty index beside the live one. */
  startBuild(): null;
  /** `replace` on the index being built. */
  loadBuild: LookupIndexData['replace'];
  /**
   * Makes the index being built the live one (the old one is garbage): its counts, and the
   * epoch that questions must now carry (questions of an older epoch are refused).
   */
  finishBuild(): { counts: LookupIndexCounts; epoch: number };
  /** The worker's heap in use, bytes (after a full collection when `--expose-gc` is on). */
  heapUsed(): number;
}

type ThreadMethod = keyof ThreadMethods;

/** One message to the worker (lookup-index.worker.ts), without its ID. */
export type LookupIndexCall = {
  [M in ThreadMethod]: {
    method: M;
    args: Parameters<ThreadMethods[M]>;
    /** A question's epoch (finishBuild): refused as `stale` when the live index is newer. */
    epoch?: number;
  };
}[ThreadMethod];

/**
 * A call could not be answered: the worker was closed or stopped (its error says why), or a
 * question was asked of an index a rebuild has replaced since (the caller asks the store).
 */
export class LookupIndexLost extends Error {
  override readonly name = 'LookupIndexLost';
}

/**
 * The worker's entry: the compiled `lookup-index.worker.js` beside this file, or, when this runs
 * from the TypeScript sources (tests, benches), the `.ts` one through scripts/tsx-worker.mjs.
 */
function startWorker(): Worker {
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  const entry = pathToFileURL(
    path.join(path.dirname(here), `lookup-index.worker.${fromSource ? 'ts' : 'js'}`),
  );
  const options = {
    execArgv: [],
    // The worker may hold as much as the process was allowed (--max-old-space-size, which V8
    // applies to every thread anyway): the index is most of what a large node holds.
    resourceLimits: {
      maxOldGenerationSizeMb: Math.ceil(getHeapStatistics().heap_size_limit / 2 ** 20),
    },
  };
  if (!fromSource) return new Worker(entry, options);
  const boot = new URL('../../scripts/tsx-worker.mjs', import.meta.url);
  return new Worker(boot, { ...options, workerData: { entry: entry.href } });
}

/**
 * The lookup index's contents held in a worker thread (lookup-index.worker.ts), asked by message:
 * the HTTP thread keeps a small heap, so its garbage collection does not mark the index's
 * millions of objects while it serves requests (bench/lookup.ts at 10 M indicators: the bare
 * route's p99 in the same process was 13–14 ms with the index on its heap).
 *
 * The worker does not keep the process alive while no call is waiting. When it stops on its own
 * (out of memory, a crash) every waiting call and every later one fails with LookupIndexLost and
 * `onLost` is told once.
 */
export class LookupIndexThread {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  #nextId = 0;
  #lost: LookupIndexLost | null = null;

  /**
   * Starts the worker.
   * @param options.onLost told once when the worker stops on its own.
   */
  constructor(options: { onLost: (error: LookupIndexLost) => void }) {
    const { onLost } = options;
    this.#worker = startWorker();
    this.#worker.unref();
    this.#worker.on(
      'message',
      (message: { id: number; result?: unknown; error?: string; stale?: true }) => {
        const waiting = this.#pending.get(message.id);
        if (waiting === undefined) return;
        this.#settled(message.id);
        if (message.stale === true) {
          waiting.reject(new LookupIndexLost('the lookup index was rebuilt during the check'));
        } else if (message.error !== undefined) waiting.reject(new Error(message.error));
        else waiting.resolve(message.result);
      },
    );
    const fail = (error: LookupIndexLost): void => {
      if (this.#lost !== null) return;
      this.#lost = error;
      for (const waiting of this.#pending.values()) waiting.reject(error);
      this.#pending.clear();
      onLost(error);
    };
    this.#worker.on('error', (error) =>
      fail(
        new LookupIndexLost(`the lookup index worker failed: ${error.message}`, { cause: error }),
      ),
    );
    this.#worker.on('exit', (code) =>
      fail(new LookupIndexLost(`the lookup index worker exited (code ${code})`)),
    );
    this.#worker.on('messageerror', (error) =>
      fail(
        new LookupIndexLost(`a lookup index message failed: ${error.message}`, { cause: error }),
      ),
    );
  }

  /**
   * Asks the worker. Arguments and results are copied (structured clone).
   * @throws LookupIndexLost when the worker is closed or stopped; Error with the worker's message
   *   when the method threw there.
   */
  call<M extends ThreadMethod>(
    method: M,
    ...args: Parameters<ThreadMethods[M]>
  ): Promise<ReturnType<ThreadMethods[M]>> {
    return this.#post({ method, args } as LookupIndexCall) as Promise<ReturnType<ThreadMethods[M]>>;
  }

  /**
   * Asks a question of the live index of `epoch` (finishBuild's).
   * @throws LookupIndexLost as call(), and when a rebuild made another index live since.
   */
  ask<M extends ThreadMethod>(
    epoch: number,
    method: M,
    ...args: Parameters<ThreadMethods[M]>
  ): Promise<ReturnType<ThreadMethods[M]>> {
    return this.#post({ method, args, epoch } as LookupIndexCall) as Promise<
      ReturnType<ThreadMethods[M]>
    >;
  }

  #post(call: LookupIndexCall): Promise<unknown> {
    if (this.#lost !== null) return Promise.reject(this.#lost);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      // Posted first: a message that cannot be copied throws here, leaving nothing waiting.
      this.#worker.postMessage({ id, ...call });
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve, reject });
    });
  }

  /**
   * Ends the worker as a crash would: waiting calls fail with LookupIndexLost and `onLost` is
   * told (what the index does then is what it does after a real crash or out-of-memory).
   */
  async crash(): Promise<void> {
    await this.#worker.terminate();
  }

  #settled(id: number): void {
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
  }

  /** Stops the worker; waiting calls fail with LookupIndexLost (onLost is not told). */
  async close(): Promise<void> {
    if (this.#lost === null) {
      this.#lost = new LookupIndexLost('the lookup index worker was closed');
      for (const waiting of this.#pending.values()) waiting.reject(this.#lost);
      this.#pending.clear();
    }
    await this.#worker.terminate();
  }
}
