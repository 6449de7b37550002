import { getPublicCases, type PublicCase } from '../cases/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { forbidden } from '../shared/errors.js';
import { pageRequest, type Page } from '../shared/paging.js';
import { authorize, type Actor } from '../policy/index.js';
import { reportsOfUser } from './identity.repo.js';
import { userIdOf } from './scope.js';

/** Reports per page of `GET /api/v1/me/reports` unless `limit` says otherwise (and at most). */
export const MY_REPORTS_LIMIT = 200;

/** One of a reporter's own reports with the public view of its case. */
export interface MyReport {
  id: string;
  receivedAt: string;
  url: string | null;
  text: string | null;
  platform: string | null;
  case: PublicCase;
}

/**
 * The signed-in reporter's own reports, newest first, one page (`limit` ≤ MY_REPORTS_LIMIT,
 * default that too) with the true total, each with the public view of its case (status, label,
 * colour). Nobody else's reports, ever.
 * @throws AppError 401 for the public, 403 for other roles and for reporter API keys (a key has
 *   no reports of its own); 400 for bad paging.
 */
export async function listMyReports(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
  paging: { limit?: number | undefined; offset?: number | undefined } = {},
): Promise<Page<MyReport>> {
  authorize(actor, 'own_report.list');
  const userId = userIdOf(actor);
  if (userId === undefined) throw forbidden('Sign in as a reporter to list your reports.');
  const page = pageRequest(paging, { limit: MY_REPORTS_LIMIT });
  const { total, rows } = await reportsOfUser(deps.db, userId, page);
  const cases = await getPublicCases(deps, [...new Set(rows.map((r) => r.case_id))]);
  const byId = new Map(cases.map((c) => [c.id, c]));
  const items = rows.flatMap((row) => {
    const view = byId.get(row.case_id);
    if (view === undefined) return [];
    return [
      {
        id: row.id,
        receivedAt: row.received_at,
        url: row.url,
        text: row.text,
        platform: row.platform,
        case: view,
      },
    ];
  });
  return { items, total, ...page };
}
