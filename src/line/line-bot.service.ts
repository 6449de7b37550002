/**
 * The LINE bot's work: webhook events are stored first (line_webhook_events, once per
 * webhookEventId) and answered 200 at once; this service then processes them in the background,
 * oldest first, one at a time per node.
 *
 * What happens on a crash: an event is stored before LINE is answered, so an event LINE was told
 * we have is never lost. Every node looks for waiting events when it starts and after each
 * webhook it answers. A node that dies while processing leaves its event `processing`; the next
 * node to look takes it up once the claim is STALE_CLAIM_MS old. Work done twice is harmless: a report's externalId is its offer (`line:<offerId>`), so
 * intake stores it once; a follower row is keyed. But a reply token is valid only for a short time
 * (about a minute, LINE documents), so the answer to an event taken up after a crash may not
 * reach the user: the report is made, the reply fails and is logged. An event whose processing
 * throws is `failed` with the error (no personal data) and is not tried again.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { messagingApi } from '@line/bot-sdk';
import { publicLinkBase } from '../config/index.js';
import { blobStoreOf, outboundPolicyOf, type BlobStore } from '../evidence/index.js';
import {
  caseStatusOf,
  followCase,
  NOTIFIED_STATUSES,
  unfollowAsLineUser,
  type FollowerSenders,
  type LinePushSender,
} from '../followers/index.js';
import { isCaseStatus, STATUS_PRESENTATION } from '../vocabulary/index.js';
import { screenshotTypeOf, submitReport } from '../intake/index.js';
import { checkLookup, type LookupIndex, type LookupResult } from '../search/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { AppError, isAppError, notFound } from '../shared/errors.js';
import { randomBase32 } from '../shared/ids.js';
import { checkUnicodeTexts } from '../shared/text.js';
import { lineApiOf, type LineApi } from './line-api.js';
import {
  claimEvent,
  claimableEventIds,
  deleteLineUser,
  deleteStaleOffers,
  finishEvent,
  findLineUser,
  findOffer,
  insertOffer,
  insertWebhookEvents,
  latestOpenOffer,
  updateOffer,
  upsertLineUser,
} from './line.repo.js';
import {
  followedMessage,
  helpMessage,
  imageRefusedMessage,
  knownCaseMessage,
  lineLanguageOf,
  notReportedMessage,
  parsePostback,
  reportedMessage,
  screenshotMessage,
  unknownMessage,
  welcomeMessage,
  type LineLanguage,
} from './messages.js';
import { linePseudonym } from './pseudonym.js';

/** A claimed event not finished after this long is taken up again by any node, ms. */
export const STALE_CLAIM_MS = 5 * 60_000;
/** Attempts at an event before it is given up (`failed`). */
export const EVENT_MAX_ATTEMPTS = 3;
/** Delay before an event whose attempt failed is tried again (at the next webhook or sweep), ms. */
export const EVENT_RETRY_MS = 10_000;
/** A screenshot waits this long for the text it goes with (and text for its screenshot), ms. */
export const OFFER_PAIRING_MS = 30 * 60_000;
/** How long an offer never reported is kept (the user may press "report" until then), ms. */
export const OFFER_KEEP_MS = 24 * 3_600_000;
/** Events claimed per store round trip. */
const CLAIM_BATCH = 20;

/** The fields of a webhook event the bot reads (LINE's Webhook Event Objects); others pass. */
const LineEventSchema = Type.Object({
  type: Type.String(),
  webhookEventId: Type.String({ minLength: 1, maxLength: 64 }),
  timestamp: Type.Integer({ minimum: 0 }),
  replyToken: Type.Optional(Type.String()),
  source: Type.Optional(Type.Object({ type: Type.String(), userId: Type.Optional(Type.String()) })),
  message: Type.Optional(
    Type.Object({
      id: Type.String(),
      type: Type.String(),
      text: Type.Optional(Type.String()),
      contentProvider: Type.Optional(Type.Object({ type: Type.String() })),
    }),
  ),
  postback: Type.Optional(Type.Object({ data: Type.String() })),
});
type LineEvent = Static<typeof LineEventSchema>;

/**
 * What every event must have to be stored (LINE's EventBase). The rest is read when the event is
 * processed: an event of a kind or shape the bot does not handle is stored and then ignored, so
 * one unexpected event never makes LINE redeliver a whole request.
 */
