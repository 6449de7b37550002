import { Type } from '@sinclair/typebox';
import { PublicCaseSchema } from '../cases/index.js';
import { ErrorResponseSchema } from '../http/error-schema.js';
import type { App, RouteContext } from '../http/types.js';
import { badRequest } from '../shared/errors.js';
import { LOOKUP_QUERY_CHARS, lookupText, lookupUrl } from './lookup.service.js';

const LookupQuerySchema = Type.Object(
  {
    url: Type.Optional(
      Type.String({ minLength: 1, maxLength: 4096, description: 'A URL to check' }),
    ),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: LOOKUP_QUERY_CHARS,
        description: 'A message, phone number, LINE ID or domain to check',
      }),
    ),
  },
  { additionalProperties: false },
);

const LookupResponseSchema = Type.Object({
  found: Type.Boolean(),
  query: Type.Object({
    kind: Type.Union([Type.Literal('url'), Type.Literal('text')]),
    canonical: Type.Union([Type.String(), Type.Null()]),
  }),
  cases: Type.Array(PublicCaseSchema),
});

/** `GET /api/v1/lookup?url=…` or `?q=…`: is this known, and what was decided? */
export function registerLookupRoutes(app: App, { deps }: RouteContext): void {
  app.get(
    '/api/v1/lookup',
    {
      schema: {
        tags: ['lookup'],
        summary: 'Check whether a URL or message is a known scam',
        querystring: LookupQuerySchema,
        response: { 200: LookupResponseSchema, 400: ErrorResponseSchema },
      },
    },
    async (request) => {
      const { url, q } = request.query;
      if (url !== undefined && q !== undefined) {
        throw badRequest('validation_failed', 'Give either url or q, not both.', 'q');
      }
      if (url !== undefined) return lookupUrl(deps, url);
      if (q !== undefined) return lookupText(deps, q);
      throw badRequest('validation_failed', 'Give url or q.', 'url');
    },
  );
}
