import { SqliteAdapter, type Kysely, type Migration } from 'kysely';

/** Reports, cases, indicators, merge keys and verdict history. */
export const initial: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createTable('cases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('summary', 'text')
      .addColumn('report_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('first_reported_at', 'text', (c) => c.notNull())
      .addColumn('last_reported_at', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text')
      .addColumn('removed_at', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cases_status_idx').on('cases').columns(['status']).execute();
    await db.schema
      .createIndex('cases_last_reported_idx')
      .on('cases')
      .columns(['last_reported_at'])
      .execute();

    await db.schema
      .createTable('reports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('platform', 'text')
      .addColumn('url', 'text')
      .addColumn('canonical_url', 'text')
      .addColumn('text', 'text')
      .addColumn('title', 'text')
      .addColumn('external_id', 'text')
      .execute();
    await db.schema.createIndex('reports_case_idx').on('reports').columns(['case_id']).execute();
    await db.schema
      .createIndex('reports_external_idx')
      .on('reports')
      .columns(['source', 'external_id'])
      .unique()
      .execute();

    await db.schema
      .createTable('indicators')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('expression', 'text')
      .addColumn('registrable_domain', 'text')
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('indicators_type_value_uq', ['type', 'value'])
      .execute();
    await db.schema
      .createIndex('indicators_expression_idx')
      .on('indicators')
      .columns(['expression'])
      .execute();
    await db.schema
      .createIndex('indicators_domain_idx')
      .on('indicators')
      .columns(['registrable_domain'])
      .execute();

    await db.schema
      .createTable('case_indicators')
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('indicator_id', 'text', (c) => c.notNull().references('indicators.id'))
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('case_indicators_pk', ['case_id', 'indicator_id'])
      .execute();
    await db.schema
      .createIndex('case_indicators_indicator_idx')
      .on('case_indicators')
      .columns(['indicator_id'])
      .execute();

    await db.schema
      .createTable('case_keys')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('case_keys_case_idx')
      .on('case_keys')
      .columns(['case_id'])
      .execute();

    await db.schema
      .createTable('verdicts')
      .addColumn('id', 'integer', (c) =>
        sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
      )
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('decided_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('verdicts_case_idx').on('verdicts').columns(['case_id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'verdicts',
      'case_keys',
      'case_indicators',
      'indicators',
      'reports',
      'cases',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
