import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  importEntries,
  readBlocklistFile,
  type BlocklistImportRow,
  type BlocklistImportSummary,
} from '../blocklist/index.js';
import { getPublicCases } from '../cases/index.js';
import { createUser } from '../identity/index.js';
import { importRows, type ImportProgress, type ImportSummary } from '../intake/index.js';
import { addDays, localDateOf, publishBulletin, weekOf } from '../statistics/index.js';
import { acknowledgeNotice, sendCaseNotices, type TakedownNotice } from '../takedown/index.js';
import type { Clock } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { isAppError } from '../shared/errors.js';
import { DEMO_FILES, firstRows, placeDemoRows, readDemoRows } from './demo-data.js';
import { shiftIso } from './demo-dates.js';

import type { Actor } from '../policy/index.js';
const HOUR_MS = 3_600_000;

/** Who records the blocklist entries the 165 lists stand for (as the 165 imports' decisions). */
const TW165_IMPORTER: Actor = { role: 'analyst', id: 'import:tw165' };

/** Who performs the demo's staff steps (sending notices, publishing the bulletin, the account). */
const DEMO_STAFF: Actor = { role: 'admin', id: 'system:demo' };

/**
 * The demo platform liaison: an account of LINE's role in scamnet, made by the demo, never LINE's
 * own. It has no known password; an admin sets one (users page) to sign in as it.
 */
export const DEMO_LIAISON = {
  email: 'line-liaison@scamnet-demo.invalid',
  displayName: 'LINE 示範聯絡窗口 (demo liaison account, not LINE)',
  platform: 'line',
} as const;

/** At most this many of the most recent 165 LINE ID cases get a takedown notice in the demo. */
export const DEMO_NOTICES_MAX = 20;

/** One demo file's import. */
export interface DemoFileResult {
  file: string;
  summary: ImportSummary;
  /** Days its dates moved (placeDemoRows); null for an undated file. */
  shiftDays: number | null;
}

/** What importDemo did. */
export interface DemoImportResult {
  files: DemoFileResult[];
  blocklist: {
    /** 165's DNS-suspended shop sites: active entries on the publisher's published suspension. */
    suspended: BlocklistImportSummary | null;
    /** 165's reported fake-investment sites: proposed entries, one per registrable domain. */
    reported: BlocklistImportSummary | null;
  };
  notices: { liaisonUserId: string | null; sent: number; acknowledged: number };
  /** The week (`YYYY-Www`) of the bulletin published, or null. */
  bulletinWeek: string | null;
}

