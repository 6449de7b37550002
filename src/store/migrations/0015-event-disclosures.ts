import type { Kysely, Migration } from 'kysely';

/**
 * `events.disclosures`: the RFC 9901 disclosures of an event's sealed fields (e-mail addresses,
 * names, notes; evidence/disclosure.ts), a JSON array of strings, or null. They are kept for
 * staff only: the event's log leaf commits to `data`, which lists their digests. Events written
 * before this migration have none, and their leaves are unchanged.
 */
export const eventDisclosures: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('events').addColumn('disclosures', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('events').dropColumn('disclosures').execute();
  },
};
