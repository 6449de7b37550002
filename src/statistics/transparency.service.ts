import type { ServiceDeps } from '../shared/deps.js';
import { badRequest } from '../shared/errors.js';
import { LEGAL_BASES } from '../vocabulary/index.js';
import { BLOCKLIST_ACTIONS, type BlocklistAction } from './figures.js';
import { periodOf, type Period } from './periods.js';
import { appealHistory, blocklistEvents } from './stats.repo.js';
import type { CountPath } from './stats.repo.js';
import { rangeOf, statsOf, type Stats } from './stats.service.js';

/** Blocklist activity of one legal basis (`none` for entries without one yet). */
export interface BlocklistActivity {
  legalBasis: string;
  counts: Record<BlocklistAction, number>;
}

/**
 * Appeals filed in the period and their outcome by the period's end: `rejected` (the entry was
 * reinstated), `upheld` (lifted after the appeal), `pending` (neither yet).
 */
export interface AppealOutcomes {
  filed: number;
  upheld: number;
  rejected: number;
  pending: number;
}

/**
 * The transparency report of a period (yearly or on demand): the statistics of the period (with
 * per-platform takedown compliance, seen from the regulator's side), blocklist activity by legal
 * basis, and appeals with their outcomes.
 */
export interface TransparencyReport {
  statistics: Stats;
  blocklist: BlocklistActivity[];
  appeals: AppealOutcomes;
}

/** The legal bases of the report: the vocabulary's, and `none` for entries without one yet. */
const REPORT_BASES = [...LEGAL_BASES, 'none'] as const;

/**
 * The transparency report of the local days `from`…`to` (inclusive) or of calendar `year`, in
 * STATS_TIME_ZONE unless `timeZone` is given. Public: counts only.
 * @throws 400 `validation_failed` for invalid dates, neither or both of year and from/to.
 */
export async function getTransparencyReport(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  input: {
    year?: number | undefined;
    from?: string | undefined;
    to?: string | undefined;
    timeZone?: string | undefined;
  },
): Promise<TransparencyReport> {
  const timeZone = input.timeZone ?? deps.config.statistics.timeZone;
  let period: Period;
  if (input.year !== undefined && input.from === undefined && input.to === undefined) {
    if (!Number.isInteger(input.year) || input.year < 1970 || input.year > 9999) {
      throw badRequest('validation_failed', 'year must be a year such as 2025.', 'year');
    }
    period = periodOf(`${input.year}-01-01`, `${input.year}-12-31`, timeZone);
  } else if (input.year === undefined && input.from !== undefined && input.to !== undefined) {
    period = periodOf(input.from, input.to, timeZone);
  } else {
    throw badRequest('validation_failed', 'Give either year or both from and to.', 'year');
  }
  return transparencyOf(deps, period);
}

/**
 * The transparency report of `period` (see getTransparencyReport); `path` as in statsOf (the
 * figures are the same either way).
 */
export async function transparencyOf(
  deps: Pick<ServiceDeps, 'db'>,
  period: Period,
  path: CountPath = 'daily',
): Promise<TransparencyReport> {
  const range = rangeOf(period);
  const [statistics, events] = await Promise.all([
    statsOf(deps, period, path),
    blocklistEvents(deps.db, range),
  ]);
  const byBasis = new Map<string, Record<BlocklistAction, number>>(
    REPORT_BASES.map((b) => [
      b,
      { proposed: 0, activated: 0, appealed: 0, reinstated: 0, lifted: 0, expired: 0 },
    ]),
  );
  const appealed = new Set<string>();
  for (const event of events) {
    const action = BLOCKLIST_ACTIONS.find((a) => event.type === `blocklist_entry.${a}`);
    if (action === undefined) continue;
    const basis = event.legalBasis ?? 'none';
    const counts = byBasis.get(basis) ?? {
      proposed: 0,
      activated: 0,
      appealed: 0,
      reinstated: 0,
      lifted: 0,
      expired: 0,
    };
    counts[action] += 1;
    byBasis.set(basis, counts);
    if (action === 'appealed') appealed.add(event.entryId);
  }
  const appeals: AppealOutcomes = { filed: 0, upheld: 0, rejected: 0, pending: 0 };
  const history = await appealHistory(deps.db, [...appealed].sort(), range.to);
  // Walk each entry's history: an appeal in the period ends at the next reinstatement or lift.
  const open = new Map<string, boolean>();
  for (const event of history) {
    if (event.type === 'blocklist_entry.appealed') {
      const inPeriod = event.at >= range.from;
      if (inPeriod) appeals.filed += 1;
      open.set(event.entryId, inPeriod);
      continue;
    }
    const counted = open.get(event.entryId);
    if (counted === undefined) continue;
    open.delete(event.entryId);
    if (!counted) continue;
    if (event.type === 'blocklist_entry.reinstated') appeals.rejected += 1;
    else appeals.upheld += 1;
  }
  appeals.pending = [...open.values()].filter((counted) => counted).length;
  return {
    statistics,
    blocklist: [...byBasis].map(([legalBasis, counts]) => ({ legalBasis, counts })),
    appeals,
  };
}
