import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, forbidden } from '../shared/errors.js';
import { ageBounds, pageRequest, type AgeFilter, type Page } from '../shared/paging.js';
import { NOTICE_STATES, type NoticeState } from './notice-state.js';
import { noticePage } from './notices.repo.js';
import { withPendingReasons } from './notice-read.service.js';
import type { TakedownNotice } from './notices.presenter.js';

import { authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
/** Orders of the notice list: newest first, or nearest deadline first (the open board). */
export const NOTICE_SORTS = ['newest', 'deadline'] as const;
export type NoticeSort = (typeof NOTICE_SORTS)[number];

/** Notices per page unless `limit` says otherwise. */
export const NOTICE_PAGE_SIZE = 100;
/** Largest page of notices (documented before paging existed, so kept). */
export const NOTICE_MAX_PAGE_SIZE = 500;

/** Filters, order and page of the notice list. */
export interface NoticeListFilter extends AgeFilter {
  /** Only this platform's notices (a liaison: their own platform, else 403). */
  platform?: string | undefined;
  /** Only notices in one of these states (each one of NOTICE_STATES). */
  state?: readonly string[] | undefined;
  caseId?: string | undefined;
  sort?: NoticeSort | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

function isNoticeState(value: string): value is NoticeState {
  return (NOTICE_STATES as readonly string[]).includes(value);
}

/**
 * Takedown notices, one page with the true total: staff see every platform's (optionally one),
 * a platform liaison only their platform's, each notice still `pending_delivery` with why
 * (withPendingReasons). Filters: states, case, age (from the notice's creation); newest first or
 * nearest deadline first (notices waiting for delivery, which have none, first).
 * @throws AppError 403 for other roles and to a liaison naming another platform; 400
 *   `validation_failed` for a state not in NOTICE_STATES, bad ages or paging.
 */
export async function listNoticePage(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'config'>,
  actor: Actor,
  filter: NoticeListFilter,
): Promise<Page<TakedownNotice>> {
  authorize(actor, 'notice.read');
  const page = pageRequest(filter, { limit: NOTICE_PAGE_SIZE, max: NOTICE_MAX_PAGE_SIZE });
  const { olderThan, newerThan } = ageBounds(deps.clock, filter);
  const states = filter.state ?? [];
  const unknown = states.find((state) => !isNoticeState(state));
  if (unknown !== undefined) {
    throw badRequest(
      'validation_failed',
      `state must be one of ${NOTICE_STATES.join(', ')}; not ${unknown}.`,
      'state',
    );
  }
  let platform = filter.platform;
  if (actor.role === 'platform_liaison') {
    if (platform !== undefined && platform !== actor.platform) {
      throw forbidden("A platform liaison reads only their own platform's notices.");
    }
    platform = actor.platform;
  }
  const { rows, total } = await noticePage(deps.db, {
    platform,
    states,
    caseId: filter.caseId,
    createdAtOrBefore: olderThan,
    createdAtOrAfter: newerThan,
    sort: filter.sort ?? 'newest',
    ...page,
  });
  return { items: await withPendingReasons(deps, rows), total, ...page };
}
