import { Value } from '@sinclair/typebox/value';

import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { conflict } from '../shared/errors.js';

import { PLATFORM_GROUPS, changeOf, percentOf, platformGroupOf, round1 } from './figures.js';
import { hotKeywords } from './keywords.js';
import { localDateOf, shiftWeek, weekPeriod, type Period } from './periods.js';
import { rangeOf } from './stats.service.js';
import {
  factCounts,
  firstReportAt,
  fraudSummaries,
  impersonatedCounts,
  reportsBySourceKind,
  type CountPath,
} from './stats.repo.js';
import { BulletinSchema, type Bulletin, type Share } from './stats.schemas.js';
import { findBulletin, publishedSnapshots, saveBulletin } from './bulletins.repo.js';

import { recordEvent } from '../log/index.js';
import { actorLabel, authorize, can } from '../policy/index.js';
import {
  SCAM_TYPES,
  SCAM_TYPE_NAMES,
  SOURCE_KINDS,
  SOURCE_KIND_NAMES,
  isScamType,
} from '../vocabulary/index.js';
import type { Actor } from '../policy/index.js';
export type { Bulletin, Share };

/** Earlier weeks pooled as the baseline of hot keywords. */
export const KEYWORD_BASELINE_WEEKS = 4;
/** Entities listed as most impersonated. */
export const TOP_IMPERSONATED = 5;
/** Scam types listed. */
export const TOP_SCAM_TYPES = 3;

function sharesOf(
  keys: ReadonlyArray<{ key: string; name: Share['name'] }>,
  current: ReadonlyMap<string, number>,
  previous: ReadonlyMap<string, number>,
): Share[] {
  const total = [...current.values()].reduce((a, b) => a + b, 0);
  const previousTotal = [...previous.values()].reduce((a, b) => a + b, 0);
  return keys.map(({ key, name }) => {
    const count = current.get(key) ?? 0;
    const previousCount = previous.get(key) ?? 0;
    const share = percentOf(count, total);
    const previousShare = percentOf(previousCount, previousTotal);
    return {
      key,
      name,
      count,
      share,
      previousCount,
      previousShare,
      shareChange: round1(share - previousShare),
    };
  });
}

/** The week's reports and confirmed fraud by platform group and scam type. */
async function weekFigures(
  deps: Pick<ServiceDeps, 'db'>,
  period: Period,
  path: CountPath,
): Promise<{
  reports: number;
  fraud: number;
  byGroup: Map<string, number>;
  byType: Map<string, number>;
}> {
  const facts = await factCounts(deps.db, rangeOf(period), {
    path,
    facts: ['report', 'decided_platform', 'decided_type'],
  });
  const byGroup = new Map<string, number>();
  const byType = new Map<string, number>();
  let reports = 0;
  let fraud = 0;
  for (const row of facts) {
    if (row.fact === 'report') {
      reports += row.count;
      continue;
    }
    if (row.verdict !== 'fraud') continue;
    if (row.fact === 'decided_platform') {
      fraud += row.count;
      const group = platformGroupOf(row.dimension);
      byGroup.set(group, (byGroup.get(group) ?? 0) + row.count);
      continue;
    }
    // A case triage has not typed counts as 其他詐騙 (other) in the bulletin.
    const type = isScamType(row.dimension) ? row.dimension : 'other';
    byType.set(type, (byType.get(type) ?? 0) + row.count);
  }
  return { reports, fraud, byGroup, byType };
}

/** Reports received and cases confirmed as fraud before `to` (the cumulative figures). */
async function cumulativeFigures(
  deps: Pick<ServiceDeps, 'db'>,
  to: string,
  path: CountPath,
): Promise<{ reports: number; fraud: number }> {
  const facts = await factCounts(
    deps.db,
    { from: '', to },
    { path, facts: ['report', 'decided_platform'] },
  );
  let reports = 0;
  let fraud = 0;
  for (const row of facts) {
    if (row.fact === 'report') reports += row.count;
    else if (row.verdict === 'fraud') fraud += row.count;
  }
  return { reports, fraud };
}

