/**
 * The portal histories and takedown settings: a verifier's own decisions
 * (`GET /api/v1/verification/history`), a reporter's own reports (`GET /api/v1/me/reports`), the
 * sanction ledger (`GET /api/v1/sanctions`) and the platforms' notice delivery channels
 * (`GET /api/v1/platforms/channels`, `PUT /api/v1/platforms/{platform}/channel`). The server
 * decides who may read what; this client shapes requests and checks the fields the UI reads.
 */
import type { NoticePlatform } from '../../src/vocabulary/index.js';
import {
  parseCase,
  PLATFORMS,
  VERDICTS,
  type CasePublic,
  type Platform,
  type Verdict,
} from './api';
import { request } from './http';
import { readPage, setPaging, type PageOf } from './paging';
import { Reader } from './reader';

const enc = encodeURIComponent;

/** One decision the signed-in person recorded. `case` is null when the case is gone. */
export interface DecisionHistoryEntry {
  caseId: string;
  verdict: Verdict;
  note: string | null;
  /** ISO 8601 UTC. */
  decidedAt: string;
  case: CasePublic | null;
}

/**
 * One page of the signed-in verifier's (or analyst's, admin's) own decisions, newest first, with
 * the total; optionally only one verdict. @throws ApiError 400, 401, 403.
 */
export async function getDecisionHistory(
  filter: { verdict?: Exclude<Verdict, 'undecided'>; limit?: number; offset?: number },
  signal?: AbortSignal,
): Promise<PageOf<DecisionHistoryEntry>> {
  const params = new URLSearchParams();
  if (filter.verdict !== undefined) params.set('verdict', filter.verdict);
  setPaging(params, filter);
  const body = new Reader(
    await request(`/api/v1/verification/history?${params.toString()}`, { signal }),
    'history',
  );
  return readPage(body, 'decisions', (r) => {
    const kase = r.raw('case');
    return {
      caseId: r.str('caseId'),
      verdict: r.oneOfOr('verdict', VERDICTS, 'undecided'),
      note: r.nstr('note'),
      decidedAt: r.str('decidedAt'),
      case: kase === null || kase === undefined ? null : parseCase(kase),
    };
  });
}

/** One of the signed-in reporter's reports with the public view of its case. */
export interface MyReport {
  id: string;
  /** ISO 8601 UTC. */
  receivedAt: string;
  url: string | null;
  text: string | null;
  platform: Platform | null;
  case: CasePublic;
}

/**
 * One page of the signed-in reporter's own reports, newest first, with the total.
 * @throws ApiError 401 when signed out, 403 for other roles.
 */
export async function getMyReports(
  paging: { limit?: number; offset?: number },
  signal?: AbortSignal,
): Promise<PageOf<MyReport>> {
  const params = new URLSearchParams();
  setPaging(params, paging);
  const body = new Reader(
    await request(`/api/v1/me/reports?${params.toString()}`, { signal }),
    'myReports',
  );
  return readPage(body, 'reports', (r) => ({
    id: r.str('id'),
    receivedAt: r.str('receivedAt'),
    url: r.nstr('url'),
    text: r.nstr('text'),
    platform: r.oneOfOr('platform', PLATFORMS, null),
    case: parseCase(r.raw('case')),
  }));
}

/** Platforms that receive takedown notices (websites are blocked instead): the server's list. */
export { NOTICE_PLATFORMS, type NoticePlatform } from '../../src/vocabulary/index.js';

/** One ledger entry: a platform missed one notice deadline. Fines in `currency` units. */
export interface Sanction {
  noticeId: string;
  /** The server's platform name (shown as is when this build does not know it). */
  platform: string;
  /** How many deadlines this platform had missed, counting this one. */
  occurrence: number;
  missedDeadlineAt: string;
  legalBasis: string;
  fineMin: number;
  fineMax: number;
  currency: string;
  recordedAt: string;
}

/** Most ledger entries the page asks for at once. */
export const SANCTIONS_LIMIT = 500;

/**
 * The sanction ledger, newest first: analysts and admins (optionally one platform), a platform
 * liaison only their own platform (the server enforces it). @throws ApiError 401/403.
 */
export async function getSanctions(
  filter: { platform?: NoticePlatform } = {},
  signal?: AbortSignal,
): Promise<Sanction[]> {
  const params = new URLSearchParams({ limit: String(SANCTIONS_LIMIT) });
  if (filter.platform !== undefined) params.set('platform', filter.platform);
  const body = new Reader(
    await request(`/api/v1/sanctions?${params.toString()}`, { signal }),
    'sanctions',
  );
  return body.list('sanctions', (r) => ({
    noticeId: r.str('noticeId'),
    platform: r.str('platform'),
    occurrence: r.num('occurrence'),
    missedDeadlineAt: r.str('missedDeadlineAt'),
    legalBasis: r.str('legalBasis'),
    fineMin: r.num('fineMin'),
    fineMax: r.num('fineMax'),
    currency: r.str('currency'),
    recordedAt: r.str('recordedAt'),
  }));
}

/** Where one platform's notices go. The webhook secret is write-only: only whether one is set. */
export interface DeliveryChannel {
  platform: string;
  webhookUrl: string | null;
  webhookSigned: boolean;
  email: string | null;
  updatedAt: string;
}

function readChannel(r: Reader): DeliveryChannel {
  return {
    platform: r.str('platform'),
    webhookUrl: r.nstr('webhookUrl'),
    webhookSigned: r.bool('webhookSigned'),
    email: r.nstr('email'),
    updatedAt: r.str('updatedAt'),
  };
}

/** The configured delivery channels (admins). Platforms never configured are absent. */
export async function getChannels(signal?: AbortSignal): Promise<DeliveryChannel[]> {
  const body = new Reader(await request('/api/v1/platforms/channels', { signal }), 'channels');
  return body.list('channels', readChannel);
}

export interface ChannelInput {
  /** http(s) URL, or null for no webhook. */
  webhookUrl: string | null;
  /** HMAC-SHA256 secret (at least 16 characters), required with a webhook. */
  webhookSecret: string | null;
  email: string | null;
}

/**
 * Replaces a platform's delivery channel (admins): every field is set, a missing one cleared.
 * @throws ApiError 400 `validation_failed` naming `webhookUrl`, `webhookSecret` or `email`.
 */
export async function setChannel(
  platform: NoticePlatform,
  input: ChannelInput,
): Promise<DeliveryChannel> {
  return readChannel(
    new Reader(
      await request(`/api/v1/platforms/${enc(platform)}/channel`, { method: 'PUT', body: input }),
      'channel',
    ),
  );
}

/**
 * A webhook URL as shown back: scheme, host and path only. User info, query and fragment may
 * carry tokens, so they are replaced by "…" (the stored URL is unchanged).
 */
export function maskWebhookUrl(raw: string): string {
  try {
    const url = new URL(raw);
    const hidden = url.username !== '' || url.password !== '';
    const tail = url.search !== '' || url.hash !== '' ? '?…' : '';
    return `${url.protocol}//${hidden ? '…@' : ''}${url.host}${url.pathname}${tail}`;
  } catch {
    return '…';
  }
}
