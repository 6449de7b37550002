import { SqliteAdapter, sql, type Kysely, type Migration } from 'kysely';

/*
 * Daily counts of a batch's new cases, counted once per case instead of once per row change
 * (issue 17). The triggers of migration 0013 count every insert and update of `reports` and `cases`
 * as it happens: a new case's row, its report, its triage and its imported verdict each added and
 * took back several counts, about seventeen statements per imported report, a third of the
 * import's CPU time.
 *
 * `stats_pending_cases` lists cases whose counts are held back: intake inserts a new case's ID
 * there before the case row (only inside a batched import's transaction) and deletes it before
 * that transaction commits. The triggers of 0013, recreated here, skip every count of a row whose
 * case is pending (a report by its case ID, a case by its own); deleting the pending row adds the
 * case's counts from its rows as they are then (`stats_pending_flush`, the back-fill of 0013 for
 * one case). A count therefore always equals the GROUP BY of the base tables once the
 * transaction commits, as before; no pending row is ever committed (on PostgreSQL other
 * transactions never see one).
 */

const DECIDED = `('fraud', 'high_risk', 'not_fraud')`;

/** A condition that the case `caseId` (an SQL expression) is not pending; `true` unguarded. */
function notPending(caseId: string, guarded: boolean): string {
  return guarded ? `not exists (select 1 from stats_pending_cases where id = ${caseId})` : 'true';
}

function bump(values: string): string {
  return `insert into stats_daily_counts (day, fact, verdict, dimension, count) ${values}
    on conflict (fact, day, verdict, dimension) do update set count = stats_daily_counts.count + excluded.count;`;
}

function reportRow(r: 'new' | 'old', sign: 1 | -1, guarded: boolean): string {
  return bump(
    `select substr(${r}.received_at, 1, 10), 'report', '', coalesce(${r}.platform, (select platform from cases where id = ${r}.case_id), ''), ${sign} where ${notPending(`${r}.case_id`, guarded)}`,
  );
}

function caseRows(c: 'new' | 'old', sign: 1 | -1, guarded: boolean): string[] {
  const decided = `${c}.verdict in ${DECIDED} and ${c}.decided_at is not null`;
  const free = notPending(`${c}.id`, guarded);
  return [
    bump(
      `select substr(${c}.first_reported_at, 1, 10), 'new_case', '', ${c}.platform, ${sign} where ${free}`,
    ),
    bump(
      `select substr(${c}.decided_at, 1, 10), 'decided_platform', ${c}.verdict, ${c}.platform, ${sign} where ${decided} and ${free}`,
    ),
    bump(
      `select substr(${c}.decided_at, 1, 10), 'decided_type', ${c}.verdict, coalesce(${c}.scam_type, ''), ${sign} where ${decided} and ${free}`,
    ),
  ];
}

function movePlatformlessReports(guarded: boolean): string[] {
  const rows = (platform: string, sign: string) =>
    bump(`select substr(received_at, 1, 10), 'report', '', ${platform}, ${sign}count(*)
      from reports where case_id = new.id and platform is null and ${notPending('new.id', guarded)}
      group by substr(received_at, 1, 10)`);
  return [rows('old.platform', '-'), rows('new.platform', '')];
}

/** The counts of case `old.id` (a pending row being deleted) and its reports, as they are now. */
function flushRows(): string[] {
  return [
    bump(`select substr(r.received_at, 1, 10), 'report', '', coalesce(r.platform, c.platform, ''), count(*)
      from reports r join cases c on c.id = r.case_id where r.case_id = old.id
      group by substr(r.received_at, 1, 10), coalesce(r.platform, c.platform, '')`),
    bump(
      `select substr(first_reported_at, 1, 10), 'new_case', '', platform, 1 from cases where id = old.id`,
    ),
    bump(`select substr(decided_at, 1, 10), 'decided_platform', verdict, platform, 1 from cases
      where id = old.id and verdict in ${DECIDED} and decided_at is not null`),
    bump(`select substr(decided_at, 1, 10), 'decided_type', verdict, coalesce(scam_type, ''), 1
      from cases where id = old.id and verdict in ${DECIDED} and decided_at is not null`),
  ];
}

const CASE_COUNTED = ['first_reported_at', 'platform', 'verdict', 'decided_at', 'scam_type'];
const REPORT_COUNTED = ['received_at', 'platform', 'case_id'];

function changed(columns: readonly string[], distinct: string): string {
  return columns.map((c) => `old.${c} ${distinct} new.${c}`).join(' or ');
}

const SQLITE_TRIGGERS = [
  'stats_reports_insert',
  'stats_reports_delete',
  'stats_reports_update',
  'stats_cases_insert',
  'stats_cases_delete',
  'stats_cases_update',
  'stats_cases_platform',
];

