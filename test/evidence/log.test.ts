/**
 * The Merkle log in the store, on every dialect: recordEvent records events in its transaction
 * and the sequencer appends them as leaves after commit (integrateLog), proofs from stored nodes equal the in-memory reference, signed tree heads verify offline,
 * tampering is found by the audit, the HTTP API, and concurrent appends (PostgreSQL: two pools,
 * as two processes).
 */
import { statSync } from 'node:fs';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { toHex } from '../../src/log/merkle.js';
import { createStore, type Dialect } from '../../src/store/index.js';
import { createTestContext, testDialects, type TestContext, useTestApp } from '../harness.js';
import { appendVerdicts, expectReferenceProofs, verdictEvent } from './log-proofs.js';

import {
  MemoryMerkleTree,
  auditLog,
  eventLeafInput,
  getConsistencyProof,
  getEntries,
  getInclusionProof,
  getSignedTreeHead,
  integrateLog,
  leafHash,
  parsePublicKey,
  recordEvent,
  resolveLogKey,
  verifyOffline,
} from '../../src/log/index.js';
/** The reference tree of every event now in the store, from the events themselves. */
async function referenceTree(ctx: TestContext): Promise<MemoryMerkleTree> {
  const tree = new MemoryMerkleTree();
  const entries = await getEntries(ctx.deps, 0, 10_000);
  for (const entry of entries) tree.appendLeafHash(leafHash(entry.leafInput));
  return tree;
}

