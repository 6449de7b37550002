/**
 * The log's sequencer (src/log/sequencer.ts; issue 17, RFC 9162's merge delay): events are
 * committed with their transaction and appended to the Merkle tree after commit, in batches, by
 * one sequencer at a time. On every dialect: batches give the same leaves, indices, nodes and
 * tree heads as one append per event; a stopped sequencer (or a process that died between commit
 * and sequencing) loses nothing and the next one resumes; GET /api/v1/log/sth and the audit say
 * how many committed events wait; two sequencers never both append. On PostgreSQL: an event whose
 * lower `seq` commits after higher ones were sequenced is integrated, not skipped.
 */
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';

import { ConfigError, loadConfig } from '../../src/config/index.js';
import {
  MemoryMerkleTree,
  auditLog,
  eventLeafInput,
  getEntries,
  getInclusionProof,
  getLogIntegration,
  integrateLog,
  leafHash,
  recordEvent,
  startLogSequencer,
} from '../../src/log/index.js';
import { appendLeaves } from '../../src/log/log.repo.js';
import { toHex } from '../../src/log/merkle.js';
import type { Database, Dialect } from '../../src/store/index.js';
import {
  buildTestNode,
  createTestContext,
  withClosing,
  testDialects,
  useTestApp,
  type TestContext,
} from '../harness.js';
import { expectReferenceProofs, recordVerdicts, verdictEvent } from './log-proofs.js';

/**
 * Records one event in a transaction held open on a connection of its own (PostgreSQL: its seq
 * is taken, not yet visible). @returns the seq and `commit`, which ends the transaction.
 */
async function recordHeldOpen(
  db: Kysely<Database>,
): Promise<{ seq: number; commit: () => Promise<void> }> {
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let recorded = (_seq: number): void => undefined;
  const isRecorded = new Promise<number>((resolve) => {
    recorded = resolve;
  });
  const held = db.transaction().execute(async (trx) => {
    recorded(await recordEvent(trx, verdictEvent(1)));
    await released;
  });
  const seq = await isRecorded;
  return {
    seq,
    commit: async () => {
      release();
      await held;
    },
  };
}