/**
 * The SQLite triggers of 0013; guarded, a trigger whose row's case is pending does not run at all
 * (its WHEN clause: SQLite then skips the trigger program, most of a trigger's cost), and a moved
 * report is counted out of and into its cases by each one's state.
 */
function sqliteTriggers(guarded: boolean): string[] {
  const trigger = (name: string, event: string, when: string[], body: string[]) => {
    const all = when.filter((w) => w !== '' && w !== 'true');
    return `create trigger ${name} after ${event}${all.length === 0 ? '' : ` when ${all.map((w) => `(${w})`).join(' and ')}`} begin
${body.join('\n')}
end`;
  };
  return [
    trigger(
      'stats_reports_insert',
      'insert on reports',
      [notPending('new.case_id', guarded)],
      [reportRow('new', 1, false)],
    ),
    trigger(
      'stats_reports_delete',
      'delete on reports',
      [notPending('old.case_id', guarded)],
      [reportRow('old', -1, false)],
    ),
    trigger(
      'stats_reports_update',
      `update of ${REPORT_COUNTED.join(', ')} on reports`,
      [changed(REPORT_COUNTED, 'is not')],
      [reportRow('old', -1, guarded), reportRow('new', 1, guarded)],
    ),
    trigger(
      'stats_cases_insert',
      'insert on cases',
      [notPending('new.id', guarded)],
      caseRows('new', 1, false),
    ),
    trigger(
      'stats_cases_delete',
      'delete on cases',
      [notPending('old.id', guarded)],
      caseRows('old', -1, false),
    ),
    // A case's ID never changes: `new.id` is its ID before and after.
    trigger(
      'stats_cases_update',
      `update of ${CASE_COUNTED.join(', ')} on cases`,
      [changed(CASE_COUNTED, 'is not'), notPending('new.id', guarded)],
      [...caseRows('old', -1, false), ...caseRows('new', 1, false)],
    ),
    trigger(
      'stats_cases_platform',
      'update of platform on cases',
      ['old.platform is not new.platform', notPending('new.id', guarded)],
      movePlatformlessReports(false),
    ),
  ];
}

/** The PostgreSQL trigger functions of 0013 (guarded: with the pending-case conditions). */
function postgresFunctions(guarded: boolean): string[] {
  const fn = (name: string, body: string) =>
    `create or replace function ${name}() returns trigger language plpgsql as $body$
begin
${body}
  return null;
end
$body$`;
  return [
    fn(
      'stats_reports_counts',
      `  if tg_op in ('UPDATE', 'DELETE') then
${reportRow('old', -1, guarded)}
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
${reportRow('new', 1, guarded)}
  end if;`,
    ),
    fn(
      'stats_cases_counts',
      `  if tg_op in ('UPDATE', 'DELETE') then
${caseRows('old', -1, guarded).join('\n')}
  end if;
  if tg_op = 'UPDATE' and old.platform is distinct from new.platform then
${movePlatformlessReports(guarded).join('\n')}
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
${caseRows('new', 1, guarded).join('\n')}
  end if;`,
    ),
  ];
}

/** Pending cases whose daily counts are held back until the row is deleted (see above). */
export const statsPendingCases: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createTable('stats_pending_cases')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .execute();
    if (sqlite) {
      for (const name of SQLITE_TRIGGERS) await sql.raw(`drop trigger ${name}`).execute(db);
      for (const statement of sqliteTriggers(true)) await sql.raw(statement).execute(db);
      await sql
        .raw(
          `create trigger stats_pending_flush after delete on stats_pending_cases begin
${flushRows().join('\n')}
end`,
        )
        .execute(db);
      return;
    }
    for (const statement of postgresFunctions(true)) await sql.raw(statement).execute(db);
    await sql
      .raw(
        `create function stats_pending_flush() returns trigger language plpgsql as $body$
begin
${flushRows().join('\n')}
  return null;
end
$body$`,
      )
      .execute(db);
    await sql
      .raw(
        'create trigger stats_pending_flush after delete on stats_pending_cases for each row execute function stats_pending_flush()',
      )
      .execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    if (sqlite) {
      await sql.raw('drop trigger stats_pending_flush').execute(db);
      for (const name of SQLITE_TRIGGERS) await sql.raw(`drop trigger ${name}`).execute(db);
      for (const statement of sqliteTriggers(false)) await sql.raw(statement).execute(db);
    } else {
      await sql.raw('drop trigger stats_pending_flush on stats_pending_cases').execute(db);
      await sql.raw('drop function stats_pending_flush()').execute(db);
      for (const statement of postgresFunctions(false)) await sql.raw(statement).execute(db);
    }
    await db.schema.dropTable('stats_pending_cases').execute();
  },
};
