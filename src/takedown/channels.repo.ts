import type { Kysely, Selectable } from 'kysely';
import type { Database, PlatformChannelsTable } from '../store/index.js';

export type PlatformChannelRow = Selectable<PlatformChannelsTable>;

/** Where `platform`'s notices are delivered, or undefined when nothing is configured. */
export async function findPlatformChannel(
  db: Kysely<Database>,
  platform: string,
): Promise<PlatformChannelRow | undefined> {
  return db
    .selectFrom('platform_channels')
    .selectAll()
    .where('platform', '=', platform)
    .executeTakeFirst();
}

/** Every configured channel, by platform. */
export async function allPlatformChannels(db: Kysely<Database>): Promise<PlatformChannelRow[]> {
  return db.selectFrom('platform_channels').selectAll().orderBy('platform').execute();
}

/** The webhook URL and e-mail address of the channels of `platforms` (those configured). */
export async function channelAddressesOf(
  db: Kysely<Database>,
  platforms: readonly string[],
): Promise<Array<Pick<PlatformChannelRow, 'platform' | 'webhook_url' | 'email'>>> {
  return db
    .selectFrom('platform_channels')
    .select(['platform', 'webhook_url', 'email'])
    .where('platform', 'in', platforms)
    .execute();
}

/** Sets the channel of `row.platform`, replacing the one it had. */
export async function upsertPlatformChannel(
  db: Kysely<Database>,
  row: PlatformChannelRow,
): Promise<void> {
  await db
    .insertInto('platform_channels')
    .values(row)
    .onConflict((oc) =>
      oc.column('platform').doUpdateSet({
        webhook_url: row.webhook_url,
        webhook_secret: row.webhook_secret,
        email: row.email,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}
