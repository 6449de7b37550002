import {
  getPublicCases,
  reportedSitesFrom,
  type HolderSource,
  type PublicCase,
} from '../cases/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { bestNearDuplicate, NEAR_DUPLICATE_CANDIDATE_LIMIT } from '../triage/index.js';
import { listenToStore, writesThrough, type StoreListener } from '../store/index.js';
import { compareCodePoints, type LookupIndexCounts } from './lookup-index-data.js';
import { LookupIndexLost, LookupIndexThread } from './lookup-index-thread.js';
import {
  caseIdsAfter,
  changeIdRange,
  changeSnapshot,
  changesUnseen,
  currentSchema,
  loadCaseFacts,
} from './lookup-index.repo.js';
import { pruneLookupChanges } from './hash-lists.service.js';
import { severityOf } from './lookup.repo.js';
import type { LookupSource } from './lookup-source.js';
import type { LookupResult } from './lookup.service.js';

/** The PostgreSQL channel migration 0022's triggers notify (payload: the schema). */
export const LOOKUP_CHANNEL = 'scamnet_lookup';

/** Sizes of the lookup index's work. */
export const LOOKUP_INDEX_LIMITS = {
  /** Cases loaded per page while building, and changed cases reloaded per round. */
  page: 1000,
  /** Change rows read per query. */
  changes: 5000,
  /**
   * Newest change rows kept; older ones are pruned unless this node or the hash-list publisher
   * has not applied them (pruneLookupChanges; another node further behind rebuilds).
   */
  changesKept: 100_000,
  /** Polls between two prunes of lookup_changes. */
  prunePolls: 60,
  /** Public case views cached (least recently used evicted first). */
  views: 10_000,
  /** Whole check answers cached (least recently used first; all dropped at every change). */
  answers: 5_000,
  /** Wait before opening a lost LISTEN connection again, ms. */
  reconnectMs: 250,
  /**
   * Longest wait before starting a worker again after one was lost, ms (the wait doubles from
   * the poll interval at each loss in a row).
   */
  retryMaxMs: 300_000,
} as const;

/** The state of a lookup index: checks use the store until it is `ready`. */
export type LookupIndexState = 'building' | 'ready' | 'stopped';

/** Options of a LookupIndex. */
export interface LookupIndexOptions {
  /** Interval of the safety-net read of lookup_changes, ms (catches what no wake-up announced). */
  pollMs: number;
  /** PostgreSQL: listen for the change notifications (default true). */
  listen?: boolean;
  /** Wait before opening a lost LISTEN connection again, ms (default LOOKUP_INDEX_LIMITS.reconnectMs). */
  reconnectMs?: number;
}

/** Figures of an index, for /healthz, logs and bench/lookup.ts. */
export interface LookupIndexStats {
  state: LookupIndexState;
  cases: number;
  /** Public indicator links held. */
  holdings: number;
  /** Keys in the exact, expression and merge-key maps. */
  lookupKeys: number;
  /** Near-duplicate texts held, and the distinct LSH band keys they hold. */
  texts: number;
  bandKeys: number;
  /** Duration of the last (re)build, ms; null before the first one ends. */
  buildMs: number | null;
  /** The highest lookup_changes ID applied. */
  lastChangeId: number;
  cachedViews: number;
  cachedAnswers: number;
  /** PostgreSQL: a LISTEN connection is open. */
  listening: boolean;
  /** Worker threads lost in a row (out of memory, crash); 0 once a build is ready again. */
  workerLosses: number;
}

/**
 * The in-memory lookup index (issue 14; DESIGN.md "Hot lookups"): answers the checks of
 * `GET`/`POST /api/v1/lookup` from memory with the same results as the SQL path
 * (lookup-source.ts), near-duplicate messages included (their texts and LSH band keys are held).
 *
 * - Start: `start()` returns at once and builds the index in pages of LOOKUP_INDEX_LIMITS.page
 *   cases; until it is `ready`, `current()` returns null and checks use the SQL path.
 * - Kept current: migration 0022's triggers write every changed case into lookup_changes in the
 *   changing transaction. The index reloads the cases of the rows after the last one it applied:
 *   before answering a check when a query that may write went through this process's store
 *   handle since it last looked (the committing process sees its own changes at once), on a
 *   PostgreSQL NOTIFY from any node, when its LISTEN connection is opened again (it may have
 *   missed notifications), and every `pollMs` as a safety net (other processes on one SQLite
 *   file, lost notifications). A node more than LOOKUP_INDEX_LIMITS.changesKept changes behind
 *   rebuilds.
 * - Public case views are cached and dropped when their case changes; whole answers are cached
 *   (`answer`) and all dropped at every change applied.
 */
