import { validateSignature } from '@line/bot-sdk';
import { Type } from '@sinclair/typebox';
import { errorResponses, perClientLimit } from '../http/index.js';
import type { App } from '../http/index.js';
import { AppError, badRequest } from '../shared/errors.js';
import { LineWebhookBodySchema, isLineWebhookBody, type LineBot } from './line-bot.service.js';

/**
 * Largest webhook body accepted, bytes (413 beyond, nothing stored). LINE sends a few events per
 * request, each well under 10 KiB.
 */
export const LINE_WEBHOOK_BODY_LIMIT = 256 * 1024;

const WebhookAnswerSchema = Type.Object({
  received: Type.Integer({ minimum: 0, description: 'Events in the request' }),
  stored: Type.Integer({
    minimum: 0,
    description: 'Events not seen before (a redelivered webhookEventId is stored once)',
  }),
});

/**
 * `POST /api/v1/line/webhook`: the LINE Messaging API's webhook (registered only when the bot is
 * configured; 404 otherwise). The raw body's `x-line-signature` (base64 HMAC-SHA256 under the
 * channel secret, checked with @line/bot-sdk's validateSignature) is checked before anything is
 * parsed or stored: missing or wrong → 401 `invalid_signature`. The events are then stored once
 * each and answered 200 at once; replies, lookups and reports happen after the answer
 * (line-bot.service.ts).
 */
export function registerLineRoutes(
  app: App,
  bot: LineBot,
  line: { channelSecret: string; webhookPerMinute: number },
): void {
  const { channelSecret } = line;
  void app.register(async (scope) => {
    // The signature covers the exact bytes: this scope keeps the body raw (JSON only, bounded).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      'application/json',
      { parseAs: 'buffer', bodyLimit: LINE_WEBHOOK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/api/v1/line/webhook',
      {
        bodyLimit: LINE_WEBHOOK_BODY_LIMIT,
        // LINE's platform sends every user's events from a few addresses: a high limit of its
        // own, which still bounds what a forger makes the server read and hash.
        config: { rateLimit: perClientLimit(line.webhookPerMinute) },
        schema: {
          tags: ['line'],
          summary: 'LINE Messaging API webhook (signed by LINE)',
          description:
            'Called by the LINE Platform. `x-line-signature` must be the base64 HMAC-SHA256 of ' +
            `the raw body under the channel secret. At most ${LINE_WEBHOOK_BODY_LIMIT} bytes.`,
          headers: Type.Object(
            { 'x-line-signature': Type.Optional(Type.String()) },
            { additionalProperties: true },
          ),
          body: LineWebhookBodySchema,
          response: {
            200: WebhookAnswerSchema,
            ...errorResponses(400, 401, 413, 415, 429),
          },
        },
        // The body is the raw Buffer here: it is checked after the signature, below.
        validatorCompiler: () => () => true,
        onResponse: async (_request, reply) => {
          if (reply.statusCode === 200) bot.kick();
        },
      },
      async (request) => {
        const raw = request.body;
        const signature = request.headers['x-line-signature'];
        if (
          !Buffer.isBuffer(raw) ||
          typeof signature !== 'string' ||
          !validateSignature(raw, channelSecret, signature)
        ) {
          throw new AppError(401, 'invalid_signature', 'The x-line-signature does not match.');
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw.toString('utf8'));
        } catch {
          throw badRequest('invalid_json', 'The body is not JSON.');
        }
        if (!isLineWebhookBody(parsed)) {
          throw badRequest('validation_failed', 'The body is not a LINE webhook request.');
        }
        const stored = await bot.accept(parsed);
        return { received: parsed.events.length, stored };
      },
    );
  });
}
