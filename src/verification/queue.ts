import { getPublicCases, type PublicCase } from '../cases/index.js';
import { listCaseCaptures } from '../evidence/index.js';
import { requireRole, type Actor } from '../identity/index.js';
import type { ServiceDeps } from '../shared/deps.js';

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

/** Reports shown per queue item. */
const REPORTS_PER_ITEM = 20;

/**
 * The verification queue, oldest first: a verifier sees the undecided cases routed to their
 * entities (awaiting verification or answering their question); analysts and admins see every
 * routed case awaiting verification, optionally of one entity.
 */
export async function verificationQueue(
  deps: ServiceDeps,
  actor: Actor,
  filter: { entityId?: string | undefined; limit?: number | undefined },
): Promise<QueueItem[]> {
  requireRole(actor, ['verifier', 'analyst', 'admin'], 'read a verification queue');
  const entityIds =
    actor.role === 'verifier'
      ? [...actor.entityIds]
      : filter.entityId === undefined
        ? undefined
        : [filter.entityId];
  if (entityIds !== undefined && entityIds.length === 0) return [];
  let query = deps.db
    .selectFrom('cases')
    .select([
      'id',
      'stage',
      'routed_entity_id',
      'impersonated_entity_id',
      'scam_type',
      'risk_score',
      'info_question',
    ])
    .where('stage', 'in', ['verification', 'need_info'])
    .where('verdict', '=', 'undecided')
    .orderBy('first_reported_at')
    .orderBy('id')
    .limit(Math.min(filter.limit ?? 50, 200));
  if (entityIds !== undefined) query = query.where('routed_entity_id', 'in', entityIds);
  const rows = await query.execute();
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [views, reports] = await Promise.all([
    getPublicCases(deps, ids),
    deps.db
      .selectFrom('reports')
      .select(['case_id', 'received_at', 'channel', 'url', 'title', 'text'])
      .where('case_id', 'in', ids)
      .orderBy('received_at')
      .execute(),
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
  return rows.flatMap((r) => {
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
          .filter((p) => p.case_id === r.id)
          .slice(0, REPORTS_PER_ITEM)
          .map((p) => ({
            receivedAt: p.received_at,
            channel: p.channel,
            url: p.url,
            title: p.title,
            text: p.text,
          })),
        captures: captures.get(r.id) ?? [],
      },
    ];
  });
}

/** One decision a verifier (or analyst) made, for their history. */
export interface DecisionHistoryEntry {
  caseId: string;
  verdict: string;
  note: string | null;
  decidedAt: string;
  case: PublicCase | null;
}

/**
 * The signed-in person's own decisions, newest first (verdicts they recorded). A verifier sees
 * only theirs; analysts and admins see theirs too.
 */
export async function decisionHistory(
  deps: ServiceDeps,
  actor: Actor,
  limit = 50,
): Promise<DecisionHistoryEntry[]> {
  requireRole(actor, ['verifier', 'analyst', 'admin'], 'read a decision history');
  const rows = await deps.db
    .selectFrom('verdicts')
    .select(['case_id', 'verdict', 'note', 'decided_at'])
    .where('actor', '=', actor.id)
    .orderBy('id', 'desc')
    .limit(Math.min(limit, 200))
    .execute();
  const views = await getPublicCases(deps, [...new Set(rows.map((r) => r.case_id))]);
  const byId = new Map(views.map((v) => [v.id, v]));
  return rows.map((r) => ({
    caseId: r.case_id,
    verdict: r.verdict,
    note: r.note,
    decidedAt: r.decided_at,
    case: byId.get(r.case_id) ?? null,
  }));
}

/** Filters of the staff case list. */
export interface CaseListFilter {
  stage?: string | undefined;
  scamType?: string | undefined;
  platform?: string | undefined;
  routedEntityId?: string | undefined;
  verdict?: string | undefined;
  minRisk?: number | undefined;
  limit?: number | undefined;
  /** Continue after this case (the last ID of the previous page). */
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

/**
 * The triage list for analysts and admins: every case (routed or not), newest report first,
 * filtered by stage, scam type, platform, routed entity, verdict and minimum risk; pages of at most
 * 200 continued with `after`.
 */
export async function listCasesForStaff(
  deps: ServiceDeps,
  actor: Actor,
  filter: CaseListFilter,
): Promise<{ items: CaseListItem[]; next: string | null }> {
  requireRole(actor, ['analyst', 'admin'], 'list cases');
  const limit = Math.min(filter.limit ?? 50, 200);
  let query = deps.db
    .selectFrom('cases')
    .select([
      'id',
      'stage',
      'scam_type',
      'risk_score',
      'routed_entity_id',
      'impersonated_entity_id',
      'last_reported_at',
    ])
    .orderBy('last_reported_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (filter.stage !== undefined) query = query.where('stage', '=', filter.stage);
  if (filter.scamType !== undefined) query = query.where('scam_type', '=', filter.scamType);
  if (filter.platform !== undefined) query = query.where('platform', '=', filter.platform);
  if (filter.routedEntityId !== undefined)
    query = query.where('routed_entity_id', '=', filter.routedEntityId);
  if (filter.verdict !== undefined) query = query.where('verdict', '=', filter.verdict);
  if (filter.minRisk !== undefined) query = query.where('risk_score', '>=', filter.minRisk);
  if (filter.after !== undefined) {
    const anchor = await deps.db
      .selectFrom('cases')
      .select(['last_reported_at', 'id'])
      .where('id', '=', filter.after)
      .executeTakeFirst();
    if (anchor !== undefined) {
      query = query.where((eb) =>
        eb.or([
          eb('last_reported_at', '<', anchor.last_reported_at),
          eb.and([eb('last_reported_at', '=', anchor.last_reported_at), eb('id', '<', anchor.id)]),
        ]),
      );
    }
  }
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  const views = await getPublicCases(
    deps,
    page.map((r) => r.id),
  );
  const byId = new Map(views.map((v) => [v.id, v]));
  return {
    items: page.flatMap((r) => {
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
    next: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