export class LookupIndex {
  readonly #deps: Pick<ServiceDeps, 'db' | 'dialect' | 'config' | 'log'>;
  readonly #options: Required<LookupIndexOptions>;
  #state: LookupIndexState = 'building';
  /** The worker holding the contents; null before start, after stop, and after it was lost. */
  #data: LookupIndexThread | null = null;
  #counts: LookupIndexCounts = { cases: 0, holdings: 0, lookupKeys: 0, texts: 0, bandKeys: 0 };
  /** The epoch of the worker's live index (finishBuild): questions carry it. */
  #epoch = 0;
  /** Workers lost in a row (reset when a build is ready), and when the next may start (ms). */
  #losses = 0;
  #retryAtMs = 0;
  #lastId = 0;
  /** PostgreSQL: the snapshot taken before the last read (ChangeReader); null on SQLite. */
  #snapshot: string | null = null;
  #seenWrites: number | undefined = -1;
  #running: Promise<void> | null = null;
  #queued: Promise<void> | null = null;
  #building: Promise<void> | null = null;
  #buildMs: number | null = null;
  #polls = 0;
  #timer: NodeJS.Timeout | null = null;
  #listener: StoreListener | null = null;
  #reconnect: NodeJS.Timeout | null = null;
  #schema = '';
  readonly #views = new Map<string, PublicCase>();
  readonly #answers = new Map<string, LookupResult>();
  /** Changes applied so far: a view read across one is not cached (it may predate it). */
  #generation = 0;

