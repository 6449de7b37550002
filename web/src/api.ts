/**
 * Typed client of the public part of the scamnet HTTP API (`/api/v1`): lookup, reports, case
 * pages and their progress. The server is the authority on validation and permissions; this
 * client only shapes requests and checks that responses have the fields the UI reads.
 */
import { ApiError, isObject, request, unexpected } from './http';
import { isOneOf, Reader } from './reader';

export { ApiError };

export const STATUSES = [
  'processing',
  'awaiting_party',
  'high_risk',
  'fraud_notified',
  'fraud_removed',
  'not_fraud',
] as const;
export type CaseStatus = (typeof STATUSES)[number];

export const COLOURS = ['red', 'yellow', 'grey', 'green'] as const;
export type StatusColour = (typeof COLOURS)[number];

export const VERDICTS = ['undecided', 'fraud', 'high_risk', 'not_fraud'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The verdicts an analyst can set (`undecided` is only the initial state). */
export const DECISIONS = ['fraud', 'high_risk', 'not_fraud'] as const;
export type Decision = (typeof DECISIONS)[number];

export const PLATFORMS = [
  'facebook',
  'instagram',
  'threads',
  'messenger',
  'meta_audience_network',
  'line',
  'google',
  'youtube',
  'tiktok',
  'website',
  'other',
] as const;
export type Platform = (typeof PLATFORMS)[number];

/**
 * The platforms a citizen can pick when reporting: an ad network such as Meta Audience Network is
 * not something people know they saw; staff can still set it in triage.
 */
export const REPORT_PLATFORMS = PLATFORMS.filter(
  (platform): platform is Exclude<Platform, 'meta_audience_network'> =>
    platform !== 'meta_audience_network',
);

export const INDICATOR_TYPES = [
  'url',
  'domain',
  'phone',
  'line_id',
  'email',
  'crypto_address',
  'bank_account',
] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

export interface Indicator {
  type: IndicatorType;
  value: string;
}

/** The public view of a case: never holds reporter contact data. Dates are ISO 8601 UTC. */
export interface CasePublic {
  id: string;
  status: CaseStatus;
  label: { 'zh-TW': string; en: string };
  colour: StatusColour;
  verdict: Verdict;
  reportCount: number;
  platform: Platform;
  firstReportedAt: string;
  lastReportedAt: string;
  decidedAt: string | null;
  summary: string | null;
  urls: string[];
  indicators: Indicator[];
  source: string;
  /** The case an analyst merged this one into (its reports are there now), else null. */
  mergedInto: string | null;
}

export interface VerdictRecord {
  verdict: Verdict;
  decidedAt: string;
  note: string | null;
}

/**
 * What staff who may see a case's personal data (analysts, admins, the verifier it is routed to)
 * get beyond the public view: the summary as reported and the indicators kept off public pages.
 */
export interface CaseStaffExtras {
  summary: string | null;
  personalIndicators: Indicator[];
}

export interface CaseDetail extends CasePublic {
  verdicts: VerdictRecord[];
  /** Present only for staff who may see the case's personal data. */
  staff: CaseStaffExtras | null;
}

export interface LookupResult {
  found: boolean;
  query: { kind: 'url' | 'text'; canonical: string | null };
  cases: CasePublic[];
}

export interface ReportInput {
  url?: string;
  text?: string;
  platform?: Platform;
  channel?: 'web' | 'api' | 'line' | 'app';
  /** An e-mail address or phone number for follow-up; never shown publicly. Needs `consent`. */
  contact?: string;
  /** The reporter agrees to the use of the contact and screenshot for this report. */
  consent?: boolean;
  /** A screenshot (PNG, JPEG or WebP); sends the report as multipart/form-data. Needs `consent`. */
  screenshot?: Blob;
}

/** The screenshot types the server accepts (it checks the file's bytes, not this). */
export const SCREENSHOT_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;

/**
 * The largest screenshot the form lets through, bytes: the server's default
 * REPORT_SCREENSHOT_MAX_BYTES. The server's own limit decides (413 `screenshot_too_large`).
 */
export const SCREENSHOT_MAX_BYTES = 5 * 1024 * 1024;

/** The report as the body of POST /api/v1/reports: JSON, or a form when it carries a file. */
function reportBody(input: ReportInput): unknown {
  const { screenshot, ...fields } = input;
  const body = { channel: 'web', ...fields };
  if (screenshot === undefined) return body;
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    if (value !== undefined) form.append(name, String(value));
  }
  form.append(
    'screenshot',
    screenshot,
    screenshot instanceof File ? screenshot.name : 'screenshot',
  );
  return form;
}

