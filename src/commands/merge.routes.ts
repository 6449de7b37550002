import { Type } from '@sinclair/typebox';
import { NullableString } from '../http/index.js';
import { errorResponses, signedInRoute } from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';
import { campaignOf } from '../search/index.js';
import { getPublicCases } from '../cases/index.js';
import { PublicCaseSchema } from '../cases/index.js';
import { listCaseReports, mergeCases, SPLIT_MAX_REPORTS, splitCase } from './merge.service.js';

const CaseParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) });
const Note = Type.Optional(Type.String({ maxLength: 2000 }));

const CampaignSchema = Type.Object({
  caseId: Type.String(),
  cases: Type.Array(
    Type.Object({
      id: Type.String(),
      verdict: Type.String(),
      status: Type.String(),
      stage: Type.String(),
      platform: Type.String(),
      reportCount: Type.Integer(),
      summary: NullableString,
      depth: Type.Integer({ description: 'Hops from the case asked about' }),
    }),
  ),
  links: Type.Array(
    Type.Object({
      from: Type.String(),
      to: Type.String(),
      type: Type.String({
        description: 'ip, phone, line_id, crypto_address, bank_account or domain',
      }),
      value: Type.String(),
    }),
  ),
  hubs: Type.Array(
    Type.Object({ type: Type.String(), value: Type.String(), cases: Type.Integer() }),
  ),
  truncated: Type.Boolean(),
});

/**
 * Analyst routes over groups of cases: `GET /api/v1/cases/:id/campaign` (the campaign graph),
 * `GET /api/v1/cases/:id/reports` (the reports, to choose a split), `POST /api/v1/cases/:id/merge`
 * (`{ sourceCaseId, note? }`: the source's reports join this case) and
 * `POST /api/v1/cases/:id/split` (`{ reportIds, note? }`: those reports become a new case).
 */
export function registerMergeRoutes(app: App, { deps, auth }: RouteContext): void {
  app.get(
    '/api/v1/cases/:id/campaign',
    signedInRoute(
      'cases',
      'The campaign graph of a case: cases sharing phones, LINE IDs, accounts, domains',
      {
        params: CaseParams,
        response: { 200: CampaignSchema, ...errorResponses(401, 403, 404) },
      },
    ),
    async (request) => campaignOf(deps, await auth.actorOf(request), request.params.id),
  );
  app.get(
    '/api/v1/cases/:id/reports',
    signedInRoute('cases', 'The reports of a case, oldest first (analysts)', {
      params: CaseParams,
      response: {
        200: Type.Object({
          reports: Type.Array(
            Type.Object({
              id: Type.String(),
              receivedAt: Type.String(),
              source: Type.String(),
              channel: Type.String(),
              url: NullableString,
              title: NullableString,
              text: NullableString,
              contact: Type.Union([Type.String(), Type.Null()], {
                description: "The reporter's e-mail or E.164 phone for follow-up (staff only)",
              }),
              contactType: Type.Union([Type.String(), Type.Null()], {
                description: '`email` or `phone` when contact is set',
              }),
              screenshotSha256: Type.Union([Type.String(), Type.Null()], {
                description: 'The attached screenshot: GET /api/v1/blobs/{sha256}',
              }),
            }),
          ),
        }),
        ...errorResponses(401, 403, 404),
      },
    }),
    async (request) => ({
      reports: await listCaseReports(deps, await auth.actorOf(request), request.params.id),
    }),
  );
  app.post(
    '/api/v1/cases/:id/merge',
    signedInRoute(
      'cases',
      'Merge another case into this one (its reports, keys and indicators move here)',
      {
        params: CaseParams,
        body: Type.Object(
          { sourceCaseId: Type.String({ minLength: 1, maxLength: 40 }), note: Note },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            case: PublicCaseSchema,
            mergedCaseId: Type.String(),
            movedReports: Type.Integer(),
          }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    ),
    async (request) => {
      const result = await mergeCases(deps, await auth.actorOf(request), {
        targetId: request.params.id,
        sourceId: request.body.sourceCaseId,
        note: request.body.note,
      });
      const [view] = await getPublicCases(deps, [result.caseId]);
      if (view === undefined) throw new Error(`case ${result.caseId} vanished after a merge`);
      return { case: view, mergedCaseId: result.mergedCaseId, movedReports: result.movedReports };
    },
  );
  app.post(
    '/api/v1/cases/:id/split',
    signedInRoute('cases', 'Move some reports of a wrongly merged case into a new case', {
      params: CaseParams,
      body: Type.Object(
        {
          reportIds: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
            minItems: 1,
            maxItems: SPLIT_MAX_REPORTS,
          }),
          note: Note,
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({
          case: PublicCaseSchema,
          newCase: PublicCaseSchema,
          movedReports: Type.Integer(),
        }),
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
    async (request) => {
      const result = await splitCase(deps, await auth.actorOf(request), {
        caseId: request.params.id,
        reportIds: request.body.reportIds,
        note: request.body.note,
      });
      const views = await getPublicCases(deps, [result.caseId, result.newCaseId]);
      const original = views.find((v) => v.id === result.caseId);
      const created = views.find((v) => v.id === result.newCaseId);
      if (original === undefined || created === undefined) {
        throw new Error(`case ${result.caseId} or ${result.newCaseId} vanished after a split`);
      }
      return { case: original, newCase: created, movedReports: result.movedReports };
    },
  );
}
