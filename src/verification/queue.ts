import { getPublicCases, type PublicCase } from '../cases/index.js';
import { listCaseCaptures } from '../evidence/index.js';

import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, forbidden } from '../shared/errors.js';
import { ageBounds, pageRequest, type AgeFilter, type Page } from '../shared/paging.js';
import { resolveCaseSearch, type CaseSearch } from './case-filters.js';
import { queueCases, staffCases, verdictsBy, verifierReportsOf } from './verification.repo.js';

import { actorLabel, authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
/** A case in a verifier's queue, with what they need to decide. */
export interface QueueItem {
  case: PublicCase;
  stage: string;
  routedEntityId: string | null;
  impersonatedEntityId: string | null;
  scamType: string | null;
  riskScore: number | null;
  infoQuestion: string | null;
  /** The reports' content (never who reported). */
  reports: Array<{
    receivedAt: string;
    channel: string;
    url: string | null;
    title: string | null;
    text: string | null;
  }>;
  /** Evidence captures of the case's URLs (bodies and screenshots at /api/v1/blobs/{sha256}). */
  captures: Array<{
    id: string;
    url: string;
    finalUrl: string | null;
    status: number | null;
    title: string | null;
    screenshotSha256: string | null;
    bodySha256: string | null;
    completedAt: string;
  }>;
}

/** Stages of a case in the queue: awaiting verification, or the verifier asked a question. */
const QUEUE_STAGES = ['verification', 'need_info'] as const;
/** Reports shown per queue item. */
const REPORTS_PER_ITEM = 20;
/** Cases per page of the queue unless `limit` says otherwise. */
export const QUEUE_PAGE_SIZE = 50;

/** Filters and page of the verification queue. */
export interface QueueFilter extends CaseSearch {
  /** Only cases routed to this entity (a verifier: one of their own). */
  entityId?: string | undefined;
  /** Only this case, if it is in the queue (the case page asks this to offer the decision). */
  caseId?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/**
 * The verification queue, oldest first, one page with the true total: a verifier sees the
 * undecided cases routed to their entities (awaiting verification or answering their question);
 * analysts and admins see every case awaiting verification, optionally of one entity. Filters:
 * text, indicator and age (CaseSearch), one case.
 * @throws AppError 403 for other roles, and to a verifier naming another entity; 400 for bad
 *   paging or filters (pageRequest, resolveCaseSearch).
 */
export async function verificationQueue(
  deps: ServiceDeps,
  actor: Actor,
  filter: QueueFilter,
): Promise<Page<QueueItem>> {
  authorize(actor, 'verification_queue.read');
  const page = pageRequest(filter, { limit: QUEUE_PAGE_SIZE });
  const search = resolveCaseSearch(filter, {
    clock: deps.clock,
    defaultRegion: deps.config.defaultRegion,
  });
  let entityIds: string[] | undefined;
  if (actor.role === 'verifier') {
    if (filter.entityId !== undefined && !actor.entityIds.includes(filter.entityId)) {
      throw forbidden('You can read only the queue of your own entities.');
    }
    entityIds = filter.entityId === undefined ? [...actor.entityIds] : [filter.entityId];
  } else {
    entityIds = filter.entityId === undefined ? undefined : [filter.entityId];
  }
  if (entityIds !== undefined && entityIds.length === 0) return { items: [], total: 0, ...page };
  const { total, rows } = await queueCases(
    deps.db,
    { stages: QUEUE_STAGES, entityIds, caseId: filter.caseId, search },
    page,
  );
  if (rows.length === 0) return { items: [], total, ...page };
  const ids = rows.map((r) => r.id);
  const [views, reports] = await Promise.all([
    getPublicCases(deps, ids),
    verifierReportsOf(deps.db, ids),
  ]);
  const byId = new Map(views.map((v) => [v.id, v]));
  const captures = new Map<string, QueueItem['captures']>();
  for (const id of ids) {
    const list = await listCaseCaptures(deps, actor, id);
    captures.set(
      id,
      list.map((c) => ({
        id: c.id,
        url: c.url,
        finalUrl: c.finalUrl,
        status: c.status,
        title: c.title,
        screenshotSha256: c.screenshotSha256,
        bodySha256: c.bodySha256,
        completedAt: c.completedAt,
      })),
    );
  }
  const items = rows.flatMap((r) => {
    const view = byId.get(r.id);
    if (view === undefined) return [];
    return [
      {
        case: view,
        stage: r.stage,
        routedEntityId: r.routed_entity_id,
        impersonatedEntityId: r.impersonated_entity_id,
        scamType: r.scam_type,
        riskScore: r.risk_score === null ? null : Number(r.risk_score),
        infoQuestion: r.info_question,
        reports: reports
          .filter((p) => p.caseId === r.id)
          .slice(0, REPORTS_PER_ITEM)
          .map((p) => ({
            receivedAt: p.receivedAt,
            channel: p.channel,
            url: p.url,
            title: p.title,
            text: p.text,
          })),
        captures: captures.get(r.id) ?? [],
      },
    ];
  });
  return { items, total, ...page };
}

/** One decision a verifier (or analyst) made, for their history. */
export interface DecisionHistoryEntry {
  caseId: string;
  verdict: string;
  note: string | null;
  decidedAt: string;
  case: PublicCase | null;
}

/** Filters and page of a decision history. */
export interface HistoryFilter extends AgeFilter {
  /** Only decisions with this verdict. */
  verdict?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** Decisions per page of a history unless `limit` says otherwise. */
export const HISTORY_PAGE_SIZE = 50;

/**
 * The signed-in person's own decisions, newest first, one page with the true total (verdicts they
 * recorded; age from the decision). A verifier sees only theirs; analysts and admins see theirs
 * too. @throws AppError 403 for other roles; 400 for bad paging or ages.
 */
export async function decisionHistory(
  deps: ServiceDeps,
  actor: Actor,
  filter: HistoryFilter = {},
): Promise<Page<DecisionHistoryEntry>> {
  authorize(actor, 'decision_history.read');
  const page = pageRequest(filter, { limit: HISTORY_PAGE_SIZE });
  const { olderThan, newerThan } = ageBounds(deps.clock, filter);
  const { total, rows } = await verdictsBy(
    deps.db,
    { actor: actorLabel(actor), verdict: filter.verdict, olderThan, newerThan },
    page,
  );
  const views = await getPublicCases(deps, [...new Set(rows.map((r) => r.case_id))]);
  const byId = new Map(views.map((v) => [v.id, v]));
  return {
    items: rows.map((r) => ({
      caseId: r.case_id,
      verdict: r.verdict,
      note: r.note,
      decidedAt: r.decided_at,
      case: byId.get(r.case_id) ?? null,
    })),
    total,
    ...page,
  };
}

/** Filters and page of the staff case list. */
export interface CaseListFilter extends CaseSearch {
  stage?: string | undefined;
  scamType?: string | undefined;
  platform?: string | undefined;
  routedEntityId?: string | undefined;
  verdict?: string | undefined;
  minRisk?: number | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  /** Continue after this case (the last ID of the previous page); not with `offset`. */
  after?: string | undefined;
}

/** A case as the triage list shows it to staff. */
export interface CaseListItem {
  case: PublicCase;
  stage: string;
  scamType: string | null;
  riskScore: number | null;
  routedEntityId: string | null;
  impersonatedEntityId: string | null;
}

/** Cases per page of the staff list unless `limit` says otherwise. */
export const CASE_LIST_PAGE_SIZE = 50;

/**
 * The triage list for analysts and admins: every case (routed or not), newest report first,
 * filtered by stage, scam type, platform, routed entity, verdict, minimum risk, text, indicator
 * and age (CaseSearch); one page (`limit` ≤ 200) at `offset`, or continued after a case with
 * `after` (then `next` names the page's last case while more follow). `total` counts every case
 * matching the filters.
 * @throws AppError 403 for other roles; 400 for bad paging or filters, and for `after` with an
 *   `offset`.
 */
export async function listCasesForStaff(
  deps: ServiceDeps,
  actor: Actor,
  filter: CaseListFilter,
): Promise<Page<CaseListItem> & { next: string | null }> {
  authorize(actor, 'case.list');
  const page = pageRequest(filter, { limit: CASE_LIST_PAGE_SIZE });
  if (filter.after !== undefined && page.offset > 0) {
    throw badRequest('validation_failed', 'Page with either after or offset, not both.', 'after');
  }
  const search = resolveCaseSearch(filter, {
    clock: deps.clock,
    defaultRegion: deps.config.defaultRegion,
  });
  const { total, rows } = await staffCases(
    deps.db,
    {
      stage: filter.stage,
      scamType: filter.scamType,
      platform: filter.platform,
      routedEntityId: filter.routedEntityId,
      verdict: filter.verdict,
      minRisk: filter.minRisk,
      after: filter.after,
      search,
    },
    page,
  );
  const pageRows = rows.slice(0, page.limit);
  const views = await getPublicCases(
    deps,
    pageRows.map((r) => r.id),
  );
  const byId = new Map(views.map((v) => [v.id, v]));
  return {
    items: pageRows.flatMap((r) => {
      const view = byId.get(r.id);
      return view === undefined
        ? []
        : [
            {
              case: view,
              stage: r.stage,
              scamType: r.scam_type,
              riskScore: r.risk_score === null ? null : Number(r.risk_score),
              routedEntityId: r.routed_entity_id,
              impersonatedEntityId: r.impersonated_entity_id,
            },
          ];
    }),
    next: rows.length > page.limit ? (pageRows.at(-1)?.id ?? null) : null,
    total,
    ...page,
  };
}
