/**
 * bench/log: the benchmark for the RFC 9162 evidence log at 10,000,000 leaves, each figure
 * beside a baseline measured in the same run. Leaf inputs are generated and consumed in chunks
 * (never all held in memory).
 *
 *   1. Appends over all N leaves: the append code the store runs for every leaf (`leafHash` +
 *      `appendToFrontier`, exactly what `appendLeaf` computes before its SQL), timed per chunk,
 *      beside the ceiling of hashing the same leaf inputs with SHA-256 alone (one digest per
 *      leaf), timed on the same chunk in alternating order. Generating the inputs (RFC 8785
 *      canonical JSON) is timed apart and is in neither figure.
 *      Every leaf, the nodes its append completed, its event and the final frontier are written
 *      to a SQLite store through raw better-sqlite3 statements, one transaction per chunk: the
 *      rows `recordEvent` would have written, loaded in bulk (reported as setup, not as appends).
 *   2. Inclusion proofs at N leaves from that store through the service (`getInclusionProof`:
 *      the leaf row, O(log n) stored nodes, the signed tree head), median over random leaves;
 *      each is verified offline as an auditor would (`verifyOffline` with the log key, the
 *      signed tree head and the entry) against the root of the streamed frontier, and one
 *      tampered proof must fail.
 *   3. Appends through the store at N leaves: `recordEvent` (the event row, Kysely on SQLite,
 *      500 per transaction), then the sequencer after commit (`integrateLog`: leaves, nodes and
 *      head, 5,000 per round), the production path, each timed and both together; the new root
 *      is checked against the streamed frontier extended with the same events.
 *
 * Run: `npm run bench:log` (add `-- --leaves N` for a quick run; `--appends M`, `--proofs P`).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';

import { eventLeafInput } from '../src/log/leaf.js';
import { readHead } from '../src/log/log.repo.js';
import { SEQUENCE_BATCH } from '../src/log/sequencer.js';
import {
  EMPTY_FRONTIER,
  appendToFrontier,
  frontierRoot,
  fromHex,
  leafHash,
  toHex,
  type Frontier,
  type NewNode,
} from '../src/log/merkle.js';
import { openSqliteDeps } from './sqlite-deps.js';

import {
  canonicalJson,
  getEntries,
  getInclusionProof,
  getLogPublicKey,
  getSignedTreeHead,
  integrateLog,
  parsePublicKey,
  recordEvent,
  verifyInclusion,
  verifyOffline,
} from '../src/log/index.js';
import { seededRandom } from '../test/seeded-random.js';
const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a count`);
  return value;
};
const LEAVES = arg('--leaves', 10_000_000);
const APPENDS = arg('--appends', 20_000);
const PROOFS = arg('--proofs', 51);
const CHUNK = 65_536;
const BATCH = 500;

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const perSecond = (count: number, ms: number): number => (count / ms) * 1000;
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};

/** The i-th audit event (0-based); its seq in the log is i + 1. */
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
const inputOf = (i: number): string => eventLeafInput({ seq: i + 1, ...event(i) });

const random = seededRandom;

const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bench-log-'));
const file = path.join(dir, 'bench.db');
const { deps, destroy } = await openSqliteDeps(file, {
  LOG_SIGNING_KEY_FILE: path.join(dir, 'log-signing-key.pem'),
});

console.log(
  `bench/log: ${fmt(LEAVES)} leaves (streamed in chunks of ${fmt(CHUNK)}), ` +
    `${PROOFS} inclusion proofs, ${fmt(APPENDS)} store appends; node ${process.version}\n`,
);
const started = performance.now();

