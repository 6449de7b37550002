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
