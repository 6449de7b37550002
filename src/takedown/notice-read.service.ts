/** Reading notices: who may see one, why one waits for delivery, one notice in full. */
import type { ServiceDeps } from '../shared/deps.js';
import { notFound } from '../shared/errors.js';
import { authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
import { channelAddressesOf } from './channels.repo.js';
import { noticeFacts } from './notice-facts.js';
import type { PendingReason } from './notice-state.js';
import {
  presentDelivery,
  presentNotice,
  type NoticeDelivery,
  type TakedownNotice,
} from './notices.presenter.js';
import { deliveriesOf, findNotice, type NoticeRow } from './notices.repo.js';
import { deliveryMessagesOf } from './outbox.repo.js';
import { targetUri, xarfReport } from './xarf.js';

/**
 * The row of takedown notice `id`, read through `db` (the store or the caller's transaction).
 * @throws 404 `notice_not_found` when there is no such notice.
 */
export async function requireNotice(db: ServiceDeps['db'], id: string): Promise<NoticeRow> {
  const row = await findNotice(db, id);
  if (row === undefined) throw notFound('notice_not_found', `No notice ${id}.`);
  return row;
}

/**
 * Who may see a notice: staff all, a platform liaison only their platform's.
 * @throws 401/403 for other roles; 404 `notice_not_found` for another platform's notice.
 */
export function assertCanSeeNotice(actor: Actor, notice: NoticeRow): void {
  authorize(actor, 'notice.read');
  if (actor.role === 'platform_liaison' && actor.platform !== notice.platform) {
    throw notFound('notice_not_found', `No notice ${notice.id}.`);
  }
}

/**
 * The API shape of `rows` with, for each notice still `pending_delivery`, why: its platform's
 * channel (none → `no_channel`) and its queued deliveries in the outbox (waiting, failing, or all
 * given up), with the last error.
 */
export async function withPendingReasons(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  rows: readonly NoticeRow[],
): Promise<TakedownNotice[]> {
  const pending = rows.filter((r) => r.state === 'pending_delivery');
  if (pending.length === 0) return rows.map((r) => ({ ...presentNotice(r), pendingReason: null }));
  const platforms = [...new Set(pending.map((r) => r.platform))];
  const [channels, messages] = await Promise.all([
    channelAddressesOf(deps.db, platforms),
    deliveryMessagesOf(
      deps.db,
      pending.map((r) => r.id),
    ),
  ]);
  const smtp = deps.config.workflow.smtpUrl !== undefined;
  const reachable = new Set(
    channels
      .filter((c) => c.webhook_url !== null || (c.email !== null && smtp))
      .map((c) => c.platform),
  );
  return rows.map((row) => {
    const notice = presentNotice(row);
    if (row.state !== 'pending_delivery') return { ...notice, pendingReason: null };
    const own = messages.filter((m) => m.ref === row.id);
    const live = own.filter((m) => m.done_at === null && m.failed_at === null);
    const lastError = [...own].reverse().find((m) => m.last_error !== null)?.last_error ?? null;
    let reason: PendingReason;
    if (live.length > 0) reason = live.some((m) => Number(m.attempts) > 0) ? 'retrying' : 'queued';
    else if (!reachable.has(row.platform)) reason = 'no_channel';
    else reason = own.length > 0 ? 'given_up' : 'no_channel';
    return { ...notice, pendingReason: reason, lastDeliveryError: lastError };
  });
}

/**
 * One notice with its delivery attempts and its X-ARF v4 report (null for a notice from before
 * migration 0016 that names nothing its platform can act on).
 * @throws 404 `notice_not_found` (also for another platform's notice).
 */
export async function getNotice(
  deps: Pick<ServiceDeps, 'db' | 'config' | 'clock'>,
  actor: Actor,
  id: string,
): Promise<
  TakedownNotice & { deliveries: NoticeDelivery[]; xarf: Record<string, unknown> | null }
> {
  const row = await requireNotice(deps.db, id);
  assertCanSeeNotice(actor, row);
  const [deliveries, facts] = await Promise.all([
    deliveriesOf(deps.db, id),
    noticeFacts(deps.db, deps.config, row, deps.clock.now()),
  ]);
  const [shown] = await withPendingReasons(deps, [row]);
  return {
    ...(shown ?? presentNotice(row)),
    deliveries: deliveries.map(presentDelivery),
    xarf: facts.targets.some((t) => targetUri(t) !== null) ? xarfReport(facts) : null,
  };
}
