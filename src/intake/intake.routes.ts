import { ErrorResponseSchema } from '../http/error-schema.js';
import type { App, RouteContext } from '../http/types.js';
import { userIdOf } from '../identity/index.js';
import { ReportBodySchema, ReportResponseSchema } from './intake.schemas.js';
import { submitReport } from './intake.service.js';

/**
 * `POST /api/v1/reports`: anyone may report a suspicious URL and/or message (a signed-in
 * reporter's reports are linked to their account, see `GET /api/v1/me/reports`); at most
 * REPORT_RATE_LIMIT_PER_MINUTE per client IP (429 `rate_limited` beyond).
 */
export function registerIntakeRoutes(app: App, { deps, auth }: RouteContext): void {
  const perMinute = deps.config.reportRateLimitPerMinute;
  app.post(
    '/api/v1/reports',
    {
      config: { rateLimit: perMinute > 0 ? { max: perMinute, timeWindow: 60_000 } : false },
      schema: {
        tags: ['reports'],
        summary: 'Report a suspicious URL and/or message',
        body: ReportBodySchema,
        response: {
          201: ReportResponseSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          403: ErrorResponseSchema,
          413: ErrorResponseSchema,
          415: ErrorResponseSchema,
          429: ErrorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const { url, text, platform, channel } = request.body;
      const actor = await auth.actorOf(request);
      const result = await submitReport(deps, {
        url,
        text,
        platform,
        channel: channel ?? 'api',
        source: 'citizen',
        reporterUserId: actor.role === 'reporter' ? userIdOf(actor) : undefined,
      });
      return reply.status(201).send(result);
    },
  );
}
