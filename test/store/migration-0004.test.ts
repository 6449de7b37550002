import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { MemoryMerkleTree, eventLeafInput, leafHash } from '../../src/log/index.js';
import { backfillLeafHash } from '../../src/store/migrations/0004-evidence.js';
import { migrations } from '../../src/store/migrations/index.js';

// Migration 0004 carries a frozen copy of the log's hashing (it must not change meaning when
// src/log/ does). These tests pin that copy to the live code on the kinds of data events hold.
const EVENTS = [
  { type: 'report.accepted', data: { caseId: 'C1', n: 3, ok: true, nothing: null } },
  { type: 'case.decided', data: { é: 1, Z: [1, -0, 0.5, 1e21, -2.5e-7], a: { b: { c: [] } } } },
  {
    type: 'x',
    data: { '\u{1F600}': '臺灣 \u2028 "quoted" \\ back', ['\uFB33']: 'x', ['\u00e9']: 'y' },
  },
  { type: 'y', data: [] },
  { type: 'z', data: 'a string' },
];

describe('migration 0004 back-fill (frozen hashing)', () => {
  it('hashes every kind of event exactly as the live log does', () => {
    EVENTS.forEach((event, i) => {
      const row = {
        seq: i + 1,
        at: '2024-01-02T03:04:05.000Z',
        subjectType: 'case',
        subjectId: `C${i}`,
        actor: 'user:u',
        ...event,
      };
      // Data reaches the migration as JSON.parse of the stored text.
      const parsed = { ...row, data: JSON.parse(JSON.stringify(row.data)) as unknown };
      expect(backfillLeafHash(parsed).toString('hex')).toBe(
        Buffer.from(leafHash(eventLeafInput(parsed))).toString('hex'),
      );
    });
  });

  it('builds the same tree as the live Merkle code over pre-existing events', async () => {
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new Database(':memory:') }),
    });
    try {
      for (const name of ['0001-initial', '0002-events']) await migrations[name]?.up(db);
      const live = new MemoryMerkleTree();
      for (let i = 0; i < 37; i += 1) {
        const event = {
          at: `2024-01-02T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
          type: 'report.accepted',
          subjectType: 'case',
          subjectId: `C${i}`,
          actor: 'public',
          data: { i, text: `第${i}則` },
        };
        await sql`insert into events (at, type, subject_type, subject_id, actor, data)
                  values (${event.at}, ${event.type}, ${event.subjectType}, ${event.subjectId}, ${event.actor}, ${JSON.stringify(event.data)})`.execute(
          db,
        );
        live.appendLeafHash(leafHash(eventLeafInput({ ...event, seq: i + 1 })));
      }
      await migrations['0004-evidence']?.up(db);
      const head = await sql<{
        tree_size: number;
        frontier: Buffer;
      }>`select tree_size, frontier from log_head`.execute(db);
      expect(head.rows[0]?.tree_size).toBe(37);
      expect(Buffer.from(head.rows[0]?.frontier ?? []).toString('hex')).toBe(
        Buffer.concat(live.frontier.hashes).toString('hex'),
      );
      const nodes = await sql<{ n: number }>`select count(*) as n from log_nodes`.execute(db);
      expect(nodes.rows[0]?.n).toBe(37 - 3); // 37 leaves = 32 + 4 + 1: one node per completed pair
    } finally {
      await db.destroy();
    }
  });
});
