import { createHash } from 'node:crypto';
import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';

/** Events folded into the log per batch while back-filling. */
const BACKFILL_BATCH = 2_000;

// The hashing this migration back-filled with, frozen here as it was when the migration was
// written (a migration's meaning must not change when src/log/ does): RFC 8785 canonical JSON of
// the event's fields, RFC 9162 leaf and node hashes, and the append of one leaf to the frontier of
// complete subtrees (src/log/merkle.ts explains the frontier). Events' data here comes from
// JSON.parse of what recordEvent stored, so it is plain JSON with finite numbers.

/** RFC 8785 canonical JSON of JSON.parse output: members sorted by UTF-16 code units, no spaces. */
function canonicalJson0004(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson0004).join(',')}]`;
  const members = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${members.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson0004(v)}`).join(',')}}`;
}

/** The fields of an event row that its leaf commits to. */
export interface BackfillEvent {
  seq: number;
  at: string;
  type: string;
  subjectType: string;
  subjectId: string;
  actor: string;
  data: unknown;
}

/** RFC 9162 leaf hash of an event as this migration computed it: SHA-256(0x00 ‖ JCS(event)). */
export function backfillLeafHash(event: BackfillEvent): Buffer {
  const input = canonicalJson0004({
    actor: event.actor,
    at: event.at,
    data: event.data,
    seq: event.seq,
    subjectId: event.subjectId,
    subjectType: event.subjectType,
    type: event.type,
  });
  return createHash('sha256')
    .update(Buffer.from([0]))
    .update(input, 'utf8')
    .digest();
}

interface Frontier0004 {
  size: number;
  hashes: Buffer[];
}

/** Appends a leaf: the RFC 9162 node hashes SHA-256(0x01 ‖ left ‖ right) it completes. */
function appendLeaf0004(
  frontier: Frontier0004,
  leaf: Buffer,
): { frontier: Frontier0004; created: { level: number; index: number; hash: Buffer }[] } {
  const hashes = [...frontier.hashes];
  const created: { level: number; index: number; hash: Buffer }[] = [];
  let carry = leaf;
  let level = 0;
  let position = frontier.size;
  while (position % 2 === 1) {
    const left = hashes.pop();
    if (left === undefined) throw new Error('frontier does not match its size');
    carry = createHash('sha256')
      .update(Buffer.from([1]))
      .update(left)
      .update(carry)
      .digest();
    level += 1;
    position = Math.floor(position / 2);
    created.push({ level, index: position, hash: carry });
  }
  hashes.push(carry);
  return { frontier: { size: frontier.size + 1, hashes }, created };
}

/**
 * The RFC 9162 Merkle log over the audit trail (head, leaves, complete-subtree nodes, signed tree
 * heads), the blob index and captures. Events recorded before this migration become the first
 * leaves, in `seq` order.
 */
export const evidence: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    const bytes = sqlite ? 'blob' : 'bytea';
    await db.schema
      .createTable('log_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('tree_size', 'integer', (c) => c.notNull())
      .addColumn('frontier', bytes, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('log_leaves')
      .addColumn('leaf_index', 'integer', (c) => c.primaryKey())
      .addColumn('event_seq', 'integer', (c) => c.notNull().unique().references('events.seq'))
      .addColumn('leaf_hash', bytes, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('log_leaves_hash_idx')
      .on('log_leaves')
      .columns(['leaf_hash'])
      .execute();
    await db.schema
      .createTable('log_nodes')
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('node_index', 'integer', (c) => c.notNull())
      .addColumn('hash', bytes, (c) => c.notNull())
      .addPrimaryKeyConstraint('log_nodes_pk', ['level', 'node_index'])
      .execute();
    await db.schema
      .createTable('log_tree_heads')
      .addColumn('tree_size', 'integer', (c) => c.primaryKey())
      .addColumn('root_hash', bytes, (c) => c.notNull())
      .addColumn('signed_at', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('signature', bytes, (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('evidence_blobs')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('content_type', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('evidence_captures')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text')
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('final_url', 'text')
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('status_code', 'integer')
      .addColumn('content_type', 'text')
      .addColumn('body_sha256', 'text')
      .addColumn('body_size', 'integer')
      .addColumn('body_truncated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('title', 'text')
      .addColumn('screenshot_sha256', 'text')
      .addColumn('hops', 'text', (c) => c.notNull())
      .addColumn('observed_state', 'text')
      .addColumn('observed_reason', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('completed_at', 'text', (c) => c.notNull())
      .addColumn('event_seq', 'integer')
      .execute();
    await db.schema
      .createIndex('evidence_captures_case_idx')
      .on('evidence_captures')
      .columns(['case_id', 'started_at'])
      .execute();
    await db.schema
      .createIndex('evidence_captures_url_idx')
      .on('evidence_captures')
      .columns(['url', 'started_at'])
      .execute();

    // Back-fill: every event already recorded becomes a leaf, oldest first.
    let frontier: Frontier0004 = { size: 0, hashes: [] };
    let after = 0;
    for (;;) {
      const { rows } = await sql<{
        seq: number | string;
        at: string;
        type: string;
        subject_type: string;
        subject_id: string;
        actor: string;
        data: string;
      }>`select seq, at, type, subject_type, subject_id, actor, data from events
         where seq > ${after} order by seq limit ${BACKFILL_BATCH}`.execute(db);
      if (rows.length === 0) break;
      for (const row of rows) {
        const seq = Number(row.seq);
        const hash = backfillLeafHash({
          seq,
          at: row.at,
          type: row.type,
          subjectType: row.subject_type,
          subjectId: row.subject_id,
          actor: row.actor,
          data: JSON.parse(row.data),
        });
        const index = frontier.size;
        const appended = appendLeaf0004(frontier, hash);
        frontier = appended.frontier;
        await sql`insert into log_leaves (leaf_index, event_seq, leaf_hash)
                  values (${index}, ${seq}, ${hash})`.execute(db);
        for (const node of appended.created) {
          await sql`insert into log_nodes (level, node_index, hash)
                    values (${node.level}, ${node.index}, ${node.hash})`.execute(db);
        }
        after = seq;
      }
    }
    await sql`insert into log_head (id, tree_size, frontier)
              values (1, ${frontier.size}, ${Buffer.concat(frontier.hashes)})`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'evidence_captures',
      'evidence_blobs',
      'log_tree_heads',
      'log_nodes',
      'log_leaves',
      'log_head',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
