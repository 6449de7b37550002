import { Type } from '@sinclair/typebox';
import { NullableInteger, NullableString } from '../http/index.js';
import { PublicCaseSchema } from '../cases/index.js';

import {
  ageQuery,
  errorResponses,
  PAGE_FIELDS,
  pagingQuery,
  searchQuery,
  pageBody,
  signedInRoute,
} from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';
import { answerInfoRequest, decideCase, DECISIONS, overrideVerdict } from './decide.js';
import { readDecisionLink, useDecisionLink } from './decision-links.js';
import { INDICATOR_FILTER_CHARS } from './case-filters.js';
import {
  CASE_LIST_PAGE_SIZE,
  decisionHistory,
  HISTORY_PAGE_SIZE,
  listCasesForStaff,
  QUEUE_PAGE_SIZE,
  verificationQueue,
} from './queue.js';

import { CASE_STAGES, DECIDED_VERDICTS, VERDICTS, SCAM_TYPES } from '../vocabulary/index.js';
import { literalUnion, PlatformSchema } from '../http/index.js';
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
/** The text, indicator and age filters of the staff lists of cases (see case-filters.ts). */
const CASE_SEARCH_QUERY = {
  q: searchQuery(
    "Text that the case's summary or one of its reports (text, title, URL) contains, any case",
  ),
  indicator: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: INDICATOR_FILTER_CHARS,
      description:
        'A URL, domain, phone number, LINE ID, e-mail, bank account or crypto address of the case ' +
        '(a domain matches every URL of the site); 400 invalid_indicator when it is none of these',
    }),
  ),
  ...ageQuery('from the first report of the case'),
};

const TokenParams = Type.Object({ token: Type.String({ minLength: 10, maxLength: 1000 }) });

const QueueItemSchema = Type.Object({
  case: PublicCaseSchema,
  stage: Type.String(),
  routedEntityId: NullableString,
  impersonatedEntityId: NullableString,
  scamType: NullableString,
  riskScore: NullableInteger,
  infoQuestion: NullableString,
  reports: Type.Array(
    Type.Object({
      receivedAt: Type.String(),
      channel: Type.String(),
      url: NullableString,
      title: NullableString,
      text: NullableString,
    }),
  ),
  captures: Type.Array(
    Type.Object({
      id: Type.String(),
      url: Type.String(),
      finalUrl: NullableString,
      status: NullableInteger,
      title: NullableString,
      screenshotSha256: NullableString,
      bodySha256: NullableString,
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
    signedInRoute(
      'verification',
      'Cases awaiting verification, oldest first, paged with the total (a verifier: their entities only)',
      {
        querystring: Type.Object(
          {
            entityId: Type.Optional(
              Type.String({
                maxLength: 64,
                description:
                  'Only cases routed to this entity (a verifier: one of theirs, else 403)',
              }),
            ),
            caseId: Type.Optional(
              Type.String({
                maxLength: 32,
                pattern: '^[A-Za-z0-9]+$',
                description:
                  'Only this case, if it is in the queue (the case page offers the decision)',
              }),
            ),
            ...CASE_SEARCH_QUERY,
            ...pagingQuery({ defaultLimit: QUEUE_PAGE_SIZE }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(QueueItemSchema), ...PAGE_FIELDS }),
          ...errorResponses(400, 401, 403),
        },
      },
    ),
    async (request) => verificationQueue(deps, await auth.actorOf(request), request.query),
  );

  app.get(
    '/api/v1/verification/history',
    signedInRoute('verification', 'My decisions, newest first, paged with the total', {
      querystring: Type.Object(
        {
          verdict: Type.Optional(
            literalUnion(DECIDED_VERDICTS, 'Only decisions with this verdict'),
          ),
          ...ageQuery('from the decision'),
          ...pagingQuery({ defaultLimit: HISTORY_PAGE_SIZE }),
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          decisions: Type.Array(
            Type.Object({
              caseId: Type.String(),
              verdict: Type.String(),
              note: NullableString,
              decidedAt: Type.String(),
              case: Type.Union([PublicCaseSchema, Type.Null()]),
            }),
          ),
          ...PAGE_FIELDS,
        }),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (request) =>
      pageBody(
        'decisions',
        await decisionHistory(deps, await auth.actorOf(request), request.query),
      ),
  );

  app.get(
    '/api/v1/cases',
    signedInRoute(
      'triage',
      'All cases for staff triage, newest report first, with filters, paged with the total (analysts, admins)',
      {
        querystring: Type.Object(
          {
            stage: Type.Optional(literalUnion(CASE_STAGES)),
            scamType: Type.Optional(literalUnion(SCAM_TYPES)),
            platform: Type.Optional(PlatformSchema),
            routedEntityId: Type.Optional(Type.String({ maxLength: 64 })),
            verdict: Type.Optional(literalUnion(VERDICTS)),
            minRisk: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
            ...CASE_SEARCH_QUERY,
            ...pagingQuery({ defaultLimit: CASE_LIST_PAGE_SIZE }),
            after: Type.Optional(
              Type.String({
                maxLength: 32,
                pattern: '^[A-Za-z0-9]+$',
                description:
                  'Continue after this case (`next` of the previous page); not with offset',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                case: PublicCaseSchema,
                stage: Type.String(),
                scamType: NullableString,
                riskScore: NullableInteger,
                routedEntityId: NullableString,
                impersonatedEntityId: NullableString,
              }),
            ),
            next: Type.Union([Type.String(), Type.Null()], {
              description: 'Pass as `after` for the next page; null on the last',
            }),
            ...PAGE_FIELDS,
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    ),
    async (request) => listCasesForStaff(deps, await auth.actorOf(request), request.query),
  );

  app.post(
    '/api/v1/cases/:id/decision',
    signedInRoute(
      'verification',
      'Decide a case: fraud, high_risk, not_fraud, or need_info with a question',
      {
        params: CaseParams,
        body: DecisionBody,
        response: { 200: CaseResponse, ...errorResponses(400, 401, 403, 404, 409) },
      },
    ),
    async (request) => ({
      case: await decideCase(deps, await auth.actorOf(request), request.params.id, request.body),
    }),
  );

  app.post(
    '/api/v1/cases/:id/verdict',
    signedInRoute('verification', 'Set or override the verdict of a case (analysts and admins)', {
      params: CaseParams,
      body: Type.Object(
        { verdict: literalUnion(['fraud', 'high_risk', 'not_fraud'] as const), note: NOTE },
        { additionalProperties: false },
      ),
      response: { 200: CaseResponse, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (request) => ({
      case: await overrideVerdict(deps, await auth.actorOf(request), request.params.id, {
        decision: request.body.verdict,
        note: request.body.note,
      }),
    }),
  );

  app.post(
    '/api/v1/cases/:id/info-answer',
    signedInRoute(
      'verification',
      "Answer a verifier's question (analysts and admins); the case returns to the queue",
      {
        params: CaseParams,
        body: Type.Object(
          { answer: Type.String({ minLength: 1, maxLength: 4000 }) },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    ),
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
            entityName: NullableString,
            expiresAt: Type.String(),
            reports: Type.Array(
              Type.Object({
                receivedAt: Type.String(),
                url: NullableString,
                title: NullableString,
                text: NullableString,
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
