/**
 * `auditLog` at more leaves than one page and than SQLite's 1,000-term expression limit, on
 * every dialect: a good log passes, a tampered leaf fails, the tree head audited is the fixed
 * one it was given (or the head at the start), and writers appending and signing while it runs
 * cause no failure.
 */
import { describe, expect, it } from 'vitest';

import { fromHex } from '../../src/log/merkle.js';
import type { Dialect } from '../../src/store/index.js';
import { testDialects, useTestApp, type TestContext } from '../harness.js';
import { appendVerdicts } from './log-proofs.js';

import { auditLog, getEntries, getSignedTreeHead } from '../../src/log/index.js';

/** Rewrites the event of leaf `index` (its leaf hash stays): what a tamperer would do. */
async function tamper(ctx: TestContext, index: number, verdict: string): Promise<void> {
  const [entry] = await getEntries(ctx.deps, index, index);
  if (entry === undefined) throw new Error(`no leaf ${index}`);
  await ctx.deps.db
    .updateTable('events')
    .set({ data: JSON.stringify({ after: { n: index, verdict } }) })
    .where('seq', '=', entry.eventSeq)
    .execute();
}

describe.each(testDialects())('log audit at scale on %s', (dialect: Dialect) => {
  const ctx = useTestApp(dialect);
  const FIRST = 1_000;
  const TOTAL = 2_600;

  it('passes a good log larger than a page of nodes, in one page and in many', async () => {
    await appendVerdicts(ctx, 0, FIRST);
    await getSignedTreeHead(ctx.deps);
    await appendVerdicts(ctx, FIRST, TOTAL - FIRST);
    const sth = await getSignedTreeHead(ctx.deps);
    // One page of 2,600 leaves completes ~2,600 nodes: one query for them all.
    const whole = await auditLog(ctx.deps);
    expect(whole.problems).toEqual([]);
    expect(whole).toMatchObject({ treeSize: TOTAL, logSize: TOTAL, leavesChecked: TOTAL });
    expect(whole.rootHash).toBe(sth.rootHash);
    expect(whole.nodesChecked).toBe(TOTAL - 1 - (TOTAL.toString(2).split('1').length - 2));
    expect(whole.treeHeadsChecked).toBe(2);
    const paged = await auditLog(ctx.deps, { pageSize: 333 });
    expect(paged).toEqual(whole);
  });

  it('audits the fixed tree head it is given, and only the leaves below it', async () => {
    const sth = await getSignedTreeHead(ctx.deps);
    const first = await auditLog(ctx.deps, { treeSize: FIRST });
    expect(first.problems).toEqual([]);
    expect(first).toMatchObject({ treeSize: FIRST, leavesChecked: FIRST, treeHeadsChecked: 1 });
    const root = fromHex(first.rootHash) ?? new Uint8Array();
    expect((await auditLog(ctx.deps, { treeSize: FIRST, rootHash: root })).problems).toEqual([]);
    const wrong = await auditLog(ctx.deps, {
      treeSize: FIRST,
      rootHash: fromHex(sth.rootHash) ?? new Uint8Array(),
    });
    expect(wrong.problems.join('\n')).toMatch(
      /tree head of size 1000: root .* is not the recomputed/,
    );
    await expect(auditLog(ctx.deps, { treeSize: TOTAL + 1 })).rejects.toMatchObject({
      code: 'tree_size_too_large',
    });
  });

  it('does not fail while writers append and sign tree heads', async () => {
    let appended = 0;
    const report = await auditLog(ctx.deps, {
      pageSize: 500,
      onProgress: async () => {
        // Another node's work between two pages: new leaves, nodes, events and tree heads.
        await appendVerdicts(ctx, TOTAL + appended, 37);
        appended += 37;
        await getSignedTreeHead(ctx.deps);
      },
    });
    expect(appended).toBeGreaterThan(0);
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ treeSize: TOTAL, logSize: TOTAL, leavesChecked: TOTAL });
    const after = await auditLog(ctx.deps);
    expect(after.problems).toEqual([]);
    expect(after.treeSize).toBe(TOTAL + appended);
  });

  it('fails a tampered leaf below the tree head audited, and only then', async () => {
    const size = (await getSignedTreeHead(ctx.deps)).treeSize;
    await tamper(ctx, FIRST + 10, 'not_fraud');
    expect((await auditLog(ctx.deps, { treeSize: FIRST })).problems).toEqual([]);
    const whole = await auditLog(ctx.deps);
    expect(whole.treeSize).toBe(size);
    // The altered leaf, then every node and tree head above it.
    expect(whole.problems[0]).toMatch(/^leaf 1010: event \d+ was altered/);
    expect(whole.problems.join('\n')).toMatch(/the log head frontier differs/);
    await tamper(ctx, 7, 'not_fraud');
    const first = await auditLog(ctx.deps, { treeSize: FIRST, pageSize: 100 });
    expect(first.problems[0]).toMatch(/^leaf 7: event \d+ was altered/);
    expect(first.problems.join('\n')).toMatch(/signed tree head of size 1000: root/);
  });
});
