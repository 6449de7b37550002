/**
 * Where a platform's notices are delivered (webhook, e-mail) and the queueing of their
 * deliveries on those channels.
 */
import type { Kysely } from 'kysely';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest } from '../shared/errors.js';
import type { Database } from '../store/index.js';
import { recordEvent } from '../log/index.js';
import { actorLabel, authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
import {
  allPlatformChannels,
  findPlatformChannel,
  upsertPlatformChannel,
} from './channels.repo.js';
import { isNoticePlatform } from './notice-state.js';
import { pendingNoticesOf, type NoticeRow } from './notices.repo.js';
import { enqueue, hurryDeliveries, queuedDeliveryKinds } from './outbox.repo.js';

/** Where a platform's notices are delivered. */
export interface PlatformChannel {
  platform: string;
  webhookUrl: string | null;
  /** True when a webhook secret is set (the secret itself is never shown). */
  webhookSigned: boolean;
  email: string | null;
  updatedAt: string;
  /** On setting a channel: the notices waiting for delivery now queued on it. */
  noticesQueued?: number;
}

/** Every configured delivery channel (admins). */
export async function listPlatformChannels(
  deps: Pick<ServiceDeps, 'db'>,
  actor: Actor,
): Promise<PlatformChannel[]> {
  authorize(actor, 'delivery_channel.read');
  const rows = await allPlatformChannels(deps.db);
  return rows.map((r) => ({
    platform: r.platform,
    webhookUrl: r.webhook_url,
    webhookSigned: r.webhook_secret !== null,
    email: r.email,
    updatedAt: r.updated_at,
  }));
}

/**
 * Sets where a platform's notices go (admins): a webhook URL (http or https) with its HMAC secret
 * (at least 16 characters), and/or an e-mail address. Recorded without the secret.
 * @throws 400 `validation_failed` naming the field.
 */
export async function setPlatformChannel(
  deps: ServiceDeps,
  actor: Actor,
  platform: string,
  input: {
    webhookUrl?: string | null | undefined;
    webhookSecret?: string | null | undefined;
    email?: string | null | undefined;
  },
): Promise<PlatformChannel> {
  authorize(actor, 'delivery_channel.update');
  if (!isNoticePlatform(platform))
    throw badRequest('validation_failed', `${platform} receives no notices.`, 'platform');
  if (input.webhookUrl != null && !/^https?:\/\/[^\s/]+/.test(input.webhookUrl)) {
    throw badRequest('validation_failed', 'The webhook URL must be http(s).', 'webhookUrl');
  }
  if (
    input.webhookUrl != null &&
    (input.webhookSecret == null || input.webhookSecret.length < 16)
  ) {
    throw badRequest(
      'validation_failed',
      'A webhook needs a secret of at least 16 characters.',
      'webhookSecret',
    );
  }
  if (input.email != null && !/^[^\s@]+@[^\s@]+$/.test(input.email)) {
    throw badRequest('validation_failed', 'Not an e-mail address.', 'email');
  }
  const at = isoTime(deps.clock.now());
  const row = {
    platform,
    webhook_url: input.webhookUrl ?? null,
    webhook_secret: input.webhookUrl == null ? null : (input.webhookSecret ?? null),
    email: input.email ?? null,
    updated_at: at,
  };
  const noticesQueued = await deps.db.transaction().execute(async (trx) => {
    await upsertPlatformChannel(trx, row);
    await recordEvent(trx, {
      type: 'platform_channel.set',
      subjectType: 'takedown_notice',
      subjectId: `channel:${platform}`,
      actor: actorLabel(actor),
      at,
      data: {
        platform,
        webhookUrl: row.webhook_url,
        webhookSigned: row.webhook_secret !== null,
        email: row.email,
      },
    });
    return redeliverPending(trx, deps, platform, at);
  });
  return {
    platform,
    webhookUrl: row.webhook_url,
    webhookSigned: row.webhook_secret !== null,
    email: row.email,
    updatedAt: at,
    noticesQueued,
  };
}

/**
 * After a platform's channel was set or repaired, inside the caller's transaction: every notice
 * of the platform still `pending_delivery` gets a delivery on each channel now offered that has
 * none queued (one given up earlier is queued again), and those already queued are due now
 * rather than after their backoff.
 * @returns the number of pending notices with a delivery queued.
 */
async function redeliverPending(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'config'>,
  platform: string,
  at: string,
): Promise<number> {
  const pending = await pendingNoticesOf(trx, platform);
  if (pending.length === 0) return 0;
  let queued = 0;
  for (const notice of pending) {
    await queueDeliveries(trx, deps, notice, at);
    if (await hurryDeliveries(trx, notice.id, at)) queued += 1;
  }
  return queued;
}

/**
 * Queues the deliveries of `notice` that its platform's channel offers now (webhook; e-mail when
 * SMTP is configured) and are not already queued, inside the caller's transaction.
 * @returns the channels queued (empty: nothing can deliver it; the notice waits for a channel).
 */
export async function queueDeliveries(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'config'>,
  notice: Pick<NoticeRow, 'id' | 'platform'>,
  at: string,
): Promise<Array<'webhook' | 'email'>> {
  const channel = await findPlatformChannel(trx, notice.platform);
  const waiting = new Set(await queuedDeliveryKinds(trx, notice.id));
  const channels: Array<'webhook' | 'email'> = [];
  if (channel?.webhook_url != null && !waiting.has('notice_webhook')) {
    await enqueue(trx, {
      kind: 'notice_webhook',
      ref: notice.id,
      payload: { noticeId: notice.id },
      at,
    });
    channels.push('webhook');
  }
  if (
    channel?.email != null &&
    deps.config.workflow.smtpUrl !== undefined &&
    !waiting.has('notice_email')
  ) {
    await enqueue(trx, {
      kind: 'notice_email',
      ref: notice.id,
      payload: { noticeId: notice.id, to: channel.email },
      at,
    });
    channels.push('email');
  }
  return channels;
}
