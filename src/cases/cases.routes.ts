import { ErrorResponseSchema } from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';
import {
  CaseDetailResponseSchema,
  CaseParamsSchema,
  TimelineResponseSchema,
} from './cases.schemas.js';
import { getPublicCase } from './cases.service.js';
import { knownScamsOf } from './matches.service.js';
import { getTimeline } from './timeline.js';
import { recordCaseView } from './trending.service.js';

/**
 * `GET /api/v1/cases/:id` (each success counts one view of the case for the trending lists) and
 * `GET /api/v1/cases/:id/timeline`. (Verdicts: verification routes.)
 */
export function registerCaseRoutes(app: App, { deps, auth }: RouteContext): void {
  app.get(
    '/api/v1/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary:
          'The public view of one case, with its verdict history, its blocking (a fraud website) and the confirmed scams it ' +
          'shares an indicator with (staff who may see its personal data also get `staff`)',
        params: CaseParamsSchema,
        response: {
          200: CaseDetailResponseSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const kase = await getPublicCase(deps, request.params.id, await auth.actorOf(request));
      await recordCaseView(deps, kase.id, request.ip);
      return { case: kase, knownScams: await knownScamsOf(deps, kase.id) };
    },
  );

  app.get(
    '/api/v1/cases/:id/timeline',
    {
      schema: {
        tags: ['cases'],
        summary:
          'Progress of a case: public steps for everyone; every audit event for analysts and admins',
        params: CaseParamsSchema,
        response: {
          200: TimelineResponseSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request) => getTimeline(deps, await auth.actorOf(request), request.params.id),
  );
}
