/**
 * bench/merkle: the RFC 9162 evidence log, each figure beside a baseline measured in the same run.
 *
 *   1. appends in memory (leaf hash + frontier + stored subtrees) vs the ceiling of hashing the
 *      same leaves with SHA-256 alone;
 *   2. recordEvent on SQLite (event + leaf + nodes, 500 per transaction) vs inserting the same
 *      events without the log;
 *   3. inclusion and consistency proofs from the store at N leaves (default 1,000,000) vs naive
 *      recomputation of the same proof from all leaf hashes (RFC 9162 PATH over D[n]).
 *
 * Run: `node --import tsx bench/merkle.ts [--leaves N] [--appends M]`.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../src/config/index.js';

import { eventLeafInput } from '../src/log/leaf.js';
import { largestPowerOfTwoBelow } from '../src/log/merkle.js';
import { systemClock } from '../src/shared/clock.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { createLogger } from '../src/shared/logger.js';
import { createStore, migrateToLatest } from '../src/store/index.js';

import {
  MemoryMerkleTree,
  getConsistencyProof,
  getInclusionProof,
  leafHash,
  nodeHash,
  recordEvent,
} from '../src/log/index.js';
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const LEAVES = arg('--leaves', 1_000_000);
const APPENDS = arg('--appends', 20_000);
const PROOFS = 200;

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
function time<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}
async function timeAsync<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await run();
  return { ms: performance.now() - start, value };
}

function event(i: number) {
  return {
    type: 'case.verdict' as const,
    subjectType: 'case' as const,
    subjectId: `C${String(i).padStart(10, '0')}`,
    actor: 'admin:token',
    at: new Date(Date.UTC(2026, 10, 29) + i * 1000).toISOString(),
    data: { after: { verdict: 'fraud', n: i } },
  };
}

/** RFC 9162 MTH of leaf hashes `leaves[start:end)` without any cached node. */
function naiveRange(leaves: readonly Uint8Array[], start: number, end: number): Uint8Array {
  if (end - start === 1) return leaves[start] ?? new Uint8Array();
  const k = largestPowerOfTwoBelow(end - start);
  return nodeHash(naiveRange(leaves, start, start + k), naiveRange(leaves, start + k, end));
}
/** RFC 9162 PATH(m, D[n]) computed from the leaves alone. */
function naivePath(
  leaves: readonly Uint8Array[],
  m: number,
  start: number,
  end: number,
): Uint8Array[] {
  if (end - start <= 1) return [];
  const k = largestPowerOfTwoBelow(end - start);
  return m < start + k
    ? [...naivePath(leaves, m, start, start + k), naiveRange(leaves, start + k, end)]
    : [...naivePath(leaves, m, start + k, end), naiveRange(leaves, start, start + k)];
}

