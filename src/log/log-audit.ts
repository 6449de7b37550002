/**
 * The whole-log audit behind `scamnet log audit`: recomputes every leaf from its event, every
 * stored complete-subtree node and the frontier, and checks every signed tree head's signature
 * and root against the recomputed tree; checks that every sealed field's disclosure is bound by
 * its leaf; and warns of leaves carrying fields their event type no longer allows (personal data
 * written before the allow-list, which an append-only log cannot remove). O(n) hashing,
 * O(log n) memory.
 */
import type { ServiceDeps } from '../shared/deps.js';
import { DIGESTS_MEMBER, disclosureDigest, fieldsOutsideAllowList } from './disclosure.js';
import { parseStoredDisclosures } from './events.js';
import { countEvents } from './events.repo.js';
import { eventLeafInput } from './leaf.js';
import { resolveLogKey } from './log-key.js';
import { listLeavesForAudit, listTreeHeads, readHead, readNodes } from './log.repo.js';
import { presentTreeHead } from './log.service.js';
import {
  EMPTY_FRONTIER,
  appendToFrontier,
  frontierRoot,
  leafHash,
  toHex,
  type Frontier,
} from './merkle.js';
import { checkTreeHead } from './verify.js';

/** Leaves read per query. */
const AUDIT_BATCH = 5_000;
/** Problems listed before the rest are only counted. */
const MAX_PROBLEMS = 100;

/** What the audit found. */
export interface LogAuditReport {
  treeSize: number;
  leavesChecked: number;
  nodesChecked: number;
  treeHeadsChecked: number;
  /** Empty when the log is intact. */
  problems: string[];
  /** Leaves with data fields outside their event type's allow-list (see event-types.ts). */
  leavesOutsideAllowList: number;
  /** The first of them, described (no values): they do not fail the audit. */
  warnings: string[];
}

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/**
 * Audits the log in `deps.db` against its events and signed tree heads.
 * @param onProgress called with the number of leaves checked so far, after each batch.
 */
