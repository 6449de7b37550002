import { Type } from '@sinclair/typebox';
import { PublicCaseSchema } from '../cases/index.js';
import { errorResponses, perClientLimit } from '../http/index.js';
import { badRequest } from '../shared/errors.js';
import type { App, RouteContext } from '../http/index.js';
import { SEARCH_MAX_PAGE_SIZE, SEARCH_QUERY_CHARS, searchCases } from './search.service.js';

const SearchQuerySchema = Type.Object(
  {
    q: Type.String({
      minLength: 1,
      maxLength: SEARCH_QUERY_CHARS,
      description:
        'Keywords (Chinese: two or more characters), a phone number, LINE ID, URL or domain',
    }),
    // Query strings are not coerced (build-app: coerceTypes false): integers as digit strings.
    page: Type.Optional(
      Type.String({
        pattern: '^[1-9][0-9]{0,2}$',
        description: 'Page, 1-based (≤ 999); default 1',
      }),
    ),
    pageSize: Type.Optional(
      Type.String({
        pattern: '^[1-9][0-9]?$',
        description: `Hits per page, 1–${SEARCH_MAX_PAGE_SIZE}; default 20`,
      }),
    ),
  },
  { additionalProperties: false },
);

const SearchResponseSchema = Type.Object({
  query: Type.String(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  total: Type.Integer({ description: 'Matching cases' }),
  totalIsExact: Type.Boolean({
    description: 'False when more cases matched than were ranked (the 1,000 most recent)',
  }),
  hits: Type.Array(
    Type.Object({
      case: PublicCaseSchema,
      score: Type.Number({ description: 'Relevance, higher first' }),
      snippet: Type.String(),
      highlights: Type.Array(Type.Object({ start: Type.Integer(), end: Type.Integer() }), {
        description: 'Matched spans of snippet, UTF-16 offsets',
      }),
    }),
  ),
});

/** `GET /api/v1/search?q=…&page=&pageSize=`: keyword search over cases (public). */
export function registerSearchRoutes(app: App, { deps }: RouteContext): void {
  app.get(
    '/api/v1/search',
    {
      config: { rateLimit: perClientLimit(deps.config.rateLimits.searchPerMinute) },
      schema: {
        tags: ['lookup'],
        summary: 'Search cases by keywords and indicators (works for Chinese)',
        querystring: SearchQuerySchema,
        response: { 200: SearchResponseSchema, ...errorResponses(400, 429) },
      },
    },
    async (request) => {
      const { q, page, pageSize } = request.query;
      const size = pageSize === undefined ? 20 : Number(pageSize);
      if (size > SEARCH_MAX_PAGE_SIZE) {
        throw badRequest(
          'validation_failed',
          `pageSize must be at most ${SEARCH_MAX_PAGE_SIZE}.`,
          'pageSize',
        );
      }
      return searchCases(deps, q, page === undefined ? 1 : Number(page), size);
    },
  );
}
