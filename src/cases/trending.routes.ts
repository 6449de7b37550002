import { Type } from '@sinclair/typebox';
import { errorResponses } from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';
import { PublicCaseSchema } from './cases.schemas.js';
import { TRENDING_LIMITS, TRENDING_WINDOWS } from './trending-windows.js';
import { getTrendingCases } from './trending.service.js';

import { literalUnion } from '../http/index.js';
const TrendingQuerySchema = Type.Object(
  {
    window: Type.Optional(
      literalUnion(TRENDING_WINDOWS, 'The last 24 hours (default) or the last 7 days'),
    ),
    limit: Type.Optional(
      Type.Integer({
        minimum: TRENDING_LIMITS.min,
        maximum: TRENDING_LIMITS.max,
        description: `Cases per list (default ${TRENDING_LIMITS.default})`,
      }),
    ),
  },
  { additionalProperties: false },
);

const TrendingEntrySchema = Type.Object({
  count: Type.Integer({ minimum: 1 }),
  case: PublicCaseSchema,
});

const TrendingResponseSchema = Type.Object({
  window: literalUnion(TRENDING_WINDOWS),
  since: Type.String({ format: 'date-time', description: 'Reports received from here count' }),
  until: Type.String({ format: 'date-time', description: 'Up to this instant (now)' }),
  viewsSince: Type.String({
    format: 'date-time',
    description: 'Start of the oldest UTC hour whose page views count',
  }),
  mostReported: Type.Array(TrendingEntrySchema, {
    description: 'Most reports received in the window first; `count` = reports',
  }),
  mostViewed: Type.Array(TrendingEntrySchema, {
    description: 'Most public case-page views in the window first; `count` = views',
  }),
});

/**
 * `GET /api/v1/cases/trending?window=24h|7d&limit=1..20` (public): the most reported and the most
 * viewed cases of the window, each in its public view (cases/trending.service.ts).
 */
export function registerTrendingRoutes(app: App, { deps }: RouteContext): void {
  app.get(
    '/api/v1/cases/trending',
    {
      schema: {
        tags: ['cases'],
        summary: 'Most reported and most viewed cases of the last 24 hours or 7 days',
        querystring: TrendingQuerySchema,
        response: { 200: TrendingResponseSchema, ...errorResponses(400) },
      },
    },
    async (request) => getTrendingCases(deps, request.query),
  );
}
