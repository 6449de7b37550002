import type { ServiceDeps } from '../shared/deps.js';
import { NOTICE_PLATFORMS, complianceFigures, type PlatformCompliance } from '../takedown/index.js';

import {
  PLATFORM_GROUPS,
  changeOf,
  platformGroupOf,
  type Change,
  type Label,
  type PlatformGroup,
} from './figures.js';
import { periodOf, previousPeriod, type Period } from './periods.js';
import {
  DECIDED_VERDICTS,
  factCounts,
  reportsBySourceKind,
  type CountPath,
  type CountedVerdict,
  type FactCount,
  type InstantRange,
} from './stats.repo.js';

import { adDisclosureCounts } from '../intake/index.js';
import {
  SCAM_TYPES,
  SCAM_TYPE_NAMES,
  SOURCE_KINDS,
  SOURCE_KIND_NAMES,
  isScamType,
} from '../vocabulary/index.js';
import type { ScamType, SourceKind } from '../vocabulary/index.js';
/** Verdict counts with their change against the previous period. */
export interface VerdictChanges {
  fraud: Change;
  highRisk: Change;
  notFraud: Change;
}

/** One platform group's figures. */
export interface PlatformGroupStats extends VerdictChanges {
  group: PlatformGroup;
  name: Label;
  /** The platforms the group covers. */
  platforms: string[];
  /**
   * Reports received in the period on the group's platforms: each report's own platform (the
   * reporter's word), else its case's platform.
   */
  reports: Change;
  /** Cases first reported in the period on the group's platforms. */
  newCases: Change;
}

/** One scam type's figures (cases decided in the period, by current verdict). */
export interface ScamTypeStats extends VerdictChanges {
  /** A ScamType, or `unclassified` for cases triage has not typed. */
  scamType: ScamType | 'unclassified';
  name: Label;
}

/**
 * The public statistics of a period (GET /api/v1/stats): reports received, new cases (cases first
 * reported in the period) and cases decided by current verdict, by platform group (reports, new
 * cases and decisions by the case's platform) and by scam type (decisions), each with its change
 * against
 * the previous period of the same length, and takedown compliance per platform for notices sent
 * in the period. A case counts in the period in which its current verdict was given
 * (`decided_at`); a later change of verdict moves it to the period of the change.
 */
export interface Stats {
  period: Period;
  previousPeriod: Period;
  reports: Change;
  newCases: Change;
  confirmed: VerdictChanges;
  byPlatform: PlatformGroupStats[];
  byScamType: ScamTypeStats[];
  /** Reports received in the period by who sent them (民眾 / AI 掃描 / 公眾人物 …). */
  bySource: SourceStats[];
  /**
   * Ads the scanner first found in the period, per platform, and how many showed no disclosure
   * of who commissioned and paid for them (the ad real-name rule): platform compliance findings.
   */
  adDisclosure: Array<{ platform: string; ads: number; missingDisclosure: number }>;
  takedown: PlatformCompliance[];
}

/** One source kind's reports in the period, with the change against the previous one. */
export interface SourceStats {
  sourceKind: SourceKind;
  name: Label;
  reports: Change;
}

const UNCLASSIFIED: Label = { 'zh-TW': '未分類', en: 'Unclassified' };

interface VerdictTally {
  fraud: number;
  highRisk: number;
  notFraud: number;
}

function emptyTally(): VerdictTally {
  return { fraud: 0, highRisk: 0, notFraud: 0 };
}

function addTo(tally: VerdictTally, row: { verdict: CountedVerdict; count: number }): void {
  if (row.verdict === 'fraud') tally.fraud += row.count;
  else if (row.verdict === 'high_risk') tally.highRisk += row.count;
  else tally.notFraud += row.count;
}

function verdictChanges(current: VerdictTally, previous: VerdictTally): VerdictChanges {
  return {
    fraud: changeOf(current.fraud, previous.fraud),
    highRisk: changeOf(current.highRisk, previous.highRisk),
    notFraud: changeOf(current.notFraud, previous.notFraud),
  };
}

/** The raw counts of one period, before comparison. */
interface PeriodCounts {
  reports: number;
  newCases: number;
  total: VerdictTally;
  reportsByGroup: Map<PlatformGroup, number>;
  newCasesByGroup: Map<PlatformGroup, number>;
  byGroup: Map<PlatformGroup, VerdictTally>;
  byType: Map<string, VerdictTally>;
}

function isCountedVerdict(verdict: string): verdict is CountedVerdict {
  return (DECIDED_VERDICTS as readonly string[]).includes(verdict);
}

