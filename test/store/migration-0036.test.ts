import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Migrator, sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore, type Database, type Store } from '../../src/store/index.js';
import { migrations } from '../../src/store/migrations/index.js';
import { createTestSchema, testDialects, type TestSchema } from '../harness.js';

// Migration 0036 (the log's sequencer) on a store that already holds events: what it adds, what
// the rows written before it hold, and that it goes back down.
describe.each(testDialects())('migration 0036 on a store with events (%s)', (dialect) => {
  let store: Store;
  let dir: string | undefined;
  let schema: TestSchema | undefined;

  afterEach(async () => {
    await store.destroy();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    await schema?.drop();
    dir = undefined;
    schema = undefined;
  });

  async function openStore(): Promise<Migrator> {
    if (dialect === 'sqlite') {
      dir = mkdtempSync(path.join(tmpdir(), 'scamnet-0036-'));
      store = createStore({ dialect: 'sqlite', path: path.join(dir, 'store.db') });
      return new Migrator({ db: store.db, provider: { getMigrations: async () => migrations } });
    }
    schema = await createTestSchema();
    store = createStore(
      { dialect: 'postgres', connectionString: process.env.TEST_DATABASE_URL ?? '' },
      { searchPath: schema.schema },
    );
    return new Migrator({
      db: store.db,
      provider: { getMigrations: async () => migrations },
      migrationTableSchema: schema.schema,
    });
  }

  async function migrateTo(migrator: Migrator, name: string): Promise<void> {
    const { error } = await migrator.migrateTo(name);
    expect(error).toBeUndefined();
  }

  async function insertEvent(db: Kysely<Database>, subject: string): Promise<void> {
    await sql`insert into events (at, type, subject_type, subject_id, actor, data)
              values ('2026-01-02T03:04:05.000Z', 'report.accepted', 'case', ${subject},
                      'public', '{}')`.execute(db);
  }

  /** The columns of `table` in this test's store (on PostgreSQL its own schema: other tests'
   * schemas hold tables of the same names). */
  async function columnsOf(db: Kysely<Database>, table: string): Promise<string[]> {
    const tables = await db.introspection.getTables();
    const own = tables.find(
      (t) => t.name === table && (schema === undefined || t.schema === schema.schema),
    );
    return own?.columns.map((c) => c.name) ?? [];
  }

  it('adds the head horizon (and on PostgreSQL the events transaction ID), leaves older rows null, and goes back down', async () => {
    const migrator = await openStore();
    const { db } = store;
    await migrateTo(migrator, '0035-hash-list-holdings');
    await insertEvent(db, 'C-before');
    expect(await columnsOf(db, 'log_head')).not.toContain('horizon');

    await migrateTo(migrator, '0036-log-sequencer');
    expect(await columnsOf(db, 'log_head')).toContain('horizon');
    const head = await sql<{ horizon: unknown }>`select horizon from log_head`.execute(db);
    for (const row of head.rows) expect(row.horizon).toBeNull();

    await insertEvent(db, 'C-after');
    if (dialect === 'sqlite') {
      // SQLite serialises writers: its events need no transaction ID.
      expect(await columnsOf(db, 'events')).not.toContain('tx');
    } else {
      const rows = await sql<{ subject_id: string; tx: string | null }>`
        select subject_id, tx::text as tx from events order by seq`.execute(db);
      expect(rows.rows.map((r) => r.subject_id)).toEqual(['C-before', 'C-after']);
      // Stored before 0036: already a leaf, no ID. Written after: its transaction's ID.
      expect(rows.rows[0]?.tx).toBeNull();
      expect(rows.rows[1]?.tx).toMatch(/^[1-9][0-9]*$/);
      const txid = await db.transaction().execute(async (trx) => {
        await insertEvent(trx, 'C-in-tx');
        return (await sql<{ id: string }>`select txid_current()::text as id`.execute(trx)).rows[0]
          ?.id;
      });
      const written = await sql<{ tx: string }>`
        select tx::text as tx from events where subject_id = 'C-in-tx'`.execute(db);
      expect(written.rows[0]?.tx).toBe(txid);
      const indexes = await sql<{ indexname: string }>`
        select indexname from pg_indexes
        where schemaname = current_schema() and tablename = 'events'`.execute(db);
      expect(indexes.rows.map((r) => r.indexname)).toContain('events_tx_idx');
    }

    const down = await migrator.migrateDown();
    expect(down.error).toBeUndefined();
    expect(await columnsOf(db, 'log_head')).not.toContain('horizon');
    expect(await columnsOf(db, 'events')).not.toContain('tx');
  });
});
