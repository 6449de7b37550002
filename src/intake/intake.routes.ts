import fastifyMultipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { errorResponses, perClientLimit } from '../http/index.js';
import type { TSchema } from '@sinclair/typebox';
import type { App, RouteContext } from '../http/index.js';
import { listSourceReports, reportSourceOf, userIdOf } from '../identity/index.js';
import {
  BatchBodySchema,
  BatchResponseSchema,
  ScannerFeedBodySchema,
  SourceReportsQuerySchema,
  SourceReportsResponseSchema,
} from './batch.schemas.js';
import { REPORT_BATCH_MAX, batchTooLarge, sendReportBatch } from './batch.service.js';
import { sendScannerFeed } from './scanner.service.js';
import { ReportBodySchema, ReportResponseSchema } from './intake.schemas.js';
import { ownChannelStep, submitReport } from './intake.service.js';
import { AppError } from '../shared/errors.js';
import { maxReportFormBytes, readReportForm } from './report-form.js';

/** Screenshots read from multipart requests, until their handler takes them. */
const screenshots = new WeakMap<FastifyRequest, Buffer>();

/**
 * `POST /api/v1/reports`: anyone may report a suspicious URL and/or message (a signed-in
 * reporter's reports are linked to their account, see `GET /api/v1/me/reports`); at most
 * REPORT_RATE_LIMIT_PER_MINUTE per client IP (429 `rate_limited` beyond).
 *
 * The body is JSON, or `multipart/form-data` with the same fields plus one file part
 * `screenshot` (PNG, JPEG or WebP by its magic bytes, at most REPORT_SCREENSHOT_MAX_BYTES). A
 * contact for follow-up (`contact`: e-mail or phone) and the screenshot need `consent: true`;
 * both are kept with the report for analysts (`GET /api/v1/cases/:id/reports`) and never shown
 * on public routes. A verifier's report is the impersonated party's own channel: its case is
 * routed to their entity and `decision` confirms it in the same step (ownChannelStep); the
 * source is the credential's (reportSourceOf), never the body's. Multipart is parsed only here (its own plugin scope): other routes keep
 * answering 415 to it.
 */
export function registerIntakeRoutes(app: App, { deps, auth }: RouteContext): void {
  const perMinute = deps.config.reportRateLimitPerMinute;
  const maxScreenshotBytes = deps.config.reportScreenshotMaxBytes;
  void app.register(async (scope) => {
    await scope.register(fastifyMultipart, { limits: { fileSize: maxScreenshotBytes, files: 1 } });
    scope.withTypeProvider<TypeBoxTypeProvider>().post(
      '/api/v1/reports',
      {
        config: { rateLimit: perClientLimit(perMinute) },
        // A multipart body is streamed, so Fastify's body limit does not apply to it: refuse a
        // declared length no valid form can have before reading a byte of it.
        onRequest: async (request: FastifyRequest, reply) => {
          const declared = Number(request.headers['content-length'] ?? 0);
          const multipart = /^multipart\//i.test(request.headers['content-type'] ?? '');
          if (multipart && declared > maxReportFormBytes(maxScreenshotBytes)) {
            void reply.header('connection', 'close');
            throw new AppError(413, 'body_too_large', 'The request body is too large.');
          }
        },
        schema: {
          tags: ['reports'],
          summary: 'Report a suspicious URL and/or message, optionally with a screenshot',
          description:
            'JSON, or multipart/form-data with the same fields (consent as true/false) and an ' +
            'optional file part `screenshot` (PNG, JPEG or WebP; at most ' +
            `${maxScreenshotBytes} bytes). The contact and screenshot are never shown publicly.`,
          consumes: ['application/json', 'multipart/form-data'],
          body: ReportBodySchema,
          response: {
            201: ReportResponseSchema,
            ...errorResponses(400, 401, 403, 409, 413, 415, 429),
          },
        },
        // Before validation, so the form's fields meet the same schema as a JSON body.
        preValidation: async (request: FastifyRequest) => {
          if (!request.isMultipart()) return;
          const form = await readReportForm(request, maxScreenshotBytes);
          request.body = form.body;
          if (form.screenshot !== undefined) screenshots.set(request, form.screenshot);
        },
      },
      async (request, reply) => {
        const { url, text, platform, channel, contact, consent } = request.body;
        const { entityId, decision, note } = request.body;
        const actor = await auth.actorOf(request);
        const ownChannel = ownChannelStep(deps, actor, { entityId, decision, note });
        const source = await reportSourceOf(deps, actor, entityId);
        const result = await submitReport(
          deps,
          {
            url,
            text,
            platform,
            channel: channel ?? 'api',
            source: source.name,
            sourceKind: source.kind,
            reporterUserId: actor.role === 'reporter' ? userIdOf(actor) : undefined,
          },
          { contact, consent, screenshot: screenshots.get(request) },
          undefined,
          ownChannel,
        );
        return reply.status(201).send(result);
      },
    );
  });
  registerSourceRoutes(app, { deps, auth });
}

