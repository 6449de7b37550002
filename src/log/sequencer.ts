/**
 * The log's sequencer, as Certificate Transparency logs have one (RFC 9162 §4.1, the maximum
 * merge delay): events are committed with the state changes they record (recordEvent, one row
 * each, no lock shared by writers), and one sequencer at a time — across all nodes on PostgreSQL
 * (an advisory lock), the one writer on SQLite — appends them to the Merkle tree in batches after
 * commit and signs a tree head. Leaf indices follow the order events are sequenced in: `seq`
 * order within a round, and an event that commits after higher `seq`s were sequenced (PostgreSQL
 * hands out `seq` before commit) gets the next index when it becomes visible, never skipped
 * (listUnsequencedEvents). Nothing committed is lost if a process dies before sequencing: the
 * next round, in any process, integrates it.
 */
import type { ServiceDeps } from '../shared/deps.js';
import { transactionHorizon } from '../store/index.js';
import { eventLeafInput } from './leaf.js';
import {
  appendLeaves,
  countUnsequencedEvents,
  listUnsequencedEvents,
  lockHeadForSequencing,
  lockSequencer,
  readHead,
  readSequencingHorizon,
  setSequencingHorizon,
  type UnsequencedEventRow,
} from './log.repo.js';
import { getSignedTreeHead, type SignedTreeHead } from './log.service.js';
import { leafHash } from './merkle.js';

/** Events appended per round (one transaction): 2 + 2 × ⌈5,000 / 500⌉ append statements. */
export const SEQUENCE_BATCH = 5_000;

/** Pending events GET /api/v1/log/sth counts at most (the count costs one index probe each). */
export const PENDING_COUNT_CAP = 10_000;

/** What one round did. */
interface Round {
  /** Events appended as leaves. */
  integrated: number;
  /** Whether the round took a full batch (more may be waiting). */
  full: boolean;
}

function leafOf(row: UnsequencedEventRow): { eventSeq: number; hash: Uint8Array } {
  const seq = Number(row.seq);
  const input = eventLeafInput({
    seq,
    at: row.at,
    type: row.type,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    actor: row.actor,
    data: JSON.parse(row.data),
  });
  return { eventSeq: seq, hash: leafHash(input) };
}

/**
 * One round in one transaction: take the sequencer lock (or return when `wait` is false and
 * another holds it), read the transaction horizon, lock the log head, read up to SEQUENCE_BATCH
 * unsequenced events in `seq` order and append them. The horizon is read before the events, so
 * an event the read cannot see yet has a `tx` at least this horizon and the next round looks for
 * it; it is stored only when the round read every event the old one covered (not a full batch).
 */
async function sequenceRound(deps: ServiceDeps, wait: boolean): Promise<Round> {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await lockSequencer(trx, deps.dialect, wait))) {
      return { integrated: 0, full: false };
    }
    const horizon = await transactionHorizon(trx, deps.dialect);
    const head = await lockHeadForSequencing(trx);
    const rows = await listUnsequencedEvents(trx, deps.dialect, head.horizon, SEQUENCE_BATCH);
    const full = rows.length === SEQUENCE_BATCH;
    if (rows.length > 0) await appendLeaves(trx, rows.map(leafOf));
    if (!full && horizon !== head.horizon) await setSequencingHorizon(trx, horizon);
    return { integrated: rows.length, full };
  });
}

/** What integrateLog did. */
export interface Integration {
  /** Events appended as leaves. */
  integrated: number;
  /** The log's size afterwards (that of the tree head signed, if one was). */
  treeSize: number;
}

/** How integrateLog and startLogSequencer work. */
export interface SequencerOptions {
  /**
   * Sign a tree head when the log grew (default true). CLI commands do not: the key is the
   * server's, and GET /api/v1/log/sth signs one when asked.
   */
  sign?: boolean;
}

/**
 * Integrates every event committed before the call into the log (waiting for another
 * sequencer's round on PostgreSQL), in rounds of SEQUENCE_BATCH, and signs a tree head of the
 * result (getSignedTreeHead: only if the log grew) unless `options.sign` is false. For whatever
 * needs a leaf right after a write: tests, the start of the server (resuming after a crash), CLI
 * commands before they exit.
 * @returns the events appended and the log's size afterwards.
 * @throws Error when the log head is missing or corrupt, or the signing key cannot be read.
 */
