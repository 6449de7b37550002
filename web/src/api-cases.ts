/**
 * The staff console's case API (analysts and admins): the filtered, paged case list, a case's
 * reports (with the reporters' contacts and screenshots), merge and split, the campaign graph,
 * and evidence captures. The server checks every permission; these functions only read its
 * replies strictly (Reader) and raise ApiError.
 */
import { parseCase, VERDICTS, type CasePublic, type Platform, type Verdict } from './api';
import { SCAM_TYPES, STAGES, type ScamType, type Stage } from './api-workflow';
import {
  CAPTURE_OUTCOMES,
  REPORTER_CONTACT_TYPES,
  type CaptureOutcome,
  type ReporterContactType,
} from '../../src/vocabulary/index.js';
import { fetchBlob, request } from './http';
import { readPage, setAge, setPaging, type AgeFilter, type PageOf } from './paging';
import { isOneOf, Reader } from './reader';

const enc = encodeURIComponent;

/** Filters of `GET /api/v1/cases` (all optional; absent means "any"). */
export interface CaseListFilter {
  stage?: Stage;
  scamType?: ScamType;
  platform?: Platform;
  routedEntityId?: string;
  verdict?: Verdict;
  /** 0–100 inclusive. */
  minRisk?: number;
  /** Text in the case's summary or reports. */
  q?: string;
  /** A URL, domain, phone, LINE ID, … of the case. */
  indicator?: string;
  age?: AgeFilter | '';
  /** 1–200 cases per page (server default 50). */
  limit?: number;
  /** Cases to skip (the page's position). */
  offset?: number;
}

/** One row of the staff case list. */
export interface StaffCase {
  case: CasePublic;
  stage: Stage;
  scamType: ScamType | null;
  riskScore: number | null;
  routedEntityId: string | null;
  impersonatedEntityId: string | null;
}

/**
 * One page of the staff case list, newest report first, with the total (`GET /api/v1/cases`).
 * @throws ApiError 400 `validation_failed` or `invalid_indicator` (a bad filter), 401, 403.
 */
export async function listStaffCases(
  filter: CaseListFilter,
  signal?: AbortSignal,
): Promise<PageOf<StaffCase>> {
  const params = new URLSearchParams();
  const { age = '', limit, offset, ...rest } = filter;
  for (const [key, value] of Object.entries(rest)) {
    const text = value === undefined ? '' : String(value).trim();
    if (text !== '') params.set(key, text);
  }
  setAge(params, age);
  setPaging(params, { limit, offset });
  const body = new Reader(await request(`/api/v1/cases?${params.toString()}`, { signal }), 'cases');
  return readPage(body, 'items', (r) => ({
    case: parseCase(r.raw('case')),
    stage: r.oneOfOr('stage', STAGES, 'triage'),
    scamType: r.oneOfOr('scamType', SCAM_TYPES, null),
    riskScore: r.nnum('riskScore'),
    routedEntityId: r.nstr('routedEntityId'),
    impersonatedEntityId: r.nstr('impersonatedEntityId'),
  }));
}

/**
 * A report of a case as staff see it: no reporter account, but the contact the reporter chose to
 * give for follow-up (personal data: staff pages only) and the attached screenshot's blob address.
 */
export interface CaseReport {
  id: string;
  receivedAt: string;
  source: string;
  channel: string;
  url: string | null;
  title: string | null;
  text: string | null;
  /** E-mail address or E.164 phone number, with its kind; null when none was given. */
  contact: { type: ReporterContactType; value: string } | null;
  /** SHA-256 of the screenshot (`GET /api/v1/blobs/{sha256}`), or null. */
  screenshotSha256: string | null;
}

function readContact(r: Reader): CaseReport['contact'] {
  const value = r.nstr('contact');
  const type = r.nstr('contactType');
  if (value === null || !isOneOf(REPORTER_CONTACT_TYPES, type)) return null;
  return { type, value };
}

/** The reports of a case, oldest first. @throws ApiError 401, 403, 404 `case_not_found`. */
export async function getCaseReports(caseId: string, signal?: AbortSignal): Promise<CaseReport[]> {
  const body = new Reader(
    await request(`/api/v1/cases/${enc(caseId)}/reports`, { signal }),
    'reports',
  );
  return body.list('reports', (r) => ({
    id: r.str('id'),
    receivedAt: r.str('receivedAt'),
    source: r.str('source'),
    channel: r.str('channel'),
    url: r.nstr('url'),
    title: r.nstr('title'),
    text: r.nstr('text'),
    contact: readContact(r),
    screenshotSha256: r.nstr('screenshotSha256'),
  }));
}

/**
 * A report's screenshot (PNG, JPEG or WebP, typed by the server), fetched with the caller's
 * credential for display through an object URL. @throws ApiError 401, 403, 404 `blob_not_found`.
 */
export function getReportScreenshot(sha256: string, signal?: AbortSignal): Promise<Blob> {
  return fetchBlob(`/api/v1/blobs/${enc(sha256)}`, signal);
}

function withNote<T extends object>(body: T, note: string): T & { note?: string } {
  return note.trim() === '' ? body : { ...body, note: note.trim() };
}

