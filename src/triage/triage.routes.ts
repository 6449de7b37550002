import { Type } from '@sinclair/typebox';
import { NullableInteger, NullableString } from '../http/index.js';

import { errorResponses, signedInRoute } from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';

import { getCaseTriage, overrideTriage } from './triage.service.js';

import { literalUnion, PlatformSchema } from '../http/index.js';
import { SCAM_TYPES } from '../vocabulary/index.js';
const CaseParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9]+$' }),
});
const TriageSchema = Type.Object({
  caseId: Type.String(),
  stage: Type.String(),
  platform: Type.String(),
  scamType: NullableString,
  impersonatedEntityId: NullableString,
  riskScore: NullableInteger,
  routedEntityId: NullableString,
  triagedAt: NullableString,
  overrides: Type.Array(Type.String()),
});

/** `GET /api/v1/cases/:id/triage` (staff, routed verifier) and `PATCH` (analyst override). */
export function registerTriageRoutes(app: App, { deps, auth }: RouteContext): void {
  app.get(
    '/api/v1/cases/:id/triage',
    signedInRoute(
      'triage',
      'Triage of a case: platform, scam type, impersonated entity, risk score, routed entity',
      {
        params: CaseParams,
        response: { 200: TriageSchema, ...errorResponses(400, 401, 403, 404) },
      },
    ),
    async (request) => getCaseTriage(deps, await auth.actorOf(request), request.params.id),
  );

  app.patch(
    '/api/v1/cases/:id/triage',
    signedInRoute(
      'triage',
      'Override triage fields (analysts); recorded with the reason, kept on re-triage',
      {
        params: CaseParams,
        body: Type.Object(
          {
            platform: Type.Optional(PlatformSchema),
            scamType: Type.Optional(literalUnion(SCAM_TYPES)),
            impersonatedEntityId: Type.Optional(
              Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
            ),
            riskScore: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
            routedEntityId: Type.Optional(Type.String({ maxLength: 64 })),
            reason: Type.String({ minLength: 1, maxLength: 2000 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: TriageSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    ),
    async (request) =>
      overrideTriage(deps, await auth.actorOf(request), request.params.id, request.body),
  );
}