  constructor(
    deps: Pick<ServiceDeps, 'db' | 'dialect' | 'config' | 'log'>,
    options: LookupIndexOptions,
  ) {
    this.#deps = deps;
    this.#options = {
      listen: true,
      reconnectMs: LOOKUP_INDEX_LIMITS.reconnectMs,
      ...options,
    };
  }

  /** Whether stop() was called (a method: TypeScript would narrow a field read across awaits). */
  #stopped(): boolean {
    return this.#state === 'stopped';
  }

  /** `building` until the first build ends, then `ready`; `stopped` after stop(). */
  get state(): LookupIndexState {
    return this.#state;
  }

  /** Current figures (counts are of entries, not bytes: bench/lookup.ts measures bytes). */
  stats(): LookupIndexStats {
    return {
      state: this.#state,
      ...this.#counts,
      buildMs: this.#buildMs,
      lastChangeId: this.#lastId,
      cachedViews: this.#views.size,
      cachedAnswers: this.#answers.size,
      listening: this.#listener !== null,
      workerLosses: this.#losses,
    };
  }

  /**
   * Starts building in the background, listening (PostgreSQL) and polling; returns at once.
   * Errors are logged, never thrown: a failed build is tried again at the next poll. Idempotent.
   */
  start(): void {
    if (this.#timer !== null || this.#stopped()) return;
    if (this.#deps.dialect === 'postgres' && this.#options.listen) void this.#listen();
    this.#building = this.#build();
    this.#timer = setInterval(() => void this.#poll(), this.#options.pollMs);
    this.#timer.unref();
  }

  /** Stops listening and polling and waits for the work in flight; current() returns null after. */
  async stop(): Promise<void> {
    this.#state = 'stopped';
    if (this.#timer !== null) clearInterval(this.#timer);
    if (this.#reconnect !== null) clearTimeout(this.#reconnect);
    await this.#listener?.close();
    this.#listener = null;
    await Promise.allSettled([this.#building, this.#running, this.#queued]);
    await this.#data?.close();
    this.#data = null;
  }

  /**
   * The heap the index's worker thread uses, bytes (after a full collection when the process runs
   * with `--expose-gc`); null when no worker runs or it stopped. For bench/lookup.ts's memory
   * figure.
   */
  async heapBytes(): Promise<number | null> {
    try {
      return (await this.#data?.call('heapUsed')) ?? null;
    } catch (error) {
      if (error instanceof LookupIndexLost) return null;
      throw error;
    }
  }

  /**
   * Ends the index's worker as a crash or an out-of-memory would (what follows is what follows a
   * real loss: checks from the store, a new worker after a wait); for tests of that recovery.
   */
  async crashWorker(): Promise<void> {
    await this.#data?.crash();
  }

  /**
   * The worker, started when none runs.
   * @throws LookupIndexLost after stop().
   */
  #thread(): LookupIndexThread {
    if (this.#stopped()) throw new LookupIndexLost('the lookup index is stopped');
    this.#data ??= new LookupIndexThread({
      onLost: (error) => this.#lost(error),
    });
    return this.#data;
  }

  /** The worker stopped on its own: checks use the store until the next poll has rebuilt it. */
  #lost(error: LookupIndexLost): void {
    this.#data = null;
    this.#counts = { cases: 0, holdings: 0, lookupKeys: 0, texts: 0, bandKeys: 0 };
    this.#views.clear();
    this.#answers.clear();
    this.#generation++;
    if (this.#stopped()) return;
    this.#state = 'building';
    // A worker that keeps failing (a store too large for its heap) is not rebuilt every poll.
    this.#losses++;
    this.#retryAtMs =
      Date.now() +
      Math.min(this.#options.pollMs * 2 ** this.#losses, LOOKUP_INDEX_LIMITS.retryMaxMs);
    this.#deps.log.error(
      { err: error, losses: this.#losses },
      'lookup index: worker lost; checks use the store until it is rebuilt',
    );
  }

  /**
   * Resolves when the index is ready (or stopped); for tests and the benchmark.
   * @throws Error when a build ended without making it ready (the store failed; see the log).
   */
  async whenReady(): Promise<void> {
    while (this.#state === 'building') {
      const building = this.#building;
      if (building === null) throw new Error('The lookup index build failed.');
      await building;
    }
  }

  /**
   * The index as a lookup source, current with every change this process has made, or null while
   * it builds, after stop(), or when reading the changes failed (the caller uses the store). Its
   * questions fail with LookupIndexLost when the worker stops on its own meanwhile.
   */
  async current(): Promise<LookupSource | null> {
    if (!(await this.#caughtUp())) return null;
    return this.#data === null ? null : this.#source(this.#data, this.#epoch);
  }

  /**
   * True when the index is ready and holds every change committed before the call (see
   * current()); false when it is not ready or reading the changes failed (logged).
   */
  async #caughtUp(): Promise<boolean> {
    if (this.#state !== 'ready') return false;
    const writes = writesThrough(this.#deps.db);
    // A read already running (a poll's, a notification's) may hold changes not applied yet.
    const pending =
      writes === undefined || writes !== this.#seenWrites ? this.catchUp() : this.#running;
    if (pending !== null) {
      try {
        await pending;
      } catch (error) {
        this.#deps.log.warn({ err: error }, 'lookup index: reading changes failed');
        return false;
      }
    }
    return this.#state === 'ready';
  }

  /**
   * Applies every change committed before the call (a read already running may have missed some,
   * so a call during one waits for the next). Serialised: one read at a time.
   * @throws the store's error when the read fails.
   */
  catchUp(): Promise<void> {
    if (this.#queued !== null) return this.#queued;
    if (this.#running !== null) {
      this.#queued = this.#running
        .catch(() => undefined)
        .then(() => {
          this.#queued = null;
          return this.catchUp();
        });
      return this.#queued;
    }
    this.#running = this.#readChanges().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /**
   * The answer of one check from the index: from the answer cache when no change was applied
   * since it was computed (every applied change drops every cached answer, so an answer is never
   * older than the index), else `compute(source)`, cached. Null when the index is not ready
   * (the caller answers from the store), and when the index's worker was lost during the check.
   * @param key the check's identity: its kind and exact input (`url\0…`, `q\0…`).
   * @throws what `compute` throws (an invalid query): nothing is cached then.
   */
  async answer(
    key: string,
    compute: (source: LookupSource) => Promise<LookupResult>,
  ): Promise<LookupResult | null> {
    if (!(await this.#caughtUp())) return null;
    const data = this.#data;
    if (data === null) return null;
    const epoch = this.#epoch;
    const cached = this.#answers.get(key);
    if (cached !== undefined) {
      this.#answers.delete(key);
      this.#answers.set(key, cached);
      return cached;
    }
    const generation = this.#generation;
    let result: LookupResult;
    try {
      result = await compute(this.#source(data, epoch));
    } catch (error) {
      if (error instanceof LookupIndexLost) return null;
      throw error;
    }
    if (generation === this.#generation) {
      this.#answers.set(key, result);
      if (this.#answers.size > LOOKUP_INDEX_LIMITS.answers) {
        const oldest = this.#answers.keys().next();
        if (oldest.done !== true) this.#answers.delete(oldest.value);
      }
    }
    return result;
  }

  /**
   * The index as a lookup source: questions go to the worker `data`, for its live index of
   * `epoch` (a rebuild swapping in another fails them with LookupIndexLost: the new index may
   * not yet hold changes the old one had applied).
   */
  #source(data: LookupIndexThread, epoch: number): LookupSource {
    // A question about nothing has the empty answer in any index: it is not sent to the worker
    // (a check of an unknown link asks three of them).
    const holders: HolderSource = {
      exactHolders: async (indicators, filter) =>
        indicators.length === 0 ? [] : data.ask(epoch, 'exactHolders', indicators, filter),
      siteHolders: async (expressions, reportedUrl, filter) =>
        expressions.length === 0
          ? []
          : data.ask(epoch, 'siteHolders', expressions, reportedUrl, filter),
      reportedSitesOf: async (caseIds) =>
        reportedSitesFrom(
          caseIds.length === 0 ? [] : await data.ask(epoch, 'reportUrlsOf', caseIds),
        ),
    };
    return {
      holders,
      caseIdsByKeys: async (keys) =>
        keys.length === 0 ? [] : data.ask(epoch, 'caseIdsByKeys', keys),
      severityOf: async (caseIds) => {
        if (caseIds.length === 0) return [];
        const { rows, unknown } = await data.ask(epoch, 'severityOf', caseIds);
        if (unknown.length === 0) return rows;
        const stored = await severityOf(this.#deps.db, unknown);
        return [...rows, ...stored].sort((a, b) => compareCodePoints(a.id, b.id));
      },
      publicCases: (caseIds) => this.#publicCases(caseIds),
      nearDuplicateCase: async (signature) =>
        bestNearDuplicate(
          signature.text,
          await data.ask(
            epoch,
            'nearDuplicateCandidates',
            signature.bandKeys,
            NEAR_DUPLICATE_CANDIDATE_LIMIT,
          ),
        ),
    };
  }

  /** getPublicCases through the view cache (only views of cases with reports are cached). */
  async #publicCases(caseIds: readonly string[]): Promise<PublicCase[]> {
    const missing = caseIds.filter((id) => !this.#views.has(id));
    if (missing.length > 0) {
      const generation = this.#generation;
      const loaded = await getPublicCases(this.#deps, missing);
      if (generation === this.#generation) {
        for (const view of loaded) if (view.reportCount > 0) this.#cacheView(view);
      }
      const byId = new Map(loaded.map((v) => [v.id, v]));
      return caseIds.flatMap((id) => {
        const view = this.#views.get(id) ?? byId.get(id);
        return view === undefined ? [] : [view];
      });
    }
    return caseIds.flatMap((id) => {
      const view = this.#views.get(id);
      return view === undefined ? [] : [view];
    });
  }

  #cacheView(view: PublicCase): void {
    this.#views.delete(view.id);
    this.#views.set(view.id, view);
    if (this.#views.size > LOOKUP_INDEX_LIMITS.views) {
      const oldest = this.#views.keys().next();
      if (oldest.done !== true) this.#views.delete(oldest.value);
    }
  }

  /** Builds a fresh index from the store in pages, then swaps it in and applies later changes. */
  async #build(): Promise<void> {
    const { db, dialect } = this.#deps;
    const started = performance.now();
    try {
      const snapshot = await changeSnapshot(db, dialect);
      const { max } = await changeIdRange(db);
      const data = this.#thread();
      await data.call('startBuild');
      // The worker indexes one page while this thread reads the next.
      let indexing: Promise<unknown> = Promise.resolve();
      let after = '';
      for (;;) {
        if (this.#stopped()) return;
        const ids = await caseIdsAfter(db, after, LOOKUP_INDEX_LIMITS.page);
        if (ids.length === 0) break;
        const facts = await loadCaseFacts(db, ids);
        await indexing;
        indexing = data.call('loadBuild', ids, facts);
        indexing.catch(() => undefined); // awaited at the next page or after the last
        after = ids[ids.length - 1] ?? after;
      }
      await indexing;
      if (this.#stopped()) return;
      const live = await data.call('finishBuild');
      this.#counts = live.counts;
      this.#epoch = live.epoch;
      this.#lastId = max;
      this.#snapshot = snapshot;
      this.#views.clear();
      this.#answers.clear();
      this.#generation++;
      this.#seenWrites = -1;
      await this.catchUp();
      // A worker lost after finishBuild (its catch-up may not have asked it anything).
      if (this.#data !== data) throw new LookupIndexLost('the lookup index worker was lost');
      this.#buildMs = performance.now() - started;
      this.#losses = 0;
      if (this.#state === 'building') this.#state = 'ready';
      this.#deps.log.info({ lookupIndex: this.stats() }, 'lookup index built');
    } catch (error) {
      if (!this.#stopped()) {
        this.#deps.log.error({ err: error }, 'lookup index: build failed; checks use the store');
      }
    } finally {
      this.#building = null;
    }
  }

  /**
   * Reads the rows of lookup_changes this node has not applied (changesUnseen: after the last ID
   * and, on PostgreSQL, of transactions the previous read's snapshot could not see) and reloads
   * their cases. A transaction left open does not make reads repeat: its rows are read once it
   * commits.
   */
  async #readChanges(): Promise<void> {
    const { db, dialect } = this.#deps;
    this.#seenWrites = writesThrough(db);
    const snapshot = await changeSnapshot(db, dialect);
    const reader = { changeId: this.#lastId, snapshot: this.#snapshot };
    let lastId = this.#lastId;
    let from = 0;
    for (;;) {
      const rows = await changesUnseen(db, dialect, reader, from, LOOKUP_INDEX_LIMITS.changes);
      const last = rows.at(-1);
      if (last === undefined) break;
      await this.#reload([...new Set(rows.map((r) => r.caseId))]);
      for (const row of rows) if (row.id > lastId) lastId = row.id;
      if (rows.length < LOOKUP_INDEX_LIMITS.changes) break;
      from = last.id;
    }
    this.#lastId = lastId;
    this.#snapshot = snapshot;
  }

  /** Reloads `caseIds` from the store into the index and drops their cached views. */
  async #reload(caseIds: readonly string[]): Promise<void> {
    for (let i = 0; i < caseIds.length; i += LOOKUP_INDEX_LIMITS.page) {
      const ids = caseIds.slice(i, i + LOOKUP_INDEX_LIMITS.page);
      const facts = await loadCaseFacts(this.#deps.db, ids);
      const data = this.#data;
      if (data === null) throw new LookupIndexLost('the lookup index worker is not running');
      this.#counts = await data.call('replace', ids, facts);
      this.#generation++;
      this.#answers.clear();
      for (const id of ids) this.#views.delete(id);
    }
  }

  /** The safety net: catch up; now and then prune old changes and rebuild when pruned past. */
  async #poll(): Promise<void> {
    if (this.#stopped() || this.#building !== null) return;
    try {
      if (this.#state === 'building') {
        if (Date.now() >= this.#retryAtMs) this.#building = this.#build();
        return;
      }
      const { min, max } = await changeIdRange(this.#deps.db);
      if (this.#stopped() || this.#building !== null) return;
      if (min > this.#lastId + 1) {
        this.#deps.log.warn('lookup index: changes were pruned past this node; rebuilding');
        this.#building = this.#build();
        return;
      }
      await this.catchUp();
      this.#polls++;
      if (this.#polls % LOOKUP_INDEX_LIMITS.prunePolls === 0) {
        const below = max - LOOKUP_INDEX_LIMITS.changesKept;
        if (below > min) {
          await pruneLookupChanges(this.#deps, {
            belowId: below,
            node: {
              changeId: this.#lastId,
              snapshot: this.#snapshot,
            },
            publisherSlack: LOOKUP_INDEX_LIMITS.changesKept,
          });
        }
      }
    } catch (error) {
      if (!this.#stopped()) this.#deps.log.warn({ err: error }, 'lookup index: poll failed');
    }
  }

  /** PostgreSQL: LISTEN for change notifications; reopen when lost, then catch up. */
  async #listen(): Promise<void> {
    const { config } = this.#deps;
    if (config.store.dialect !== 'postgres' || this.#stopped()) return;
    try {
      if (this.#schema === '') this.#schema = await currentSchema(this.#deps.db);
      const listener = await listenToStore(config.store.connectionString, LOOKUP_CHANNEL, {
        onNotify: (schema) => {
          if (schema === this.#schema && this.#state === 'ready') void this.#wake();
        },
        onLost: () => this.#listenAgain(),
      });
      if (this.#stopped()) {
        await listener.close();
        return;
      }
      this.#listener = listener;
      // Notifications sent while no connection listened are lost: read what they announced.
      if (this.#state === 'ready') await this.#wake();
    } catch (error) {
      if (!this.#stopped()) {
        this.#deps.log.warn({ err: error }, 'lookup index: LISTEN failed; trying again');
        this.#listenAgain();
      }
    }
  }

  #listenAgain(): void {
    this.#listener = null;
    if (this.#stopped()) return;
    this.#reconnect = setTimeout(() => void this.#listen(), this.#options.reconnectMs);
    this.#reconnect.unref();
  }

  async #wake(): Promise<void> {
    try {
      await this.catchUp();
    } catch (error) {
      if (!this.#stopped()) this.#deps.log.warn({ err: error }, 'lookup index: catch-up failed');
    }
  }
}
