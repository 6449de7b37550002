/**
 * Queries of verification: its decision links, and what the queue, the staff case list and a
 * decision history read of cases, reports, verdicts and entities.
 */
import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type Selectable,
  type SqlBool,
} from 'kysely';
import { countedPage } from '../shared/counts.repo.js';
import type { PageRequest } from '../shared/paging.js';
import type { Database, DecisionLinksTable } from '../store/index.js';
import type { ResolvedCaseSearch } from './case-filters.js';

type Db = Kysely<Database>;

/** A stored decision link: times ISO 8601 UTC, `used_at` null until it decides. */
export type DecisionLinkRow = Selectable<DecisionLinksTable>;

/** Stores a new, unused decision link. */
export async function insertDecisionLink(
  db: Db,
  link: { id: string; caseId: string; entityId: string; expiresAt: string; createdAt: string },
): Promise<void> {
  await db
    .insertInto('decision_links')
    .values({
      id: link.id,
      case_id: link.caseId,
      entity_id: link.entityId,
      expires_at: link.expiresAt,
      used_at: null,
      created_at: link.createdAt,
    })
    .execute();
}

/** The decision link `id`, or undefined. */
export async function findDecisionLink(db: Db, id: string): Promise<DecisionLinkRow | undefined> {
  return db.selectFrom('decision_links').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Uses up decision link `id` at `at` (ISO 8601 UTC) unless it was used before.
 * @returns true when this call used it (false: used already, or no such link).
 */
export async function useUpDecisionLink(db: Db, id: string, at: string): Promise<boolean> {
  const used = await db
    .updateTable('decision_links')
    .set({ used_at: at })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1;
}

/** The contact address (or null) and Chinese name of entity `entityId`, or undefined. */
export async function entityContactOf(
  db: Db,
  entityId: string,
): Promise<{ contactEmail: string | null; nameZh: string } | undefined> {
  return db
    .selectFrom('entities')
    .select(['contact_email as contactEmail', 'name_zh as nameZh'])
    .where('id', '=', entityId)
    .executeTakeFirst();
}

/** A report as a verifier reads it: its content, never who reported. */
export interface VerifierReportRow {
  caseId: string;
  receivedAt: string;
  channel: string;
  url: string | null;
  title: string | null;
  text: string | null;
}

/** The reports of `caseIds`, oldest first (at most `limit` in all, when given). */
export async function verifierReportsOf(
  db: Db,
  caseIds: readonly string[],
  limit?: number,
): Promise<VerifierReportRow[]> {
  const query = db
    .selectFrom('reports')
    .select(['case_id as caseId', 'received_at as receivedAt', 'channel', 'url', 'title', 'text'])
    .where('case_id', 'in', [...caseIds])
    .orderBy('received_at');
  return (limit === undefined ? query : query.limit(limit)).execute();
}

/** `lower(column) like pattern escape '!'` (see containsPattern). */
function contains(column: string, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${pattern} escape '!'`;
}

/**
 * The conditions of a CaseSearch on the `cases` table, for a list query and its COUNT alike:
 * text in the summary or a report (text, title, URL), an indicator of the case, and the case's
 * age from its first report. Validate first with resolveCaseSearch.
 */
function caseSearchConditions(
  eb: ExpressionBuilder<Database, 'cases'>,
  search: ResolvedCaseSearch,
): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (search.pattern !== undefined) {
    const pattern = search.pattern;
    conditions.push(
      eb.or([
        contains('cases.summary', pattern),
        eb.exists(
          eb
            .selectFrom('reports')
            .select('reports.id')
            .whereRef('reports.case_id', '=', 'cases.id')
            .where((r) =>
              r.or([
                contains('reports.text', pattern),
                contains('reports.title', pattern),
                contains('reports.url', pattern),
              ]),
            ),
        ),
      ]),
    );
  }
  if (search.indicator !== undefined) {
    const { exact, domains } = search.indicator;
    conditions.push(
      eb.exists(
        eb
          .selectFrom('case_indicators as ci')
          .innerJoin('indicators as i', 'i.id', 'ci.indicator_id')
          .select('ci.case_id')
          .whereRef('ci.case_id', '=', 'cases.id')
          .where((i) =>
            i.or([
              ...exact.map((e) => i.and([i('i.type', '=', e.type), i('i.value', '=', e.value)])),
              ...(domains.length === 0
                ? []
                : [
                    i.and([
                      i('i.type', 'in', ['url', 'domain']),
                      i('i.registrable_domain', 'in', domains),
                    ]),
                  ]),
            ]),
          ),
      ),
    );
  }
  if (search.olderThan !== undefined) {
    conditions.push(eb('cases.first_reported_at', '<=', search.olderThan));
  }
  if (search.newerThan !== undefined) {
    conditions.push(eb('cases.first_reported_at', '>=', search.newerThan));
  }
  return conditions;
}

/** A case in the verification queue, as stored. */
export interface QueueCaseRow {
  id: string;
  stage: string;
  routed_entity_id: string | null;
  impersonated_entity_id: string | null;
  scam_type: string | null;
  risk_score: number | null;
  info_question: string | null;
}

/**
 * One page of the undecided cases in `stages`, oldest first report first (then ID), with the
 * number of all of them: only those routed to `entityIds` and the case `caseId` when given, and
 * those the search matches.
 */
export async function queueCases(
  db: Db,
  filter: {
    stages: readonly string[];
    entityIds: readonly string[] | undefined;
    caseId: string | undefined;
    search: ResolvedCaseSearch;
  },
  page: PageRequest,
): Promise<{ total: number; rows: QueueCaseRow[] }> {
  const inQueue = db
    .selectFrom('cases')
    .where((eb) =>
      eb.and([
        eb('cases.stage', 'in', [...filter.stages]),
        eb('cases.verdict', '=', 'undecided'),
        ...(filter.entityIds === undefined
          ? []
          : [eb('cases.routed_entity_id', 'in', [...filter.entityIds])]),
        ...(filter.caseId === undefined ? [] : [eb('cases.id', '=', filter.caseId)]),
        ...caseSearchConditions(eb, filter.search),
      ]),
    );
  return countedPage(inQueue, () =>
    inQueue
      .select([
        'cases.id',
        'cases.stage',
        'cases.routed_entity_id',
        'cases.impersonated_entity_id',
        'cases.scam_type',
        'cases.risk_score',
        'cases.info_question',
      ])
      .orderBy('cases.first_reported_at')
      .orderBy('cases.id')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
  );
}

/** A verdict as a decision history lists it. */
export interface DecisionRow {
  case_id: string;
  verdict: string;
  note: string | null;
  decided_at: string;
}

/**
 * One page of the verdicts recorded by `actor` (an actorLabel), newest first, with the number of
 * all of them: only `verdict` when given, and decided within `olderThan`/`newerThan` (ISO 8601
 * UTC, inclusive) when given.
 */
export async function verdictsBy(
  db: Db,
  filter: {
    actor: string;
    verdict: string | undefined;
    olderThan: string | undefined;
    newerThan: string | undefined;
  },
  page: PageRequest,
): Promise<{ total: number; rows: DecisionRow[] }> {
  const { olderThan, newerThan } = filter;
  const mine = db
    .selectFrom('verdicts')
    .where((eb) =>
      eb.and([
        eb('actor', '=', filter.actor),
        ...(filter.verdict === undefined ? [] : [eb('verdict', '=', filter.verdict)]),
        ...(olderThan === undefined ? [] : [eb('decided_at', '<=', olderThan)]),
        ...(newerThan === undefined ? [] : [eb('decided_at', '>=', newerThan)]),
      ]),
    );
  return countedPage(mine, () =>
    mine
      .select(['case_id', 'verdict', 'note', 'decided_at'])
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
  );
}

/** A case as the staff list reads it. */
export interface StaffCaseRow {
  id: string;
  stage: string;
  scam_type: string | null;
  risk_score: number | null;
  routed_entity_id: string | null;
  impersonated_entity_id: string | null;
  last_reported_at: string;
}

/**
 * The cases the staff list's filters match, newest last report first (then ID, descending), with
 * the number of all of them: one more than `page.limit` from `page.offset` (so the caller can tell
 * a next page), continued after case `after` when given (no effect when it does not exist).
 */
export async function staffCases(
  db: Db,
  filter: {
    stage: string | undefined;
    scamType: string | undefined;
    platform: string | undefined;
    routedEntityId: string | undefined;
    verdict: string | undefined;
    minRisk: number | undefined;
    after: string | undefined;
    search: ResolvedCaseSearch;
  },
  page: PageRequest,
): Promise<{ total: number; rows: StaffCaseRow[] }> {
  const matching = db
    .selectFrom('cases')
    .where((eb) =>
      eb.and([
        ...(filter.stage === undefined ? [] : [eb('cases.stage', '=', filter.stage)]),
        ...(filter.scamType === undefined ? [] : [eb('cases.scam_type', '=', filter.scamType)]),
        ...(filter.platform === undefined ? [] : [eb('cases.platform', '=', filter.platform)]),
        ...(filter.routedEntityId === undefined
          ? []
          : [eb('cases.routed_entity_id', '=', filter.routedEntityId)]),
        ...(filter.verdict === undefined ? [] : [eb('cases.verdict', '=', filter.verdict)]),
        ...(filter.minRisk === undefined ? [] : [eb('cases.risk_score', '>=', filter.minRisk)]),
        ...caseSearchConditions(eb, filter.search),
      ]),
    );
  let query = matching
    .select([
      'cases.id',
      'cases.stage',
      'cases.scam_type',
      'cases.risk_score',
      'cases.routed_entity_id',
      'cases.impersonated_entity_id',
      'cases.last_reported_at',
    ])
    .orderBy('cases.last_reported_at', 'desc')
    .orderBy('cases.id', 'desc')
    .limit(page.limit + 1)
    .offset(page.offset);
  if (filter.after !== undefined) {
    const anchor = await db
      .selectFrom('cases')
      .select(['last_reported_at', 'id'])
      .where('id', '=', filter.after)
      .executeTakeFirst();
    if (anchor !== undefined) {
      query = query.where((eb) =>
        eb.or([
          eb('cases.last_reported_at', '<', anchor.last_reported_at),
          eb.and([
            eb('cases.last_reported_at', '=', anchor.last_reported_at),
            eb('cases.id', '<', anchor.id),
          ]),
        ]),
      );
    }
  }
  return countedPage(matching, () => query.execute());
}