/**
 * Computes the bulletin of `week` (`YYYY-Www`, weeks of BULLETIN_WEEK_START in STATS_TIME_ZONE)
 * from the store: cumulative reports and confirmed fraud up to the week's end; the week's reports
 * and confirmed fraud with the change against the week before; platform-group shares and the top
 * three scam types of the week's confirmed fraud cases with their change in percentage points;
 * hot keywords (keywords.ts, against the KEYWORD_BASELINE_WEEKS weeks before); the
 * TOP_IMPERSONATED most impersonated entities; the week's reports by source kind (民眾 / AI 掃描 /
 * 公眾人物 …, read from the reports table). Deterministic for the same data; reads no clock.
 * `path` chooses how counts are read (stats.repo.ts CountPath); the bulletin is the same.
 * @throws 400 `invalid_week` for a malformed or non-existent week.
 */
export async function generateBulletin(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  week: string,
  reminders: readonly string[] = [],
  path: CountPath = 'daily',
): Promise<Bulletin> {
  const { timeZone, weekStart } = deps.config.statistics;
  const period = weekPeriod(week, weekStart, timeZone);
  const previousWeek = shiftWeek(week, weekStart, -1);
  const before = weekPeriod(previousWeek, weekStart, timeZone);
  const baseline = weekPeriod(
    shiftWeek(week, weekStart, -KEYWORD_BASELINE_WEEKS),
    weekStart,
    timeZone,
  );
  const range = rangeOf(period);

  const [first, cumulative, now, then, sources, sourcesBefore] = await Promise.all([
    firstReportAt(deps.db),
    cumulativeFigures(deps, range.to, path),
    weekFigures(deps, period, path),
    weekFigures(deps, before, path),
    reportsBySourceKind(deps.db, range),
    reportsBySourceKind(deps.db, rangeOf(before)),
  ]);
  const [texts, baselineTexts, impersonated, impersonatedBefore] = await Promise.all([
    fraudSummaries(deps.db, range),
    fraudSummaries(deps.db, { from: baseline.startsAt, to: range.from }),
    impersonatedCounts(deps.db, range),
    impersonatedCounts(deps.db, rangeOf(before)),
  ]);

  const platformShares = sharesOf(
    PLATFORM_GROUPS.map((g) => ({ key: g.group, name: g.name })),
    now.byGroup,
    then.byGroup,
  );
  const topScamTypes = sharesOf(
    SCAM_TYPES.map((t) => ({ key: t, name: SCAM_TYPE_NAMES[t] })),
    now.byType,
    then.byType,
  )
    .filter((s) => s.count > 0)
    // Stable sort: ties keep the order of SCAM_TYPES.
    .sort((a, b) => b.count - a.count)
    .slice(0, TOP_SCAM_TYPES);
  const previousByEntity = new Map(impersonatedBefore.map((e) => [e.entityId, e.count]));
  const topImpersonated = [...impersonated]
    .sort((a, b) => b.count - a.count || (a.entityId < b.entityId ? -1 : 1))
    .slice(0, TOP_IMPERSONATED)
    .map((e) => ({
      entityId: e.entityId,
      name: { 'zh-TW': e.nameZh ?? e.entityId, en: e.nameEn ?? e.nameZh ?? e.entityId },
      count: e.count,
      previousCount: previousByEntity.get(e.entityId) ?? 0,
    }));

  return {
    week,
    weekStart,
    period,
    previousWeek,
    status: 'draft',
    publishedAt: null,
    cumulative: {
      since: first === null ? null : localDateOf(Date.parse(first), timeZone),
      reports: cumulative.reports,
      confirmedFraud: cumulative.fraud,
    },
    reports: changeOf(now.reports, then.reports),
    confirmedFraud: changeOf(now.fraud, then.fraud),
    platformShares,
    topScamTypes,
    sourceShares: sharesOf(
      SOURCE_KINDS.map((k) => ({ key: k, name: SOURCE_KIND_NAMES[k] })),
      sources,
      sourcesBefore,
    ),
    hotKeywords: hotKeywords(texts, baselineTexts),
    topImpersonated,
    reminders: [...reminders],
  };
}

