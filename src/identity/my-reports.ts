import { getPublicCases, type PublicCase } from '../cases/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, forbidden } from '../shared/errors.js';
import { pageRequest, type Page } from '../shared/paging.js';
import { authorize, type Actor } from '../policy/index.js';
import { reportsOfSource, reportsOfUser } from './identity.repo.js';
import { reportSourceOf } from './report-source.js';
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
 * `rows` (reports) as `toItem` presents each with the public view of its case, in order; a row
 * whose case has no public view is left out.
 */
async function withCaseViews<Row extends { case_id: string }, Item>(
  deps: Pick<ServiceDeps, 'db'>,
  rows: readonly Row[],
  toItem: (row: Row, view: PublicCase) => Item,
): Promise<Item[]> {
  const cases = await getPublicCases(deps, [...new Set(rows.map((r) => r.case_id))]);
  const byId = new Map(cases.map((c) => [c.id, c]));
  return rows.flatMap((row) => {
    const view = byId.get(row.case_id);
    return view === undefined ? [] : [toItem(row, view)];
  });
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
  const items = await withCaseViews(deps, rows, (row, view) => ({
    id: row.id,
    receivedAt: row.received_at,
    url: row.url,
    text: row.text,
    platform: row.platform,
    case: view,
  }));
  return { items, total, ...page };
}

/** Reports per page of `GET /api/v1/reports/mine` unless `limit` says otherwise. */
export const SOURCE_REPORTS_LIMIT = 200;
/** Most reports one page of `GET /api/v1/reports/mine` gives. */
export const SOURCE_REPORTS_MAX = 1_000;

/** One of a source's own reports with the public view of its case. */
export interface SourceReport {
  id: string;
  /** The source's own ID of the report, as it sent it. */
  externalId: string | null;
  receivedAt: string;
  url: string | null;
  platform: string | null;
  case: PublicCase;
}

/** One page of a source's reports and the cursor to ask for the next one with. */
export interface SourceReportPage {
  items: SourceReport[];
  /** Pass as `since` to get what changed after this page (the same cursor when it was empty). */
  next: string | null;
  /** More reports follow at once (ask again with `next`). */
  hasMore: boolean;
}

function encodeCursor(updatedAt: string, reportId: string): string {
  return Buffer.from(`${updatedAt}\n${reportId}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { updatedAt: string; reportId: string } {
  const [updatedAt, reportId, ...rest] = Buffer.from(cursor, 'base64url')
    .toString('utf8')
    .split('\n');
  if (
    updatedAt === undefined ||
    reportId === undefined ||
    rest.length > 0 ||
    Number.isNaN(Date.parse(updatedAt)) ||
    !/^[A-Za-z0-9_-]{1,64}$/.test(reportId)
  ) {
    throw badRequest(
      'invalid_cursor',
      'Pass back the `next` of an earlier page as `since`.',
      'since',
    );
  }
  return { updatedAt, reportId };
}

/**
 * The reports of the source the caller's API key was issued for (identity/report-source.ts),
 * with the public view of each one's case (status, label, colour), for a partner, agency or the
 * scanner to keep in step: ordered by when the case last changed, then report ID, from after
 * the cursor `since` (a `next` of an earlier page; none: from the start). A case's change of state
 * moves its reports after the cursor again. Another source's reports never; no reporter's
 * personal data (no contact, no user, and the URL as the source itself sent it).
 * @throws AppError 401 for the public; 403 for other roles and for keys without a source;
 *   400 `invalid_cursor`.
 */
export async function listSourceReports(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
  query: { since?: string | undefined; limit?: number | undefined } = {},
): Promise<SourceReportPage> {
  authorize(actor, 'source_report.list');
  const source = await reportSourceOf(deps, actor);
  if (source.kind === 'citizen') {
    throw forbidden('Only an API key issued for a source lists its reports.');
  }
  const after = query.since === undefined ? undefined : decodeCursor(query.since);
  const limit = Math.min(Math.max(query.limit ?? SOURCE_REPORTS_LIMIT, 1), SOURCE_REPORTS_MAX);
  const rows = await reportsOfSource(deps.db, source, after, limit + 1);
  const page = rows.slice(0, limit);
  const items = await withCaseViews(deps, page, (row, view) => ({
    id: row.id,
    externalId: row.external_id,
    receivedAt: row.received_at,
    url: row.url,
    platform: row.platform,
    case: view,
  }));
  const last = page.at(-1);
  return {
    items,
    next: last === undefined ? (query.since ?? null) : encodeCursor(last.case_updated_at, last.id),
    hasMore: rows.length > limit,
  };
}
