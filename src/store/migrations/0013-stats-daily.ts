import { SqliteAdapter, sql, type Kysely, type Migration, type RawBuilder } from 'kysely';

/*
 * Daily counts of the statistics (src/statistics/stats.repo.ts), kept by the database itself.
 *
 * `stats_daily_counts` holds, per UTC day (the first ten characters of the ISO 8601 UTC
 * timestamp), the number of:
 *   - `report`: reports received, by the report's platform or, when the reporter gave none, its
 *     case's platform (`''` for a report without a case);
 *   - `new_case`: cases first reported, by platform;
 *   - `decided_platform` / `decided_type`: cases whose current verdict (fraud, high_risk,
 *     not_fraud) was given that day, by platform / by scam type (`''` when untyped).
 * Triggers on `reports` and `cases` update the counts in the same transaction as every insert,
 * update and delete of a counted column, whatever code path writes (intake, triage, verdicts,
 * merges and splits, imports, raw SQL), so the counts always equal the GROUP BY of the base
 * tables (test/statistics/daily-counts.test.ts compares the two on random data). Existing rows
 * are counted here (back-fill).
 *
 * A later migration that rebuilds `reports` or `cases` (SQLite's create-copy-rename) drops these
 * triggers and must create them again.
 *
 * On PostgreSQL a count row is locked from its update to the commit, so concurrent transactions
 * that count on the same day and key (two reports of one platform today) take turns for that long;
 * intake transactions are short. Two transactions that each hold one count row and want the
 * other's deadlock, and PostgreSQL aborts one (40P01): a merge and an intake on the same day and
 * platforms could, rarely. Intake, merge and split run such a transaction again
 * (store/transactions.ts retryOnConflict); elsewhere the client gets 503 `transaction_conflict`.
 */

const DECIDED = `('fraud', 'high_risk', 'not_fraud')`;

/** The upsert adding `count` to a key, as one statement (SQLite trigger bodies take no functions). */
function bump(values: string): string {
  return `insert into stats_daily_counts (day, fact, verdict, dimension, count) ${values}
    on conflict (fact, day, verdict, dimension) do update set count = stats_daily_counts.count + excluded.count;`;
}

/** The effective platform of the report row `r` (`new` or `old`). */
function reportPlatform(r: 'new' | 'old'): string {
  return `coalesce(${r}.platform, (select platform from cases where id = ${r}.case_id), '')`;
}

function reportRow(r: 'new' | 'old', sign: 1 | -1): string {
  return bump(
    `select substr(${r}.received_at, 1, 10), 'report', '', ${reportPlatform(r)}, ${sign} where true`,
  );
}

function caseRows(c: 'new' | 'old', sign: 1 | -1): string[] {
  const decided = `${c}.verdict in ${DECIDED} and ${c}.decided_at is not null`;
  return [
    bump(
      `select substr(${c}.first_reported_at, 1, 10), 'new_case', '', ${c}.platform, ${sign} where true`,
    ),
    bump(
      `select substr(${c}.decided_at, 1, 10), 'decided_platform', ${c}.verdict, ${c}.platform, ${sign} where ${decided}`,
    ),
    bump(
      `select substr(${c}.decided_at, 1, 10), 'decided_type', ${c}.verdict, coalesce(${c}.scam_type, ''), ${sign} where ${decided}`,
    ),
  ];
}

/** Moves the reports without a platform of case `new.id` from `old.platform` to `new.platform`. */
function movePlatformlessReports(): string[] {
  const rows = (platform: string, sign: string) =>
    bump(`select substr(received_at, 1, 10), 'report', '', ${platform}, ${sign}count(*)
      from reports where case_id = new.id and platform is null group by substr(received_at, 1, 10)`);
  return [rows('old.platform', '-'), rows('new.platform', '')];
}

const CASE_COUNTED = ['first_reported_at', 'platform', 'verdict', 'decided_at', 'scam_type'];
const REPORT_COUNTED = ['received_at', 'platform', 'case_id'];

function changed(columns: readonly string[], distinct: string): string {
  return columns.map((c) => `old.${c} ${distinct} new.${c}`).join(' or ');
}

function sqliteTriggers(): string[] {
  const trigger = (name: string, event: string, when: string, body: string[]) =>
    `create trigger ${name} after ${event}${when === '' ? '' : ` when ${when}`} begin
${body.join('\n')}
end`;
  return [
    trigger('stats_reports_insert', 'insert on reports', '', [reportRow('new', 1)]),
    trigger('stats_reports_delete', 'delete on reports', '', [reportRow('old', -1)]),
    trigger(
      'stats_reports_update',
      `update of ${REPORT_COUNTED.join(', ')} on reports`,
      changed(REPORT_COUNTED, 'is not'),
      [reportRow('old', -1), reportRow('new', 1)],
    ),
    trigger('stats_cases_insert', 'insert on cases', '', caseRows('new', 1)),
    trigger('stats_cases_delete', 'delete on cases', '', caseRows('old', -1)),
    trigger(
      'stats_cases_update',
      `update of ${CASE_COUNTED.join(', ')} on cases`,
      changed(CASE_COUNTED, 'is not'),
      [...caseRows('old', -1), ...caseRows('new', 1)],
    ),
    trigger(
      'stats_cases_platform',
      'update of platform on cases',
      'old.platform is not new.platform',
      movePlatformlessReports(),
    ),
  ];
}

