import { Type } from '@sinclair/typebox';
import { errorResponses, literalUnion, perClientLimit } from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';
import { FOLLOWER_LANGUAGES, followCase, unfollowCase } from './followers.service.js';
import { MAX_ENDPOINT_LENGTH } from './subscription.js';

const CaseParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9]+$' }),
});
const TokenParams = Type.Object({
  token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }),
});
/** Base64url, as PushSubscription.toJSON() writes the keys (padding tolerated). */
const KEY = (maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '^[A-Za-z0-9_-]+={0,2}$' });

const FollowBody = Type.Object(
  {
    subscription: Type.Object(
      {
        endpoint: Type.String({ minLength: 1, maxLength: MAX_ENDPOINT_LENGTH }),
        // Browsers send it (null when the subscription does not expire); not stored.
        expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
        keys: Type.Object({ p256dh: KEY(100), auth: KEY(40) }, { additionalProperties: false }),
      },
      {
        additionalProperties: false,
        description: 'The PushSubscription as the browser gives it (PushSubscription.toJSON())',
      },
    ),
    language: Type.Optional(
      literalUnion(FOLLOWER_LANGUAGES, 'Language of the messages; zh-TW when left out'),
    ),
  },
  { additionalProperties: false },
);

/**
 * Following a case (issue 15), without an account: the Web Push key of this site, following a
 * case from a browser, and stopping with the token that gave back. At most
 * REPORT_RATE_LIMIT_PER_MINUTE follows per client IP per minute. Without WEB_PUSH_* the key is
 * null and following answers 404 `push_disabled`; stopping always works (LINE followers too).
 */
export function registerFollowerRoutes(app: App, { deps }: RouteContext): void {
  const perMinute = deps.config.reportRateLimitPerMinute;
  app.get(
    '/api/v1/push/vapid-public-key',
    {
      schema: {
        tags: ['followers'],
        summary: "This site's VAPID public key, for PushManager.subscribe (applicationServerKey)",
        description:
          'null when Web Push is not configured (WEB_PUSH_* unset): the web hides "follow this ' +
          'case". A 200 either way, so that every case page does not log a failed request.',
        response: {
          200: Type.Object({
            publicKey: Type.Union([Type.String(), Type.Null()], {
              description: 'Uncompressed P-256 point, base64url; null when Web Push is off',
            }),
          }),
        },
      },
    },
    async () => ({ publicKey: deps.config.webPush?.publicKey ?? null }),
  );

  app.post(
    '/api/v1/cases/:id/followers',
    {
      config: { rateLimit: perClientLimit(perMinute) },
      schema: {
        tags: ['followers'],
        summary:
          "Follow a case with this browser's push subscription: one message per change once it is decided",
        description:
          'Returns the token that stops following (DELETE /api/v1/followers/{token}); it is ' +
          'shown only here. Nothing is sent while the case is being checked.',
        params: CaseParams,
        body: FollowBody,
        response: {
          201: Type.Object({
            caseId: Type.String(),
            unsubscribeToken: Type.String(),
          }),
          ...errorResponses(400, 404, 409, 429),
        },
      },
    },
    async (request, reply) => {
      const { subscription, language } = request.body;
      const following = await followCase(deps, {
        caseId: request.params.id,
        language: language ?? 'zh-TW',
        follower: {
          channel: 'web_push',
          subscription: { endpoint: subscription.endpoint, keys: subscription.keys },
        },
      });
      return reply.status(201).send(following);
    },
  );

  app.delete(
    '/api/v1/followers/:token',
    {
      schema: {
        tags: ['followers'],
        summary: 'Stop following a case (the token from following it)',
        params: TokenParams,
        response: { 204: Type.Null(), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      await unfollowCase(deps, request.params.token);
      return reply.status(204).send(null);
    },
  );
}
