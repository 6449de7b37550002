import type { ServiceDeps } from '../shared/deps.js';
import {
  readImportFile,
  type ImportFormat,
  type ImportOptions,
  type ImportRow,
  type ReportInput,
} from '../intake/index.js';
import { dayShiftOnto, shiftIso, undatedTime } from './demo-dates.js';
import { storeHasNoCase } from '../cases/index.js';

import { taipeiDateOf } from '../shared/taipei-dates.js';
/**
 * The shipped demo files (data/demo, see its NOTICE.md), in import order. `dated` files carry
 * their own dates (moved onto the present, see placeDemoRows); the others have none.
 */
export const DEMO_FILES: ReadonlyArray<{
  file: string;
  format: ImportFormat;
  options: ImportOptions;
  dated: boolean;
}> = [
  {
    file: 'phishing_shop_sites_dns_suspended.csv',
    format: 'tw165-dns-suspended',
    options: {},
    dated: true,
  },
  { file: 'fake_investment_sites.csv', format: 'tw165-investment', options: {}, dated: true },
  { file: 'line_ids.csv', format: 'tw165-line-ids', options: {}, dated: true },
  {
    file: 'blocklistproject-scam.txt',
    format: 'domains',
    options: {
      source: 'blocklistproject',
      verdict: 'high_risk',
      note: 'Listed in The Block List Project scam list (community list, not an authority decision)',
    },
    dated: false,
  },
  { file: 'cofacts-dev.csv', format: 'cofacts', options: {}, dated: false },
];

/** True when the store holds no case yet. */
export async function storeIsEmpty(deps: Pick<ServiceDeps, 'db'>): Promise<boolean> {
  return storeHasNoCase(deps.db);
}

/** The first `limit` rows of `rows` (all with Infinity). */
export async function* firstRows<T>(rows: AsyncIterable<T>, limit: number): AsyncGenerator<T> {
  if (limit <= 0) return;
  let n = 0;
  for await (const row of rows) {
    n += 1;
    yield row;
    if (n >= limit) return;
  }
}

/** Reads at most `limit` rows of a demo file, in file order. */
export async function readDemoRows(
  full: string,
  format: ImportFormat,
  options: ImportOptions,
  limit: number,
): Promise<ImportRow[]> {
  const rows: ImportRow[] = [];
  for await (const row of firstRows(readImportFile(full, format, options), limit)) rows.push(row);
  return rows;
}

/** What placeDemoRows did: the rows with their demo dates, and the shift of a dated file. */
export interface PlacedRows {
  rows: ImportRow[];
  /** Days every date of a dated file moved (null for an undated file or one without dates). */
  shiftDays: number | null;
}

function withNote(input: ReportInput, note: string): ReportInput {
  if (input.decision === undefined) return input;
  return { ...input, decision: { ...input.decision, note: `${input.decision.note}（${note}）` } };
}

/**
 * Places a demo file's rows in time relative to `nowMs` (the README's "Demo data" section):
 * - a dated file: every date (report received, removal) moves by the same whole number of days,
 *   dayShiftOnto(latest date of the file, now): the file's latest date becomes today (Asia/Taipei)
 *   and the spacing between rows is kept, so an imported decision keeps its real relation to its
 *   report; each imported decision's note states the row's real date and the shift;
 * - an undated file: row i of n is received at undatedTime(i, n, now), in file order, over four
 *   weeks ending eight days ago (outside the 24-hour and 7-day lists); a decision's note says so.
 * Pure apart from reading the clock value given.
 */
export function placeDemoRows(
  rows: readonly ImportRow[],
  dated: boolean,
  nowMs: number,
): PlacedRows {
  const inputs = rows.flatMap((r) => ('input' in r ? [r.input] : []));
  if (!dated) {
    let index = 0;
    return {
      shiftDays: null,
      rows: rows.map((row) => {
        if (!('input' in row)) return row;
        const receivedAt = undatedTime(index, inputs.length, nowMs);
        index += 1;
        const input = withNote(
          { ...row.input, receivedAt },
          '示範資料：原檔無日期，示範日期依檔案順序排列 / demo: the file has no dates; placed in file order',
        );
        return { line: row.line, input };
      }),
    };
  }
  const dates = inputs.flatMap((i) => [i.receivedAt, i.decision?.removedAt]);
  const latest = dates
    .filter((d): d is string => d !== undefined)
    .reduce<string | null>((a, b) => (a === null || Date.parse(b) > Date.parse(a) ? b : a), null);
  if (latest === null) return { rows: [...rows], shiftDays: null };
  const days = dayShiftOnto(latest, nowMs);
  return {
    shiftDays: days,
    rows: rows.map((row) => {
      if (!('input' in row)) return row;
      const { receivedAt, decision } = row.input;
      const real = [
        receivedAt === undefined ? null : `原始日期 ${taipeiDateOf(receivedAt)}`,
        decision?.removedAt === undefined ? null : `移除 ${taipeiDateOf(decision.removedAt)}`,
      ].filter((s) => s !== null);
      const input: ReportInput = {
        ...row.input,
        receivedAt: receivedAt === undefined ? undefined : shiftIso(receivedAt, days),
        decision:
          decision === undefined
            ? undefined
            : {
                ...decision,
                ...(decision.removedAt === undefined
                  ? {}
                  : { removedAt: shiftIso(decision.removedAt, days) }),
              },
      };
      return {
        line: row.line,
        input: withNote(
          input,
          `示範資料：${real.join('、')}，平移 ${days} 天 / demo: real dates moved by ${days} days`,
        ),
      };
    }),
  };
}