const LineEventEnvelopeSchema = Type.Object({
  type: Type.String({ minLength: 1 }),
  webhookEventId: Type.String({ minLength: 1, maxLength: 64 }),
  timestamp: Type.Integer({ minimum: 0 }),
});

/** The webhook request body (LINE's CallbackRequest): `events` may be empty (a verify call). */
export const LineWebhookBodySchema = Type.Object({
  destination: Type.Optional(Type.String()),
  events: Type.Array(LineEventEnvelopeSchema, { maxItems: 1000 }),
});
export type LineWebhookBody = Static<typeof LineWebhookBodySchema>;

/** True when `value` is a webhook body the bot can read (LineWebhookBodySchema). */
export function isLineWebhookBody(value: unknown): value is LineWebhookBody {
  return Value.Check(LineWebhookBodySchema, value);
}

/** A LINE user as the bot handles them: never the raw ID beyond this object. */
interface LineUser {
  userId: string;
  pseudonym: string;
  lang: LineLanguage;
}

/** What the bot needs beyond ServiceDeps. */
export interface LineBotOptions {
  /** The Messaging API (default: the configured channel through the guarded client). */
  readonly api?: LineApi | undefined;
  /** The in-memory lookup index checks are answered from (null: the store). */
  readonly index?: LookupIndex | null | undefined;
  readonly blobStore?: BlobStore | undefined;
}

/**
 * The Messaging API of the configured channel (LINE_*), through the guarded HTTP client, or null
 * when the bot is off.
 */
export function configuredLineApi(deps: Pick<ServiceDeps, 'config'>): LineApi | null {
  const line = deps.config.line;
  return line === undefined ? null : lineApiOf(line, outboundPolicyOf(deps.config));
}

/**
 * The LINE sender of followers' messages (followers/delivery.ts): a pushed text. A user who
 * left or blocked the bot, or is unknown, is `gone` (the follower is removed); LINE refusing or
 * unreachable is `failed` (tried again later).
 */
export const lineFollowerSender: LinePushSender = async (deps, pseudonym, text, retryKey) => {
  try {
    await pushToLineUser(
      deps,
      pseudonym,
      [{ type: 'text', text }],
      configuredLineApi(deps),
      retryKey,
    );
    return { kind: 'sent' };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) {
      return { kind: 'gone', detail: error.code };
    }
    return { kind: 'failed', detail: error instanceof Error ? error.message : String(error) };
  }
};

/**
 * The channels followers of a case are told on with `config`: Web Push (deliverCaseUpdates'
 * default, from WEB_PUSH_*) and, when the bot is configured (LINE_*), LINE pushes; without a
 * channel LINE followers' messages wait in the queue.
 */
export function followerSendersOf(config: ServiceDeps['config']): FollowerSenders {
  return { line: config.line === undefined ? null : lineFollowerSender };
}

/**
 * Sends `messages` to the LINE user behind `reporterPseudonym` (`POST /v2/bot/message/push`):
 * the pseudonym is resolved to the user ID kept in the private line_users table.
 * For the "word back" feature: tell a reporter how their case was decided.
 * @throws AppError 404 `line_disabled` (no channel configured), 404 `line_user_not_found`
 *   (no such pseudonym, or the user left or blocked the bot, which deletes it: nothing is sent);
 *   LineApiError / OutboundError when LINE refuses or cannot be reached.
 */
export async function pushToLineUser(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  reporterPseudonym: string,
  messages: messagingApi.Message[],
  api: LineApi | null = configuredLineApi(deps),
  retryKey?: string,
): Promise<void> {
  if (api === null) throw notFound('line_disabled', 'The LINE bot is not configured.');
  const user = await findLineUser(deps.db, reporterPseudonym);
  if (user === undefined) throw notFound('line_user_not_found', 'No LINE user has this pseudonym.');
  await api.push({ to: user.user_id, messages }, retryKey);
}

/**
 * The bot of one node: accepts webhook events into the store and processes them after the
 * webhook has been answered (see the module comment for what survives a crash).
 */
export class LineBot {
  private readonly deps: ServiceDeps;
  private readonly channelSecret: string;
  private readonly api: LineApi;
  private readonly index: LookupIndex | null;
  private readonly blobStore: BlobStore;
  private running: Promise<void> | null = null;
  private again = false;

  /** @throws Error when the LINE channel is not configured (config.line). */
  constructor(deps: ServiceDeps, options: LineBotOptions = {}) {
    const line = deps.config.line;
    const api = options.api ?? configuredLineApi(deps);
    if (line === undefined || api === null) throw new Error('the LINE bot is not configured');
    this.deps = deps;
    this.channelSecret = line.channelSecret;
    this.api = api;
    this.index = options.index ?? null;
    this.blobStore = options.blobStore ?? blobStoreOf(deps);
  }

