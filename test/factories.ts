/**
 * Factories for the tests' reports (a citizen's report as the intake service takes it, submitted
 * through the service or through `POST /api/v1/reports`), registry entities, verdicts, merges
 * and platforms' notice delivery channels; admin requests that expect a status (adminRequest);
 * and the report IDs a case holds in the store (reportIdsOfCase).
 */
import type { Static } from '@sinclair/typebox';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

import { submitReport, type ReportInput } from '../src/intake/index.js';
import type { ReportResponseSchema } from '../src/intake/intake.schemas.js';
import type { ServiceDeps } from '../src/shared/deps.js';
import { adminHeaders } from './harness.js';

import type { ScamnetApp } from '../src/app/index.js';
/** The body of a `201` from `POST /api/v1/reports`. */
export type ReportResponse = Static<typeof ReportResponseSchema>;

/**
 * A report as the public API hands it to intake (`channel: 'api'`, `source: 'citizen'`), with
 * `overrides`: give it a `text` or a `url`.
 */
export function aReport(overrides: Partial<ReportInput>): ReportInput {
  return { channel: 'api', source: 'citizen', ...overrides };
}

/** Submits `aReport(overrides)` through the intake service (`submitReport`) on `ctx.deps`. */
export function submitTestReport(
  ctx: { deps: ServiceDeps },
  overrides: Partial<ReportInput>,
): ReturnType<typeof submitReport> {
  return submitReport(ctx.deps, aReport(overrides));
}

/**
 * `POST /api/v1/reports` of `payload` (an object as JSON, a string as it is) with `headers` on
 * `app`: the response as it is.
 */
export function postReport(
  app: Pick<ScamnetApp, 'inject'>,
  payload: object | string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/reports', headers, payload });
}

/**
 * Reports `payload` through `POST /api/v1/reports` and expects it accepted (201).
 * @returns the response body: the report, its public case, `newCase`, `knownScams`.
 */
export async function submitReportViaApi(
  app: Pick<ScamnetApp, 'inject'>,
  payload: object,
  headers: Record<string, string> = {},
): Promise<ReportResponse> {
  const res = await postReport(app, payload, headers);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<ReportResponse>();
}

/**
 * `method url` (with `payload` as its JSON body, when given) with the test admin token on `app`;
 * expects the answer `status` (default 200). @returns the response.
 */
export async function adminRequest(
  app: Pick<ScamnetApp, 'inject'>,
  method: 'POST' | 'PUT',
  url: string,
  payload?: object,
  status = 200,
): Promise<LightMyRequestResponse> {
  const res = await app.inject({
    method,
    url,
    headers: adminHeaders,
    ...(payload === undefined ? {} : { payload }),
  });
  expect(res.statusCode, res.body).toBe(status);
  return res;
}

/**
 * Adds `entities` (bodies of `POST /api/v1/entities`: `{ id, kind, nameZh, … }`) to the registry
 * through the API with the test admin token, one after another; expects each created (201).
 */
export async function createTestEntities(
  app: Pick<ScamnetApp, 'inject'>,
  entities: readonly object[],
): Promise<void> {
  for (const payload of entities) await adminRequest(app, 'POST', '/api/v1/entities', payload, 201);
}

/**
 * Entities the suites share (bodies of `POST /api/v1/entities`): a public figure whose name
 * scam investment ads borrow, and a company whose shop they copy. Spread one to add a field,
 * e.g. `{ ...HSIEH_CHIN_HO, contactEmail: 'office@hsieh.test' }`.
 */
export const HSIEH_CHIN_HO = {
  id: 'hsieh-chin-ho',
  kind: 'public_figure',
  nameZh: '謝金河',
  nameEn: 'Hsieh Chin-ho',
  aliases: ['謝董'],
} as const;

/** A scam investment ad's text that borrows 謝金河's name (HSIEH_CHIN_HO): routed to his office. */
export const HSIEH_AD_TEXT = '謝金河親自帶你投資飆股！加入LINE群組，保證獲利，名額有限';