async function count(db: Kysely<Database>, table: 'events' | 'log_leaves'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Expects every event to be exactly one leaf, the leaf indices 0…n-1 with no gap, every leaf
 * hash its event's, and the audit clean with nothing waiting.
 */
async function expectWholeLog(ctx: TestContext): Promise<void> {
  const events = await count(ctx.deps.db, 'events');
  const entries = [];
  for (let start = 0; start < events; start += 1000) {
    entries.push(...(await getEntries(ctx.deps, start, start + 999)));
  }
  expect(entries.map((e) => e.leafIndex)).toEqual([...Array(events).keys()]);
  expect(new Set(entries.map((e) => e.eventSeq)).size).toBe(events);
  for (const entry of entries) expect(entry.leafHash).toBe(toHex(leafHash(entry.leafInput)));
  const audit = await auditLog(ctx.deps);
  expect(audit.problems).toEqual([]);
  expect(audit.pendingEvents).toBe(0);
  expect(audit.leavesChecked).toBe(events);
}

describe.each(testDialects())('the log sequencer on %s', (dialect: Dialect) => {
  const ctx = useTestApp(dialect);

  it('integrates in batches into the same tree as one append per event, and nothing rolled back', async () => {
    // Batches that start and end inside subtrees (sizes 5, 45, 27, 1), one event per
    // transaction in the first.
    for (let i = 0; i < 5; i += 1) await recordVerdicts(ctx.deps.db, i, 1);
    expect((await integrateLog(ctx.deps)).integrated).toBe(5);
    await recordVerdicts(ctx.deps.db, 5, 45);
    expect(await integrateLog(ctx.deps)).toEqual({ integrated: 45, treeSize: 50 });
    await recordVerdicts(ctx.deps.db, 50, 27);
    await expect(
      ctx.deps.db.transaction().execute(async (trx) => {
        await recordEvent(trx, verdictEvent(999));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await recordVerdicts(ctx.deps.db, 77, 1);
    expect(await integrateLog(ctx.deps)).toEqual({ integrated: 28, treeSize: 78 });
    expect(await integrateLog(ctx.deps)).toEqual({ integrated: 0, treeSize: 78 });

    const entries = await getEntries(ctx.deps, 0, 1000);
    expect(entries.map((e) => e.leafIndex)).toEqual([...Array(78).keys()]);
    const seqs = entries.map((e) => e.eventSeq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const tree = new MemoryMerkleTree();
    for (const entry of entries) {
      expect(entry.leafHash).toBe(toHex(leafHash(entry.leafInput)));
      tree.appendLeafHash(leafHash(entry.leafInput));
    }
    await expectReferenceProofs(
      ctx,
      tree,
      78,
      [
        [0, 78],
        [4, 5],
        [49, 50],
        [63, 78],
        [77, 78],
      ],
      [
        [5, 78],
        [50, 77],
        [64, 78],
      ],
    );
    expect((await auditLog(ctx.deps)).problems).toEqual([]);
  });

  it('integrates more than one round holds (5,000 events) and audits thousands of nodes', async () => {
    // One audit page (5,000 leaves) recomputes about as many nodes; SQLite refused to read them
    // in one query ("Expression tree is too large").
    await recordVerdicts(ctx.deps.db, 1000, 5_100);
    expect(await integrateLog(ctx.deps)).toEqual({ integrated: 5_100, treeSize: 5_178 });
    await expectWholeLog(ctx);
  });

  it('says how far it has integrated: GET /api/v1/log/sth, the audit, inclusion proofs', async () => {
    const before = (await ctx.app.inject({ url: '/api/v1/log/sth' })).json<{ treeSize: number }>();
    expect(before).toMatchObject({
      pendingEvents: 0,
      oldestPendingAt: null,
      oldestPendingAgeMs: 0,
    });
    const seqs = await recordVerdicts(ctx.deps.db, 0, 3);
    ctx.clock.advance(60_000);
    const lagging = await ctx.app.inject({ url: '/api/v1/log/sth' });
    expect(lagging.statusCode).toBe(200);
    expect(lagging.json()).toMatchObject({
      treeSize: before.treeSize,
      pendingEvents: 3,
      oldestPendingAt: verdictEvent(0).at,
      oldestPendingAgeMs: ctx.clock.now() - Date.parse(verdictEvent(0).at),
      sequenceIntervalMs: ctx.config.evidence.logSequenceMs,
    });
    expect(Object.keys(lagging.json<object>())).toEqual(
      expect.arrayContaining(['timestamp', 'signedAt', 'rootHash', 'signature', 'keyId']),
    );
    const audit = await auditLog(ctx.deps);
    expect(audit.problems).toEqual([]);
    expect(audit.pendingEvents).toBe(3);
    // A proof of an event not yet integrated is refused as such; one never recorded as before.
    const early = await ctx.app.inject({ url: `/api/v1/log/proof/inclusion?event=${seqs[0]}` });
    expect(early.statusCode).toBe(404);
    expect(early.json()).toMatchObject({ error: { code: 'leaf_not_yet_integrated' } });
    const never = await ctx.app.inject({ url: '/api/v1/log/proof/inclusion?event=2147483647' });
    expect(never.json()).toMatchObject({ error: { code: 'leaf_not_found' } });

    await integrateLog(ctx.deps);
    const caughtUp = (await ctx.app.inject({ url: '/api/v1/log/sth' })).json();
    expect(caughtUp).toMatchObject({
      treeSize: before.treeSize + 3,
      pendingEvents: 0,
      oldestPendingAt: null,
      oldestPendingAgeMs: 0,
    });
    const proof = await getInclusionProof(ctx.deps, { eventSeq: seqs[2] ?? 0 });
    expect(proof.treeSize).toBe(before.treeSize + 3);
    await expectWholeLog(ctx);
  });

  it('loses nothing when its process stops between commit and sequencing: the next one resumes', async () => {
    // A sequencer that never ran its first round (stopped, as a process killed after its
    // writers committed), then another process: a new node on the same store.
    const stopped = startLogSequencer(ctx.deps);
    await recordVerdicts(ctx.deps.db, 0, 30);
    await stopped.stop();
    expect((await getLogIntegration(ctx.deps)).pendingEvents).toBe(30);
    const node = await buildTestNode(ctx);
    try {
      const running = startLogSequencer({
        ...node.deps,
        config: {
          ...node.deps.config,
          evidence: { ...node.deps.config.evidence, logSequenceMs: 10 },
        },
      });
      await waitFor(async () => (await getLogIntegration(node.deps)).pendingEvents === 0);
      await running.stop();
    } finally {
      await node.close();
    }
    await expectWholeLog(ctx);
  });

  it('fails the audit for an event neither in the log nor waiting (one a sequencer skipped)', async () => {
    await withClosing(createTestContext(dialect), async (fresh) => {
      const [skipped, next] = await recordVerdicts(fresh.deps.db, 0, 2);
      expect(skipped).toBeLessThan(next ?? 0);
      // A wrong sequencer appends the later event only: the earlier one, behind the last leaf,
      // is never read again.
      const input = eventLeafInput({ ...verdictEvent(1), seq: next ?? 0 });
      await fresh.deps.db
        .transaction()
        .execute((trx) => appendLeaves(trx, [{ eventSeq: next ?? 0, hash: leafHash(input) }]));
      // …and stored a horizon past both (PostgreSQL: without one, nothing behind the last leaf
      // is taken as sequenced).
      if (dialect === 'postgres') {
        // (Past their transactions' IDs: other tests' transactions may hold the cluster's xmin.)
        await sql`update log_head set horizon = (select max(tx) + 1 from events)`.execute(
          fresh.deps.db,
        );
      }
      expect((await getLogIntegration(fresh.deps)).pendingEvents).toBe(0);
      const audit = await auditLog(fresh.deps);
      expect(audit.pendingEvents).toBe(0);
      expect(audit.problems).toEqual([
        '2 events but 1 leaves and 0 waiting for the sequencer: some events are not in the log and never will be',
      ]);
    });
  });

  it('two sequencers (two nodes) never both append: indices unique and contiguous, tree consistent', async () => {
    await withClosing(createTestContext(dialect), async (fresh) => {
      // PostgreSQL: a second node (its own pool). SQLite: a second sequencer in the one process
      // (a second handle on the file would wait for this one's open transactions, blocking).
      const other =
        dialect === 'postgres'
          ? await buildTestNode(fresh)
          : { deps: fresh.deps, close: async () => undefined };
      try {
        const fast = (deps: TestContext['deps']) => ({
          ...deps,
          config: { ...deps.config, evidence: { ...deps.config.evidence, logSequenceMs: 10 } },
        });
        const timers = [startLogSequencer(fast(fresh.deps)), startLogSequencer(fast(other.deps))];
        const writers = [fresh.deps.db, other.deps.db].map(async (db, w) => {
          for (let i = 0; i < 20; i += 1) await recordVerdicts(db, w * 1000 + i * 5, 5);
        });
        const flushers = [fresh.deps, other.deps].map(async (deps) => {
          for (let i = 0; i < 10; i += 1) await integrateLog(deps);
        });
        await Promise.all([...writers, ...flushers]);
        await Promise.all(timers.map((t) => t.stop()));
        await Promise.all([integrateLog(fresh.deps), integrateLog(other.deps)]);
      } finally {
        await other.close();
      }
      expect(await count(fresh.deps.db, 'log_leaves')).toBe(200);
      await expectWholeLog(fresh);
    });
  });

  it.runIf(dialect === 'postgres')(
    'integrates an event whose lower seq commits after higher ones were sequenced',
    async () => {
      await withClosing(createTestContext(dialect), async (fresh) => {
        // Connection 1 takes a seq and holds its transaction open.
        const { seq: low, commit } = await recordHeldOpen(fresh.deps.db);
        // Connection 2 records higher seqs and commits; they are sequenced, twice over.
        const [high] = await recordVerdicts(fresh.deps.db, 2, 1);
        expect(high).toBeGreaterThan(low);
        expect((await integrateLog(fresh.deps)).integrated).toBe(1);
        await recordVerdicts(fresh.deps.db, 3, 1);
        expect((await integrateLog(fresh.deps)).integrated).toBe(1);
        expect((await getLogIntegration(fresh.deps)).pendingEvents).toBe(0);
        // Connection 1 commits: its lower seq becomes visible behind the last leaf.
        await commit();
        expect((await getLogIntegration(fresh.deps)).pendingEvents).toBe(1);
        expect((await integrateLog(fresh.deps)).integrated).toBe(1);
        const entries = await getEntries(fresh.deps, 0, 10);
        expect(entries.map((e) => e.eventSeq)).toEqual([high, (high ?? 0) + 1, low]);
        await expectWholeLog(fresh);
      });
    },
  );

  it.runIf(dialect === 'postgres')(
    'integrates a lower seq committed late before any horizon is stored (an older node appends at commit)',
    async () => {
      await withClosing(createTestContext(dialect), async (fresh) => {
        const head = () =>
          fresh.deps.db.selectFrom('log_head').select('horizon').executeTakeFirstOrThrow();
        expect((await head()).horizon).toBeNull();
        const { seq: low, commit } = await recordHeldOpen(fresh.deps.db);
        // A node of the release before the sequencer appends its event's leaf at commit: the
        // last leaf's seq passes the open transaction's while no horizon is stored yet.
        const high = await fresh.deps.db.transaction().execute(async (trx) => {
          const seq = await recordEvent(trx, verdictEvent(2));
          const input = eventLeafInput({ ...verdictEvent(2), seq });
          await appendLeaves(trx, [{ eventSeq: seq, hash: leafHash(input) }]);
          return seq;
        });
        expect(high).toBeGreaterThan(low);
        expect((await head()).horizon).toBeNull();
        await commit();
        expect((await integrateLog(fresh.deps)).integrated).toBe(1);
        const entries = await getEntries(fresh.deps, 0, 10);
        expect(entries.map((e) => e.eventSeq)).toEqual([high, low]);
        await expectWholeLog(fresh);
      });
    },
  );

  it('refuses a sequencing interval out of bounds (LOG_SEQUENCE_MS)', () => {
    for (const value of ['0', '9', '60001', 'soon', '-5']) {
      expect(() => loadConfig({ LOG_SEQUENCE_MS: value }, '/tmp')).toThrow(ConfigError);
    }
    expect(loadConfig({ LOG_SEQUENCE_MS: '250' }, '/tmp').evidence.logSequenceMs).toBe(250);
  });
});

/** Polls `done` every 10 ms until it holds (the test's own timeout bounds it). */
async function waitFor(done: () => Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 10));
}