  /**
   * Stores the events of a verified webhook body, each once (a redelivery of a stored
   * webhookEventId is not stored again), in one transaction.
   * @returns how many events were new.
   */
  async accept(body: LineWebhookBody): Promise<number> {
    const rows = body.events.map((event) => ({
      webhookEventId: event.webhookEventId,
      eventAt: isoTime(event.timestamp),
      body: JSON.stringify(event),
    }));
    if (rows.length === 0) return 0;
    const now = isoTime(this.deps.clock.now());
    return this.deps.db.transaction().execute((trx) => insertWebhookEvents(trx, rows, now));
  }

  /** Starts processing waiting events in the background (again, if it is already running). */
  kick(): void {
    this.again = true;
    if (this.running !== null) return;
    this.running = (async () => {
      while (this.again) {
        this.again = false;
        await this.drain();
      }
    })()
      .catch((error: unknown) => {
        this.deps.log.error(
          { error: error instanceof Error ? error.message : String(error) },
          'LINE bot: processing stopped',
        );
      })
      .finally(() => {
        this.running = null;
      });
  }

  /**
   * The sweep's part (server timer): picks up waiting events (kick) and deletes the offers never
   * reported within OFFER_KEEP_MS (their text is personal data; the quick reply then answers
   * that nothing can be reported).
   * @returns how many offers were deleted.
   */
  async sweep(): Promise<number> {
    this.kick();
    const before = isoTime(this.deps.clock.now() - OFFER_KEEP_MS);
    try {
      return await deleteStaleOffers(this.deps.db, before);
    } catch (error) {
      this.deps.log.warn(
        { error: error instanceof Error ? error.message : String(error) },
        'LINE bot: stale offers not deleted',
      );
      return 0;
    }
  }

  /** Resolves when no processing is running (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.running !== null) await this.running;
  }

  /** Processes every claimable event, oldest first. */
  private async drain(): Promise<void> {
    for (;;) {
      const now = this.deps.clock.now();
      const stale = isoTime(now - STALE_CLAIM_MS);
      const retry = isoTime(now - EVENT_RETRY_MS);
      const ids = await claimableEventIds(this.deps.db, stale, retry, CLAIM_BATCH);
      if (ids.length === 0) return;
      for (const id of ids) {
        const claimedAt = isoTime(this.deps.clock.now());
        const claim = await claimEvent(this.deps.db, id, claimedAt, stale, retry);
        if (claim === undefined || claim.body === null) continue;
        let outcome: { state: 'done' | 'failed' | 'retry'; error: string | null } = {
          state: 'done',
          error: null,
        };
        try {
          const event: unknown = JSON.parse(claim.body);
          if (Value.Check(LineEventSchema, event)) await this.handle(event);
        } catch (error) {
          // A store or network hiccup, or another node reporting the same offer: tried again
          // (intake's externalId makes a second report impossible), then given up.
          const message = error instanceof Error ? error.message : String(error);
          const state = claim.attempt < EVENT_MAX_ATTEMPTS ? 'retry' : 'failed';
          outcome = { state, error: message.slice(0, 500) };
          this.deps.log.warn(
            { webhookEventId: id, attempt: claim.attempt, error: message },
            state === 'retry' ? 'LINE bot: event failed, will retry' : 'LINE bot: event failed',
          );
        }
        await finishEvent(this.deps.db, id, outcome, isoTime(this.deps.clock.now()));
      }
      // Events waiting for a retry are claimable only later: stop here.
      if (ids.length < CLAIM_BATCH) return;
    }
  }

  /** One event: only events from a user in a one-to-one chat are handled (not groups, rooms). */
  private async handle(event: LineEvent): Promise<void> {
    const userId = event.source?.type === 'user' ? event.source.userId : undefined;
    if (userId === undefined) return;
    if (event.type === 'unfollow') {
      // Left or blocked the bot: its raw user ID is forgotten and it follows no case any more
      // (following the bot again starts afresh).
      for (const pseudonym of await deleteLineUser(this.deps.db, userId)) {
        await unfollowAsLineUser(this.deps, pseudonym);
      }
      return;
    }
    const user = await this.user(userId);
    const messages = await this.answer(event, user);
    if (messages.length === 0 || event.replyToken === undefined) return;
    try {
      await this.api.reply({ replyToken: event.replyToken, messages });
    } catch (error) {
      // The work is done; only the answer is lost (e.g. a token expired while the node was down).
      this.deps.log.warn(
        {
          webhookEventId: event.webhookEventId,
          error: error instanceof Error ? error.message : String(error),
        },
        'LINE bot: reply failed',
      );
    }
  }

