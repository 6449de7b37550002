import { SqliteAdapter, type Kysely, type Migration } from 'kysely';

/** Agencies every deployment in Taiwan routes to by default (editable data, not code). */
const DEFAULT_ENTITIES = [
  {
    id: 'fsc',
    kind: 'agency',
    name_zh: '金融監督管理委員會',
    name_en: 'Financial Supervisory Commission',
    aliases: ['金管會', 'FSC'],
    domains: ['fsc.gov.tw'],
  },
  {
    id: 'npa-165',
    kind: 'agency',
    name_zh: '內政部警政署 165 反詐騙諮詢專線',
    name_en: 'National Police Agency 165 Anti-Fraud Hotline',
    aliases: ['警政署', '165', '刑事警察局'],
    domains: ['npa.gov.tw'],
  },
] as const;

/**
 * The default routing rules: an impersonated entity confirms its own case; investment scams
 * without one go to the financial regulator; everything else to the 165 hotline.
 */
const DEFAULT_RULES = [
  {
    priority: 10,
    impersonated_kind: 'any',
    scam_type: null,
    target: 'impersonated',
    note: '冒用身分：由被冒用者確認',
  },
  {
    priority: 20,
    impersonated_kind: 'none',
    scam_type: 'investment',
    target: 'fsc',
    note: '投資詐騙：金管會',
  },
  {
    priority: 1000,
    impersonated_kind: null,
    scam_type: null,
    target: 'npa-165',
    note: '其餘：165',
  },
] as const;

/** Entity registry, routing rules, decision links, takedown notices, outbox, sanctions. */
export const workflow: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    const serial = (name: string) =>
      db.schema
        .createTable(name)
        .addColumn('id', 'integer', (c) =>
          sqlite ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity(),
        );

    const cases = () => db.schema.alterTable('cases');
    await cases()
      .addColumn('stage', 'text', (c) => c.notNull().defaultTo('triage'))
      .execute();
    await cases()
      .addColumn('overrides', 'text', (c) => c.notNull().defaultTo('[]'))
      .execute();
    for (const column of [
      'scam_type',
      'impersonated_entity_id',
      'routed_entity_id',
      'triaged_at',
      'info_question',
    ]) {
      await cases().addColumn(column, 'text').execute();
    }
    await cases().addColumn('risk_score', 'integer').execute();
    await db.schema
      .createIndex('cases_routed_idx')
      .on('cases')
      .columns(['routed_entity_id', 'stage'])
      .execute();

    await db.schema
      .createTable('entities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name_zh', 'text', (c) => c.notNull())
      .addColumn('name_en', 'text')
      .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('domains', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('contact_email', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('disabled_at', 'text')
      .execute();

    await serial('routing_rules')
      .addColumn('priority', 'integer', (c) => c.notNull())
      .addColumn('scam_type', 'text')
      .addColumn('impersonated_kind', 'text')
      .addColumn('platform', 'text')
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('decision_links')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('takedown_notices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('content_url', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text', (c) => c.notNull())
      .addColumn('first_deadline_at', 'text', (c) => c.notNull())
      .addColumn('deadline_at', 'text', (c) => c.notNull())
      .addColumn('acknowledged_at', 'text')
      .addColumn('resolved_at', 'text')
      .addColumn('outcome_reason', 'text')
      .addColumn('missed_deadlines', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('notices_case_idx')
      .on('takedown_notices')
      .columns(['case_id'])
      .execute();
    await db.schema
      .createIndex('notices_open_idx')
      .on('takedown_notices')
      .columns(['state', 'deadline_at'])
      .execute();
    await db.schema
      .createIndex('notices_platform_idx')
      .on('takedown_notices')
      .columns(['platform', 'sent_at'])
      .execute();

    await serial('notice_deliveries')
      .addColumn('notice_id', 'text', (c) => c.notNull().references('takedown_notices.id'))
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('response_code', 'integer')
      .addColumn('detail', 'text')
      .execute();
    await db.schema
      .createIndex('notice_deliveries_notice_idx')
      .on('notice_deliveries')
      .columns(['notice_id'])
      .execute();

    await db.schema
      .createTable('platform_channels')
      .addColumn('platform', 'text', (c) => c.primaryKey())
      .addColumn('webhook_url', 'text')
      .addColumn('webhook_secret', 'text')
      .addColumn('email', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await serial('outbox')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('ref', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('locked_until', 'text')
      .addColumn('done_at', 'text')
      .addColumn('failed_at', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('outbox_due_idx')
      .on('outbox')
      .columns(['done_at', 'next_attempt_at'])
      .execute();

    await serial('sanctions')
      .addColumn('notice_id', 'text', (c) => c.notNull().references('takedown_notices.id'))
      .addColumn('platform', 'text', (c) => c.notNull())
      .addColumn('occurrence', 'integer', (c) => c.notNull())
      .addColumn('missed_deadline_at', 'text', (c) => c.notNull())
      .addColumn('legal_basis', 'text', (c) => c.notNull())
      .addColumn('fine_min', 'integer', (c) => c.notNull())
      .addColumn('fine_max', 'integer', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('sanctions_notice_occurrence_uq', ['notice_id', 'occurrence'])
      .execute();

    const at = '2026-01-01T00:00:00.000Z';
    const seed = db as Kysely<Record<string, Record<string, unknown>>>;
    await seed
      .insertInto('entities')
      .values(
        DEFAULT_ENTITIES.map((e) => ({
          ...e,
          aliases: JSON.stringify(e.aliases),
          domains: JSON.stringify(e.domains),
          contact_email: null,
          created_at: at,
          updated_at: at,
          disabled_at: null,
        })),
      )
      .execute();
    await seed
      .insertInto('routing_rules')
      .values(
        DEFAULT_RULES.map((r) => ({
          ...r,
          platform: null,
          enabled: 1,
          created_at: at,
          updated_at: at,
        })),
      )
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'sanctions',
      'outbox',
      'platform_channels',
      'notice_deliveries',
      'takedown_notices',
      'decision_links',
      'routing_rules',
      'entities',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};