/** A verifier account at 謝金河's office (options of createUser in harness.ts). */
export const HSIEH_OFFICE_VERIFIER: { role: 'verifier'; entityIds: string[]; displayName: string } =
  { role: 'verifier', entityIds: [HSIEH_CHIN_HO.id], displayName: '謝金河辦公室' };

export const PCHOME = {
  id: 'pchome',
  kind: 'company',
  nameZh: '網路家庭',
  nameEn: 'PChome',
  domains: ['pchome.com.tw'],
} as const;

/**
 * Records the verdict `verdict` (default `fraud`) on case `caseId` through
 * `POST /api/v1/cases/{id}/verdict` with the test admin token; expects it accepted (200).
 */
export async function decideCaseViaApi(
  app: Pick<ScamnetApp, 'inject'>,
  caseId: string,
  verdict = 'fraud',
): Promise<void> {
  await adminRequest(app, 'POST', `/api/v1/cases/${caseId}/verdict`, { verdict });
}

/**
 * Merges case `sourceCaseId` into case `caseId` through `POST /api/v1/cases/{id}/merge` with the
 * test admin token; expects it accepted (200).
 */
export async function mergeCasesViaApi(
  app: Pick<ScamnetApp, 'inject'>,
  caseId: string,
  sourceCaseId: string,
): Promise<void> {
  await adminRequest(app, 'POST', `/api/v1/cases/${caseId}/merge`, { sourceCaseId });
}

/** The IDs of the reports of case `caseId`, read from the store of `ctx`. */
export async function reportIdsOfCase(
  ctx: { deps: ServiceDeps },
  caseId: string,
): Promise<string[]> {
  const rows = await ctx.deps.db
    .selectFrom('reports')
    .select('id')
    .where('case_id', '=', caseId)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Sets `platform`'s notice delivery channel (`{ webhookUrl, webhookSecret, email }`, each
 * optional) through `PUT /api/v1/platforms/{platform}/channel` with the test admin token; expects
 * it accepted (200).
 * @returns the response body: the channel as stored (never its secret) and `noticesQueued`.
 */
export async function setChannelViaApi(
  app: Pick<ScamnetApp, 'inject'>,
  platform: string,
  channel: { webhookUrl?: string; webhookSecret?: string; email?: string },
): Promise<Record<string, unknown>> {
  const res = await adminRequest(app, 'PUT', `/api/v1/platforms/${platform}/channel`, channel);
  return res.json<Record<string, unknown>>();
}

/** Runs the sweep through `POST /api/v1/sweep` with the test admin token; expects 200. */
export async function sweepViaApi(
  app: Pick<ScamnetApp, 'inject'>,
): Promise<Record<string, unknown>> {
  const res = await adminRequest(app, 'POST', '/api/v1/sweep');
  return res.json<Record<string, unknown>>();
}

/**
 * Lets notice `noticeId`, waiting for want of a delivery channel, miss its deadline: 25 hours pass
 * and a sweep finds nothing missed (no deadline runs on an undelivered notice), an admin records
 * the platform's acknowledgement (delivered: the deadline runs from now), 25 more hours pass.
 * @returns the summary of the sweep run then.
 */
export async function missDeadlineAfterAcknowledgement(
  ctx: { app: Pick<ScamnetApp, 'inject'>; clock: { advance: (ms: number) => void } },
  noticeId: string,
): Promise<Record<string, unknown>> {
  ctx.clock.advance(25 * 3_600_000);
  expect(await sweepViaApi(ctx.app)).toMatchObject({ missedDeadlines: 0, sanctions: 0 });
  await adminRequest(ctx.app, 'POST', `/api/v1/notices/${noticeId}/acknowledge`);
  ctx.clock.advance(25 * 3_600_000);
  return sweepViaApi(ctx.app);
}
