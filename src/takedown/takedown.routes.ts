import { Type } from '@sinclair/typebox';
import { NullableInteger } from '../http/index.js';

import {
  ageQuery,
  errorResponses,
  PAGE_FIELDS,
  pagingQuery,
  pageBody,
  signedInRoute,
} from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';
import { listSanctions, platformCompliance } from './compliance.js';
import { ComplianceSchema } from './takedown.schemas.js';
import {
  NOTICE_OUTCOMES,
  NOTICE_PLATFORMS,
  NOTICE_STATES,
  PENDING_REASONS,
} from './notice-state.js';
import {
  listNoticePage,
  NOTICE_MAX_PAGE_SIZE,
  NOTICE_PAGE_SIZE,
  NOTICE_SORTS,
} from './notice-list.js';
import { listPlatformChannels, setPlatformChannel } from './channels.service.js';
import { acknowledgeNotice, reportNoticeOutcome } from './notice-progress.service.js';
import { getNotice } from './notice-read.service.js';
import { sendCaseNotices } from './notices.service.js';
import { sweepNow } from './sweep.js';

import { literalUnion } from '../http/index.js';
const NULLABLE = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()]);
const NoticeSchema = Type.Object({
  id: Type.String(),
  caseId: Type.String(),
  platform: Type.String(),
  state: literalUnion(NOTICE_STATES),
  contentUrl: NULLABLE(Type.String()),
  createdAt: Type.String({ description: 'When the notice was created (queued for delivery)' }),
  sentAt: NULLABLE(
    Type.String({
      description:
        'When the platform was told: the first successful delivery (webhook 2xx, SMTP accepted, or the liaison acknowledging in the portal); null while pending_delivery',
    }),
  ),
  firstDeadlineAt: NULLABLE(
    Type.String({ description: 'Deadline first given, counted from sentAt; null until delivered' }),
  ),
  deadlineAt: NULLABLE(
    Type.String({ description: 'Current deadline; null until delivered (no deadline runs)' }),
  ),
  pendingReason: Type.Optional(
    Type.Union([literalUnion(PENDING_REASONS), Type.Null()], {
      description:
        'Why a pending_delivery notice has not reached its platform: no_channel (no webhook or e-mail configured), queued, retrying (deliveries failing; lastDeliveryError says why), given_up; null once delivered',
    }),
  ),
  lastDeliveryError: Type.Optional(NULLABLE(Type.String())),
  acknowledgedAt: NULLABLE(Type.String()),
  resolvedAt: NULLABLE(Type.String()),
  outcomeReason: NULLABLE(Type.String()),
  missedDeadlines: Type.Integer(),
  lastCheckedAt: NULLABLE(Type.String()),
  removalObservedAt: NULLABLE(Type.String()),
  claimContradictedAt: NULLABLE(Type.String()),
  targets: Type.Array(
    Type.Object({ type: literalUnion(['url', 'line_id', 'phone'] as const), value: Type.String() }),
    { description: 'What the platform is asked to act on: content URLs, LINE IDs, phones (E.164)' },
  ),
});
const NoticeDetailSchema = Type.Composite([
  NoticeSchema,
  Type.Object({
    deliveries: Type.Array(
      Type.Object({
        channel: Type.String(),
        attempt: Type.Integer(),
        at: Type.String(),
        status: Type.String(),
        responseCode: NullableInteger,
        detail: NULLABLE(Type.String()),
      }),
    ),
    xarf: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
      description:
        'The X-ARF v4 report sent to the platform (null: an old notice naming nothing it can act on)',
    }),
  }),
]);
const NoticeParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9]+$' }),
});
const PlatformParam = literalUnion(NOTICE_PLATFORMS);
const ChannelSchema = Type.Object({
  platform: Type.String(),
  webhookUrl: NULLABLE(Type.String()),
  webhookSigned: Type.Boolean(),
  email: NULLABLE(Type.String()),
  updatedAt: Type.String(),
  noticesQueued: Type.Optional(
    Type.Integer({
      description: 'On setting a channel: notices waiting for delivery that are now queued on it',
    }),
  ),
});

/**
 * Takedown notices (通知下架): the platform liaison's view (list, acknowledge, report outcome),
 * compliance figures, the sanction ledger, delivery channels and the sweep.
 */