function postgresTriggers(): string[] {
  const fn = (name: string, body: string) =>
    `create function ${name}() returns trigger language plpgsql as $body$
begin
${body}
  return null;
end
$body$`;
  const trigger = (name: string, event: string, table: string, when: string, func: string) =>
    `create trigger ${name} after ${event} on ${table} for each row${when === '' ? '' : ` when (${when})`} execute function ${func}()`;
  return [
    fn(
      'stats_reports_counts',
      `  if tg_op in ('UPDATE', 'DELETE') then
${reportRow('old', -1)}
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
${reportRow('new', 1)}
  end if;`,
    ),
    fn(
      'stats_cases_counts',
      `  if tg_op in ('UPDATE', 'DELETE') then
${caseRows('old', -1).join('\n')}
  end if;
  if tg_op = 'UPDATE' and old.platform is distinct from new.platform then
${movePlatformlessReports().join('\n')}
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
${caseRows('new', 1).join('\n')}
  end if;`,
    ),
    trigger(
      'stats_reports_insert_delete',
      'insert or delete',
      'reports',
      '',
      'stats_reports_counts',
    ),
    trigger(
      'stats_reports_update',
      `update of ${REPORT_COUNTED.join(', ')}`,
      'reports',
      changed(REPORT_COUNTED, 'is distinct from'),
      'stats_reports_counts',
    ),
    trigger('stats_cases_insert_delete', 'insert or delete', 'cases', '', 'stats_cases_counts'),
    trigger(
      'stats_cases_update',
      `update of ${CASE_COUNTED.join(', ')}`,
      'cases',
      changed(CASE_COUNTED, 'is distinct from'),
      'stats_cases_counts',
    ),
  ];
}

const BACKFILL: RawBuilder<unknown>[] = [
  sql`insert into stats_daily_counts (day, fact, verdict, dimension, count)
    select substr(r.received_at, 1, 10), 'report', '', coalesce(r.platform, c.platform, ''), count(*)
    from reports r left join cases c on c.id = r.case_id
    group by substr(r.received_at, 1, 10), coalesce(r.platform, c.platform, '')`,
  sql`insert into stats_daily_counts (day, fact, verdict, dimension, count)
    select substr(first_reported_at, 1, 10), 'new_case', '', platform, count(*) from cases
    group by substr(first_reported_at, 1, 10), platform`,
  sql`insert into stats_daily_counts (day, fact, verdict, dimension, count)
    select substr(decided_at, 1, 10), 'decided_platform', verdict, platform, count(*) from cases
    where verdict in ('fraud', 'high_risk', 'not_fraud') and decided_at is not null
    group by substr(decided_at, 1, 10), verdict, platform`,
  sql`insert into stats_daily_counts (day, fact, verdict, dimension, count)
    select substr(decided_at, 1, 10), 'decided_type', verdict, coalesce(scam_type, ''), count(*)
    from cases where verdict in ('fraud', 'high_risk', 'not_fraud') and decided_at is not null
    group by substr(decided_at, 1, 10), verdict, coalesce(scam_type, '')`,
];

/** Daily statistics counts kept by triggers (see the comment above), with their back-fill. */
export const statsDaily: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createTable('stats_daily_counts')
      .addColumn('day', 'text', (c) => c.notNull())
      .addColumn('fact', 'text', (c) => c.notNull())
      .addColumn('verdict', 'text', (c) => c.notNull())
      .addColumn('dimension', 'text', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('stats_daily_counts_pk', ['fact', 'day', 'verdict', 'dimension'])
      // SQLite: the primary key is the table, so a period's sums read one b-tree range.
      .$call((b) => (sqlite ? b.modifyEnd(sql`without rowid`) : b))
      .execute();
    for (const statement of BACKFILL) await statement.execute(db);
    for (const statement of sqlite ? sqliteTriggers() : postgresTriggers()) {
      await sql.raw(statement).execute(db);
    }
  },
  async down(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    const triggers: Array<[string, string]> = sqlite
      ? [
          ['stats_reports_insert', 'reports'],
          ['stats_reports_delete', 'reports'],
          ['stats_reports_update', 'reports'],
          ['stats_cases_insert', 'cases'],
          ['stats_cases_delete', 'cases'],
          ['stats_cases_update', 'cases'],
          ['stats_cases_platform', 'cases'],
        ]
      : [
          ['stats_reports_insert_delete', 'reports'],
          ['stats_reports_update', 'reports'],
          ['stats_cases_insert_delete', 'cases'],
          ['stats_cases_update', 'cases'],
        ];
    for (const [name, table] of triggers) {
      await sql.raw(`drop trigger ${name}${sqlite ? '' : ` on ${table}`}`).execute(db);
    }
    if (!sqlite) {
      await sql.raw('drop function stats_cases_counts()').execute(db);
      await sql.raw('drop function stats_reports_counts()').execute(db);
    }
    await db.schema.dropTable('stats_daily_counts').execute();
  },
};
