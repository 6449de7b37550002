/**
 * A fake LINE Platform for tests, on loopback: the Messaging API endpoints the bot calls (reply,
 * push, profile, message content) recording every request, and a signer of webhook bodies as
 * LINE signs them (base64 HMAC-SHA256 of the raw body under the channel secret).
 */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export const CHANNEL_SECRET = 'test-line-channel-secret-0123456789';
export const CHANNEL_TOKEN = 'test-line-channel-access-token-0123456789';

export interface FakeLineRequest {
  method: string;
  path: string;
  authorization: string | undefined;
  body: unknown;
  /** A push whose retry key LINE had accepted already (answered 409, not sent again). */
  repeated?: boolean;
}

export interface FakeLine {
  port: number;
  baseUrl: string;
  requests: FakeLineRequest[];
  /** Profile languages by user ID (undefined: no language in the profile). */
  languages: Map<string, string | undefined>;
  /** Content bytes by message ID. */
  contents: Map<string, Buffer>;
  /** The env that points a test app at this fake. */
  env: Record<string, string>;
  /** Replies sent with `replyToken`. */
  repliesTo: (replyToken: string) => Array<Record<string, unknown>>;
  /** Pushes LINE accepted (a retry of an accepted `X-Line-Retry-Key` is answered 409, not sent). */
  pushes: () => Array<{ to: string; messages: Array<Record<string, unknown>> }>;
  /** Accept the next push, then drop the connection: the sender never hears the answer. */
  loseNextPushAnswer: boolean;
  close: () => Promise<void>;
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function messagesOf(body: unknown): Array<Record<string, unknown>> {
  if (!isRecord(body) || !Array.isArray(body.messages)) return [];
  return body.messages.filter(isRecord);
}

/** Starts the fake on an ephemeral loopback port. */
export async function startFakeLine(): Promise<FakeLine> {
  const requests: FakeLineRequest[] = [];
  const languages = new Map<string, string | undefined>();
  const contents = new Map<string, Buffer>();
  const acceptedRetryKeys = new Map<string, string>();
  const server = createServer((request, response) => {
    void (async () => {
      const raw = await readAll(request);
      const path = request.url ?? '';
      let body: unknown = null;
      if (raw.length > 0) body = JSON.parse(raw.toString('utf8'));
      requests.push({
        method: request.method ?? '',
        path,
        authorization: request.headers.authorization,
        body,
      });
      const retryKey = request.headers['x-line-retry-key'];
      if (path === '/v2/bot/message/push' && typeof retryKey === 'string') {
        // As LINE does: a retry key it accepted before is answered 409 and nothing is sent.
        if (acceptedRetryKeys.has(retryKey)) {
          (requests[requests.length - 1] as FakeLineRequest).repeated = true;
          response
            .writeHead(409, {
              'content-type': 'application/json',
              'x-line-accepted-request-id': acceptedRetryKeys.get(retryKey) ?? '',
            })
            .end('{"message":"The retry key is already accepted"}');
          return;
        }
        acceptedRetryKeys.set(retryKey, `req-${acceptedRetryKeys.size + 1}`);
      }
      if (path === '/v2/bot/message/push' && fake.loseNextPushAnswer) {
        fake.loseNextPushAnswer = false;
        request.socket.destroy();
        return;
      }
      if (request.headers.authorization !== `Bearer ${CHANNEL_TOKEN}`) {
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"bad"}');
        return;
      }
      const profile = /^\/v2\/bot\/profile\/([^/]+)$/.exec(path);
      const content = /^\/v2\/bot\/message\/([^/]+)\/content$/.exec(path);
      if (profile?.[1] !== undefined) {
        const userId = decodeURIComponent(profile[1]);
        if (!languages.has(userId)) {
          response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
          return;
        }
        const language = languages.get(userId);
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ userId, displayName: 'Test', ...(language ? { language } : {}) }));
      } else if (content?.[1] !== undefined) {
        const bytes = contents.get(decodeURIComponent(content[1]));
        if (bytes === undefined) response.writeHead(404).end();
        else response.writeHead(200, { 'content-type': 'image/png' }).end(bytes);
      } else if (
        path === '/v2/bot/message/reply' &&
        isRecord(body) &&
        String(body.replyToken).startsWith('expired')
      ) {
        // As LINE answers a reply token used too late.
        response
          .writeHead(400, { 'content-type': 'application/json' })
          .end('{"message":"Invalid reply token"}');
      } else if (path === '/v2/bot/message/reply' || path === '/v2/bot/message/push') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        response.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const fake: FakeLine = {
    port,
    baseUrl,
    requests,
    languages,
    contents,
    env: {
      LINE_CHANNEL_SECRET: CHANNEL_SECRET,
      LINE_CHANNEL_ACCESS_TOKEN: CHANNEL_TOKEN,
      LINE_API_BASE_URL: baseUrl,
      LINE_DATA_API_BASE_URL: baseUrl,
      CAPTURE_ALLOW_LOOPBACK: 'true',
      CAPTURE_ALLOWED_PORTS: `80,443,${port}`,
      PUBLIC_BASE_URL: 'https://scamnet.example',
    },
    repliesTo: (replyToken) =>
      requests
        .filter(
          (r) =>
            r.path === '/v2/bot/message/reply' &&
            isRecord(r.body) &&
            r.body.replyToken === replyToken,
        )
        .flatMap((r) => messagesOf(r.body)),
    pushes: () =>
      requests
        .filter((r) => r.path === '/v2/bot/message/push' && isRecord(r.body) && !r.repeated)
        .map((r) => ({
          to: isRecord(r.body) && typeof r.body.to === 'string' ? r.body.to : '',
          messages: messagesOf(r.body),
        })),
    loseNextPushAnswer: false,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return fake;
}

/** `x-line-signature` of `body` under `secret`, as the LINE Platform computes it. */
export function lineSignature(body: string, secret = CHANNEL_SECRET): string {
  return createHmac('sha256', secret).update(body, 'utf8').digest('base64');
}

let eventSerial = 0;

/** A webhook event from user `userId` (LINE's Webhook Event Object), with a fresh ID. */
export function lineEvent(
  userId: string,
  fields: Record<string, unknown>,
  options: { webhookEventId?: string; isRedelivery?: boolean; timestamp?: number } = {},
): Record<string, unknown> {
  eventSerial += 1;
  const id = options.webhookEventId ?? `01TESTEVENT${String(eventSerial).padStart(15, '0')}`;
  return {
    mode: 'active',
    timestamp: options.timestamp ?? 1_764_000_000_000 + eventSerial,
    source: { type: 'user', userId },
    webhookEventId: id,
    deliveryContext: { isRedelivery: options.isRedelivery ?? false },
    replyToken: `reply-${id}`,
    ...fields,
  };
}

/** A text message event. */
export function textEvent(userId: string, text: string): Record<string, unknown> {
  eventSerial += 1;
  return lineEvent(userId, {
    type: 'message',
    message: { id: `m${eventSerial}`, type: 'text', text, quoteToken: 'q' },
  });
}