export function registerTakedownRoutes(app: App, { deps, auth }: RouteContext): void {
  app.get(
    '/api/v1/notices',
    signedInRoute(
      'takedown',
      'Takedown notices, newest or nearest deadline first, paged with the total (a platform liaison: their platform only)',
      {
        querystring: Type.Object(
          {
            platform: Type.Optional(PlatformParam),
            state: Type.Optional(
              Type.Array(literalUnion(NOTICE_STATES), {
                maxItems: NOTICE_STATES.length,
                description: 'Only notices in these states (repeat the parameter for several)',
              }),
            ),
            caseId: Type.Optional(
              Type.String({ maxLength: 32, pattern: '^[A-Za-z0-9]+$', description: 'One case' }),
            ),
            sort: Type.Optional(
              literalUnion(NOTICE_SORTS, 'newest (default) or deadline: nearest deadline first'),
            ),
            ...ageQuery('from when the notice was created'),
            ...pagingQuery({ defaultLimit: NOTICE_PAGE_SIZE, max: NOTICE_MAX_PAGE_SIZE }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ notices: Type.Array(NoticeSchema), ...PAGE_FIELDS }),
          ...errorResponses(400, 401, 403),
        },
      },
    ),
    async (request) =>
      pageBody('notices', await listNoticePage(deps, await auth.actorOf(request), request.query)),
  );
  app.get(
    '/api/v1/notices/:id',
    signedInRoute('takedown', 'One notice with its delivery attempts and X-ARF report', {
      params: NoticeParams,
      response: { 200: NoticeDetailSchema, ...errorResponses(400, 401, 403, 404) },
    }),
    async (request) => getNotice(deps, await auth.actorOf(request), request.params.id),
  );
  app.post(
    '/api/v1/notices/:id/acknowledge',
    signedInRoute('takedown', 'The platform acknowledges receipt (its liaison)', {
      params: NoticeParams,
      response: { 200: NoticeSchema, ...errorResponses(400, 401, 403, 404, 409) },
    }),
    async (request) => acknowledgeNotice(deps, await auth.actorOf(request), request.params.id),
  );
  app.post(
    '/api/v1/notices/:id/outcome',
    signedInRoute(
      'takedown',
      'The platform reports removed, restricted or rejected (with a reason)',
      {
        params: NoticeParams,
        body: Type.Object(
          {
            outcome: literalUnion(NOTICE_OUTCOMES),
            reason: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: NoticeSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    ),
    async (request) =>
      reportNoticeOutcome(deps, await auth.actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/api/v1/cases/:id/notices',
    signedInRoute(
      'takedown',
      'Send the takedown notices still due for a fraud case (analysts, admins); 409 notice_not_actionable when no platform has anything to act on',
      {
        params: NoticeParams,
        response: {
          201: Type.Object({ notices: Type.Array(NoticeSchema) }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    ),
    async (request, reply) =>
      reply.status(201).send({
        notices: await sendCaseNotices(deps, await auth.actorOf(request), request.params.id),
      }),
  );
  app.get(
    '/api/v1/platforms/compliance',
    signedInRoute('takedown', 'Takedown compliance per platform for notices sent in [from, to)', {
      querystring: Type.Object(
        {
          from: Type.String({ minLength: 10, maxLength: 40 }),
          to: Type.String({ minLength: 10, maxLength: 40 }),
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          platforms: Type.Array(ComplianceSchema),
        }),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (request) => ({
      platforms: await platformCompliance(deps, await auth.actorOf(request), request.query),
    }),
  );
  app.get(
    '/api/v1/sanctions',
    signedInRoute('takedown', 'The sanction ledger: one entry per missed deadline', {
      querystring: Type.Object(
        {
          platform: Type.Optional(PlatformParam),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          sanctions: Type.Array(
            Type.Object({
              noticeId: Type.String(),
              platform: Type.String(),
              occurrence: Type.Integer(),
              missedDeadlineAt: Type.String(),
              legalBasis: Type.String(),
              fineMin: Type.Number(),
              fineMax: Type.Number(),
              currency: Type.String(),
              recordedAt: Type.String(),
            }),
          ),
        }),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (request) => ({
      sanctions: await listSanctions(deps, await auth.actorOf(request), request.query),
    }),
  );
  app.get(
    '/api/v1/platforms/channels',
    signedInRoute(
      'takedown',
      "Where each platform's notices are delivered (admins; secrets never shown)",
      {
        response: {
          200: Type.Object({ channels: Type.Array(ChannelSchema) }),
          ...errorResponses(401, 403),
        },
      },
    ),
    async (request) => ({
      channels: await listPlatformChannels(deps, await auth.actorOf(request)),
    }),
  );
  app.put(
    '/api/v1/platforms/:platform/channel',
    signedInRoute(
      'takedown',
      "Set a platform's webhook (with HMAC secret) and/or e-mail (admins)",
      {
        params: Type.Object({ platform: PlatformParam }),
        body: Type.Object(
          {
            webhookUrl: Type.Optional(NULLABLE(Type.String({ maxLength: 2000 }))),
            webhookSecret: Type.Optional(NULLABLE(Type.String({ maxLength: 500 }))),
            email: Type.Optional(NULLABLE(Type.String({ maxLength: 254 }))),
          },
          { additionalProperties: false },
        ),
        response: { 200: ChannelSchema, ...errorResponses(400, 401, 403) },
      },
    ),
    async (request) =>
      setPlatformChannel(deps, await auth.actorOf(request), request.params.platform, request.body),
  );
  app.post(
    '/api/v1/sweep',
    signedInRoute(
      'takedown',
      'Run the sweep now: deadlines, sanctions, escalations, deliveries (admins)',
      {
        response: {
          200: Type.Object({
            missedDeadlines: Type.Integer(),
            sanctions: Type.Integer(),
            deliveries: Type.Object({
              sent: Type.Integer(),
              retried: Type.Integer(),
              failed: Type.Integer(),
            }),
            rechecks: Type.Object({
              checked: Type.Integer(),
              removedObserved: Type.Integer(),
              claimsContradicted: Type.Integer(),
            }),
          }),
          ...errorResponses(401, 403),
        },
      },
    ),
    async (request) => sweepNow(deps, await auth.actorOf(request)),
  );
}
