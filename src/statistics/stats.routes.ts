import { Type } from '@sinclair/typebox';
import {
  CSV_BOM_QUERY,
  errorResponses,
  signedInRoute,
  textResponse,
  wantsBom,
} from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';
import {
  getBulletin,
  listPublishedBulletins,
  publishBulletin,
  setBulletinReminders,
} from './bulletin.service.js';
import { bulletinCsv, bulletinsAtom, transparencyCsv } from './render.js';
import {
  BulletinSchema,
  PeriodQuerySchema,
  PublishedListSchema,
  RemindersBodySchema,
  StatsSchema,
  TransparencyQuerySchema,
  TransparencySchema,
  WeekParamsSchema,
} from './stats.schemas.js';
import { getStats } from './stats.service.js';
import { getTransparencyReport } from './transparency.service.js';

function transparencyInput(query: {
  year?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  timeZone?: string | undefined;
}) {
  return {
    year: query.year === undefined ? undefined : Number(query.year),
    from: query.from,
    to: query.to,
    timeZone: query.timeZone,
  };
}

/**
 * Public statistics, the weekly bulletin (週快訊) and the transparency report:
 * - `GET /api/v1/stats?from&to[&timeZone]` (JSON);
 * - `GET /api/v1/bulletins` (published), `/api/v1/bulletins/feed.atom`, `/api/v1/bulletins/{week}`
 *   (JSON), `/api/v1/bulletins/{week}/csv`; analysts: `PUT …/{week}/reminders`,
 *   `POST …/{week}/publish`;
 * - `GET /api/v1/transparency?year|from&to` (JSON) and `/api/v1/transparency/csv`.
 * The public pages `/bulletins`, `/bulletins/{week}`, `/transparency` and `/transparency/{year}`
 * are pages of the web UI (with the site's navigation and language switch) built on these.
 */
export function registerStatisticsRoutes(app: App, { deps, auth }: RouteContext): void {
  app.get(
    '/api/v1/stats',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Counts of a period of local days with the change against the period before',
        querystring: PeriodQuerySchema,
        response: { 200: StatsSchema, ...errorResponses(400) },
      },
    },
    async (request) => getStats(deps, request.query),
  );

  app.get(
    '/api/v1/bulletins',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Published weekly bulletins, newest first, with their headline figures',
        response: { 200: PublishedListSchema },
      },
    },
    async () => ({
      bulletins: (await listPublishedBulletins(deps)).map((b) => ({
        week: b.week,
        publishedAt: b.publishedAt ?? '',
        period: b.period,
        reports: b.reports,
        confirmedFraud: b.confirmedFraud,
      })),
    }),
  );

  app.get(
    '/api/v1/bulletins/feed.atom',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Atom feed (RFC 4287) of published bulletins',
        response: {
          200: textResponse('application/atom+xml', 'Atom feed document (UTF-8)'),
        },
      },
    },
    async (request, reply) =>
      reply
        .type('application/atom+xml; charset=utf-8')
        .send(
          bulletinsAtom(await listPublishedBulletins(deps), deps.config.workflow.publicBaseUrl),
        ),
  );

  app.get(
    '/api/v1/bulletins/:week',
    {
      schema: {
        tags: ['statistics'],
        summary: 'The bulletin of a week: the published snapshot, or computed now (a draft)',
        params: WeekParamsSchema,
        response: { 200: BulletinSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => getBulletin(deps, await auth.actorOf(request), request.params.week),
  );

  app.get(
    '/api/v1/bulletins/:week/csv',
    {
      schema: {
        tags: ['statistics'],
        summary: 'The bulletin’s tables as CSV (RFC 4180)',
        params: WeekParamsSchema,
        querystring: Type.Object(CSV_BOM_QUERY, { additionalProperties: false }),
        response: {
          200: textResponse('text/csv', 'CSV with a header line (UTF-8), as an attachment'),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request, reply) => {
      const bulletin = await getBulletin(deps, await auth.actorOf(request), request.params.week);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="bulletin-${bulletin.week}.csv"`)
        .send(bulletinCsv(bulletin, { bom: wantsBom(request.query) }));
    },
  );

  app.put(
    '/api/v1/bulletins/:week/reminders',
    signedInRoute(
      'statistics',
      'Replace the analysts’ reminders of an unpublished bulletin (analyst/admin)',
      {
        params: WeekParamsSchema,
        body: RemindersBodySchema,
        response: { 200: BulletinSchema, ...errorResponses(400, 401, 403, 409) },
      },
    ),
    async (request) =>
      setBulletinReminders(
        deps,
        await auth.actorOf(request),
        request.params.week,
        request.body.reminders,
      ),
  );

  app.post(
    '/api/v1/bulletins/:week/publish',
    signedInRoute(
      'statistics',
      'Publish the bulletin of a week that has ended (analyst/admin); final',
      {
        params: WeekParamsSchema,
        response: { 200: BulletinSchema, ...errorResponses(400, 401, 403, 409) },
      },
    ),
    async (request) => publishBulletin(deps, await auth.actorOf(request), request.params.week),
  );

  app.get(
    '/api/v1/transparency',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Transparency report of a year or period (JSON)',
        querystring: TransparencyQuerySchema,
        response: { 200: TransparencySchema, ...errorResponses(400) },
      },
    },
    async (request) => getTransparencyReport(deps, transparencyInput(request.query)),
  );

  app.get(
    '/api/v1/transparency/csv',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Transparency report of a year or period (CSV, RFC 4180)',
        querystring: Type.Composite([TransparencyQuerySchema, Type.Object(CSV_BOM_QUERY)], {
          additionalProperties: false,
        }),
        response: {
          200: textResponse('text/csv', 'CSV with a header line (UTF-8), as an attachment'),
          ...errorResponses(400),
        },
      },
    },
    async (request, reply) => {
      const report = await getTransparencyReport(deps, transparencyInput(request.query));
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="transparency-${report.statistics.period.startDate}-${report.statistics.period.endDate}.csv"`,
        )
        .send(transparencyCsv(report, { bom: wantsBom(request.query) }));
    },
  );
}