  private async answer(event: LineEvent, user: LineUser): Promise<messagingApi.Message[]> {
    if (event.type === 'follow') return [welcomeMessage()];
    if (event.type === 'postback' && event.postback !== undefined) {
      return [await this.onPostback(user, event.postback.data)];
    }
    if (event.type !== 'message' || event.message === undefined) return [];
    const { message } = event;
    if (message.type === 'text' && message.text !== undefined) {
      return [await this.onText(user, message.text)];
    }
    if (message.type === 'image') {
      return [await this.onImage(user, message.id, message.contentProvider?.type ?? 'line')];
    }
    return [helpMessage(user.lang)];
  }

  /**
   * The user behind `userId`, recorded in line_users (their profile's language asked of LINE
   * when first met; a profile that cannot be read leaves it unknown: zh-TW).
   */
  private async user(userId: string): Promise<LineUser> {
    const pseudonym = linePseudonym(this.channelSecret, userId);
    const known = await findLineUser(this.deps.db, pseudonym);
    let language = known?.language ?? null;
    if (known === undefined) {
      language = (await this.api.profile(userId).catch(() => undefined))?.language ?? null;
    }
    await upsertLineUser(
      this.deps.db,
      {
        pseudonym,
        user_id: userId,
        language,
        updated_at: isoTime(this.deps.clock.now()),
      },
      (known?.language ?? null) === null && language !== null ? { language } : {},
    );
    return { userId, pseudonym, lang: lineLanguageOf(language) };
  }

  /** The case page of `caseId`, or null when PUBLIC_BASE_URL names this machine only. */
  private caseLink(caseId: string): string | null {
    const base = publicLinkBase(this.deps.config.workflow);
    return base === null ? null : `${base}/cases/${encodeURIComponent(caseId)}`;
  }

  /** The user's unreported offer of the last OFFER_PAIRING_MS, if any. */
  private async openOffer(user: LineUser) {
    const since = isoTime(this.deps.clock.now() - OFFER_PAIRING_MS);
    return latestOpenOffer(this.deps.db, user.pseudonym, since);
  }

  private async newOffer(
    user: LineUser,
    content: { text: string | null; screenshotSha256: string | null },
  ): Promise<string> {
    const id = randomBase32(20);
    await insertOffer(this.deps.db, {
      id,
      pseudonym: user.pseudonym,
      text: content.text,
      screenshot_sha256: content.screenshotSha256,
      created_at: isoTime(this.deps.clock.now()),
      report_id: null,
      case_id: null,
    });
    return id;
  }

  /**
   * A text: the same check as the lookup page (`GET /api/v1/lookup`; a lone http(s) URL as a
   * URL, anything else as `q`). Known → the most serious case; nothing on record → an offer to
   * report it (paired with a screenshot sent just before); not a check → what the bot can do.
   */
  private async onText(user: LineUser, text: string): Promise<messagingApi.Message> {
    const trimmed = text.trim();
    let result: LookupResult | undefined;
    try {
      // A NUL or an unpaired surrogate is refused (400) as the HTTP API refuses it.
      checkUnicodeTexts(trimmed);
      result = await checkLookup(
        this.deps,
        this.index,
        /^https?:\/\/\S+$/i.test(trimmed) ? { url: trimmed } : { q: trimmed },
      );
    } catch (error) {
      if (!isAppError(error) || error.status >= 500) throw error;
    }
    const outcome = result?.verdict.outcome;
    if (result === undefined || outcome === 'not_a_check') return helpMessage(user.lang);
    const open = await this.openOffer(user);
    const waiting = open !== undefined && open.text === null ? open : undefined;
    if (waiting !== undefined) await updateOffer(this.deps.db, waiting.id, { text: trimmed });
    const [worst] = result.cases;
    if (outcome === 'on_record' && worst !== undefined) {
      return knownCaseMessage(
        user.lang,
        {
          caseId: worst.id,
          label: worst.label,
          colour: worst.colour,
          reportCount: worst.reportCount,
          others: result.cases.length - 1,
          link: this.caseLink(worst.id),
        },
        waiting?.id,
      );
    }
    const offerId =
      waiting?.id ?? (await this.newOffer(user, { text: trimmed, screenshotSha256: null }));
    return unknownMessage(
      user.lang,
      offerId,
      outcome === 'mentioned_only' ? result.mentions.total : 0,
    );
  }