/**
 * Merges case `sourceCaseId` into case `caseId` (its reports move here; the source stays, empty).
 * @throws ApiError 400 `same_case`; 404 `case_not_found`; 409 `verdict_conflict`,
 *   `merge_direction`, `case_has_notices`, `case_empty`; 401, 403.
 */
export async function mergeIntoCase(
  caseId: string,
  sourceCaseId: string,
  note = '',
): Promise<{ case: CasePublic; mergedCaseId: string; movedReports: number }> {
  const body = new Reader(
    await request(`/api/v1/cases/${enc(caseId)}/merge`, {
      method: 'POST',
      body: withNote({ sourceCaseId }, note),
    }),
    'merge',
  );
  return {
    case: parseCase(body.raw('case')),
    mergedCaseId: body.str('mergedCaseId'),
    movedReports: body.num('movedReports'),
  };
}

/**
 * Moves reports `reportIds` of case `caseId` into a new case.
 * @throws ApiError 400 `report_not_in_case`, `split_all_reports`, `validation_failed`; 404; 401, 403.
 */
export async function splitCase(
  caseId: string,
  reportIds: readonly string[],
  note = '',
): Promise<{ case: CasePublic; newCase: CasePublic; movedReports: number }> {
  const body = new Reader(
    await request(`/api/v1/cases/${enc(caseId)}/split`, {
      method: 'POST',
      body: withNote({ reportIds: [...reportIds] }, note),
    }),
    'split',
  );
  return {
    case: parseCase(body.raw('case')),
    newCase: parseCase(body.raw('newCase')),
    movedReports: body.num('movedReports'),
  };
}

export interface CampaignCase {
  id: string;
  verdict: Verdict;
  platform: string;
  reportCount: number;
  summary: string | null;
  /** Hops from the case asked about (0 = that case). */
  depth: number;
}

export interface CampaignLink {
  from: string;
  to: string;
  /** `ip`, `phone`, `line_id`, `crypto_address`, `bank_account` or `domain`. */
  type: string;
  value: string;
}

export interface Campaign {
  caseId: string;
  cases: CampaignCase[];
  links: CampaignLink[];
  /** Indicators shared by too many cases to follow (e.g. a big platform's domain). */
  hubs: { type: string; value: string; cases: number }[];
  truncated: boolean;
}

/** The campaign graph of a case: cases sharing phones, LINE IDs, accounts, domains. */
export async function getCampaign(caseId: string, signal?: AbortSignal): Promise<Campaign> {
  const body = new Reader(
    await request(`/api/v1/cases/${enc(caseId)}/campaign`, { signal }),
    'campaign',
  );
  return {
    caseId: body.str('caseId'),
    cases: body.list('cases', (r) => ({
      id: r.str('id'),
      verdict: r.oneOfOr('verdict', VERDICTS, 'undecided'),
      platform: r.str('platform'),
      reportCount: r.num('reportCount'),
      summary: r.nstr('summary'),
      depth: r.num('depth'),
    })),
    links: body.list('links', (r) => ({
      from: r.str('from'),
      to: r.str('to'),
      type: r.str('type'),
      value: r.str('value'),
    })),
    hubs: body.list('hubs', (r) => ({
      type: r.str('type'),
      value: r.str('value'),
      cases: r.num('cases'),
    })),
    truncated: body.bool('truncated'),
  };
}

/** An evidence capture of one URL (body and screenshot at /api/v1/blobs/{sha256}). */
export interface Capture {
  id: string;
  url: string;
  finalUrl: string | null;
  outcome: CaptureOutcome;
  error: { code: string; message: string } | null;
  /** HTTP status of the last hop. */
  status: number | null;
  title: string | null;
  bodySha256: string | null;
  /** Bytes. */
  bodySize: number | null;
  screenshotSha256: string | null;
  actor: string;
  completedAt: string;
}

function readCapture(r: Reader): Capture {
  const error = r.nobj('error');
  return {
    id: r.str('id'),
    url: r.str('url'),
    finalUrl: r.nstr('finalUrl'),
    outcome: r.oneOf('outcome', CAPTURE_OUTCOMES),
    error: error === null ? null : { code: error.str('code'), message: error.str('message') },
    status: r.nnum('status'),
    title: r.nstr('title'),
    bodySha256: r.nstr('bodySha256'),
    bodySize: r.nnum('bodySize'),
    screenshotSha256: r.nstr('screenshotSha256'),
    actor: r.str('actor'),
    completedAt: r.str('completedAt'),
  };
}

/** The evidence captures of a case, oldest first. @throws ApiError 401, 403, 404. */
export async function getCaptures(caseId: string, signal?: AbortSignal): Promise<Capture[]> {
  const body = new Reader(
    await request(`/api/v1/cases/${enc(caseId)}/captures`, { signal }),
    'captures',
  );
  return body.list('captures', readCapture);
}

/**
 * Captures every URL of the case now (one capture per URL; none when the case has no URL).
 * @throws ApiError 401, 403, 404 `case_not_found`.
 */
export async function captureNow(caseId: string): Promise<Capture[]> {
  const body = new Reader(
    await request(`/api/v1/cases/${enc(caseId)}/captures`, { method: 'POST' }),
    'captures',
  );
  return body.list('captures', readCapture);
}