export async function auditLog(
  deps: ServiceDeps,
  onProgress?: (leaves: number, total: number) => void,
): Promise<LogAuditReport> {
  const { db } = deps;
  const problems: string[] = [];
  const problem = (text: string): void => {
    if (problems.length < MAX_PROBLEMS) problems.push(text);
    else if (problems.length === MAX_PROBLEMS) problems.push('… more problems not listed');
  };
  const warnings: string[] = [];
  let leavesOutsideAllowList = 0;
  const warn = (text: string): void => {
    leavesOutsideAllowList += 1;
    if (warnings.length < MAX_PROBLEMS) warnings.push(text);
  };
  const head = await readHead(db);
  const key = resolveLogKey(deps.config);
  const heads = await listTreeHeads(db);
  const headsBySize = new Map(heads.map((h) => [h.treeSize, h]));
  for (const sth of heads) {
    const check = checkTreeHead(key.publicKey, presentTreeHead(sth));
    if (!check.ok) problem(`${check.name}: ${check.detail}`);
    if (sth.treeSize > head.size) {
      problem(`signed tree head of size ${sth.treeSize} is beyond the log's ${head.size} leaves`);
    }
  }
  const emptyHead = headsBySize.get(0);
  if (emptyHead !== undefined && !same(emptyHead.rootHash, frontierRoot(EMPTY_FRONTIER))) {
    problem('signed tree head of size 0: root is not the empty-tree hash');
  }

  let frontier: Frontier = EMPTY_FRONTIER;
  let nodesChecked = 0;
  const report = (leavesChecked: number): LogAuditReport => ({
    treeSize: head.size,
    leavesChecked,
    nodesChecked,
    treeHeadsChecked: heads.length,
    problems,
    leavesOutsideAllowList,
    warnings,
  });
  for (let start = 0; start < head.size; start += AUDIT_BATCH) {
    const end = Math.min(start + AUDIT_BATCH, head.size);
    const leaves = await listLeavesForAudit(db, start, end);
    const created = new Map<string, Uint8Array>();
    let expected = start;
    for (const row of leaves) {
      const index = Number(row.leaf_index);
      if (index !== expected) {
        problem(`leaves ${expected}…${index - 1} are missing`);
        return report(expected);
      }
      expected += 1;
      let hash: Uint8Array = row.leaf_hash;
      if (
        row.seq === null ||
        row.at === null ||
        row.type === null ||
        row.subject_type === null ||
        row.subject_id === null ||
        row.actor === null ||
        row.data === null
      ) {
        problem(`leaf ${index}: its event ${Number(row.event_seq)} is missing`);
      } else {
        const data: unknown = JSON.parse(row.data);
        const recomputed = leafHash(
          eventLeafInput({
            seq: Number(row.seq),
            at: row.at,
            type: row.type,
            subjectType: row.subject_type,
            subjectId: row.subject_id,
            actor: row.actor,
            data,
          }),
        );
        if (!same(recomputed, row.leaf_hash)) {
          problem(`leaf ${index}: event ${Number(row.seq)} was altered (its leaf hash differs)`);
          hash = recomputed;
        }
        const fields: Record<string, unknown> =
          typeof data === 'object' && data !== null && !Array.isArray(data)
            ? Object.fromEntries(Object.entries(data))
            : {};
        const digests = fields[DIGESTS_MEMBER];
        const listed = new Set(Array.isArray(digests) ? digests : []);
        const unbound = parseStoredDisclosures(row.disclosures).filter(
          (d) => !listed.has(disclosureDigest(d)),
        ).length;
        if (unbound > 0) {
          problem(
            `leaf ${index}: ${unbound} sealed field(s) of event ${Number(row.seq)} are not bound ` +
              'by its leaf (altered)',
          );
        }
        const outside = fieldsOutsideAllowList(row.type, fields);
        if (outside.length > 0) {
          warn(`leaf ${index} (event ${Number(row.seq)}, ${row.type}): ${outside.join(', ')}`);
        }
      }
      const appended = appendToFrontier(frontier, hash);
      frontier = appended.frontier;
      for (const node of appended.created) created.set(`${node.level}:${node.index}`, node.hash);
      const sth = headsBySize.get(frontier.size);
      if (sth !== undefined && !same(sth.rootHash, frontierRoot(frontier))) {
        problem(
          `signed tree head of size ${sth.treeSize}: root ${toHex(sth.rootHash)} is not the ` +
            `recomputed ${toHex(frontierRoot(frontier))}`,
        );
      }
    }
    if (expected !== end) {
      problem(`leaves ${expected}…${end - 1} are missing`);
      return report(expected);
    }
    const keys = [...created.keys()].map((k) => k.split(':').map(Number));
    if (keys.length > 0) {
      const stored = await readNodes(
        db,
        keys.map(([level, index]) => ({ level: level ?? -1, index: index ?? -1 })),
      );
      const byKey = new Map(stored.map((s) => [`${s.level}:${s.index}`, s.hash]));
      for (const [id, hash] of created) {
        const found = byKey.get(id);
        nodesChecked += 1;
        if (found === undefined) problem(`node ${id} is missing`);
        else if (!same(found, hash)) problem(`node ${id} differs from its recomputed hash`);
      }
    }
    onProgress?.(end, head.size);
  }
  const storedFrontier = Buffer.concat(head.hashes.map((h) => Buffer.from(h)));
  const computedFrontier = Buffer.concat(frontier.hashes.map((h) => Buffer.from(h)));
  if (!storedFrontier.equals(computedFrontier))
    problem('the log head frontier differs from the leaves');
  const events = await countEvents(db);
  if (events !== head.size) {
    problem(`${events} events but ${head.size} leaves: some events are not in the log`);
  }
  return report(head.size);
}