  /**
   * An image: its content (the Messaging API's content endpoint, at most
   * REPORT_SCREENSHOT_MAX_BYTES, PNG/JPEG/WebP by magic bytes as web uploads) is kept in the
   * evidence blob store as the screenshot of the user's open offer, or of a new one waiting for
   * its text. Images LINE does not host (`contentProvider.type` external) are refused.
   */
  private async onImage(
    user: LineUser,
    messageId: string,
    provider: string,
  ): Promise<messagingApi.Message> {
    const maxBytes = this.deps.config.reportScreenshotMaxBytes;
    if (provider !== 'line') return imageRefusedMessage(user.lang, 'type', maxBytes);
    const { bytes, tooLarge } = await this.api.content(messageId, maxBytes);
    if (tooLarge) return imageRefusedMessage(user.lang, 'too_large', maxBytes);
    try {
      await screenshotTypeOf(bytes, maxBytes);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) {
        return imageRefusedMessage(user.lang, 'type', maxBytes);
      }
      throw error;
    }
    const { sha256 } = await this.blobStore.put(bytes);
    const open = await this.openOffer(user);
    if (open !== undefined && open.screenshot_sha256 === null) {
      await updateOffer(this.deps.db, open.id, { screenshot_sha256: sha256 });
      return screenshotMessage(user.lang, open.id, open.text !== null);
    }
    const offerId = await this.newOffer(user, { text: null, screenshotSha256: sha256 });
    return screenshotMessage(user.lang, offerId, false);
  }

  private async onPostback(user: LineUser, data: string): Promise<messagingApi.Message> {
    const postback = parsePostback(data);
    if (postback === undefined) return helpMessage(user.lang);
    if (postback.kind === 'follow') {
      // A follower like a browser's (followers/): told once per later public state of the case,
      // through lineFollowerSender. A case merged away or gone meanwhile: nothing to follow.
      try {
        await followCase(this.deps, {
          caseId: postback.caseId,
          language: user.lang === 'en' ? 'en' : 'zh-TW',
          follower: { channel: 'line', pseudonym: user.pseudonym },
        });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return helpMessage(user.lang);
      }
      return followedMessage(user.lang);
    }
    return this.report(user, postback.offerId);
  }

  /**
   * Reports offer `offerId` of this user through intake, as the web form does (channel `line`,
   * source kind `line_bot`, source `line`), with its screenshot (the user sent it to be reported: that is their
   * consent). The offer is the report's externalId, so pressing twice, or processing the event
   * again after a crash, makes one report.
   */
  private async report(user: LineUser, offerId: string): Promise<messagingApi.Message> {
    const offer = await findOffer(this.deps.db, offerId);
    if (offer === undefined || offer.pseudonym !== user.pseudonym || offer.text === null) {
      return notReportedMessage(user.lang);
    }
    if (offer.case_id !== null) return this.reported(user, offer.case_id);
    const screenshot =
      offer.screenshot_sha256 === null
        ? undefined
        : await this.blobStore.get(offer.screenshot_sha256);
    let result: Awaited<ReturnType<typeof submitReport>>;
    try {
      result = await submitReport(
        this.deps,
        {
          text: offer.text,
          channel: 'line',
          sourceKind: 'line_bot',
          source: 'line',
          externalId: `line:${offer.id}`,
        },
        screenshot === undefined ? {} : { screenshot, consent: true },
        this.blobStore,
      );
    } catch (error) {
      if (isAppError(error) && error.status < 500) return notReportedMessage(user.lang);
      throw error;
    }
    await updateOffer(this.deps.db, offer.id, {
      report_id: result.report.id,
      case_id: result.case.id,
    });
    return this.reported(user, result.case.id);
  }

  /** The answer to a report of case `caseId`: its state now decides whether to offer following. */
  private async reported(user: LineUser, caseId: string): Promise<messagingApi.Message> {
    const status = await caseStatusOf(this.deps.db, caseId);
    const decided =
      status !== undefined && isCaseStatus(status) && NOTIFIED_STATUSES.includes(status)
        ? STATUS_PRESENTATION[status].label
        : null;
    return reportedMessage(user.lang, caseId, this.caseLink(caseId), decided);
  }
}