describe.each(testDialects())('Merkle log on %s', (dialect: Dialect) => {
  // One store per dialect and file: see the report on concurrent PostgreSQL test schemas.
  const ctx = useTestApp(dialect);

  it('appends one leaf per event, committing with the transaction or not at all', async () => {
    await appendVerdicts(ctx, 0, 37);
    await expect(
      ctx.deps.db.transaction().execute(async (trx) => {
        await recordEvent(trx, verdictEvent(1000));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await integrateLog(ctx.deps)).integrated).toBe(0);
    const entries = await getEntries(ctx.deps, 0, 100);
    expect(entries.map((e) => e.leafIndex)).toEqual([...Array(37).keys()]);
    const first = entries[0];
    expect(first?.leafInput).toBe(
      '{"actor":"admin:token","at":"2026-11-29T02:00:00.000Z","data":{"after":{"n":0,"verdict":"fraud"}},' +
        `"seq":${first?.eventSeq},"subjectId":"C0000000000","subjectType":"case","type":"case.verdict"}`,
    );
    for (const entry of entries) expect(entry.leafHash).toBe(toHex(leafHash(entry.leafInput)));
  });

  it('rejects event data that has no canonical JSON, writing nothing', async () => {
    const before = (await getSignedTreeHead(ctx.deps)).treeSize;
    await expect(
      ctx.deps.db.transaction().execute((trx) => recordEvent(trx, verdictEvent(1, { role: NaN }))),
    ).rejects.toThrow(/no JSON form/);
    expect(await integrateLog(ctx.deps)).toEqual({ integrated: 0, treeSize: before });
  });

  it('serves the same proofs from stored nodes as the in-memory reference tree', async () => {
    await appendVerdicts(ctx, 37, 64);
    const tree = await referenceTree(ctx);
    await expectReferenceProofs(
      ctx,
      tree,
      101,
      [
        [0, 1],
        [0, 101],
        [100, 101],
        [63, 64],
        [64, 100],
        [37, 38],
      ],
      [
        [1, 101],
        [37, 101],
        [64, 100],
        [100, 101],
        [101, 101],
      ],
    );
  });

  it('signs tree heads that verify offline with the published key, with their proofs', async () => {
    const key = resolveLogKey(ctx.config);
    const publicKey = parsePublicKey(key.publicKeyPem);
    const old = await getSignedTreeHead(ctx.deps);
    ctx.clock.advance(60_000);
    await appendVerdicts(ctx, 200, 10);
    const sth = await getSignedTreeHead(ctx.deps);
    expect(sth.treeSize).toBe(old.treeSize + 10);
    expect(sth.timestamp).toBe(ctx.clock.now());
    expect(await getSignedTreeHead(ctx.deps)).toEqual(sth);

    const [entry] = await getEntries(ctx.deps, 105, 105);
    if (entry === undefined) throw new Error('entry 105 missing');
    const inclusion = await getInclusionProof(ctx.deps, { eventSeq: entry.eventSeq });
    expect(inclusion.signedTreeHead).toEqual(sth);
    const consistency = await getConsistencyProof(ctx.deps, old.treeSize);
    const checks = verifyOffline({ publicKey, treeHeads: [old], inclusion, entry, consistency });
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(checks.length).toBeGreaterThanOrEqual(6);

    // Tampering, each alone, is caught.
    const otherKey = createPublicKey(generateKeyPairSync('ed25519').privateKey);
    expect(verifyOffline({ publicKey: otherKey, treeHeads: [sth] }).every((c) => c.ok)).toBe(false);
    const forgedRoot = { ...sth, rootHash: toHex(leafHash('forged')) };
    expect(verifyOffline({ publicKey, treeHeads: [forgedRoot] })[0]?.ok).toBe(false);
    const alteredEntry = { ...entry, leafInput: entry.leafInput.replace('fraud', 'not_fraud') };
    expect(verifyOffline({ publicKey, inclusion, entry: alteredEntry }).some((c) => !c.ok)).toBe(
      true,
    );
    const badPath = { ...inclusion, leafIndex: inclusion.leafIndex + 1 };
    expect(verifyOffline({ publicKey, inclusion: badPath }).some((c) => !c.ok)).toBe(true);
    const unsigned = { ...consistency, firstTreeHead: null };
    expect(verifyOffline({ publicKey, consistency: unsigned }).some((c) => !c.ok)).toBe(true);
  });

  it('keeps the generated signing key in a 0600 file and reuses it', () => {
    const key = resolveLogKey(ctx.config);
    expect(statSync(ctx.config.evidence.logSigningKeyFile).mode & 0o777).toBe(0o600);
    expect(resolveLogKey(ctx.config).keyId).toBe(key.keyId);
  });

  it('finds leaves by hash and refuses proofs beyond the tree', async () => {
    const [entry] = await getEntries(ctx.deps, 3, 3);
    if (entry === undefined) throw new Error('entry 3 missing');
    const byHash = await getInclusionProof(ctx.deps, { leafHash: leafHash(entry.leafInput) }, 50);
    expect(byHash.leafIndex).toBe(3);
    await expect(getInclusionProof(ctx.deps, { leafIndex: 5000 })).rejects.toMatchObject({
      code: 'leaf_not_found',
    });
    await expect(getInclusionProof(ctx.deps, { leafIndex: 60 }, 50)).rejects.toMatchObject({
      code: 'leaf_not_in_tree',
    });
    await expect(getConsistencyProof(ctx.deps, 5, 100_000)).rejects.toMatchObject({
      code: 'tree_size_too_large',
    });
  });

  it('audits clean, then finds an altered event, a forged node and a forged head', async () => {
    const clean = await auditLog(ctx.deps);
    expect(clean.problems).toEqual([]);
    expect(clean.leavesChecked).toBe(111);
    expect(clean.treeHeadsChecked).toBeGreaterThanOrEqual(2);

    const [victim] = await getEntries(ctx.deps, 7, 7);
    if (victim === undefined) throw new Error('entry 7 missing');
    await ctx.deps.db
      .updateTable('events')
      .set({ data: '{"n":7,"verdict":"not_fraud"}' })
      .where('seq', '=', victim.eventSeq)
      .execute();
    await ctx.deps.db
      .updateTable('log_nodes')
      .set({ hash: Buffer.alloc(32, 1) })
      .where('level', '=', 2)
      .where('node_index', '=', 5)
      .execute();
    await ctx.deps.db
      .updateTable('log_tree_heads')
      .set({ root_hash: Buffer.alloc(32, 2) })
      .where('tree_size', '=', 101)
      .execute();
    const report = await auditLog(ctx.deps);
    expect(report.problems.join('\n')).toMatch(/leaf 7: event \d+ was altered/);
    expect(report.problems.join('\n')).toMatch(/node 2:5 differs/);
    expect(report.problems.join('\n')).toMatch(/size 101.*signature does not match/);
  });

  it('serves the log over HTTP to anyone', async () => {
    const { app } = ctx;
    {
      await app.inject({ method: 'GET', url: '/api/v1/log/key' }).then((r) => {
        expect(r.statusCode).toBe(200);
        expect(r.json()).toMatchObject({ algorithm: 'Ed25519' });
        expect(r.json().publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      });
      const sth = await app.inject({ method: 'GET', url: '/api/v1/log/sth' });
      expect(sth.statusCode).toBe(200);
      expect(sth.json()).toMatchObject({ treeSize: 111 });
      const none = await app.inject({ method: 'GET', url: '/api/v1/log/proof/inclusion?leaf=999' });
      expect(none.statusCode).toBe(404);
      const proof = await app.inject({
        method: 'GET',
        url: '/api/v1/log/proof/inclusion?leaf=3&size=20',
      });
      expect(proof.json()).toMatchObject({ leafIndex: 3, treeSize: 20 });
      expect(proof.json().proof).toHaveLength(5);
      const both = await app.inject({
        method: 'GET',
        url: '/api/v1/log/proof/inclusion?leaf=0&event=1',
      });
      expect(both.json().error.code).toBe('leaf_required');
      const entries = await app.inject({ method: 'GET', url: '/api/v1/log/entries?start=0&end=9' });
      expect(entries.json().entries).toHaveLength(10);
      const bad = await app.inject({ method: 'GET', url: '/api/v1/log/entries?start=5&end=2' });
      expect(bad.statusCode).toBe(400);
      const consistency = await app.inject({
        method: 'GET',
        url: '/api/v1/log/proof/consistency?first=0',
      });
      expect(consistency.statusCode).toBe(400);
      const good = await app.inject({
        method: 'GET',
        url: '/api/v1/log/proof/consistency?first=10&second=20',
      });
      expect(good.json()).toMatchObject({ first: 10, second: 20 });
    }
  });
});

describe.skipIf(!testDialects().includes('postgres'))('concurrent appends on PostgreSQL', () => {
  it('orders appends from two pools (two processes) without gaps or forks', async () => {
    const ctx = await createTestContext('postgres');
    // A second pool on the same schema stands for a second server process.
    const url = process.env.TEST_DATABASE_URL ?? '';
    const searchPath = await ctx.deps.db
      .selectNoFrom((eb) => eb.fn<string>('current_schema').as('schema'))
      .executeTakeFirstOrThrow();
    const other = createStore(
      { dialect: 'postgres', connectionString: url },
      { poolSize: 4, searchPath: searchPath.schema },
    );
    try {
      const writers = [ctx.deps.db, other.db];
      await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          (writers[i % 2] ?? ctx.deps.db).transaction().execute(async (trx) => {
            await recordEvent(trx, verdictEvent(i));
            await recordEvent(trx, verdictEvent(i + 1000));
          }),
        ),
      );
      // Both processes' sequencers at once: one waits for the other's round.
      await Promise.all([integrateLog(ctx.deps), integrateLog({ ...ctx.deps, db: other.db })]);
      const entries = await getEntries(ctx.deps, 0, 1000);
      expect(entries.map((e) => e.leafIndex)).toEqual([...Array(80).keys()]);
      expect(new Set(entries.map((e) => e.eventSeq)).size).toBe(80);
      const tree = await referenceTree(ctx);
      expect((await getSignedTreeHead(ctx.deps)).rootHash).toBe(toHex(tree.root()));
      expect((await auditLog(ctx.deps)).problems).toEqual([]);
      for (const entry of entries) {
        expect(entry.leafInput).toBe(eventLeafInput(JSON.parse(entry.leafInput)));
      }
    } finally {
      await other.destroy();
      await ctx.close();
    }
  });
});