export interface ReportResult {
  report: { id: string; receivedAt: string };
  case: CasePublic;
  newCase: boolean;
}

function isNullableString(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function parseIndicators(value: unknown): Indicator[] {
  if (!Array.isArray(value)) return [];
  const indicators: Indicator[] = [];
  for (const item of value) {
    if (isObject(item) && isOneOf(INDICATOR_TYPES, item.type) && typeof item.value === 'string') {
      indicators.push({ type: item.type, value: item.value });
    }
  }
  return indicators;
}

function parseStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * Checks the fields of a public case the UI relies on; unknown extra fields are dropped, unknown
 * platforms become `other` so a newer server does not break an older page.
 * @throws ApiError `unexpected_response` when a required field is missing or of the wrong type.
 */
export function parseCase(value: unknown): CasePublic {
  if (!isObject(value)) throw unexpected('case');
  const { id, status, label, colour, verdict, reportCount } = value;
  if (typeof id !== 'string') throw unexpected('case.id');
  if (!isOneOf(STATUSES, status)) throw unexpected('case.status');
  if (!isOneOf(COLOURS, colour)) throw unexpected('case.colour');
  if (typeof reportCount !== 'number') throw unexpected('case.reportCount');
  if (typeof value.firstReportedAt !== 'string') throw unexpected('case.firstReportedAt');
  const zh = isObject(label) && typeof label['zh-TW'] === 'string' ? label['zh-TW'] : '';
  const en = isObject(label) && typeof label.en === 'string' ? label.en : '';
  return {
    id,
    status,
    label: { 'zh-TW': zh, en },
    colour,
    verdict: isOneOf(VERDICTS, verdict) ? verdict : 'undecided',
    reportCount,
    platform: isOneOf(PLATFORMS, value.platform) ? value.platform : 'other',
    firstReportedAt: value.firstReportedAt,
    lastReportedAt:
      typeof value.lastReportedAt === 'string' ? value.lastReportedAt : value.firstReportedAt,
    decidedAt: isNullableString(value.decidedAt) ? value.decidedAt : null,
    summary: isNullableString(value.summary) ? value.summary : null,
    urls: parseStrings(value.urls),
    indicators: parseIndicators(value.indicators),
    source: typeof value.source === 'string' ? value.source : '',
    mergedInto: typeof value.mergedInto === 'string' ? value.mergedInto : null,
  };
}

function parseCaseDetail(value: unknown): CaseDetail {
  const base = parseCase(value);
  const raw = isObject(value) && Array.isArray(value.verdicts) ? value.verdicts : [];
  const verdicts: VerdictRecord[] = [];
  for (const item of raw) {
    if (isObject(item) && isOneOf(VERDICTS, item.verdict) && typeof item.decidedAt === 'string') {
      verdicts.push({
        verdict: item.verdict,
        decidedAt: item.decidedAt,
        note: typeof item.note === 'string' ? item.note : null,
      });
    }
  }
  const staff =
    isObject(value) && isObject(value.staff)
      ? {
          summary: isNullableString(value.staff.summary) ? value.staff.summary : null,
          personalIndicators: parseIndicators(value.staff.personalIndicators),
        }
      : null;
  return { ...base, verdicts, staff };
}

/**
 * Looks up whether a URL (`kind: 'url'`, sent as `?url=`) or a message (`kind: 'text'`, `?q=`)
 * is already known. @throws ApiError (`invalid_url`, `validation_failed`, network errors).
 */
export async function lookup(
  kind: 'url' | 'text',
  value: string,
  signal?: AbortSignal,
): Promise<LookupResult> {
  const params = new URLSearchParams({ [kind === 'url' ? 'url' : 'q']: value });
  const body = await request(`/api/v1/lookup?${params.toString()}`, { signal, access: 'public' });
  if (!isObject(body) || typeof body.found !== 'boolean' || !Array.isArray(body.cases)) {
    throw unexpected('lookup');
  }
  const query = isObject(body.query) ? body.query : {};
  return {
    found: body.found,
    query: {
      kind: query.kind === 'url' ? 'url' : 'text',
      canonical: typeof query.canonical === 'string' ? query.canonical : null,
    },
    cases: body.cases.map(parseCase),
  };
}

/**
 * Files a report from the web UI (as JSON, or as multipart/form-data with a screenshot).
 * @throws ApiError with the server's code and field.
 */
export async function submitReport(input: ReportInput): Promise<ReportResult> {
  const body = await request('/api/v1/reports', {
    method: 'POST',
    body: reportBody(input),
    access: 'public',
  });
  if (!isObject(body) || !isObject(body.report) || typeof body.report.id !== 'string') {
    throw unexpected('report');
  }
  return {
    report: {
      id: body.report.id,
      receivedAt: typeof body.report.receivedAt === 'string' ? body.report.receivedAt : '',
    },
    case: parseCase(body.case),
    newCase: body.newCase === true,
  };
}

/**
 * Fetches the public view of one case with its verdict history. `asStaff` sends the caller's
 * credential, so staff who may see the case's personal data also get `staff`.
 * @throws ApiError `case_not_found`.
 */
export async function getCase(
  id: string,
  options: { asStaff?: boolean; signal?: AbortSignal } = {},
): Promise<CaseDetail> {
  const body = await request(`/api/v1/cases/${encodeURIComponent(id)}`, {
    signal: options.signal,
    access: options.asStaff === true ? 'signed-in' : 'public',
  });
  if (!isObject(body)) throw unexpected('case');
  return parseCaseDetail(body.case);
}

/** The public progress steps of a case (the reference site's 處理進度), oldest first. */
export const TIMELINE_STEPS = [
  'reported',
  'triaged',
  'sent_to_party',
  'sent_to_agency',
  'decided',
  'platform_notified',
  'removed',
] as const;
export type TimelineStepName = (typeof TIMELINE_STEPS)[number];

export interface TimelineStep {
  step: TimelineStepName;
  at: string;
  /** Public details: `scamType` and `platform` (triaged), `verdict` (decided), `platform` (notified). */
  detail: Record<string, string>;
}

/** One audit event of a case or its notices (analysts and admins only). */
export interface AuditEvent {
  seq: number;
  at: string;
  type: string;
  subjectType: string;
  subjectId: string;
  actor: string;
  data: Record<string, unknown>;
}

export interface Timeline {
  steps: TimelineStep[];
  /** Present only for analysts and admins. */
  events: AuditEvent[] | null;
}

/**
 * The progress of a case. `asStaff` sends the caller's credential so analysts and admins also
 * get every audit event; otherwise it is the public view. @throws ApiError `case_not_found`.
 */
export async function getTimeline(
  id: string,
  options: { asStaff?: boolean; signal?: AbortSignal } = {},
): Promise<Timeline> {
  const body = new Reader(
    await request(`/api/v1/cases/${encodeURIComponent(id)}/timeline`, {
      signal: options.signal,
      access: options.asStaff === true ? 'signed-in' : 'public',
    }),
    'timeline',
  );
  const steps = body
    .list('steps', (r) => ({ r, step: r.raw('step') }))
    .flatMap(({ r, step }) => {
      if (!isOneOf(TIMELINE_STEPS, step)) return [];
      const detail: Record<string, string> = {};
      for (const [key, value] of Object.entries(r.record('detail'))) {
        if (typeof value === 'string') detail[key] = value;
      }
      return [{ step, at: r.str('at'), detail }];
    });
  const events = Array.isArray(body.raw('events'))
    ? body.list('events', (r) => ({
        seq: r.num('seq'),
        at: r.str('at'),
        type: r.str('type'),
        subjectType: r.str('subjectType'),
        subjectId: r.str('subjectId'),
        actor: r.str('actor'),
        data: r.record('data'),
      }))
    : null;
  return { steps, events };
}
