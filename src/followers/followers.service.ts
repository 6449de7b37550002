import { createHash, randomBytes } from 'node:crypto';
import { checkDestination, OutboundError, outboundPolicyOf } from '../evidence/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, conflict, notFound } from '../shared/errors.js';
import { randomBase32, sha256Hex } from '../shared/ids.js';
import {
  CASE_STATUSES,
  STATUS_PRESENTATION,
  isCaseStatus,
  type CaseStatus,
} from '../vocabulary/index.js';
import {
  caseStatusOf,
  countFollowers,
  deleteFollowerByToken,
  deleteFollowersByTarget,
  upsertFollower,
} from './followers.repo.js';
import { validateSubscription, type PushSubscriptionJson } from './subscription.js';
import { caseNotFound } from '../cases/index.js';

/** The channels a follower can be told on. */
export const FOLLOWER_CHANNELS = ['web_push', 'line'] as const;
export type FollowerChannel = (typeof FOLLOWER_CHANNELS)[number];

/** The languages of messages to followers (the web UI's). */
export const FOLLOWER_LANGUAGES = ['zh-TW', 'en'] as const;
export type FollowerLanguage = (typeof FOLLOWER_LANGUAGES)[number];

/**
 * The public states a follower is told about: every state of a decided case (a verdict, a
 * platform told or done removing, a scam site's blocking and its changes). The two states of a
 * case still being checked — `processing` and `awaiting_party` (the impersonated party was asked,
 * nothing is decided) — are never sent.
 */
export const NOTIFIED_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter(
  (status) => status !== 'processing' && status !== 'awaiting_party',
);

/** Followers one case may have; more answer 409 `too_many_followers`. */
export const MAX_FOLLOWERS_PER_CASE = 1000;

/** What following a case gives back: the token that ends it (shown once, stored hashed). */
export interface Following {
  readonly caseId: string;
  readonly unsubscribeToken: string;
}

/** SHA-256 (hex) of an unsubscribe token, as stored. */
function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Makes `target` a follower of case `caseId` on `channel`, told in `language` of each later change
 * of the case's public state in NOTIFIED_STATUSES (followers/delivery.ts sends them). The state at
 * the time of following is on the page already and is not sent. The same target following the
 * same case again replaces its token (the old one stops working). Not an account: the returned
 * token is the only way to stop following (DELETE /api/v1/followers/{token}).
 * - `web_push`: `target` is a PushSubscription, checked at the edge (subscription.ts) and against
 *   the outbound guard (an endpoint at a private address is refused unless loopback is allowed).
 * - `line`: `target` is the reporter's pseudonymous LINE ID (the LINE bot's business).
 * @throws AppError 404 `push_disabled` (web_push without WEB_PUSH_*), 404 `case_not_found`,
 *   400 `invalid_subscription`, 409 `too_many_followers`.
 */
export async function followCase(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'config'>,
  input: {
    caseId: string;
    language: FollowerLanguage;
    follower:
      | { channel: 'web_push'; subscription: PushSubscriptionJson }
      | { channel: 'line'; pseudonym: string };
  },
): Promise<Following> {
  const { follower } = input;
  let target: string;
  let key: string;
  if (follower.channel === 'web_push') {
    if (deps.config.webPush === null) throw pushDisabled();
    const allowLoopback = deps.config.evidence.captureAllowLoopback;
    const subscription = validateSubscription(follower.subscription, allowLoopback);
    try {
      await checkDestination(new URL(subscription.endpoint), outboundPolicyOf(deps.config));
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      throw badRequest(
        'invalid_subscription',
        `The endpoint cannot be reached from here (${error.code}).`,
        'endpoint',
      );
    }
    target = JSON.stringify(subscription);
    key = sha256Hex(subscription.endpoint);
  } else {
    if (follower.pseudonym === '' || follower.pseudonym.length > 200) {
      throw badRequest('invalid_follower', 'The LINE pseudonym must be 1–200 characters.');
    }
    target = follower.pseudonym;
    key = lineTargetKey(follower.pseudonym);
  }
  const status = await caseStatusOf(deps.db, input.caseId);
  if (status === undefined) {
    throw caseNotFound(input.caseId);
  }
  if ((await countFollowers(deps.db, input.caseId)) >= MAX_FOLLOWERS_PER_CASE) {
    throw conflict('too_many_followers', 'This case has as many followers as it can take.');
  }
  const token = randomBytes(32).toString('base64url');
  await upsertFollower(deps.db, {
    id: `F${randomBase32(16)}`,
    case_id: input.caseId,
    channel: follower.channel,
    target,
    target_key: key,
    token_hash: tokenHash(token),
    language: input.language,
    initial_status: status,
    created_at: isoTime(deps.clock.now()),
  });
  return { caseId: input.caseId, unsubscribeToken: token };
}

/**
 * Stops the following that `token` (from followCase) belongs to, and forgets its target.
 * @throws AppError 404 `follower_not_found` for an unknown or used token.
 */
export async function unfollowCase(deps: Pick<ServiceDeps, 'db'>, token: string): Promise<void> {
  if (!(await deleteFollowerByToken(deps.db, tokenHash(token)))) {
    throw notFound('follower_not_found', 'No one follows a case with this link.');
  }
}

/**
 * Stops a LINE user (by pseudonym) following case `caseId`, or every case when it is left out —
 * for the LINE bot: a user who asks it to stop, or who blocked it (the LINE sender answering
 * `gone` removes the follower too).
 * @returns how many followings were stopped.
 */
export async function unfollowAsLineUser(
  deps: Pick<ServiceDeps, 'db'>,
  pseudonym: string,
  caseId?: string,
): Promise<number> {
  return deleteFollowersByTarget(deps.db, 'line', lineTargetKey(pseudonym), caseId);
}

function lineTargetKey(pseudonym: string): string {
  return sha256Hex(`line:${pseudonym}`);
}

/** The 404 of following by Web Push when WEB_PUSH_* is not configured. */
function pushDisabled() {
  return notFound('push_disabled', 'Web Push is not configured on this site.');
}

/** The message to a follower about case `caseId` entering `status`. */
export interface CaseUpdateMessage {
  readonly caseId: string;
  readonly status: CaseStatus;
  readonly title: string;
  readonly body: string;
  /** The case page, relative to the site (the service worker opens it on a click). */
  readonly url: string;
}

const TITLES: Readonly<Record<FollowerLanguage, string>> = {
  'zh-TW': '您追蹤的案件有新進度',
  en: 'Update on a case you follow',
};

/** The message telling that case `caseId` is now in `status`, in `language`. */
export function caseUpdateMessage(
  caseId: string,
  status: string,
  language: string,
): CaseUpdateMessage | null {
  if (!isCaseStatus(status)) return null;
  const lang: FollowerLanguage = language === 'en' ? 'en' : 'zh-TW';
  const label = STATUS_PRESENTATION[status].label[lang];
  return {
    caseId,
    status,
    title: TITLES[lang],
    body: lang === 'en' ? `Case ${caseId}: ${label}` : `案件 ${caseId}：${label}`,
    url: `/cases/${caseId}`,
  };
}
