/**
 * Typed client of the scamnet HTTP API (`/api/v1`). The server is the authority on validation and
 * permissions; this client only shapes requests, checks that responses have the fields the UI reads,
 * and turns error bodies (`{ "error": { "code", "message" } }`) into `ApiError`s.
 */

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
}

export interface VerdictRecord {
  verdict: Verdict;
  decidedAt: string;
  note: string | null;
}

export interface CaseDetail extends CasePublic {
  verdicts: VerdictRecord[];
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
}

export interface ReportResult {
  report: { id: string; receivedAt: string };
  case: CasePublic;
  newCase: boolean;
}

/** A request that failed: an error body from the server, a network failure or an unexpected reply. */
export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** Stable server error code (`case_not_found`, `invalid_url`, …) or a client-side code. */
  readonly code: string;
  /** The request field the error is about, when the server names one. */
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

function isNullableString(value: unknown): value is string | null {
  return value === null || typeof value === 'string';
}

function unexpected(what: string): ApiError {
  return new ApiError(0, 'unexpected_response', `Unexpected response from the server (${what})`);
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
  return { ...base, verdicts };
}

async function errorFrom(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (e.g. a proxy's HTML error page): fall through to the generic error below.
  }
  const error = isObject(body) && isObject(body.error) ? body.error : undefined;
  if (error !== undefined && typeof error.code === 'string') {
    const message = typeof error.message === 'string' ? error.message : error.code;
    const details = isObject(error.details) ? error.details : undefined;
    const field =
      typeof details?.field === 'string'
        ? details.field
        : typeof error.field === 'string'
          ? error.field
          : undefined;
    return new ApiError(response.status, error.code, message, field);
  }
  return new ApiError(response.status, 'http_error', `HTTP ${response.status}`);
}

async function request(path: string, init: RequestInit = {}): Promise<unknown> {
  const headers = new Headers(init.headers);
  headers.set('Accept', 'application/json');
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) throw await errorFrom(response);
  try {
    return await response.json();
  } catch {
    throw unexpected('not JSON');
  }
}

function postJson(path: string, body: unknown, headers: Record<string, string> = {}) {
  return request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
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
  const body = await request(`/api/v1/lookup?${params.toString()}`, { signal: signal ?? null });
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

/** Files a report from the web UI. @throws ApiError with the server's code and field. */
export async function submitReport(input: ReportInput): Promise<ReportResult> {
  const body = await postJson('/api/v1/reports', { channel: 'web', ...input });
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

/** Fetches the public view of one case with its verdict history. @throws ApiError `case_not_found`. */
export async function getCase(id: string, signal?: AbortSignal): Promise<CaseDetail> {
  const body = await request(`/api/v1/cases/${encodeURIComponent(id)}`, {
    signal: signal ?? null,
  });
  if (!isObject(body)) throw unexpected('case');
  return parseCaseDetail(body.case);
}

/**
 * Sets the verdict of a case as an analyst, authenticated by the admin bearer token.
 * @throws ApiError `unauthorized`, `validation_failed`, `case_not_found`.
 */
export async function setVerdict(
  id: string,
  token: string,
  verdict: Decision,
  note?: string,
): Promise<CasePublic> {
  const payload: { verdict: Decision; note?: string } = { verdict };
  if (note !== undefined && note.trim() !== '') payload.note = note.trim();
  const body = await postJson(`/api/v1/cases/${encodeURIComponent(id)}/verdict`, payload, {
    Authorization: `Bearer ${token}`,
  });
  if (!isObject(body)) throw unexpected('verdict');
  return parseCase(body.case);
}