/** Where a stored demo row landed: its case and (demo) receipt time. */
interface StoredRow {
  caseId: string;
  receivedAt: string;
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

function fixedClock(ms: number): Clock {
  return { now: () => ms };
}

/**
 * 165's DNS-suspended shop sites as blocklist entries (readBlocklistFile `tw165-dns-suspended`:
 * active on legal basis `published_suspension`, requested by the publisher), each linked to the
 * case its row made, effective on the row's suspension date moved by the file's demo shift.
 */
async function blockSuspendedSites(
  deps: ServiceDeps,
  file: string,
  limit: number,
  shiftDays: number | null,
  cases: ReadonlyMap<number, StoredRow>,
): Promise<BlocklistImportSummary> {
  const rows: BlocklistImportRow[] = [];
  for await (const row of firstRows(readBlocklistFile(file, 'tw165-dns-suspended'), limit)) {
    if ('error' in row) {
      rows.push(row);
      continue;
    }
    const caseId = cases.get(row.line)?.caseId;
    const effectiveAt = row.activation?.effectiveAt;
    const moved = effectiveAt !== undefined && shiftDays !== null;
    rows.push({
      line: row.line,
      entry: {
        ...row.entry,
        caseIds: caseId === undefined ? [] : [caseId],
        note: moved
          ? `${row.entry.note ?? ''}（示範資料：生效日平移 ${shiftDays} 天 / demo: effective date moved by ${shiftDays} days）`
          : row.entry.note,
      },
      activation:
        row.activation === undefined
          ? undefined
          : {
              ...row.activation,
              effectiveAt: moved ? shiftIso(effectiveAt, shiftDays) : effectiveAt,
            },
    });
  }
  return importEntries(deps, TW165_IMPORTER, fromArray(rows));
}

/**
 * 165's weekly list of *reported* fake-investment sites as proposed entries awaiting a legal
 * basis (readBlocklistFile `tw165-investment`: one per registrable domain), each linked to every
 * case its rows made.
 */
async function proposeReportedSites(
  deps: ServiceDeps,
  file: string,
  limit: number,
  cases: ReadonlyMap<number, StoredRow>,
): Promise<BlocklistImportSummary> {
  const rows: BlocklistImportRow[] = [];
  const byDomain = new Map<string, { row: BlocklistImportRow; caseIds: Set<string> }>();
  for await (const row of firstRows(readBlocklistFile(file, 'tw165-investment'), limit)) {
    if ('error' in row) {
      rows.push(row);
      continue;
    }
    const caseId = cases.get(row.line)?.caseId;
    const key = row.entry.domain.toLowerCase();
    const site = byDomain.get(key);
    if (site === undefined) {
      byDomain.set(key, { row, caseIds: new Set(caseId === undefined ? [] : [caseId]) });
    } else if (caseId !== undefined) {
      site.caseIds.add(caseId);
    }
  }
  for (const { row, caseIds } of byDomain.values()) {
    if ('error' in row) continue;
    rows.push({
      line: row.line,
      entry: {
        ...row.entry,
        caseIds: [...caseIds],
        note: `${row.entry.note ?? ''}（165 民眾通報網站，尚待法律依據 / reported to 165; awaiting a legal basis）`,
      },
    });
  }
  rows.sort((a, b) => a.line - b.line);
  return importEntries(deps, TW165_IMPORTER, fromArray(rows));
}

/**
 * Takedown notices for the 165 LINE ID cases decided in the last 24 hours (at most
 * DEMO_NOTICES_MAX, oldest first), through the same service calls as staff and the liaison
 * portal: sendCaseNotices by staff, then acknowledgeNotice by the demo liaison account
 * (DEMO_LIAISON, created here) — an acknowledgement in the portal is how the notice reaches the
 * platform when no webhook or e-mail channel is set. Each notice is sent within an hour of its
 * case's decision and acknowledged within three (never after now); no outcome is recorded: what
 * the platform did is not in the data.
 */
async function noticeRecentLineIds(
  deps: ServiceDeps,
  cases: ReadonlyMap<number, StoredRow>,
): Promise<DemoImportResult['notices']> {
  const now = deps.clock.now();
  const recent = new Map<string, string>();
  for (const { caseId, receivedAt } of cases.values()) {
    if (Date.parse(receivedAt) >= now - 24 * HOUR_MS && !recent.has(caseId)) {
      recent.set(caseId, receivedAt);
    }
  }
  const caseIds = [...recent.entries()]
    .sort(([a, ta], [b, tb]) => ta.localeCompare(tb) || a.localeCompare(b))
    .slice(0, DEMO_NOTICES_MAX)
    .map(([id]) => id);
  const result: DemoImportResult['notices'] = { liaisonUserId: null, sent: 0, acknowledged: 0 };
  if (caseIds.length === 0) return result;
  const { user } = await createUser(deps, DEMO_STAFF, {
    email: DEMO_LIAISON.email,
    role: 'platform_liaison',
    platform: DEMO_LIAISON.platform,
    displayName: DEMO_LIAISON.displayName,
  });
  result.liaisonUserId = user.id;
  const liaison: Actor = {
    role: 'platform_liaison',
    id: `user:${user.id}`,
    platform: DEMO_LIAISON.platform,
  };
  for (const kase of await getPublicCases(deps, caseIds)) {
    if (kase.verdict !== 'fraud') continue;
    const decided = Date.parse(kase.decidedAt ?? recent.get(kase.id) ?? '') || now;
    const span = Math.max(0, now - decided);
    const sentAt = decided + Math.min(HOUR_MS, span / 3);
    const acknowledgedAt = decided + Math.min(3 * HOUR_MS, (2 * span) / 3);
    let notices: TakedownNotice[];
    try {
      notices = await sendCaseNotices({ ...deps, clock: fixedClock(sentAt) }, DEMO_STAFF, kase.id);
    } catch (error) {
      // A case with nothing LINE can act on, or already notified: nothing to send.
      if (isAppError(error) && error.status === 409) continue;
      throw error;
    }
    result.sent += notices.length;
    for (const notice of notices) {
      if (notice.platform !== DEMO_LIAISON.platform) continue;
      await acknowledgeNotice({ ...deps, clock: fixedClock(acknowledgedAt) }, liaison, notice.id);
      result.acknowledged += 1;
    }
  }
  return result;
}

/**
 * Publishes the bulletin of the last full week (weeks of BULLETIN_WEEK_START in STATS_TIME_ZONE)
 * through the bulletin service, as staff would.
 * @returns its week.
 */
async function publishLastFullWeek(deps: ServiceDeps): Promise<string> {
  const { timeZone, weekStart } = deps.config.statistics;
  const week = weekOf(addDays(localDateOf(deps.clock.now(), timeZone), -7), weekStart);
  await publishBulletin(deps, DEMO_STAFF, week);
  return week;
}

/**
 * Imports the demo data set from `dir` (DEMO_FILES; at most `rowsPerFile` rows of each, for
 * tests) and runs the rest of the process on it, all through the services the API uses:
 * 1. every file through intake (importRows), its dates placed relative to now (placeDemoRows);
 * 2. 165's DNS-suspended shop sites become active blocklist entries (RPZ zone, feeds,
 *    domains.txt) and its reported fake-investment sites proposed ones; names the protection
 *    guard refuses are counted in the summaries' `rejected`, never forced in;
 * 3. the 165 LINE IDs decided in the last 24 hours get takedown notices, acknowledged by a demo
 *    LINE liaison account;
 * 4. the bulletin of the last full week is published.
 * Meant for an empty store (see storeIsEmpty). `onFile(file)` gives the progress callback of a file.
 * @returns what each step did (see DemoImportResult).
 */
export async function importDemo(
  deps: ServiceDeps,
  dir: string,
  options: { rowsPerFile?: number; onFile?: (file: string) => ImportProgress } = {},
): Promise<DemoImportResult> {
  const limit = options.rowsPerFile ?? Infinity;
  const now = deps.clock.now();
  const result: DemoImportResult = {
    files: [],
    blocklist: { suspended: null, reported: null },
    notices: { liaisonUserId: null, sent: 0, acknowledged: 0 },
    bulletinWeek: null,
  };
  const stored = new Map<string, Map<number, StoredRow>>();
  const shifts = new Map<string, number | null>();
  for (const { file, format, options: formatOptions, dated } of DEMO_FILES) {
    const full = path.join(dir, file);
    if (!existsSync(full)) continue;
    const placed = placeDemoRows(
      await readDemoRows(full, format, formatOptions, limit),
      dated,
      now,
    );
    const byLine = new Map<number, StoredRow>();
    const summary = await importRows(
      deps,
      fromArray(placed.rows),
      options.onFile?.(file),
      (line, row) => byLine.set(line, { caseId: row.caseId, receivedAt: row.receivedAt }),
    );
    stored.set(format, byLine);
    shifts.set(format, placed.shiftDays);
    result.files.push({ file, summary, shiftDays: placed.shiftDays });
  }
  const suspended = DEMO_FILES.find((f) => f.format === 'tw165-dns-suspended');
  const suspendedCases = stored.get('tw165-dns-suspended');
  if (suspended !== undefined && suspendedCases !== undefined) {
    result.blocklist.suspended = await blockSuspendedSites(
      deps,
      path.join(dir, suspended.file),
      limit,
      shifts.get('tw165-dns-suspended') ?? null,
      suspendedCases,
    );
  }
  const reported = DEMO_FILES.find((f) => f.format === 'tw165-investment');
  const reportedCases = stored.get('tw165-investment');
  if (reported !== undefined && reportedCases !== undefined) {
    result.blocklist.reported = await proposeReportedSites(
      deps,
      path.join(dir, reported.file),
      limit,
      reportedCases,
    );
  }
  const lineCases = stored.get('tw165-line-ids');
  if (lineCases !== undefined) result.notices = await noticeRecentLineIds(deps, lineCases);
  if (result.files.length > 0) result.bulletinWeek = await publishLastFullWeek(deps);
  return result;
}