function parseReminders(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function parseSnapshot(json: string): Bulletin {
  const value: unknown = JSON.parse(json);
  if (!Value.Check(BulletinSchema, value)) {
    throw new Error('A published bulletin snapshot does not match the bulletin schema.');
  }
  return value;
}

/**
 * The bulletin of `week` as `actor` may see it: a published bulletin is its snapshot (figures as
 * published, never recomputed); an unpublished one is computed now, with the draft reminders for
 * analysts and admins and without them for everyone else.
 * @throws 400 `invalid_week`.
 */
export async function getBulletin(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  actor: Actor,
  week: string,
): Promise<Bulletin> {
  weekPeriod(week, deps.config.statistics.weekStart, deps.config.statistics.timeZone);
  const row = await findBulletin(deps.db, week);
  if (row?.snapshot != null && row.state === 'published') return parseSnapshot(row.snapshot);
  const staff = can(actor, 'bulletin.read_reminders');
  return generateBulletin(
    deps,
    week,
    staff && row !== undefined ? parseReminders(row.reminders) : [],
  );
}

/**
 * Replaces the analysts' reminders of an unpublished bulletin (plain text paragraphs, rendered
 * escaped). Recorded as a `bulletin.reminders_updated` audit event.
 * @throws 401/403 unless analyst or admin; 400 `invalid_week`; 409 `bulletin_published`.
 */
export async function setBulletinReminders(
  deps: ServiceDeps,
  actor: Actor,
  week: string,
  reminders: readonly string[],
): Promise<Bulletin> {
  authorize(actor, 'bulletin.edit');
  weekPeriod(week, deps.config.statistics.weekStart, deps.config.statistics.timeZone);
  const clean = reminders.map((r) => r.trim()).filter((r) => r !== '');
  const at = isoTime(deps.clock.now());
  await deps.db.transaction().execute(async (trx) => {
    const row = await findBulletin(trx, week);
    if (row?.state === 'published') {
      throw conflict(
        'bulletin_published',
        `The bulletin of ${week} is published; reminders are final.`,
      );
    }
    await saveBulletin(trx, week, row !== undefined, {
      reminders: JSON.stringify(clean),
      updated_at: at,
      updated_by: actorLabel(actor),
    });
    await recordEvent(trx, {
      type: 'bulletin.reminders_updated',
      subjectType: 'bulletin',
      subjectId: week,
      actor: actorLabel(actor),
      at,
      data: { count: clean.length, reminders: clean },
    });
  });
  return generateBulletin(deps, week, clean);
}

/**
 * Publishes the bulletin of a week that has ended: computes it with its reminders, stores that
 * snapshot (served unchanged from then on) and records a `bulletin.published` audit event.
 * @throws 401/403 unless analyst or admin; 400 `invalid_week`; 409 `bulletin_published` when
 *   already published; 409 `bulletin_week_not_over` before the week's end.
 */
export async function publishBulletin(
  deps: ServiceDeps,
  actor: Actor,
  week: string,
): Promise<Bulletin> {
  authorize(actor, 'bulletin.publish');
  const period = weekPeriod(
    week,
    deps.config.statistics.weekStart,
    deps.config.statistics.timeZone,
  );
  const nowMs = deps.clock.now();
  if (nowMs < Date.parse(period.endsAt)) {
    throw conflict('bulletin_week_not_over', `The week ${week} ends at ${period.endsAt}.`);
  }
  const at = isoTime(nowMs);
  return deps.db.transaction().execute(async (trx) => {
    const row = await findBulletin(trx, week);
    if (row?.state === 'published') {
      throw conflict('bulletin_published', `The bulletin of ${week} is already published.`);
    }
    const reminders = row === undefined ? [] : parseReminders(row.reminders);
    const generated = await generateBulletin({ db: trx, config: deps.config }, week, reminders);
    const bulletin: Bulletin = { ...generated, status: 'published', publishedAt: at };
    await saveBulletin(trx, week, row !== undefined, {
      state: 'published',
      snapshot: JSON.stringify(bulletin),
      published_at: at,
      published_by: actorLabel(actor),
      updated_at: at,
      updated_by: actorLabel(actor),
    });
    await recordEvent(trx, {
      type: 'bulletin.published',
      subjectType: 'bulletin',
      subjectId: week,
      actor: actorLabel(actor),
      at,
      data: {
        reports: bulletin.reports.current,
        confirmedFraud: bulletin.confirmedFraud.current,
        reminders: bulletin.reminders.length,
      },
    });
    return bulletin;
  });
}

/**
 * Published bulletins, newest week first (at most `limit`, default 52), as their snapshots.
 */
export async function listPublishedBulletins(
  deps: Pick<ServiceDeps, 'db'>,
  limit = 52,
): Promise<Bulletin[]> {
  return (await publishedSnapshots(deps.db, limit)).map(parseSnapshot);
}
