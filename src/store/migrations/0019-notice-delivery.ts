import { sql, type Kysely, type Migration } from 'kysely';

/**
 * A takedown notice is "sent" only once a delivery succeeded (issue: a notice without a working
 * channel read "sent", its legal deadline ran and sanctions could be recorded while nothing had
 * been delivered). Adds `delivered_at`, the first successful delivery (a webhook's 2xx, an SMTP
 * server's acceptance, or the platform liaison's acknowledgement in the portal), from which the
 * deadline runs. Existing notices take it from their recorded deliveries or acknowledgement; an
 * open notice with neither becomes `pending_delivery`. Plain SQL so the meaning of this migration
 * never changes with the code.
 */
export const noticeDelivery: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('takedown_notices').addColumn('delivered_at', 'text').execute();
    await sql`
      update takedown_notices set delivered_at = coalesce(
        (select min(d.at) from notice_deliveries d
          where d.notice_id = takedown_notices.id and d.status = 'delivered'),
        acknowledged_at)
    `.execute(db);
    await sql`
      update takedown_notices set state = 'pending_delivery'
      where delivered_at is null and state in ('sent', 'overdue')
    `.execute(db);
    await db.schema
      .createIndex('notices_pending_idx')
      .on('takedown_notices')
      .columns(['state', 'platform', 'created_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('notices_pending_idx').execute();
    await sql`update takedown_notices set state = 'sent' where state = 'pending_delivery'`.execute(
      db,
    );
    await db.schema.alterTable('takedown_notices').dropColumn('delivered_at').execute();
  },
};
