/**
 * The case workflow API the portal and console use: the verification queue and decisions,
 * one-click decision links, triage, and takedown notices with compliance figures.
 */
import { parseCase, PLATFORMS, type CasePublic, type Platform } from './api';
import {
  CASE_STAGES,
  NOTICE_STATES,
  PENDING_REASONS,
  SCAM_TYPES,
  type CaseStage as Stage,
  type NoticeOutcome,
  type NoticeState,
  type PendingReason,
  type ScamType,
  type VerifierDecision as Decision,
} from '../../src/vocabulary/index.js';
import { request } from './http';
import { readPage, setAge, setPaging, type AgeFilter, type PageOf } from './paging';
import { Reader } from './reader';

export {
  CASE_STAGES as STAGES,
  NOTICE_OUTCOMES,
  NOTICE_STATES,
  OPEN_NOTICE_STATES,
  SCAM_TYPES,
  VERIFIER_DECISIONS as DECISIONS,
  type CaseStage as Stage,
  type NoticeOutcome,
  type NoticeState,
  type ScamType,
  type VerifierDecision as Decision,
} from '../../src/vocabulary/index.js';

export interface DecisionInput {
  decision: Decision;
  note?: string;
  /** Required with `need_info`. */
  question?: string;
}

export interface QueueReport {
  receivedAt: string;
  channel: string;
  url: string | null;
  title: string | null;
  text: string | null;
}

/** An evidence capture of one of the case's URLs (screenshot and body at /api/v1/blobs/{sha256}). */
export interface QueueCapture {
  id: string;
  url: string;
  finalUrl: string | null;
  status: number | null;
  title: string | null;
  screenshotSha256: string | null;
  bodySha256: string | null;
  completedAt: string;
}

export interface QueueItem {
  case: CasePublic;
  stage: Stage;
  routedEntityId: string | null;
  impersonatedEntityId: string | null;
  scamType: ScamType | null;
  riskScore: number | null;
  infoQuestion: string | null;
  reports: QueueReport[];
  captures: QueueCapture[];
}

const enc = encodeURIComponent;

/** Filters and page of the verification queue (all optional). */
export interface QueueFilter {
  /** Only one entity's cases (a verifier: one of their own). */
  entityId?: string;
  /** Only this case, if it is in the queue. */
  caseId?: string;
  /** Text in the case's summary or reports. */
  q?: string;
  /** A URL, domain, phone, LINE ID, … of the case. */
  indicator?: string;
  age?: AgeFilter | '';
  limit?: number;
  offset?: number;
}

function readQueueItem(r: Reader): QueueItem {
  return {
    case: parseCase(r.raw('case')),
    stage: r.oneOfOr('stage', CASE_STAGES, 'triage'),
    routedEntityId: r.nstr('routedEntityId'),
    impersonatedEntityId: r.nstr('impersonatedEntityId'),
    scamType: r.oneOfOr('scamType', SCAM_TYPES, null),
    riskScore: r.nnum('riskScore'),
    infoQuestion: r.nstr('infoQuestion'),
    reports: r.list('reports', (p) => ({
      receivedAt: p.str('receivedAt'),
      channel: p.str('channel'),
      url: p.nstr('url'),
      title: p.nstr('title'),
      text: p.nstr('text'),
    })),
    captures: Array.isArray(r.raw('captures'))
      ? r.list('captures', (c) => ({
          id: c.str('id'),
          url: c.str('url'),
          finalUrl: c.nstr('finalUrl'),
          status: c.nnum('status'),
          title: c.nstr('title'),
          screenshotSha256: c.nstr('screenshotSha256'),
          bodySha256: c.nstr('bodySha256'),
          completedAt: c.str('completedAt'),
        }))
      : [],
  };
}

/**
 * One page of the verification queue, oldest first, with the total: a verifier gets the cases
 * routed to their entities, analysts and admins every case awaiting a decision (optionally of
 * one entity). @throws ApiError 400 (`invalid_indicator`, `validation_failed`), 401, 403.
 */
export async function getQueue(
  filter: QueueFilter = {},
  signal?: AbortSignal,
): Promise<PageOf<QueueItem>> {
  const params = new URLSearchParams();
  for (const key of ['entityId', 'caseId', 'q', 'indicator'] as const) {
    const value = filter[key]?.trim() ?? '';
    if (value !== '') params.set(key, value);
  }
  setAge(params, filter.age ?? '');
  setPaging(params, filter);
  const body = new Reader(
    await request(`/api/v1/verification/queue?${params.toString()}`, { signal }),
    'queue',
  );
  return readPage(body, 'items', readQueueItem);
}

/**
 * The queue entry of one case when the signed-in person may decide it now (routed to their
 * entity and awaiting verification; analysts and admins: any case awaiting verification), or
 * null. The case page offers the decision form with it.
 */
