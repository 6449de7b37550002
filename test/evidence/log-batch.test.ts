/**
 * Batched Merkle appends (withBatchedLog, as imports use): the events of a transaction are
 * appended at its end in one go, giving the same leaves, indices, nodes and tree heads as one
 * append per event, on every dialect.
 */
import { describe, expect, it } from 'vitest';

import {
  MemoryMerkleTree,
  auditLog,
  getEntries,
  leafHash,
  recordEvent,
  withBatchedLog,
} from '../../src/log/index.js';
import { toHex } from '../../src/log/merkle.js';
import type { Dialect } from '../../src/store/index.js';
import { testDialects, useTestApp, type TestContext } from '../harness.js';
import { expectReferenceProofs, verdictEvent } from './log-proofs.js';

async function record(ctx: TestContext, from: number, count: number, batched: boolean) {
  await ctx.deps.db.transaction().execute(async (trx) => {
    const work = async () => {
      for (let i = from; i < from + count; i += 1) await recordEvent(trx, verdictEvent(i));
    };
    await (batched ? withBatchedLog(trx, work) : work());
  });
}

describe.each(testDialects())('batched Merkle appends on %s', (dialect: Dialect) => {
  const ctx = useTestApp(dialect);

  it('stores the same tree as one append per event, and nothing when the work fails', async () => {
    // Single appends, then batches that start and end inside subtrees (sizes 5, 50, 77, 1).
    await record(ctx, 0, 5, false);
    await record(ctx, 5, 45, true);
    await record(ctx, 50, 27, true);
    await expect(
      ctx.deps.db.transaction().execute((trx) =>
        withBatchedLog(trx, async () => {
          await recordEvent(trx, verdictEvent(999));
          throw new Error('roll back');
        }),
      ),
    ).rejects.toThrow('roll back');
    await record(ctx, 77, 1, true);

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

  it('audits a log whose audit batch holds thousands of nodes', async () => {
    // One audit batch (5,000 leaves) recomputes about as many nodes; SQLite refused to read them
    // in one query ("Expression tree is too large").
    await record(ctx, 1000, 2_500, true);
    const audit = await auditLog(ctx.deps);
    expect(audit.problems).toEqual([]);
    expect(audit.leavesChecked).toBe(2_578);
  });
});
