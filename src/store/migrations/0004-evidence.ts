import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';
import { eventLeafInput } from '../../evidence/leaf.js';
import {
  EMPTY_FRONTIER,
  appendToFrontier,
  leafHash,
  type Frontier,
} from '../../evidence/merkle.js';

/** Events folded into the log per batch while back-filling. */
const BACKFILL_BATCH = 2_000;

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
    let frontier: Frontier = EMPTY_FRONTIER;
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
        const input = eventLeafInput({
          seq,
          at: row.at,
          type: row.type,
          subjectType: row.subject_type,
          subjectId: row.subject_id,
          actor: row.actor,
          data: JSON.parse(row.data),
        });
        const hash = Buffer.from(leafHash(input));
        const index = frontier.size;
        const appended = appendToFrontier(frontier, hash);
        frontier = appended.frontier;
        await sql`insert into log_leaves (leaf_index, event_seq, leaf_hash)
                  values (${index}, ${seq}, ${hash})`.execute(db);
        for (const node of appended.created) {
          await sql`insert into log_nodes (level, node_index, hash)
                    values (${node.level}, ${node.index}, ${Buffer.from(node.hash)})`.execute(db);
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