export async function getDecidable(
  caseId: string,
  signal?: AbortSignal,
): Promise<QueueItem | null> {
  const page = await getQueue({ caseId, limit: 1 }, signal);
  return page.items[0] ?? null;
}

function decisionBody(input: DecisionInput): DecisionInput {
  const body: DecisionInput = { decision: input.decision };
  if (input.note !== undefined && input.note.trim() !== '') body.note = input.note.trim();
  if (input.decision === 'need_info' && input.question !== undefined) {
    body.question = input.question.trim();
  }
  return body;
}

/** A verifier's (or analyst's) decision. @throws ApiError 403, 404, 409 `illegal_transition`. */
export async function decide(caseId: string, input: DecisionInput): Promise<CasePublic> {
  const body = new Reader(
    await request(`/api/v1/cases/${enc(caseId)}/decision`, {
      method: 'POST',
      body: decisionBody(input),
    }),
    'decision',
  );
  return parseCase(body.raw('case'));
}

/** An analyst's or admin's verdict on any case at any stage. */
export async function setVerdict(
  caseId: string,
  verdict: Exclude<Decision, 'need_info'>,
  note: string,
): Promise<CasePublic> {
  const payload: { verdict: string; note?: string } = { verdict };
  if (note.trim() !== '') payload.note = note.trim();
  const body = new Reader(
    await request(`/api/v1/cases/${enc(caseId)}/verdict`, { method: 'POST', body: payload }),
    'verdict',
  );
  return parseCase(body.raw('case'));
}

/** Staff answer a verifier's question; the case returns to the verifier's queue. */
export async function answerQuestion(caseId: string, answer: string): Promise<void> {
  await request(`/api/v1/cases/${enc(caseId)}/info-answer`, {
    method: 'POST',
    body: { answer: answer.trim() },
  });
}

export interface DecisionLink {
  case: CasePublic;
  entityId: string;
  expiresAt: string;
}

/**
 * What a one-click decision link is about. The link itself is the credential: no sign-in.
 * @throws ApiError `decision_link_invalid`, `decision_link_expired`, `decision_link_used`.
 */
export async function readDecisionLink(token: string, signal?: AbortSignal): Promise<DecisionLink> {
  const body = new Reader(
    await request(`/api/v1/decision-links/${enc(token)}`, { signal, access: 'public' }),
    'decisionLink',
  );
  return {
    case: parseCase(body.raw('case')),
    entityId: body.str('entityId'),
    expiresAt: body.str('expiresAt'),
  };
}

/** Decides through a one-click link (single use). */
export async function decideWithLink(token: string, input: DecisionInput): Promise<CasePublic> {
  const body = new Reader(
    await request(`/api/v1/decision-links/${enc(token)}`, {
      method: 'POST',
      body: decisionBody(input),
      access: 'public',
    }),
    'decisionLink',
  );
  return parseCase(body.raw('case'));
}

export interface Triage {
  caseId: string;
  stage: Stage;
  platform: Platform;
  scamType: ScamType | null;
  impersonatedEntityId: string | null;
  riskScore: number | null;
  routedEntityId: string | null;
  triagedAt: string | null;
  /** Fields an analyst has overridden (kept on re-triage). */
  overrides: string[];
}

function readTriage(body: unknown): Triage {
  const r = new Reader(body, 'triage');
  return {
    caseId: r.str('caseId'),
    stage: r.oneOfOr('stage', CASE_STAGES, 'triage'),
    platform: r.oneOfOr('platform', PLATFORMS, 'other'),
    scamType: r.oneOfOr('scamType', SCAM_TYPES, null),
    impersonatedEntityId: r.nstr('impersonatedEntityId'),
    riskScore: r.nnum('riskScore'),
    routedEntityId: r.nstr('routedEntityId'),
    triagedAt: r.nstr('triagedAt'),
    overrides: r.strs('overrides'),
  };
}

export async function getTriage(caseId: string, signal?: AbortSignal): Promise<Triage> {
  return readTriage(await request(`/api/v1/cases/${enc(caseId)}/triage`, { signal }));
}

export interface TriageOverride {
  platform?: Platform;
  scamType?: ScamType;
  impersonatedEntityId?: string | null;
  riskScore?: number;
  routedEntityId?: string;
  reason: string;
}

/** An analyst's override of triage fields, recorded with the reason. */
export async function overrideTriage(caseId: string, input: TriageOverride): Promise<Triage> {
  return readTriage(
    await request(`/api/v1/cases/${enc(caseId)}/triage`, { method: 'PATCH', body: input }),
  );
}

export const NOTICE_TARGET_TYPES = ['url', 'line_id', 'phone'] as const;
/** What a notice asks its platform to act on: a content URL, a LINE ID or a phone (E.164). */
export interface NoticeTarget {
  type: (typeof NOTICE_TARGET_TYPES)[number];
  value: string;
}

