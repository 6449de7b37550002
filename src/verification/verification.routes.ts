import { Type } from '@sinclair/typebox';
import {
  CASE_STAGES,
  literalUnion,
  PlatformSchema,
  PublicCaseSchema,
  VERDICTS,
} from '../cases/index.js';
import { SCAM_TYPES } from '../triage/index.js';
import { errorResponses, SIGNED_IN } from '../http/route-helpers.js';
import type { App, RouteContext } from '../http/types.js';
import { answerInfoRequest, decideCase, DECISIONS, overrideVerdict } from './decide.js';
import { readDecisionLink, useDecisionLink } from './decision-links.js';
import { decisionHistory, listCasesForStaff, verificationQueue } from './queue.js';

const CaseParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9]+$' }),
});
const CaseResponse = Type.Object({ case: PublicCaseSchema });
const NOTE = Type.Optional(Type.String({ maxLength: 2000 }));
const DecisionBody = Type.Object(
  {
    decision: literalUnion(DECISIONS),
    note: NOTE,
    question: Type.Optional(
      Type.String({ maxLength: 2000, description: 'Required with need_info' }),
    ),
  },
  { additionalProperties: false },
);
const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 1000 }) });

const QueueItemSchema = Type.Object({
  case: PublicCaseSchema,
  stage: Type.String(),
  routedEntityId: Type.Union([Type.String(), Type.Null()]),
  impersonatedEntityId: Type.Union([Type.String(), Type.Null()]),
  scamType: Type.Union([Type.String(), Type.Null()]),
  riskScore: Type.Union([Type.Integer(), Type.Null()]),
  infoQuestion: Type.Union([Type.String(), Type.Null()]),
  reports: Type.Array(
    Type.Object({
      receivedAt: Type.String(),
      channel: Type.String(),
      url: Type.Union([Type.String(), Type.Null()]),
      title: Type.Union([Type.String(), Type.Null()]),
      text: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  captures: Type.Array(
    Type.Object({
      id: Type.String(),
      url: Type.String(),
      finalUrl: Type.Union([Type.String(), Type.Null()]),
      status: Type.Union([Type.Integer(), Type.Null()]),
      title: Type.Union([Type.String(), Type.Null()]),
      screenshotSha256: Type.Union([Type.String(), Type.Null()]),
      bodySha256: Type.Union([Type.String(), Type.Null()]),
      completedAt: Type.String(),
    }),
    { description: 'Evidence captures; bodies and screenshots at /api/v1/blobs/{sha256}' },
  ),
});

/**
 * Verification (確認): the verifier queue, decisions (verdict or need_info), analysts' verdicts
 * and answers, and one-click decision links. Permissions are checked in the services.
 */
export function registerVerificationRoutes(app: App, { deps, auth }: RouteContext): void {
  app.get(
    '/api/v1/verification/queue',
    {
      schema: {
        tags: ['verification'],
        summary: 'Cases awaiting verification, oldest first (a verifier: their entities only)',
        security: SIGNED_IN,
        querystring: Type.Object(
          {
            entityId: Type.Optional(Type.String({ maxLength: 64 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(QueueItemSchema) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => ({
      items: await verificationQueue(deps, await auth.actorOf(request), request.query),
    }),
  );

  app.get(
    '/api/v1/verification/history',
    {
      schema: {
        tags: ['verification'],
        summary: 'My decisions, newest first',
        security: SIGNED_IN,
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            decisions: Type.Array(
              Type.Object({
                caseId: Type.String(),
                verdict: Type.String(),
                note: Type.Union([Type.String(), Type.Null()]),
                decidedAt: Type.String(),
                case: Type.Union([PublicCaseSchema, Type.Null()]),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => ({
      decisions: await decisionHistory(deps, await auth.actorOf(request), request.query.limit),
    }),
  );

  app.get(
    '/api/v1/cases',
    {
      schema: {
        tags: ['triage'],
        summary: 'All cases for staff triage, newest report first, with filters (analysts, admins)',
        security: SIGNED_IN,
        querystring: Type.Object(
          {
            stage: Type.Optional(literalUnion(CASE_STAGES)),
            scamType: Type.Optional(literalUnion(SCAM_TYPES)),
            platform: Type.Optional(PlatformSchema),
            routedEntityId: Type.Optional(Type.String({ maxLength: 64 })),
            verdict: Type.Optional(literalUnion(VERDICTS)),
            minRisk: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
            after: Type.Optional(Type.String({ maxLength: 32, pattern: '^[A-Za-z0-9]+$' })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                case: PublicCaseSchema,
                stage: Type.String(),
                scamType: Type.Union([Type.String(), Type.Null()]),
                riskScore: Type.Union([Type.Integer(), Type.Null()]),
                routedEntityId: Type.Union([Type.String(), Type.Null()]),
                impersonatedEntityId: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
            next: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => listCasesForStaff(deps, await auth.actorOf(request), request.query),
  );

  app.post(
    '/api/v1/cases/:id/decision',
    {
      schema: {
        tags: ['verification'],
        summary: 'Decide a case: fraud, high_risk, not_fraud, or need_info with a question',
        security: SIGNED_IN,
        params: CaseParams,
        body: DecisionBody,
        response: { 200: CaseResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      case: await decideCase(deps, await auth.actorOf(request), request.params.id, request.body),
    }),
  );

  app.post(
    '/api/v1/cases/:id/verdict',
    {
      schema: {
        tags: ['verification'],
        summary: 'Set or override the verdict of a case (analysts and admins)',
        security: SIGNED_IN,
        params: CaseParams,
        body: Type.Object(
          { verdict: literalUnion(['fraud', 'high_risk', 'not_fraud'] as const), note: NOTE },
          { additionalProperties: false },
        ),
        response: { 200: CaseResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => ({
      case: await overrideVerdict(deps, await auth.actorOf(request), request.params.id, {
        decision: request.body.verdict,
        note: request.body.note,
      }),
    }),
  );

  app.post(
    '/api/v1/cases/:id/info-answer',
    {
      schema: {
        tags: ['verification'],
        summary:
          "Answer a verifier's question (analysts and admins); the case returns to the queue",
        security: SIGNED_IN,
        params: CaseParams,
        body: Type.Object(
          { answer: Type.String({ minLength: 1, maxLength: 4000 }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await answerInfoRequest(
        deps,
        await auth.actorOf(request),
        request.params.id,
        request.body.answer,
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/decision-links/:token',
    {
      schema: {
        tags: ['verification'],
        summary: 'What a one-click decision link is about (the signed link is the credential)',
        params: TokenParams,
        response: {
          200: Type.Object({
            case: PublicCaseSchema,
            entityId: Type.String(),
            entityName: Type.Union([Type.String(), Type.Null()]),
            expiresAt: Type.String(),
            reports: Type.Array(
              Type.Object({
                receivedAt: Type.String(),
                url: Type.Union([Type.String(), Type.Null()]),
                title: Type.Union([Type.String(), Type.Null()]),
                text: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses(400, 404, 409),
        },
      },
    },
    async (request) => readDecisionLink(deps, request.params.token),
  );

  app.post(
    '/api/v1/decision-links/:token',
    {
      schema: {
        tags: ['verification'],
        summary: 'Decide through a one-click link (single use, expiring)',
        params: TokenParams,
        body: DecisionBody,
        response: { 200: CaseResponse, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => ({ case: await useDecisionLink(deps, request.params.token, request.body) }),
  );
}
