/**
 * Typed client of the public part of the scamnet HTTP API (`/api/v1`): lookup, reports, case
 * pages and their progress. The server is the authority on validation and permissions; this
 * client only shapes requests and checks that responses have the fields the UI reads.
 */
import {
  CASE_STATUSES,
  INDICATOR_TYPES,
  LOOKUP_OUTCOMES,
  PLATFORMS,
  STATUS_COLOURS,
  TIMELINE_STEPS,
  VERDICTS,
  type CaseStatus,
  type IndicatorType,
  type LookupOutcome,
  type Platform,
  type StatusColour,
  type SubmitChannel,
  type TimelineStep as TimelineStepName,
  type Verdict,
} from '../../src/vocabulary/index.js';
import { ApiError, isObject, request, unexpected } from './http';
import { isOneOf, Reader } from './reader';

export { ApiError };

// The server's vocabulary (src/vocabulary): one definition for the API and the UI.
export {
  CASE_STATUSES as STATUSES,
  CHANNELS,
  DECIDED_VERDICTS,
  KNOWN_SOURCES,
  PLATFORMS,
  STATUS_COLOURS as COLOURS,
  VERDICTS,
  type CaseStatus,
  type DecidedVerdict,
  type Platform,
  type StatusColour,
  type Verdict,
} from '../../src/vocabulary/index.js';

/**
 * The platforms a citizen can pick when reporting: an ad network such as Meta Audience Network is
 * not something people know they saw; staff can still set it in triage.
 */
export const REPORT_PLATFORMS = PLATFORMS.filter(
  (platform): platform is Exclude<Platform, 'meta_audience_network'> =>
    platform !== 'meta_audience_network',
);

export { INDICATOR_TYPES, type IndicatorType } from '../../src/vocabulary/index.js';

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

/** A blocklist entry of a fraud website's case: what blocks it, on which basis, since when. */
export interface CaseBlocking {
  domain: string;
  state: string;
  legalBasis: string | null;
  legalReference: string | null;
  legalDate: string | null;
  requestingUnit: string | null;
  effectiveAt: string | null;
  source: string;
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
  blocking: CaseBlocking[];
  /** Confirmed scams sharing an indicator with this case (computed when the page is read). */
  knownScams: KnownScam[];
}

/** A confirmed scam holding an indicator of the content: "this LINE ID is a known scam". */
export interface KnownScam {
  /** The indicator as the scam case holds it. */
  type: IndicatorType;
  value: string;
  kase: CasePublic;
}

/** Why a case matches: an indicator it holds, or its (near-)identical message. */
export interface MatchReason {
  type: IndicatorType | 'message' | 'similar_message';
  value: string | null;
}

export interface LookupResult {
  found: boolean;
  verdict: {
    outcome: LookupOutcome;
    /** The most serious matching case's state, label and colour; null without a match. */
    status: CaseStatus | null;
    label: { 'zh-TW': string; en: string } | null;
    colour: StatusColour | null;
    matches: number;
    mentions: number;
  };
  query: {
    kind: 'url' | 'text';
    canonical: string | null;
    /** What was looked up: links, contacts, a single word read as a LINE ID or phone. */
    indicators: Indicator[];
    /** The text was compared as a whole message. */
    message: boolean;
  };
  cases: CasePublic[];
  /** Why each case in `cases` matches, by case ID. */
  reasons: Record<string, MatchReason[]>;
  /** More cases match than are listed. */
  truncated: boolean;
  /** Cases whose messages only mention a link of the query: not a record of that site. */
  mentions: { total: number; totalIsExact: boolean; cases: CasePublic[] };
}

export interface ReportInput {
  url?: string;
  text?: string;
  platform?: Platform;
  channel?: SubmitChannel;
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
  /** Confirmed scams sharing an indicator with the reported content. */
  knownScams: KnownScam[];
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
  if (!isOneOf(CASE_STATUSES, status)) throw unexpected('case.status');
  if (!isOneOf(STATUS_COLOURS, colour)) throw unexpected('case.colour');
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

/** The `knownScams` list of a report or case answer; entries the UI cannot read are dropped. */
function parseKnownScams(value: unknown): KnownScam[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (!isObject(item) || !isOneOf(INDICATOR_TYPES, item.type)) return [];
    if (typeof item.value !== 'string') return [];
    return [{ type: item.type, value: item.value, kase: parseCase(item.case) }];
  });
}

const REASON_TYPES = [...INDICATOR_TYPES, 'message', 'similar_message'] as const;

