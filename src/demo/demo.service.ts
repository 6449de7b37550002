import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  importEntries,
  readBlocklistFile,
  type BlocklistImportRow,
  type BlocklistImportSummary,
} from '../blocklist/index.js';
import { getPublicCases } from '../cases/index.js';
import { createUser, findUserIdByIdOrEmail } from '../identity/index.js';
import { importRows, type ImportProgress, type ImportSummary } from '../intake/index.js';
import { addDays, localDateOf, publishBulletin, weekOf } from '../statistics/index.js';
import { acknowledgeNotice, listNoticePage, sendCaseNotices } from '../takedown/index.js';
import { isoTime, type Clock } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { isAppError } from '../shared/errors.js';
import { DEMO_FILES, firstRows, placeDemoRows, readDemoRows, storeIsEmpty } from './demo-data.js';
import { findDemoImport, finishDemoImport, insertDemoImport } from './demo.repo.js';
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

/** How importDemo runs. */
export interface DemoImportOptions {
  /** At most this many rows of each file (tests). */
  rowsPerFile?: number;
  /** The progress callback of a file. */
  onFile?: (file: string) => ImportProgress;
  /** The instant (ms since the epoch, UTC) the demo's dates are placed relative to. */
  now?: number;
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
  now: number,
): Promise<DemoImportResult['notices']> {
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
  const userId = await demoLiaisonId(deps);
  result.liaisonUserId = userId;
  const liaison: Actor = {
    role: 'platform_liaison',
    id: `user:${userId}`,
    platform: DEMO_LIAISON.platform,
  };
  for (const kase of await getPublicCases(deps, caseIds)) {
    if (kase.verdict !== 'fraud') continue;
    const decided = Date.parse(kase.decidedAt ?? recent.get(kase.id) ?? '') || now;
    const span = Math.max(0, now - decided);
    const sentAt = decided + Math.min(HOUR_MS, span / 3);
    const acknowledgedAt = decided + Math.min(3 * HOUR_MS, (2 * span) / 3);
    try {
      const notices = await sendCaseNotices(
        { ...deps, clock: fixedClock(sentAt) },
        DEMO_STAFF,
        kase.id,
      );
      result.sent += notices.length;
    } catch (error) {
      // Already notified (an interrupted import, resumed): acknowledge what is still open below.
      // A case with nothing LINE can act on: nothing to send.
      if (!isAppError(error) || error.status !== 409) throw error;
      if (error.code !== 'notice_already_open') continue;
    }
    const open = await listNoticePage(deps, liaison, {
      caseId: kase.id,
      platform: DEMO_LIAISON.platform,
    });
    for (const notice of open.items) {
      if (notice.acknowledgedAt !== null) continue;
      await acknowledgeNotice({ ...deps, clock: fixedClock(acknowledgedAt) }, liaison, notice.id);
      result.acknowledged += 1;
    }
  }
  return result;
}

/** The demo liaison account (DEMO_LIAISON): created, or found when an earlier run made it. */
async function demoLiaisonId(deps: ServiceDeps): Promise<string> {
  try {
    const { user } = await createUser(deps, DEMO_STAFF, {
      email: DEMO_LIAISON.email,
      role: 'platform_liaison',
      platform: DEMO_LIAISON.platform,
      displayName: DEMO_LIAISON.displayName,
    });
    return user.id;
  } catch (error) {
    if (isAppError(error) && error.code === 'email_taken') {
      return findUserIdByIdOrEmail(deps, DEMO_LIAISON.email);
    }
    throw error;
  }
}

/**
 * Publishes the bulletin of the last full week before `now` (weeks of BULLETIN_WEEK_START in
 * STATS_TIME_ZONE) through the bulletin service, as staff would; one already published (by an
 * interrupted import, resumed) is kept.
 * @returns its week.
 */
async function publishLastFullWeek(deps: ServiceDeps, now: number): Promise<string> {
  const { timeZone, weekStart } = deps.config.statistics;
  const week = weekOf(addDays(localDateOf(now, timeZone), -7), weekStart);
  try {
    await publishBulletin(deps, DEMO_STAFF, week);
  } catch (error) {
    if (!isAppError(error) || error.code !== 'bulletin_published') throw error;
  }
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
 * Every step is idempotent, so running it again after an interruption completes it and adds
 * nothing twice: reports by their externalId, blocklist entries by domain and externalId, the
 * liaison account by e-mail, notices by the open notice of each case, the bulletin by its week.
 * Meant for an empty store (see importDemoOnStart). `now` (ms, default the clock's) is the instant
 * the dates are placed relative to: a resumed import passes the first run's. `onFile(file)` gives
 * the progress callback of a file.
 * @returns what each step did in this run (see DemoImportResult).
 */
export async function importDemo(
  deps: ServiceDeps,
  dir: string,
  options: DemoImportOptions = {},
): Promise<DemoImportResult> {
  const limit = options.rowsPerFile ?? Infinity;
  const now = options.now ?? deps.clock.now();
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
  if (lineCases !== undefined) result.notices = await noticeRecentLineIds(deps, lineCases, now);
  if (result.files.length > 0) result.bulletinWeek = await publishLastFullWeek(deps, now);
  return result;
}

/** The marker name of the shipped demo data set in `demo_imports`. */
const DEMO_MARKER = 'demo';

/**
 * The start's demo import (DEMO_DATA): imports the demo into an empty store, or completes an
 * import a previous start began and did not finish (killed, crashed, stopped), placed at the
 * first start's instant so the result equals an uninterrupted import. A marker in the store
 * (`demo_imports`) records the start before the first row and the finish after the last step;
 * a store with cases and no marker (a real deployment, or a demo imported before the marker
 * existed) is left alone.
 * @returns what the import did, with `resumed` true when it completed an interrupted one; null
 *   when there was nothing to do.
 */
export async function importDemoOnStart(
  deps: ServiceDeps,
  dir: string,
  options: Omit<DemoImportOptions, 'now'> = {},
): Promise<(DemoImportResult & { resumed: boolean }) | null> {
  let marker = await findDemoImport(deps.db, DEMO_MARKER);
  if (marker !== undefined && marker.finishedAt !== null) return null;
  const resumed = marker !== undefined;
  if (marker === undefined) {
    if (!(await storeIsEmpty(deps))) return null;
    await insertDemoImport(deps.db, DEMO_MARKER, isoTime(deps.clock.now()));
    marker = await findDemoImport(deps.db, DEMO_MARKER);
    if (marker === undefined) throw new Error('the demo import marker was not stored');
  }
  deps.log.info(
    { startedAt: marker.startedAt },
    resumed
      ? 'the demo import of an earlier start was interrupted: completing it'
      : 'empty database: importing the demo data set (data/demo, see NOTICE.md)',
  );
  const result = await importDemo(deps, dir, { ...options, now: Date.parse(marker.startedAt) });
  await finishDemoImport(deps.db, DEMO_MARKER, isoTime(deps.clock.now()));
  return { ...result, resumed };
}
