import type { ServiceDeps } from '../shared/deps.js';
import { NOTICE_PLATFORMS, complianceFigures, type PlatformCompliance } from '../takedown/index.js';
import { SCAM_TYPES, SCAM_TYPE_NAMES, type ScamType } from '../triage/index.js';
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
  countReports,
  decisionsByPlatform,
  decisionsByScamType,
  newCasesByPlatform,
  type CountedVerdict,
  type InstantRange,
} from './stats.repo.js';

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
 * reported in the period) and cases decided by current verdict, by platform group (new cases and
 * decisions) and by scam type (decisions), each with its change against
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
  takedown: PlatformCompliance[];
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
  newCasesByGroup: Map<PlatformGroup, number>;
  byGroup: Map<PlatformGroup, VerdictTally>;
  byType: Map<string, VerdictTally>;
}

async function periodCounts(
  deps: Pick<ServiceDeps, 'db'>,
  range: InstantRange,
): Promise<PeriodCounts> {
  const [reports, newCases, byPlatform, byScamType] = await Promise.all([
    countReports(deps.db, range),
    newCasesByPlatform(deps.db, range),
    decisionsByPlatform(deps.db, range),
    decisionsByScamType(deps.db, range),
  ]);
  const total = emptyTally();
  const byGroup = new Map<PlatformGroup, VerdictTally>();
  const byType = new Map<string, VerdictTally>();
  for (const row of byPlatform) {
    addTo(total, row);
    const group = platformGroupOf(row.platform);
    const groupTally = byGroup.get(group) ?? emptyTally();
    addTo(groupTally, row);
    byGroup.set(group, groupTally);
  }
  for (const row of byScamType) {
    const type = row.scamType ?? 'unclassified';
    const typeTally = byType.get(type) ?? emptyTally();
    addTo(typeTally, row);
    byType.set(type, typeTally);
  }
  const newCasesByGroup = new Map<PlatformGroup, number>();
  for (const row of newCases) {
    const group = platformGroupOf(row.platform);
    newCasesByGroup.set(group, (newCasesByGroup.get(group) ?? 0) + row.count);
  }
  return {
    reports,
    newCases: newCases.reduce((sum, r) => sum + r.count, 0),
    total,
    newCasesByGroup,
    byGroup,
    byType,
  };
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

/** Statistics of `period` against the period just before it (see getStats). */
export async function statsOf(deps: Pick<ServiceDeps, 'db'>, period: Period): Promise<Stats> {
  const before = previousPeriod(period);
  const [current, previous, takedown] = await Promise.all([
    periodCounts(deps, rangeOf(period)),
    periodCounts(deps, rangeOf(before)),
    complianceFigures(deps, rangeOf(period), NOTICE_PLATFORMS),
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
    takedown,
  };
}