export async function integrateLog(
  deps: ServiceDeps,
  options: SequencerOptions = {},
): Promise<Integration> {
  const integrated = await sequenceAll(deps, true);
  if (options.sign === false) return { integrated, treeSize: (await readHead(deps.db)).size };
  const sth = await getSignedTreeHead(deps);
  return { integrated, treeSize: sth.treeSize };
}

/**
 * Rounds until one takes less than a full batch, or none when no event waits (a read without
 * lock or write first, so an idle log costs no write transaction).
 * @returns the events appended.
 */
async function sequenceAll(deps: ServiceDeps, wait: boolean): Promise<number> {
  const horizon = await readSequencingHorizon(deps.db);
  if ((await listUnsequencedEvents(deps.db, deps.dialect, horizon, 1)).length === 0) return 0;
  let integrated = 0;
  for (;;) {
    const round = await sequenceRound(deps, wait);
    integrated += round.integrated;
    if (!round.full) return integrated;
  }
}

/** A running sequencer (startLogSequencer). */
export interface LogSequencer {
  /** Stops the timer and waits for a round under way. */
  stop: () => Promise<void>;
}

/**
 * Starts the sequencer of this process: every `config.evidence.logSequenceMs` it integrates
 * what has been committed (rounds until a batch is not full) unless another process's sequencer
 * holds the lock, and signs a tree head when the log grew (unless `options.sign` is false). One run at a time; failures are
 * logged and the next tick tries again. The timer does not keep the process alive.
 */
export function startLogSequencer(deps: ServiceDeps, options: SequencerOptions = {}): LogSequencer {
  let running: Promise<void> | undefined;
  const run = async (): Promise<void> => {
    const integrated = await sequenceAll(deps, false);
    if (integrated > 0 && options.sign !== false) await getSignedTreeHead(deps);
  };
  const timer = setInterval(() => {
    if (running !== undefined) return;
    running = run()
      .catch((error: unknown) => deps.log.error({ err: error }, 'log sequencing failed'))
      .finally(() => {
        running = undefined;
      });
  }, deps.config.evidence.logSequenceMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/** How far the log has integrated the committed events, for GET /api/v1/log/sth. */
export interface LogIntegration {
  /** Committed events not yet leaves, counted up to PENDING_COUNT_CAP. */
  pendingEvents: number;
  /** When the oldest of them was recorded (ISO 8601 UTC), or null when none waits. */
  oldestPendingAt: string | null;
  /** Its age by the clock, ms (0 when none waits). */
  oldestPendingAgeMs: number;
  /** LOG_SEQUENCE_MS: how often the sequencer runs. */
  sequenceIntervalMs: number;
}

/**
 * How far the log has integrated: the committed events the sequencer has still to append (as
 * its next round would read them), the oldest one's recording time and age.
 */
export async function getLogIntegration(deps: ServiceDeps): Promise<LogIntegration> {
  const horizon = await readSequencingHorizon(deps.db);
  const count = await countUnsequencedEvents(deps.db, deps.dialect, horizon, PENDING_COUNT_CAP);
  return {
    pendingEvents: count.pending,
    oldestPendingAt: count.oldest?.at ?? null,
    oldestPendingAgeMs:
      count.oldest === null ? 0 : Math.max(0, deps.clock.now() - Date.parse(count.oldest.at)),
    sequenceIntervalMs: deps.config.evidence.logSequenceMs,
  };
}

/**
 * GET /api/v1/log/sth: the signed tree head (getSignedTreeHead, signed now if the log grew) and
 * how far the log has integrated the committed events (getLogIntegration).
 */
export async function getTreeHeadStatus(
  deps: ServiceDeps,
): Promise<SignedTreeHead & LogIntegration> {
  const sth = await getSignedTreeHead(deps);
  return { ...sth, ...(await getLogIntegration(deps)) };
}
