import { describe, expect, it } from 'vitest';

import type { PublicCase } from '../cases/index.js';
import { compareSeverity, lookupVerdict } from './lookup-verdict.js';

import { STATUS_PRESENTATION, type CaseStatus } from '../vocabulary/index.js';
let next = 0;
function kase(status: CaseStatus, verdict: string, reportCount = 1): PublicCase {
  next += 1;
  return {
    id: `C${String(next).padStart(10, '0')}`,
    status,
    ...STATUS_PRESENTATION[status],
    verdict,
    reportCount,
    platform: 'other',
    firstReportedAt: `2026-11-${String(10 + (next % 10)).padStart(2, '0')}T00:00:00.000Z`,
    lastReportedAt: '2026-11-29T00:00:00.000Z',
    decidedAt: null,
    summary: null,
    urls: [],
    indicators: [],
    source: 'citizen',
    mergedInto: null,
  };
}

describe('lookupVerdict', () => {
  it('is the most serious listed case, whatever the order it is given in', () => {
    const green = kase('not_fraud', 'not_fraud', 9);
    const grey = kase('processing', 'undecided', 5);
    const red = kase('fraud_removed', 'fraud');
    for (const cases of [
      [green, grey, red],
      [red, green, grey],
    ]) {
      expect(lookupVerdict(cases, 0, true)).toEqual({
        outcome: 'on_record',
        status: 'fraud_removed',
        label: red.label,
        colour: 'red',
        matches: 3,
        mentions: 0,
      });
    }
    expect(lookupVerdict([green], 2, true)).toMatchObject({ colour: 'green', mentions: 2 });
  });

  it('without a match: mentioned only, no record, or not a check', () => {
    const none = { status: null, label: null, colour: null, matches: 0 };
    expect(lookupVerdict([], 3, true)).toEqual({ outcome: 'mentioned_only', mentions: 3, ...none });
    expect(lookupVerdict([], 0, true)).toEqual({ outcome: 'no_record', mentions: 0, ...none });
    expect(lookupVerdict([], 0, false)).toEqual({ outcome: 'not_a_check', mentions: 0, ...none });
  });
});

describe('compareSeverity', () => {
  it('orders by colour, then verdict, then reports, then age', () => {
    const yellowParty = kase('awaiting_party', 'undecided', 50);
    const yellowRisk = kase('high_risk', 'high_risk', 1);
    const redMany = kase('fraud_notified', 'fraud', 7);
    const redFew = kase('fraud_notified', 'fraud', 2);
    const sorted = [yellowParty, redFew, yellowRisk, redMany].sort(compareSeverity);
    expect(sorted.map((c) => c.id)).toEqual([redMany.id, redFew.id, yellowRisk.id, yellowParty.id]);
  });

  it('ranks a verdict it does not know as undecided', () => {
    const at = { firstReportedAt: '2026-11-01T00:00:00.000Z', reportCount: 1 };
    const unknown = { ...at, colour: 'grey' as const, verdict: 'some_new_verdict' };
    const undecided = { ...at, colour: 'grey' as const, verdict: 'undecided' };
    const notFraud = { ...at, colour: 'grey' as const, verdict: 'not_fraud' };
    expect(compareSeverity(unknown, undecided)).toBe(0);
    expect(compareSeverity(unknown, notFraud)).toBeLessThan(0);
  });
});
