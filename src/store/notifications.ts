import pg from 'pg';

/** The `application_name` of LISTEN connections (pg_stat_activity shows which they are). */
export const LISTENER_APPLICATION_NAME = 'scamnet-listener';

/** An open LISTEN connection: close it to stop listening. */
export interface StoreListener {
  close(): Promise<void>;
}

/** What a LISTEN connection reports. */
export interface ListenHandlers {
  /** A notification on the channel arrived, with its payload (may be empty). */
  onNotify(payload: string): void;
  /** The connection failed or ended: no more notifications will come through it. */
  onLost(error: Error): void;
}

/**
 * Opens a dedicated PostgreSQL connection (outside the pool, which would recycle it) and LISTENs
 * on `channel` (PostgreSQL LISTEN/NOTIFY; notifications are delivered after the notifying
 * transaction commits). It does not reconnect: when `onLost` is called the caller opens a new
 * one and must assume it missed notifications in between.
 * @param connectionString a `postgres://` URL.
 * @param channel a plain lower-case identifier (quoted as given).
 * @throws the driver's error when the connection or the LISTEN fails.
 */
export async function listenToStore(
  connectionString: string,
  channel: string,
  handlers: ListenHandlers,
): Promise<StoreListener> {
  const client = new pg.Client({ connectionString, application_name: LISTENER_APPLICATION_NAME });
  let closing = false;
  let lost = false;
  const lose = (error: Error): void => {
    if (closing || lost) return;
    lost = true;
    handlers.onLost(error);
  };
  client.on('notification', (message) => {
    if (message.channel === channel) handlers.onNotify(message.payload ?? '');
  });
  client.on('error', lose);
  client.on('end', () => lose(new Error('The LISTEN connection ended.')));
  await client.connect();
  try {
    await client.query(`LISTEN "${channel.replace(/"/g, '""')}"`);
  } catch (error) {
    closing = true;
    await client.end().catch(() => undefined);
    throw error;
  }
  return {
    close: async () => {
      closing = true;
      await client.end().catch(() => undefined);
    },
  };
}
