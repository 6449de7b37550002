/**
 * The calls the bot makes to the LINE Messaging API (https://developers.line.biz/en/reference/
 * messaging-api/): reply, push, profile and message content, with the official SDK's request and
 * response types (@line/bot-sdk). They go through scamnet's guarded HTTP client
 * (evidence/outbound.ts, with its time limit and address policy) rather than the SDK's own
 * client, which uses the global `fetch` without a time limit: a LINE API that stops answering
 * must not hold the bot's queue for ever.
 */
import type { messagingApi } from '@line/bot-sdk';
import type { LineConfig } from '../config/index.js';
import {
  discardBody,
  guardedRequest,
  readBody,
  type OutboundPolicy,
  type OutboundResponse,
} from '../evidence/index.js';

/** Time limit of one LINE API call, ms. */
export const LINE_API_TIMEOUT_MS = 10_000;
/** Largest JSON answer read from the API, bytes. */
const MAX_JSON_BYTES = 64 * 1024;

/** A LINE API call that did not succeed (status 0: no response). */
export class LineApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'LineApiError';
    this.status = status;
  }
}

/** What the bot asks of the Messaging API (an interface so that the bot can be driven in tests). */
export interface LineApi {
  /** `POST /v2/bot/message/reply`. */
  reply(request: messagingApi.ReplyMessageRequest): Promise<void>;
  /**
   * `POST /v2/bot/message/push`. With `retryKey` (a UUID, as `X-Line-Retry-Key`) LINE sends a
   * retried request once: its 409 to a key it already accepted counts as sent.
   */
  push(request: messagingApi.PushMessageRequest, retryKey?: string): Promise<void>;
  /** `GET /v2/bot/profile/{userId}`: the user's profile, or undefined (404: not a friend). */
  profile(userId: string): Promise<messagingApi.UserProfileResponse | undefined>;
  /**
   * `GET /v2/bot/message/{messageId}/content` on the data API: the bytes, at most `maxBytes`
   * (`tooLarge` when the content is longer; nothing more is read).
   */
  content(messageId: string, maxBytes: number): Promise<{ bytes: Uint8Array; tooLarge: boolean }>;
}

async function readJson(response: OutboundResponse): Promise<unknown> {
  const { bytes, truncated } = await readBody(response.body, MAX_JSON_BYTES);
  if (truncated) throw new LineApiError(response.statusCode, 'LINE API answer too long');
  try {
    const parsed: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    return parsed;
  } catch {
    throw new LineApiError(response.statusCode, 'LINE API answer is not JSON');
  }
}

async function failure(response: OutboundResponse, what: string): Promise<LineApiError> {
  // LINE's error body names the problem ("Invalid reply token"), never a user ID.
  const { bytes } = await readBody(response.body, 2048);
  const detail = Buffer.from(bytes).toString('utf8').slice(0, 300);
  return new LineApiError(response.statusCode, `${what}: HTTP ${response.statusCode} ${detail}`);
}

function isProfile(value: unknown): value is messagingApi.UserProfileResponse {
  return (
    typeof value === 'object' &&
    value !== null &&
    'userId' in value &&
    typeof value.userId === 'string' &&
    (!('language' in value) || value.language === undefined || typeof value.language === 'string')
  );
}

/**
 * The Messaging API of channel `config` through the guarded client under `policy`.
 * Every method throws LineApiError for an answer other than 2xx (OutboundError when no answer).
 */
export function lineApiOf(config: LineConfig, policy: OutboundPolicy): LineApi {
  const headers = { authorization: `Bearer ${config.channelAccessToken}` };
  const post = async (path: string, body: object, what: string, retryKey?: string): Promise<void> =>
    guardedRequest(
      `${config.apiBaseUrl}${path}`,
      policy,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          ...(retryKey === undefined ? {} : { 'x-line-retry-key': retryKey }),
        },
        body: JSON.stringify(body),
        timeoutMs: LINE_API_TIMEOUT_MS,
      },
      async (response) => {
        // A retry of a request LINE accepted already: LINE answers 409 and sends nothing again.
        const accepted =
          retryKey !== undefined &&
          response.statusCode === 409 &&
          response.headers['x-line-accepted-request-id'] !== undefined;
        if (!accepted && (response.statusCode < 200 || response.statusCode > 299)) {
          throw await failure(response, what);
        }
        discardBody(response.body);
      },
    );
  return {
    reply: (request) => post('/v2/bot/message/reply', request, 'reply'),
    push: (request, retryKey) => post('/v2/bot/message/push', request, 'push', retryKey),
    profile: (userId) =>
      guardedRequest(
        `${config.apiBaseUrl}/v2/bot/profile/${encodeURIComponent(userId)}`,
        policy,
        { method: 'GET', headers, timeoutMs: LINE_API_TIMEOUT_MS },
        async (response) => {
          if (response.statusCode === 404) {
            discardBody(response.body);
            return undefined;
          }
          if (response.statusCode !== 200) throw await failure(response, 'profile');
          const profile = await readJson(response);
          if (!isProfile(profile)) throw new LineApiError(200, 'profile: unexpected answer');
          return profile;
        },
      ),
    content: (messageId, maxBytes) =>
      guardedRequest(
        `${config.dataApiBaseUrl}/v2/bot/message/${encodeURIComponent(messageId)}/content`,
        policy,
        { method: 'GET', headers, timeoutMs: LINE_API_TIMEOUT_MS },
        async (response) => {
          if (response.statusCode !== 200) throw await failure(response, 'content');
          const { bytes, truncated } = await readBody(response.body, maxBytes);
          return { bytes, tooLarge: truncated };
        },
      ),
  };
}