function parseReasons(value: unknown): Record<string, MatchReason[]> {
  const reasons: Record<string, MatchReason[]> = {};
  if (!Array.isArray(value)) return reasons;
  for (const item of value) {
    if (!isObject(item) || typeof item.caseId !== 'string' || !Array.isArray(item.by)) continue;
    reasons[item.caseId] = item.by.flatMap((by: unknown) =>
      isObject(by) && isOneOf(REASON_TYPES, by.type)
        ? [{ type: by.type, value: typeof by.value === 'string' ? by.value : null }]
        : [],
    );
  }
  return reasons;
}

function parseCaseDetail(value: unknown, knownScams: unknown): CaseDetail {
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

  const blocking: CaseBlocking[] = [];
  const rawBlocking = isObject(value) && Array.isArray(value.blocking) ? value.blocking : [];
  for (const item of rawBlocking) {
    if (!isObject(item)) continue;
    const r = new Reader(item, 'case.blocking');
    blocking.push({
      domain: r.str('domain'),
      state: r.str('state'),
      legalBasis: r.nstr('legalBasis'),
      legalReference: r.nstr('legalReference'),
      legalDate: r.nstr('legalDate'),
      requestingUnit: r.nstr('requestingUnit'),
      effectiveAt: r.nstr('effectiveAt'),
      source: r.str('source'),
    });
  }
  return { ...base, verdicts, blocking, knownScams: parseKnownScams(knownScams), staff };
}

/**
 * Checks whether a URL (`kind: 'url'`, `GET ?url=`) or a message (`kind: 'text'`, sent in the
 * body of `POST /api/v1/lookup`: a pasted message is too long for a query string) is already
 * known. @throws ApiError (`invalid_url`, `validation_failed`, `query_too_long`, network errors).
 */
export async function lookup(
  kind: 'url' | 'text',
  value: string,
  signal?: AbortSignal,
): Promise<LookupResult> {
  const body =
    kind === 'url'
      ? await request(`/api/v1/lookup?${new URLSearchParams({ url: value }).toString()}`, {
          signal,
          access: 'public',
        })
      : await request('/api/v1/lookup', {
          method: 'POST',
          body: { q: value },
          signal,
          access: 'public',
        });
  if (!isObject(body) || typeof body.found !== 'boolean' || !Array.isArray(body.cases)) {
    throw unexpected('lookup');
  }
  const verdict = new Reader(body.verdict, 'lookup.verdict');
  const outcome = verdict.raw('outcome');
  if (!isOneOf(LOOKUP_OUTCOMES, outcome)) throw unexpected('lookup.verdict.outcome');
  const label = verdict.raw('label');
  const status = verdict.raw('status');
  if (status !== null && !isOneOf(CASE_STATUSES, status)) throw unexpected('lookup.verdict.status');
  const query = isObject(body.query) ? body.query : {};
  const mentions = isObject(body.mentions) ? body.mentions : {};
  return {
    found: body.found,
    verdict: {
      outcome,
      status,
      label:
        isObject(label) && typeof label['zh-TW'] === 'string' && typeof label.en === 'string'
          ? { 'zh-TW': label['zh-TW'], en: label.en }
          : null,
      colour: verdict.oneOfOr('colour', STATUS_COLOURS, null),
      matches: verdict.num('matches'),
      mentions: verdict.num('mentions'),
    },
    query: {
      kind: query.kind === 'url' ? 'url' : 'text',
      canonical: typeof query.canonical === 'string' ? query.canonical : null,
      indicators: parseIndicators(query.indicators),
      message: query.message === true,
    },
    cases: body.cases.map(parseCase),
    reasons: parseReasons(body.matches),
    truncated: body.truncated === true,
    mentions: {
      total: typeof mentions.total === 'number' ? mentions.total : 0,
      totalIsExact: mentions.totalIsExact !== false,
      cases: Array.isArray(mentions.cases) ? mentions.cases.map(parseCase) : [],
    },
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
    knownScams: parseKnownScams(body.knownScams),
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
  return parseCaseDetail(body.case, body.knownScams);
}

/** The public progress steps of a case (the reference site's 處理進度, and a website's blocking). */
export {
  TIMELINE_STEPS,
  type TimelineStep as TimelineStepName,
} from '../../src/vocabulary/index.js';

export interface TimelineStep {
  step: TimelineStepName;
  at: string;
  /**
   * Public details: `scamType` and `platform` (triaged), `verdict` (decided), `platform`
   * (notified); `source` when the step comes from an imported data set (e.g. `tw165`).
   */
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
