/**
 * The transparency log tests' events, how they are recorded and appended, and checks of the
 * log's stored tree against the in-memory reference tree.
 */
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import {
  consistencyProof,
  getConsistencyProof,
  getInclusionProof,
  getSignedTreeHead,
  inclusionProof,
  integrateLog,
  recordEvent,
  type AuditEvent,
  type MemoryMerkleTree,
} from '../../src/log/index.js';
import { toHex } from '../../src/log/merkle.js';
import type { Database } from '../../src/store/index.js';
import type { TestContext } from '../harness.js';

/** The `i`th event of a test log: case `C000…i` decided fraud, `i` seconds into the day. */
export function verdictEvent(i: number, extra: Record<string, unknown> = {}): AuditEvent {
  return {
    type: 'case.verdict',
    subjectType: 'case',
    subjectId: `C${String(i).padStart(10, '0')}`,
    actor: 'admin:token',
    at: new Date(Date.UTC(2026, 10, 29, 2, 0, i)).toISOString(),
    data: { after: { verdict: 'fraud', n: i }, ...extra },
  };
}

/**
 * Records the verdict events `from`…`from + count - 1` (verdictEvent) in one transaction.
 * @returns their seqs, in order.
 */
export async function recordVerdicts(
  db: Kysely<Database>,
  from: number,
  count: number,
): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    const seqs: number[] = [];
    for (let i = from; i < from + count; i += 1) seqs.push(await recordEvent(trx, verdictEvent(i)));
    return seqs;
  });
}

/** Records the verdict events `from`… (recordVerdicts) and integrates them into the log. */
export async function appendVerdicts(ctx: TestContext, from: number, count: number): Promise<void> {
  await recordVerdicts(ctx.deps.db, from, count);
  await integrateLog(ctx.deps);
}

/**
 * Expects the log's signed tree head to be of `size` leaves with `tree`'s root, and the log's
 * inclusion proofs of `inclusions` ([leaf, tree size]) and consistency proofs of `consistencies`
 * ([first size, second size]) to be `tree`'s.
 */
export async function expectReferenceProofs(
  ctx: TestContext,
  tree: MemoryMerkleTree,
  size: number,
  inclusions: readonly (readonly [number, number])[],
  consistencies: readonly (readonly [number, number])[],
): Promise<void> {
  const sth = await getSignedTreeHead(ctx.deps);
  expect(sth.treeSize).toBe(size);
  expect(sth.rootHash).toBe(toHex(tree.root()));
  for (const [index, at] of inclusions) {
    const proof = await getInclusionProof(ctx.deps, { leafIndex: index }, at);
    expect(proof.proof, `${index}/${at}`).toEqual(inclusionProof(tree.read, index, at).map(toHex));
  }
  for (const [first, second] of consistencies) {
    const proof = await getConsistencyProof(ctx.deps, first, second);
    expect(proof.proof, `${first}→${second}`).toEqual(
      consistencyProof(tree.read, first, second).map(toHex),
    );
  }
}
