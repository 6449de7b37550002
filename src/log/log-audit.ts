/**
 * The whole-log audit behind `scamnet log audit`: recomputes every leaf from its event, every
 * stored complete-subtree node and the frontier, and checks every signed tree head's signature
 * and root against the recomputed tree; checks that every sealed field's disclosure is bound by
 * its leaf; and warns of leaves carrying fields their event type no longer allows (personal data
 * written before the allow-list, which an append-only log cannot remove). O(n) hashing; memory
 * is one page of leaves and their nodes, whatever the size of the log.
 *
 * The audit is of one fixed tree head: the size (and root) it is given, or the log head as it
 * stands when the audit starts. The head, the signed tree heads and the event count are read in
 * one snapshot at the start and only leaves below that size are read, so writers appending while
 * it runs (as a live server does) change nothing it checks. Events committed but not yet
 * appended by the sequencer (the merge delay) are counted, not failed; an event that is neither a
 * leaf nor waiting for the sequencer (one it skipped) fails the audit.
 */
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest } from '../shared/errors.js';
import { inSnapshot } from '../store/index.js';
import { DIGESTS_MEMBER, disclosureDigest, fieldsOutsideAllowList } from './disclosure.js';
import { parseStoredDisclosures } from './events.js';
import { countEvents } from './events.repo.js';
import { eventLeafInput } from './leaf.js';
import { resolveLogKey } from './log-key.js';
import {
  countUnsequencedEvents,
  listLeavesForAudit,
  listTreeHeads,
  readHead,
  readNodeRanges,
  readSequencingHorizon,
} from './log.repo.js';
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

/** Leaves read per query (one page), unless the caller asks for another page size. */
const AUDIT_PAGE = 5_000;
/** Problems listed before the rest are only counted. */
const MAX_PROBLEMS = 100;

/** What the audit found. */
export interface LogAuditReport {
  /** Size of the tree head audited (the fixed target). */
  treeSize: number;
  /** Root recomputed from the leaves at `treeSize`, lowercase hex. */
  rootHash: string;
  /** Size of the log head when the audit started (≥ treeSize). */
  logSize: number;
  /**
   * Committed events the sequencer had still to append when the audit started (the merge delay,
   * sequencer.ts): not a problem; an event neither a leaf nor waiting is one.
   */
  pendingEvents: number;
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

/** What to audit, and how. */
export interface LogAuditOptions {
  /** Audit the tree of this many leaves (default: the log head's size when the audit starts). */
  treeSize?: number;
  /** The root the tree of `treeSize` leaves must have (e.g. from a signed tree head kept). */
  rootHash?: Uint8Array;
  /** Leaves per page (default 5,000). */
  pageSize?: number;
  /** Called (and awaited) after each page with the leaves checked so far and the target size. */
  onProgress?: (leaves: number, total: number) => void | Promise<void>;
}

/**
 * Audits the log in `deps.db` against its events and signed tree heads, up to one fixed tree
 * head (see LogAuditOptions): every leaf below it is recomputed from its event and folded into
 * the tree, every stored node and every signed tree head of that size or less is compared with
 * the recomputed tree; signed tree heads larger than the target are only signature-checked.
 * @throws AppError 400 `tree_size_too_large` when `treeSize` exceeds the log at the start, or
 *   `root_without_size` when `rootHash` is given without `treeSize`.
 */
export async function auditLog(
  deps: ServiceDeps,
  options: LogAuditOptions = {},
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
  const key = resolveLogKey(deps.config);
  // One snapshot: writers that commit after it are not seen by any of these reads.
  const { head, heads, events, pending } = await inSnapshot(db, deps.dialect, async (trx) => ({
    head: await readHead(trx),
    heads: await listTreeHeads(trx),
    events: await countEvents(trx),
    pending: await countUnsequencedEvents(
      trx,
      deps.dialect,
      await readSequencingHorizon(trx),
      Number.MAX_SAFE_INTEGER,
    ),
  }));
  if (options.rootHash !== undefined && options.treeSize === undefined) {
    throw badRequest('root_without_size', 'a root to audit against needs its tree size');
  }
  const size = options.treeSize ?? head.size;
  if (!Number.isSafeInteger(size) || size < 0 || size > head.size) {
    throw badRequest(
      'tree_size_too_large',
      `cannot audit a tree of ${size} leaves: the log holds ${head.size}`,
    );
  }
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
  const pageSize = options.pageSize ?? AUDIT_PAGE;

  let frontier: Frontier = EMPTY_FRONTIER;
  let nodesChecked = 0;
  const report = (leavesChecked: number): LogAuditReport => ({
    treeSize: size,
    rootHash: toHex(frontierRoot(frontier)),
    logSize: head.size,
    pendingEvents: pending.pending,
    leavesChecked,
    nodesChecked,
    treeHeadsChecked: heads.filter((h) => h.treeSize <= size).length,
    problems,
    leavesOutsideAllowList,
    warnings,
  });
  for (let start = 0; start < size; start += pageSize) {
    const end = Math.min(start + pageSize, size);
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
    // The nodes a page completes form one run of indices per level.
    const ranges = new Map<number, { level: number; from: number; to: number }>();
    for (const id of created.keys()) {
      const [level = -1, index = -1] = id.split(':').map(Number);
      const range = ranges.get(level);
      if (range === undefined) ranges.set(level, { level, from: index, to: index });
      else {
        range.from = Math.min(range.from, index);
        range.to = Math.max(range.to, index);
      }
    }
    const stored = await readNodeRanges(db, [...ranges.values()]);
    const byKey = new Map(stored.map((n) => [`${n.level}:${n.index}`, n.hash]));
    for (const [id, hash] of created) {
      const found = byKey.get(id);
      nodesChecked += 1;
      if (found === undefined) problem(`node ${id} is missing`);
      else if (!same(found, hash)) problem(`node ${id} differs from its recomputed hash`);
    }
    await options.onProgress?.(end, size);
  }
  if (size === head.size) {
    const storedFrontier = Buffer.concat(head.hashes.map((h) => Buffer.from(h)));
    const computedFrontier = Buffer.concat(frontier.hashes.map((h) => Buffer.from(h)));
    if (!storedFrontier.equals(computedFrontier)) {
      problem('the log head frontier differs from the leaves');
    }
  }
  if (options.rootHash !== undefined && !same(options.rootHash, frontierRoot(frontier))) {
    problem(
      `tree head of size ${size}: root ${toHex(options.rootHash)} is not the recomputed ` +
        toHex(frontierRoot(frontier)),
    );
  }
  if (events !== head.size + pending.pending) {
    problem(
      `${events} events but ${head.size} leaves and ${pending.pending} waiting for the ` +
        'sequencer: some events are not in the log and never will be',
    );
  }
  return report(size);
}