export interface Notice {
  id: string;
  caseId: string;
  platform: Platform;
  state: NoticeState;
  contentUrl: string | null;
  targets: NoticeTarget[];
  /** When the notice was created (queued for delivery). */
  createdAt: string;
  /** When the platform was told (first successful delivery); null while pending_delivery. */
  sentAt: string | null;
  firstDeadlineAt: string | null;
  /** Null until delivered: no deadline runs on an undelivered notice. */
  deadlineAt: string | null;
  pendingReason: PendingReason | null;
  lastDeliveryError: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  outcomeReason: string | null;
  missedDeadlines: number;
}

function readNotice(r: Reader): Notice {
  return {
    id: r.str('id'),
    caseId: r.str('caseId'),
    platform: r.oneOfOr('platform', PLATFORMS, 'other'),
    state: r.oneOf('state', NOTICE_STATES),
    contentUrl: r.nstr('contentUrl'),
    targets: r.list('targets', (t) => ({
      type: t.oneOf('type', NOTICE_TARGET_TYPES),
      value: t.str('value'),
    })),
    createdAt: r.str('createdAt'),
    sentAt: r.nstr('sentAt'),
    firstDeadlineAt: r.nstr('firstDeadlineAt'),
    deadlineAt: r.nstr('deadlineAt'),
    pendingReason: r.oneOfOr('pendingReason', PENDING_REASONS, null),
    lastDeliveryError: r.nstr('lastDeliveryError'),
    acknowledgedAt: r.nstr('acknowledgedAt'),
    resolvedAt: r.nstr('resolvedAt'),
    outcomeReason: r.nstr('outcomeReason'),
    missedDeadlines: r.num('missedDeadlines'),
  };
}

/** Filters, order and page of the notice list (all optional). */
export interface NoticeFilter {
  /** Only notices in one of these states. */
  states?: readonly NoticeState[];
  platform?: Platform;
  age?: AgeFilter | '';
  /** `deadline`: nearest deadline first (default newest first). */
  sort?: 'newest' | 'deadline';
  limit?: number;
  offset?: number;
}

/**
 * One page of takedown notices with the total (a platform liaison: their platform only).
 * @throws ApiError 400, 401, 403.
 */
export async function getNotices(
  filter: NoticeFilter = {},
  signal?: AbortSignal,
): Promise<PageOf<Notice>> {
  const params = new URLSearchParams();
  for (const state of filter.states ?? []) params.append('state', state);
  if (filter.platform !== undefined) params.set('platform', filter.platform);
  if (filter.sort !== undefined) params.set('sort', filter.sort);
  setAge(params, filter.age ?? '');
  setPaging(params, filter);
  const body = new Reader(
    await request(`/api/v1/notices?${params.toString()}`, { signal }),
    'notices',
  );
  return readPage(body, 'notices', readNotice);
}

/** The platform confirms it received a notice. @throws ApiError 409 when not `sent`. */
export async function acknowledgeNotice(id: string): Promise<Notice> {
  return readNotice(
    new Reader(
      await request(`/api/v1/notices/${enc(id)}/acknowledge`, { method: 'POST' }),
      'notice',
    ),
  );
}

/** The platform's outcome (a reason is required for `rejected`). */
export async function reportOutcome(
  id: string,
  outcome: NoticeOutcome,
  reason: string,
): Promise<Notice> {
  const body: { outcome: NoticeOutcome; reason?: string } = { outcome };
  if (reason.trim() !== '') body.reason = reason.trim();
  return readNotice(
    new Reader(
      await request(`/api/v1/notices/${enc(id)}/outcome`, { method: 'POST', body }),
      'notice',
    ),
  );
}

export interface PlatformCompliance {
  platform: string;
  noticesSent: number;
  removedWithinDeadline: number;
  removedLate: number;
  rejected: number;
  open: number;
  missedDeadlines: number;
  medianHoursToRemoval: number | null;
  p90HoursToRemoval: number | null;
  fineExposure: { min: number; max: number; currency: string | null };
}

/** Takedown compliance per platform for notices sent in [from, to) (YYYY-MM-DD or ISO). */
export async function getCompliance(
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<PlatformCompliance[]> {
  const params = new URLSearchParams({ from, to });
  const body = new Reader(
    await request(`/api/v1/platforms/compliance?${params.toString()}`, { signal }),
    'compliance',
  );
  return body.list('platforms', (r) => {
    const fine = r.obj('fineExposure');
    return {
      platform: r.str('platform'),
      noticesSent: r.num('noticesSent'),
      removedWithinDeadline: r.num('removedWithinDeadline'),
      removedLate: r.num('removedLate'),
      rejected: r.num('rejected'),
      open: r.num('open'),
      missedDeadlines: r.num('missedDeadlines'),
      medianHoursToRemoval: r.nnum('medianHoursToRemoval'),
      p90HoursToRemoval: r.nnum('p90HoursToRemoval'),
      fineExposure: { min: fine.num('min'), max: fine.num('max'), currency: fine.nstr('currency') },
    };
  });
}
