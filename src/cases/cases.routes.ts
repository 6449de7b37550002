import { ErrorResponseSchema } from '../http/error-schema.js';
import type { App, RouteContext } from '../http/types.js';
import {
  CaseDetailResponseSchema,
  CaseParamsSchema,
  CaseResponseSchema,
  VerdictBodySchema,
} from './cases.schemas.js';
import { getPublicCase, setVerdict } from './cases.service.js';

/** `GET /api/v1/cases/:id` (public) and `POST /api/v1/cases/:id/verdict` (admin bearer token). */
export function registerCaseRoutes(app: App, { deps, auth }: RouteContext): void {
  app.get(
    '/api/v1/cases/:id',
    {
      schema: {
        tags: ['cases'],
        summary: 'The public view of one case, with its verdict history',
        params: CaseParamsSchema,
        response: {
          200: CaseDetailResponseSchema,
          400: ErrorResponseSchema,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request) => ({ case: await getPublicCase(deps, request.params.id) }),
  );

  app.post(
    '/api/v1/cases/:id/verdict',
    {
      schema: {
        tags: ['cases'],
        summary: 'Set the verdict of a case (analyst/admin)',
        security: [{ bearerAuth: [] }],
        params: CaseParamsSchema,
        body: VerdictBodySchema,
        response: {
          200: CaseResponseSchema,
          400: ErrorResponseSchema,
          401: ErrorResponseSchema,
          403: ErrorResponseSchema,
          404: ErrorResponseSchema,
        },
      },
    },
    async (request) => {
      const actor = auth.authenticate(request.headers.authorization);
      return { case: await setVerdict(deps, actor, request.params.id, request.body) };
    },
  );
}
