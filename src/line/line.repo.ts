import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import type {
  Database,
  LineReportOffersTable,
  LineUsersTable,
  LineWebhookEventsTable,
} from '../store/index.js';

export type LineUserRow = Selectable<LineUsersTable>;
export type LineOfferRow = Selectable<LineReportOffersTable>;
export type LineEventRow = Selectable<LineWebhookEventsTable>;

/**
 * Stores webhook events not seen before (by webhookEventId, the primary key) as `pending`;
 * a redelivered one is left as it is.
 * @returns how many were new.
 */
export async function insertWebhookEvents(
  db: Kysely<Database>,
  rows: ReadonlyArray<{ webhookEventId: string; eventAt: string; body: string }>,
  receivedAt: string,
): Promise<number> {
  let inserted = 0;
  for (const row of rows) {
    const result = await db
      .insertInto('line_webhook_events')
      .values({
        webhook_event_id: row.webhookEventId,
        event_at: row.eventAt,
        received_at: receivedAt,
        state: 'pending',
        body: row.body,
        claimed_at: null,
        processed_at: null,
        error: null,
      })
      .onConflict((oc) => oc.column('webhook_event_id').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

/**
 * IDs of events waiting to be processed, oldest event first: `pending` ones, and `processing`
 * ones claimed before `staleBefore` (their node died while working on them).
 */
export async function claimableEventIds(
  db: Kysely<Database>,
  staleBefore: string,
  retryBefore: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('line_webhook_events')
    .select('webhook_event_id')
    .where((eb) => claimable(eb, staleBefore, retryBefore))
    .orderBy('event_at')
    .orderBy('webhook_event_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.webhook_event_id);
}

/** Waiting, claimed by a node that stopped (before `staleBefore`), or due for another attempt. */
function claimable(
  eb: ExpressionBuilder<Database, 'line_webhook_events'>,
  staleBefore: string,
  retryBefore: string,
) {
  return eb.or([
    eb('state', '=', 'pending'),
    eb.and([eb('state', '=', 'processing'), eb('claimed_at', '<', staleBefore)]),
    eb.and([eb('state', '=', 'retry'), eb('claimed_at', '<', retryBefore)]),
  ]);
}

/**
 * Claims event `id` for this node and counts the attempt (one UPDATE: of several nodes, one wins).
 * @returns its JSON body and the attempt's number, or undefined when another node claimed or
 *   finished it.
 */
export async function claimEvent(
  db: Kysely<Database>,
  id: string,
  now: string,
  staleBefore: string,
  retryBefore: string,
): Promise<{ body: string | null; attempt: number } | undefined> {
  const claimed = await db
    .updateTable('line_webhook_events')
    .set((eb) => ({ state: 'processing', claimed_at: now, attempts: eb('attempts', '+', 1) }))
    .where('webhook_event_id', '=', id)
    .where((eb) => claimable(eb, staleBefore, retryBefore))
    .returning(['body', 'attempts'])
    .executeTakeFirst();
  return claimed === undefined
    ? undefined
    : { body: claimed.body, attempt: Number(claimed.attempts) };
}

/**
 * Ends event `id`: `done` or `failed` (its body, which holds the raw user ID, is dropped), or
 * `retry` (kept, tried again after the retry delay).
 */
export async function finishEvent(
  db: Kysely<Database>,
  id: string,
  outcome: { state: 'done' | 'failed' | 'retry'; error: string | null },
  now: string,
): Promise<void> {
  await db
    .updateTable('line_webhook_events')
    .set(
      outcome.state === 'retry'
        ? { state: 'retry', error: outcome.error, claimed_at: now }
        : { state: outcome.state, error: outcome.error, processed_at: now, body: null },
    )
    .where('webhook_event_id', '=', id)
    .execute();
}

/** The stored event `id` (tests and operators), or undefined. */
export async function findWebhookEvent(
  db: Kysely<Database>,
  id: string,
): Promise<LineEventRow | undefined> {
  return db
    .selectFrom('line_webhook_events')
    .selectAll()
    .where('webhook_event_id', '=', id)
    .executeTakeFirst();
}

/** The LINE user behind `pseudonym` (raw user ID included: private), or undefined. */
export async function findLineUser(
  db: Kysely<Database>,
  pseudonym: string,
): Promise<LineUserRow | undefined> {
  return db
    .selectFrom('line_users')
    .selectAll()
    .where('pseudonym', '=', pseudonym)
    .executeTakeFirst();
}

/** Records a LINE user, or updates what is given of one already known. */
export async function upsertLineUser(
  db: Kysely<Database>,
  row: LineUserRow,
  update: Partial<Pick<LineUserRow, 'language'>>,
): Promise<void> {
  await db
    .insertInto('line_users')
    .values(row)
    .onConflict((oc) =>
      oc.column('pseudonym').doUpdateSet({ ...update, updated_at: row.updated_at }),
    )
    .execute();
}

/**
 * Forgets LINE user `userId` (it left or blocked the bot): its rows, under every pseudonym a
 * channel secret gave it, are deleted.
 * @returns the pseudonyms it had.
 */
export async function deleteLineUser(db: Kysely<Database>, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('line_users')
    .select('pseudonym')
    .where('user_id', '=', userId)
    .execute();
  await db.deleteFrom('line_users').where('user_id', '=', userId).execute();
  return rows.map((r) => r.pseudonym);
}

/**
 * Deletes the offers made before `before` (ISO time) that were never reported: forwarded
 * messages often hold other people's data, kept only while the user may still press "report".
 * @returns how many.
 */
export async function deleteStaleOffers(db: Kysely<Database>, before: string): Promise<number> {
  const result = await db
    .deleteFrom('line_report_offers')
    .where('report_id', 'is', null)
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Records a new report offer. */
export async function insertOffer(db: Kysely<Database>, row: LineOfferRow): Promise<void> {
  await db.insertInto('line_report_offers').values(row).execute();
}

/** Report offer `id`, or undefined. */
export async function findOffer(
  db: Kysely<Database>,
  id: string,
): Promise<LineOfferRow | undefined> {
  return db.selectFrom('line_report_offers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The newest offer of `pseudonym` made at or after `since` and not reported yet, or undefined. */
export async function latestOpenOffer(
  db: Kysely<Database>,
  pseudonym: string,
  since: string,
): Promise<LineOfferRow | undefined> {
  return db
    .selectFrom('line_report_offers')
    .selectAll()
    .where('pseudonym', '=', pseudonym)
    .where('created_at', '>=', since)
    .where('report_id', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Sets the given fields of report offer `id`. */
export async function updateOffer(
  db: Kysely<Database>,
  id: string,
  set: Partial<Pick<LineOfferRow, 'text' | 'screenshot_sha256' | 'report_id' | 'case_id'>>,
): Promise<void> {
  await db.updateTable('line_report_offers').set(set).where('id', '=', id).execute();
}

/**
 * The pseudonym of the LINE user who made report `reportId` through the bot, or undefined when
 * the report did not come from the bot (for the "word back" feature: whom to push a decision to).
 */
export async function reportPseudonym(
  db: Kysely<Database>,
  reportId: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('line_report_offers')
    .select('pseudonym')
    .where('report_id', '=', reportId)
    .executeTakeFirst();
  return row?.pseudonym;
}
