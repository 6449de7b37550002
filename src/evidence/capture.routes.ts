import { Type } from '@sinclair/typebox';
import { NullableInteger, NullableString } from '../http/index.js';
import { CAPTURE_OUTCOMES } from '../vocabulary/index.js';
import { bearerRoute, errorResponses, mediaResponse } from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';
import { captureCase, getBlob, getCapture, listCaseCaptures } from './capture.service.js';

const HopSchema = Type.Object({
  url: Type.String(),
  address: NullableString,
  status: NullableInteger,
  location: NullableString,
  headers: Type.Record(Type.String(), Type.String()),
  startedAt: Type.String({ format: 'date-time' }),
  elapsedMs: Type.Number({ description: 'ms' }),
  error: Type.Optional(Type.String()),
});

const CaptureSchema = Type.Object(
  {
    id: Type.String(),
    caseId: NullableString,
    purpose: Type.Union([Type.Literal('capture'), Type.Literal('recheck')]),
    url: Type.String(),
    finalUrl: NullableString,
    outcome: Type.Union(CAPTURE_OUTCOMES.map((outcome) => Type.Literal(outcome))),
    error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
    status: NullableInteger,
    contentType: NullableString,
    bodySha256: NullableString,
    bodySize: Type.Union([Type.Integer({ description: 'bytes' }), Type.Null()]),
    bodyTruncated: Type.Boolean(),
    title: NullableString,
    screenshotSha256: NullableString,
    hops: Type.Array(HopSchema),
    observation: Type.Union([
      Type.Object({
        state: Type.Union([Type.Literal('live'), Type.Literal('removed'), Type.Literal('unknown')]),
        reason: Type.String(),
      }),
      Type.Null(),
    ]),
    actor: Type.String(),
    startedAt: Type.String({ format: 'date-time' }),
    completedAt: Type.String({ format: 'date-time' }),
    eventSeq: NullableInteger,
  },
  { description: 'A capture of one URL: every hop, the final body hash, optional screenshot' },
);

/** Media types a blob is served as; images only (no SVG: a document that can carry script). */
const IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/webp']);

/**
 * The Content-Type a stored blob is served with: its own for PNG, JPEG and WebP (parameters
 * and case ignored), `application/octet-stream` for everything else.
 */
function blobMediaType(stored: string): string {
  const type = stored.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return IMAGE_TYPES.has(type) ? type : 'application/octet-stream';
}

const CaseParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9]+$' }),
});
const CapturesResponse = Type.Object({ captures: Type.Array(CaptureSchema) });
const authErrors = errorResponses(400, 401, 403, 404);

/**
 * Analysts' evidence routes: `POST /api/v1/cases/:id/captures` (capture every URL of the case
 * now), `GET /api/v1/cases/:id/captures`, `GET /api/v1/captures/:id`, `GET /api/v1/blobs/:sha256`
 * (a stored body or screenshot, served as an attachment: PNG, JPEG and WebP with their own type,
 * everything else as `application/octet-stream`, always `nosniff` and a sandbox CSP). Analyst or
 * admin credentials.
 */
export function registerCaptureRoutes(app: App, { deps, auth }: RouteContext): void {
  app.post(
    '/api/v1/cases/:id/captures',
    bearerRoute('evidence', 'Capture every URL of a case now (analyst/admin)', {
      params: CaseParams,
      response: { 201: CapturesResponse, ...authErrors },
    }),
    async (request, reply) => {
      const actor = await auth.actorOf(request);
      const captures = await captureCase(deps, actor, request.params.id);
      return reply.status(201).send({ captures });
    },
  );

  app.get(
    '/api/v1/cases/:id/captures',
    bearerRoute('evidence', 'The captures of a case, oldest first (analyst/admin)', {
      params: CaseParams,
      response: { 200: CapturesResponse, ...authErrors },
    }),
    async (request) => {
      const actor = await auth.actorOf(request);
      return { captures: await listCaseCaptures(deps, actor, request.params.id) };
    },
  );

  app.get(
    '/api/v1/captures/:id',
    bearerRoute('evidence', 'One capture (analyst/admin)', {
      params: Type.Object({ id: Type.String({ pattern: '^E[0-9A-Z]{16}$' }) }),
      response: { 200: Type.Object({ capture: CaptureSchema }), ...authErrors },
    }),
    async (request) => {
      const actor = await auth.actorOf(request);
      return { capture: await getCapture(deps, actor, request.params.id) };
    },
  );

  app.get(
    '/api/v1/blobs/:sha256',
    bearerRoute(
      'evidence',
      'A stored body or screenshot by SHA-256, as an attachment (analyst/admin)',
      {
        params: Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
        response: {
          200: mediaResponse(
            'The stored bytes, as an attachment: PNG, JPEG and WebP with their own type, ' +
              'anything else as application/octet-stream',
            [...IMAGE_TYPES, 'application/octet-stream'],
            // OpenAPI 3.1: binary content is described by its media type, with no JSON schema.
            Type.Unsafe<Uint8Array>({ description: 'The raw bytes' }),
          ),
          ...authErrors,
        },
      },
    ),
    async (request, reply) => {
      const actor = await auth.actorOf(request);
      const blob = await getBlob(deps, actor, request.params.sha256);
      // Captured scam pages are never rendered by our origin: download only, sandboxed. The
      // three raster types report screenshots may be (checked by magic bytes at intake) keep
      // their type so the staff UI can show them as images; anything else (HTML bodies, SVG)
      // stays opaque bytes.
      return reply
        .type(blobMediaType(blob.contentType))
        .header('content-disposition', `attachment; filename="${request.params.sha256}"`)
        .header('content-security-policy', "sandbox; default-src 'none'")
        .header('x-content-type-options', 'nosniff')
        .send(Buffer.from(blob.bytes));
    },
  );
}