try {
  // 1. Stream N leaves: ceiling, append code, bulk load of the rows into the store.
  const raw = new SQLite(file);
  raw.pragma('synchronous = OFF');
  raw.pragma('cache_size = -1048576'); // 1 GiB: the leaf-hash index takes random inserts
  // Secondary indexes are dropped for the load and rebuilt from their own DDL after it.
  const indexes = raw
    .prepare(
      "select name, sql from sqlite_master where type = 'index' and sql is not null " +
        "and tbl_name in ('events', 'log_leaves', 'log_nodes')",
    )
    .all() as { name: string; sql: string }[];
  for (const index of indexes) raw.exec(`drop index ${index.name}`);
  const insertEvent = raw.prepare(
    'insert into events (seq, at, type, subject_type, subject_id, actor, data) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertLeaf = raw.prepare(
    'insert into log_leaves (leaf_index, event_seq, leaf_hash) values (?, ?, ?)',
  );
  const insertNode = raw.prepare(
    'insert into log_nodes (level, node_index, hash) values (?, ?, ?)',
  );
  const writeChunk = raw.transaction(
    (
      start: number,
      events: readonly ReturnType<typeof event>[],
      leaves: readonly Uint8Array[],
      nodes: readonly NewNode[],
    ) => {
      events.forEach((e, j) => {
        const seq = start + j + 1;
        insertEvent.run(
          seq,
          e.at,
          e.type,
          e.subjectType,
          e.subjectId,
          e.actor,
          canonicalJson(e.data),
        );
        insertLeaf.run(seq - 1, seq, leaves[j]);
      });
      for (const n of nodes) insertNode.run(n.level, n.index, n.hash);
    },
  );

  let generateMs = 0;
  let ceilingMs = 0;
  let appendMs = 0;
  let loadMs = 0;
  let sink = 0;
  let frontier: Frontier = EMPTY_FRONTIER;
  for (let start = 0, round = 0; start < LEAVES; start += CHUNK, round += 1) {
    const count = Math.min(CHUNK, LEAVES - start);
    let t = performance.now();
    const events = Array.from({ length: count }, (_, j) => event(start + j));
    const inputs = events.map((e, j) => eventLeafInput({ seq: start + j + 1, ...e }));
    generateMs += performance.now() - t;

    const leaves: Uint8Array[] = new Array<Uint8Array>(count);
    const nodes: NewNode[] = [];
    const ceiling = (): void => {
      const t0 = performance.now();
      for (const input of inputs) sink ^= createHash('sha256').update(input).digest()[0] ?? 0;
      ceilingMs += performance.now() - t0;
    };
    const append = (): void => {
      const t0 = performance.now();
      for (let j = 0; j < count; j += 1) {
        const leaf = leafHash(inputs[j] ?? '');
        const next = appendToFrontier(frontier, leaf);
        frontier = next.frontier;
        leaves[j] = leaf;
        for (const n of next.created) nodes.push(n);
      }
      appendMs += performance.now() - t0;
    };
    if (round % 2 === 0) {
      ceiling();
      append();
    } else {
      append();
      ceiling();
    }

    t = performance.now();
    writeChunk(start, events, leaves, nodes);
    loadMs += performance.now() - t;
    if (round % 16 === 15) {
      process.stderr.write(
        `  … ${fmt(start + count)} leaves, ${fmt(performance.now() - started)} ms\n`,
      );
    }
  }
  let t = performance.now();
  raw
    .prepare('update log_head set tree_size = ?, frontier = ? where id = 1')
    .run(LEAVES, Buffer.concat(frontier.hashes.map((h) => Buffer.from(h))));
  for (const index of indexes) raw.exec(index.sql);
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  loadMs += performance.now() - t;
  const root = frontierRoot(frontier);
  const appendRate = perSecond(LEAVES, appendMs);
  const ceilingRate = perSecond(LEAVES, ceilingMs);

  console.log(`1. appends over ${fmt(LEAVES)} leaves (in memory, the code appendLeaf runs)`);
  console.log(
    `   SHA-256 alone of each leaf input (ceiling)   ${fmt(ceilingRate)} leaves/s  (${(ceilingMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `   leafHash + appendToFrontier                  ${fmt(appendRate)} leaves/s  (${(appendMs / 1000).toFixed(1)} s)` +
      `  = ${((appendRate / ceilingRate) * 100).toFixed(1)} % of the ceiling`,
  );
  console.log(
    `   (not in either: generating the canonical-JSON inputs ${(generateMs / 1000).toFixed(1)} s; ` +
      `bulk-loading events, leaves, nodes and head into SQLite, ${indexes.length} indexes rebuilt, ${(loadMs / 1000).toFixed(1)} s = ` +
      `${fmt(perSecond(LEAVES, loadMs))} leaves/s)`,
  );
  console.log(`   root of ${fmt(LEAVES)} leaves ${toHex(root)}  (sink ${sink})\n`);

  // 2. Inclusion proofs at N leaves from the store, verified offline.
  const sth = await getSignedTreeHead(deps);
  if (sth.treeSize !== LEAVES || sth.rootHash !== toHex(root)) {
    throw new Error(
      `the store's tree head (${sth.treeSize}, ${sth.rootHash}) is not the streamed one`,
    );
  }
  const publicKey = parsePublicKey(getLogPublicKey(deps).publicKeyPem);
  const next = random(9162);
  const picks = Array.from({ length: PROOFS }, () => Math.floor(next() * LEAVES));
  const proofMs: number[] = [];
  const verifyMs: number[] = [];
  let verified = 0;
  let pathLength = 0;
  let tamperedRejected = false;
  for (const leaf of picks) {
    const t0 = performance.now();
    const proof = await getInclusionProof(deps, { leafIndex: leaf }, LEAVES);
    proofMs.push(performance.now() - t0);
    pathLength = Math.max(pathLength, proof.proof.length);
    // The auditor's check: its own leaf hash of the event, the audit path, the root.
    const t1 = performance.now();
    const ok = verifyInclusion(
      leaf,
      LEAVES,
      leafHash(inputOf(leaf)),
      proof.proof.map((h) => fromHex(h) ?? new Uint8Array()),
      root,
    );
    verifyMs.push(performance.now() - t1);
    const [entry] = await getEntries(deps, leaf, leaf);
    const checks = verifyOffline({ publicKey, inclusion: proof, entry, treeHeads: [sth] });
    if (ok && entry?.leafInput === inputOf(leaf) && checks.every((c) => c.ok)) verified += 1;
    if (!tamperedRejected) {
      const bad = [...proof.proof];
      bad[0] = (bad[0] ?? '').replace(/^./, (c) => (c === '0' ? '1' : '0'));
      tamperedRejected = !verifyOffline({ publicKey, inclusion: { ...proof, proof: bad }, entry })
        .filter((c) => c.name.startsWith('inclusion'))
        .every((c) => c.ok);
    }
  }
  console.log(`2. inclusion proofs at ${fmt(LEAVES)} leaves (getInclusionProof on SQLite)`);
  console.log(
    `   proof time, median of ${PROOFS} random leaves  ${median(proofMs).toFixed(3)} ms ` +
      `(min ${Math.min(...proofMs).toFixed(3)}, max ${Math.max(...proofMs).toFixed(3)}; ` +
      `${pathLength} hashes per path)`,
  );
  console.log(
    `   verification (RFC 9162 §2.1.3.2)           ${median(verifyMs).toFixed(3)} ms median; ` +
      `${verified}/${PROOFS} verified offline against the signed tree head ` +
      `(Ed25519 signature, entry leaf hash, audit path to the root); ` +
      `tampered proof ${tamperedRejected ? 'rejected' : 'ACCEPTED'}\n`,
  );
  if (verified !== PROOFS || !tamperedRejected) throw new Error('proof verification failed');

  // 3. Appends through the store on a log of N leaves: the writers' transactions, then the
  // sequencer's rounds after commit.
  let stored = frontier;
  t = performance.now();
  for (let i = 0; i < APPENDS; i += BATCH) {
    await deps.db.transaction().execute(async (trx) => {
      for (let j = i; j < Math.min(i + BATCH, APPENDS); j += 1) {
        await recordEvent(trx, event(LEAVES + j));
      }
    });
  }
  const recordMs = performance.now() - t;
  t = performance.now();
  const integration = await integrateLog(deps, { sign: false });
  const sequenceMs = performance.now() - t;
  const storeMs = recordMs + sequenceMs;
  for (let j = 0; j < APPENDS; j += 1) {
    stored = appendToFrontier(stored, leafHash(inputOf(LEAVES + j))).frontier;
  }
  const head = await readHead(deps.db);
  if (
    integration.integrated !== APPENDS ||
    head.size !== LEAVES + APPENDS ||
    toHex(frontierRoot(head)) !== toHex(frontierRoot(stored))
  ) {
    throw new Error('the store appended different leaves than the streamed tree');
  }
  const storeRate = perSecond(APPENDS, storeMs);
  console.log(
    `3. appends through the store at ${fmt(LEAVES)} leaves (recordEvent, Kysely on SQLite, ${BATCH} per transaction, ` +
      `then the sequencer: integrateLog, ${fmt(SEQUENCE_BATCH)} per round)`,
  );
  console.log(
    `   recordEvent ${fmt(APPENDS)} events (commit)        ${fmt(perSecond(APPENDS, recordMs))} events/s  (${(recordMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `   integrateLog (after commit)                ${fmt(perSecond(APPENDS, sequenceMs))} leaves/s  (${(sequenceMs / 1000).toFixed(1)} s)`,
  );
  console.log(
    `   both                                       ${fmt(storeRate)} appends/s  ` +
      `= ${((storeRate / ceilingRate) * 100).toFixed(1)} % of the SHA-256 ceiling; ` +
      `root at ${fmt(head.size)} matches the streamed tree`,
  );
  console.log(`\ntotal ${((performance.now() - started) / 1000).toFixed(0)} s`);
} finally {
  await destroy();
  rmSync(dir, { recursive: true, force: true });
}