/** The figures of a period from its fact counts (stats.repo.ts factCounts). */
export function tallyFacts(facts: readonly FactCount[]): PeriodCounts {
  const counts: PeriodCounts = {
    reports: 0,
    newCases: 0,
    total: emptyTally(),
    reportsByGroup: new Map(),
    newCasesByGroup: new Map(),
    byGroup: new Map(),
    byType: new Map(),
  };
  const bump = (map: Map<PlatformGroup, number>, platform: string, n: number) => {
    const group = platformGroupOf(platform);
    map.set(group, (map.get(group) ?? 0) + n);
  };
  for (const row of facts) {
    if (row.fact === 'report') {
      counts.reports += row.count;
      bump(counts.reportsByGroup, row.dimension, row.count);
      continue;
    }
    if (row.fact === 'new_case') {
      counts.newCases += row.count;
      bump(counts.newCasesByGroup, row.dimension, row.count);
      continue;
    }
    const verdict = row.verdict;
    if (!isCountedVerdict(verdict)) continue;
    if (row.fact === 'decided_platform') {
      addTo(counts.total, { verdict, count: row.count });
      const group = platformGroupOf(row.dimension);
      const groupTally = counts.byGroup.get(group) ?? emptyTally();
      addTo(groupTally, { verdict, count: row.count });
      counts.byGroup.set(group, groupTally);
      continue;
    }
    // A type triage has not given (or no longer knows) counts as unclassified.
    const type = isScamType(row.dimension) ? row.dimension : 'unclassified';
    const typeTally = counts.byType.get(type) ?? emptyTally();
    addTo(typeTally, { verdict, count: row.count });
    counts.byType.set(type, typeTally);
  }
  return counts;
}

async function periodCounts(
  deps: Pick<ServiceDeps, 'db'>,
  range: InstantRange,
  path: CountPath,
): Promise<PeriodCounts> {
  return tallyFacts(await factCounts(deps.db, range, { path }));
}

/** Instants of a period as the repo's range. */
export function rangeOf(period: Period): InstantRange {
  return { from: period.startsAt, to: period.endsAt };
}

/**
 * Statistics of the local days `from`…`to` (inclusive, `YYYY-MM-DD`) in `timeZone` (default
 * the configured STATS_TIME_ZONE), compared with the period of the same length just before.
 * Public: contains only counts. Deterministic for the same data.
 * @throws 400 `validation_failed` (field `from`, `to` or `timeZone`) for invalid input.
 */
export async function getStats(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  input: { from: string; to: string; timeZone?: string | undefined },
): Promise<Stats> {
  const period = periodOf(input.from, input.to, input.timeZone ?? deps.config.statistics.timeZone);
  return statsOf(deps, period);
}

/**
 * Statistics of `period` against the period just before it (see getStats). `path` chooses how
 * counts are read (stats.repo.ts CountPath; default the daily table); the figures are the same.
 */
export async function statsOf(
  deps: Pick<ServiceDeps, 'db'>,
  period: Period,
  path: CountPath = 'daily',
): Promise<Stats> {
  const before = previousPeriod(period);
  const [current, previous, takedown, sources, previousSources, adDisclosure] = await Promise.all([
    periodCounts(deps, rangeOf(period), path),
    periodCounts(deps, rangeOf(before), path),
    complianceFigures(deps, rangeOf(period), NOTICE_PLATFORMS),
    reportsBySourceKind(deps.db, rangeOf(period)),
    reportsBySourceKind(deps.db, rangeOf(before)),
    adDisclosureCounts(deps.db, rangeOf(period)),
  ]);
  const scamTypes: Array<ScamType | 'unclassified'> = [...SCAM_TYPES, 'unclassified'];
  return {
    period,
    previousPeriod: before,
    reports: changeOf(current.reports, previous.reports),
    newCases: changeOf(current.newCases, previous.newCases),
    confirmed: verdictChanges(current.total, previous.total),
    byPlatform: PLATFORM_GROUPS.map((g) => ({
      group: g.group,
      name: g.name,
      platforms: [...g.platforms],
      reports: changeOf(
        current.reportsByGroup.get(g.group) ?? 0,
        previous.reportsByGroup.get(g.group) ?? 0,
      ),
      newCases: changeOf(
        current.newCasesByGroup.get(g.group) ?? 0,
        previous.newCasesByGroup.get(g.group) ?? 0,
      ),
      ...verdictChanges(
        current.byGroup.get(g.group) ?? emptyTally(),
        previous.byGroup.get(g.group) ?? emptyTally(),
      ),
    })),
    byScamType: scamTypes.map((scamType) => ({
      scamType,
      name: scamType === 'unclassified' ? UNCLASSIFIED : SCAM_TYPE_NAMES[scamType],
      ...verdictChanges(
        current.byType.get(scamType) ?? emptyTally(),
        previous.byType.get(scamType) ?? emptyTally(),
      ),
    })),
    bySource: SOURCE_KINDS.map((sourceKind) => ({
      sourceKind,
      name: SOURCE_KIND_NAMES[sourceKind],
      reports: changeOf(sources.get(sourceKind) ?? 0, previousSources.get(sourceKind) ?? 0),
    })),
    adDisclosure,
    takedown,
  };
}