/**
 * A preValidation hook refusing a batch of more than REPORT_BATCH_MAX items in `field` with 413
 * `batch_too_large` (before the schema, so an oversized batch gets its own code).
 */
function refuseOversized(field: string) {
  return async (request: FastifyRequest): Promise<void> => {
    const body: unknown = request.body;
    if (typeof body !== 'object' || body === null) return;
    const items: unknown = Reflect.get(body, field);
    if (Array.isArray(items) && items.length > REPORT_BATCH_MAX) {
      throw batchTooLarge(items.length);
    }
  };
}

/** The error statuses of the routes of a source credential. */
const SOURCE_ERRORS = errorResponses(400, 401, 403, 413);

/**
 * The API of sources with a key issued for them (partners, agencies, local governments, the
 * scanner; README "Partner, agency and scanner API"): `POST /api/v1/reports/batch` (up to
 * REPORT_BATCH_MAX reports, each stored or refused alone, idempotent by `externalId`; the body
 * may be REPORT_BATCH_BODY_LIMIT_BYTES) and `GET /api/v1/reports/mine` (the source's reports and
 * their cases' public states, by a sync cursor). The source is the key's, never the body's.
 */
function registerSourceRoutes(app: App, { deps, auth }: RouteContext): void {
  /**
   * The options of a batch route: `body` (its items in `field`) up to
   * REPORT_BATCH_BODY_LIMIT_BYTES, more than REPORT_BATCH_MAX items refused with 413.
   */
  const batchRoute = <Body extends TSchema>(
    summary: string,
    description: string,
    body: Body,
    field: string,
  ) => ({
    bodyLimit: deps.config.reportBatchBodyLimitBytes,
    schema: {
      tags: ['reports'],
      summary,
      description,
      body,
      response: { 200: BatchResponseSchema, ...SOURCE_ERRORS },
    },
    preValidation: refuseOversized(field),
  });
  app.post(
    '/api/v1/scanner/ads',
    batchRoute(
      "The ad scanner's feed: up to 1,000 ads found in ad libraries (a scanner key)",
      'One report and one case per ad (platform + adId): a repeated sighting is answered ' +
        "`duplicate` and moves the ad's lastSeenAt. An ad without the disclosure of who " +
        'commissioned and paid for it is flagged as a platform compliance finding. Only an ' +
        'API key issued for a `scanner` source (403 otherwise).',
      ScannerFeedBodySchema,
      'ads',
    ),
    async (request) => {
      return sendScannerFeed(deps, await auth.actorOf(request), request.body.ads);
    },
  );
  app.post(
    '/api/v1/reports/batch',
    batchRoute(
      "Send up to 1,000 reports as a source (a source's API key)",
      'Each report is stored or refused on its own (its own transaction): the answer lists ' +
        'per report `accepted` (with its case), `duplicate` (this source sent the same ' +
        '`externalId` before) or `rejected` (with the error code a single report would get). ' +
        "The source is the API key's. More than 1,000 reports: 413 `batch_too_large`.",
      BatchBodySchema,
      'reports',
    ),
    async (request) => {
      return sendReportBatch(deps, await auth.actorOf(request), request.body.reports);
    },
  );
  app.get(
    '/api/v1/reports/mine',
    {
      schema: {
        tags: ['reports'],
        summary: "A source's own reports and their cases' public states (sync cursor)",
        description:
          "The reports of the API key's source, ordered by when their case last changed: pass " +
          "the answer's `next` as `since` to get what is new or changed since.",
        querystring: SourceReportsQuerySchema,
        response: { 200: SourceReportsResponseSchema, ...SOURCE_ERRORS },
      },
    },
    async (request) => listSourceReports(deps, await auth.actorOf(request), request.query),
  );
}
