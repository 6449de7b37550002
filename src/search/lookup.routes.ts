import { Type } from '@sinclair/typebox';
import { PublicCaseSchema } from '../cases/index.js';
import { ErrorResponseSchema } from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';

import { LOOKUP_OUTCOMES } from '../vocabulary/index.js';
import type { FastifyReply } from 'fastify';
import { checkLookup } from './lookup-check.js';
import type { LookupIndex } from './lookup-index.js';
import { LOOKUP_LIMIT, LOOKUP_QUERY_CHARS, type LookupResult } from './lookup.service.js';

import { CASE_STATUSES, INDICATOR_TYPES } from '../vocabulary/index.js';
import { literalUnion, sharedClientLimit, sharedLimitConfig } from '../http/index.js';
/** Longest `url` of a check, characters (the report form's limit too). */
const LOOKUP_URL_CHARS = 4096;

const lookupFields = {
  url: Type.Optional(
    Type.String({ minLength: 1, maxLength: LOOKUP_URL_CHARS, description: 'A URL to check' }),
  ),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: LOOKUP_QUERY_CHARS,
      description:
        'A message, phone number, LINE ID (with or without @), e-mail address, bank account, ' +
        `crypto address or domain to check; at most ${LOOKUP_QUERY_CHARS} characters as typed ` +
        'and after NFKC (400 query_too_long)',
    }),
  ),
};

const LookupQuerySchema = Type.Object(lookupFields, {
  additionalProperties: false,
  description: 'Exactly one of url and q',
});

const LookupBodySchema = Type.Object(lookupFields, {
  additionalProperties: false,
  description:
    'Exactly one of url and q: the same check as GET, for text too long for a query string',
});

const NullableLabel = Type.Union([
  Type.Object({ 'zh-TW': Type.String(), en: Type.String() }),
  Type.Null(),
]);

const IndicatorSchema = Type.Object({
  type: literalUnion(INDICATOR_TYPES),
  value: Type.String(),
});

const LookupResponseSchema = Type.Object({
  found: Type.Boolean({ description: 'True exactly when `cases` is not empty' }),
  verdict: Type.Object(
    {
      outcome: literalUnion(
        LOOKUP_OUTCOMES,
        'on_record: cases match; mentioned_only: no match, but messages mention a link of the ' +
          'query; no_record: checked, nothing holds it; not_a_check: a few words with no link, ' +
          'contact or whole message to check (use GET /api/v1/search to find cases containing them)',
      ),
      status: Type.Union([literalUnion(CASE_STATUSES), Type.Null()], {
        description: 'Public state of the most serious case listed in `cases`',
      }),
      label: NullableLabel,
      colour: Type.Union([literalUnion(['red', 'yellow', 'grey', 'green'] as const), Type.Null()]),
      matches: Type.Integer({ minimum: 0, description: 'Cases listed in `cases`' }),
      mentions: Type.Integer({ minimum: 0, description: 'The same as `mentions.total`' }),
    },
    { description: 'The one summary of the check, computed from the cases listed' },
  ),
  query: Type.Object({
    kind: Type.Union([Type.Literal('url'), Type.Literal('text')]),
    canonical: Type.Union([Type.String(), Type.Null()]),
    indicators: Type.Array(IndicatorSchema, { description: 'What was looked up' }),
    message: Type.Boolean({ description: 'The text was compared as a whole message' }),
  }),
  cases: Type.Array(PublicCaseSchema, {
    description: `Matching cases, most serious first, at most ${LOOKUP_LIMIT}`,
  }),
  matches: Type.Array(
    Type.Object({
      caseId: Type.String(),
      by: Type.Array(
        Type.Object({
          type: literalUnion([...INDICATOR_TYPES, 'message', 'similar_message'] as const),
          value: Type.Union([Type.String(), Type.Null()]),
        }),
      ),
    }),
    { description: 'Why each case in `cases` matches, in the same order' },
  ),
  truncated: Type.Boolean({ description: 'More cases match than are listed' }),
  mentions: Type.Object(
    {
      total: Type.Integer({ minimum: 0 }),
      totalIsExact: Type.Boolean(),
      cases: Type.Array(PublicCaseSchema),
    },
    {
      description:
        'Cases whose messages only mention a link of the query: not a record of that site',
    },
  ),
});

/**
 * `GET /api/v1/lookup?url=…` or `?q=…`, and `POST /api/v1/lookup` with `{ "url" }` or `{ "q" }`
 * for text too long for a URL (a pasted message): is this known, and what was decided? The same
 * answer and rules either way.
 * @param index the in-memory lookup index (null: every check reads the store).
 */
export function registerLookupRoutes(
  app: App,
  { deps }: RouteContext,
  index: LookupIndex | null = null,
): void {
  const errors = { 400: ErrorResponseSchema, 429: ErrorResponseSchema };
  // GET and POST count together, and not also in the API-wide limit.
  const perMinute = deps.config.rateLimits.lookupPerMinute;
  const limit = sharedClientLimit(app, { name: 'lookup', max: perMinute, windowMs: 60_000 });
  const rateLimit = sharedLimitConfig(perMinute);
  // The JSON of each answer, by answer: the index's answer cache hands out the same object for a
  // repeated check, so its JSON is made once (by the route's own response serializer) and kept
  // as long as the cache keeps the answer.
  const serialized = new WeakMap<LookupResult, string>();
  const send = (answer: LookupResult, reply: FastifyReply): LookupResult => {
    let json = serialized.get(answer);
    if (json === undefined) {
      json = String(reply.serialize(answer));
      serialized.set(answer, json);
    }
    const body = json;
    // A reply serializer of one's own leaves the media type to the route.
    reply.type('application/json; charset=utf-8').serializer(() => body);
    return answer;
  };
  app.get(
    '/api/v1/lookup',
    {
      config: { rateLimit },
      onRequest: limit,
      schema: {
        tags: ['lookup'],
        summary: 'Check whether a URL or a short text is a known scam',
        description: 'For a pasted message, use POST: a long query string is refused (431).',
        querystring: LookupQuerySchema,
        response: { 200: LookupResponseSchema, ...errors },
      },
    },
    async (request, reply) => send(await checkLookup(deps, index, request.query), reply),
  );
  app.post(
    '/api/v1/lookup',
    {
      config: { rateLimit },
      onRequest: limit,
      schema: {
        tags: ['lookup'],
        summary: 'Check whether a URL or a message is a known scam (the text in the body)',
        body: LookupBodySchema,
        response: {
          200: LookupResponseSchema,
          ...errors,
          413: ErrorResponseSchema,
          415: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => send(await checkLookup(deps, index, request.body), reply),
  );
}