async function withStore<T>(run: (deps: ServiceDeps, file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bench-merkle-'));
  const file = path.join(dir, 'bench.db');
  const config = loadConfig({ DATABASE_URL: `sqlite:${file}`, LOG_LEVEL: 'silent' }, dir);
  const store = createStore(config.store);
  await migrateToLatest(store.db);
  try {
    return await run(
      { db: store.db, dialect: 'sqlite', clock: systemClock, config, log: createLogger('silent') },
      file,
    );
  } finally {
    await store.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(
  `bench/merkle: ${fmt(LEAVES)} leaves, ${fmt(APPENDS)} store appends, ${PROOFS} proofs\n`,
);

// 1. In memory.
const inputs = Array.from({ length: LEAVES }, (_, i) =>
  eventLeafInput({ seq: i + 1, ...event(i) }),
);
const ceiling = time(() => {
  let last = '';
  for (const input of inputs) last = createHash('sha256').update(input).digest('hex');
  return last;
});
const tree = new MemoryMerkleTree();
const appends = time(() => {
  for (const input of inputs) tree.appendLeafHash(leafHash(input));
  return tree.size;
});
console.log('1. appends in memory');
console.log(`   SHA-256 alone (ceiling)        ${fmt((LEAVES / ceiling.ms) * 1000)} leaves/s`);
console.log(
  `   MemoryMerkleTree append        ${fmt((LEAVES / appends.ms) * 1000)} leaves/s ` +
    `(${((ceiling.ms / appends.ms) * 100).toFixed(0)} % of the ceiling)\n`,
);

// 2. recordEvent on SQLite vs plain event inserts.
await withStore(async (deps) => {
  const plain = await timeAsync(async () => {
    for (let i = 0; i < APPENDS; i += 500) {
      await deps.db.transaction().execute(async (trx) => {
        for (let j = i; j < Math.min(i + 500, APPENDS); j += 1) {
          const e = event(j);
          await trx
            .insertInto('events')
            .values({
              at: e.at,
              type: e.type,
              subject_type: e.subjectType,
              subject_id: e.subjectId,
              actor: e.actor,
              data: JSON.stringify(e.data),
            })
            .execute();
        }
      });
    }
  });
  await deps.db.deleteFrom('events').execute();
  const logged = await timeAsync(async () => {
    for (let i = 0; i < APPENDS; i += 500) {
      await deps.db.transaction().execute(async (trx) => {
        for (let j = i; j < Math.min(i + 500, APPENDS); j += 1) await recordEvent(trx, event(j));
      });
    }
  });
  console.log('2. appends on SQLite (500 per transaction)');
  console.log(`   events without the log (baseline) ${fmt((APPENDS / plain.ms) * 1000)} events/s`);
  console.log(
    `   recordEvent with the log          ${fmt((APPENDS / logged.ms) * 1000)} events/s ` +
      `(${((plain.ms / logged.ms) * 100).toFixed(0)} % of the baseline)\n`,
  );
});

// 3. Proofs at LEAVES from the store vs naive recomputation.
await withStore(async (deps, file) => {
  // Fill the store directly (events, leaves, nodes, head) from the in-memory tree.
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = OFF');
  const insertEvent = raw.prepare(
    'insert into events (seq, at, type, subject_type, subject_id, actor, data) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertLeaf = raw.prepare(
    'insert into log_leaves (leaf_index, event_seq, leaf_hash) values (?, ?, ?)',
  );
  const insertNode = raw.prepare(
    'insert into log_nodes (level, node_index, hash) values (?, ?, ?)',
  );
  raw.transaction(() => {
    for (let i = 0; i < LEAVES; i += 1) {
      const e = event(i);
      insertEvent.run(
        i + 1,
        e.at,
        e.type,
        e.subjectType,
        e.subjectId,
        e.actor,
        JSON.stringify(e.data),
      );
      insertLeaf.run(i, i + 1, Buffer.from(tree.read(0, i)));
    }
    for (let level = 1; 2 ** level <= LEAVES; level += 1) {
      for (let index = 0; (index + 1) * 2 ** level <= LEAVES; index += 1) {
        insertNode.run(level, index, Buffer.from(tree.read(level, index)));
      }
    }
    raw
      .prepare('update log_head set tree_size = ?, frontier = ? where id = 1')
      .run(LEAVES, Buffer.concat(tree.frontier.hashes.map((h) => Buffer.from(h))));
  })();
  raw.close();

  const size = LEAVES - 7; // not a power of two: proofs include right-edge ranges
  const picks = Array.from({ length: PROOFS }, (_, i) => Math.floor(((i + 0.5) / PROOFS) * size));
  const inclusion = await timeAsync(async () => {
    for (const leaf of picks) await getInclusionProof(deps, { leafIndex: leaf }, size);
  });
  const consistency = await timeAsync(async () => {
    for (const first of picks) await getConsistencyProof(deps, Math.max(1, first), size);
  });
  const leaves = Array.from({ length: size }, (_, i) => tree.read(0, i));
  const naiveRuns = 3;
  const naive = time(() => {
    for (let r = 0; r < naiveRuns; r += 1) naivePath(leaves, picks[r] ?? 0, 0, size);
  });
  const check = naivePath(leaves, picks[0] ?? 0, 0, size).map((h) =>
    Buffer.from(h).toString('hex'),
  );
  const served = (await getInclusionProof(deps, { leafIndex: picks[0] ?? 0 }, size)).proof;
  if (check.join() !== served.join())
    throw new Error('the stored proof differs from the naive one');
  const perInclusion = inclusion.ms / PROOFS;
  const perNaive = naive.ms / naiveRuns;
  console.log(`3. proofs at ${fmt(size)} leaves (SQLite)`);
  console.log(`   naive PATH from all leaf hashes (baseline) ${perNaive.toFixed(1)} ms/proof`);
  console.log(
    `   inclusion proof from stored nodes          ${perInclusion.toFixed(3)} ms/proof ` +
      `(${fmt(perNaive / perInclusion)}× faster)`,
  );
  console.log(
    `   consistency proof from stored nodes        ${(consistency.ms / PROOFS).toFixed(3)} ms/proof`,
  );
});
