import type { PublicCase } from '../cases/index.js';

import type { CaseStatus, LookupOutcome, StatusColour, Verdict } from '../vocabulary/index.js';

/** The one summary of a check, computed by lookupVerdict from the cases it lists. */
export interface LookupVerdict {
  outcome: LookupOutcome;
  /** The public state of the most serious match, with its label and colour; null without one. */
  status: CaseStatus | null;
  label: { 'zh-TW': string; en: string } | null;
  colour: StatusColour | null;
  /** Matching cases listed (the answer's `cases`). */
  matches: number;
  /** Cases that only mention a link of the query (the answer's `mentions.total`). */
  mentions: number;
}

/**
 * What severity is read from: a public case, or a row of one with the colour of its state
 * (STATUS_PRESENTATION).
 */
export interface SeverityFacts {
  colour: StatusColour;
  verdict: string;
  reportCount: number;
  firstReportedAt: string;
}

const COLOUR_RANK: Record<StatusColour, number> = { red: 0, yellow: 1, grey: 2, green: 3 };
/** The most serious decision first; a verdict not in the list ranks as undecided. */
const VERDICT_ORDER: readonly Verdict[] = ['fraud', 'high_risk', 'undecided', 'not_fraud'];

function verdictRank(verdict: string): number {
  const rank = VERDICT_ORDER.findIndex((v) => v === verdict);
  return rank < 0 ? VERDICT_ORDER.indexOf('undecided') : rank;
}

/**
 * Orders cases most serious first: by the colour of their public state (red, yellow, grey,
 * green, from STATUS_PRESENTATION, so new states sort by their colour), then by verdict (fraud,
 * high risk, undecided, not fraud), then the most reported, then the oldest. The order of every
 * list a check shows, and the case lookupVerdict summarises. Pure.
 */
export function compareSeverity(a: SeverityFacts, b: SeverityFacts): number {
  return (
    COLOUR_RANK[a.colour] - COLOUR_RANK[b.colour] ||
    verdictRank(a.verdict) - verdictRank(b.verdict) ||
    b.reportCount - a.reportCount ||
    a.firstReportedAt.localeCompare(b.firstReportedAt)
  );
}

/**
 * The verdict of a check, from exactly what it lists: the most serious of the matching `cases`
 * (compareSeverity) and their number; without a match, whether links of the query are
 * mentioned in messages, whether anything was checked at all (`checked`: a link, a contact or a
 * whole message was looked up). Pure. The API returns it beside the lists, and the web UI shows
 * this verdict, never one of its own.
 * @param mentions cases that only mention a link of the query.
 */
export function lookupVerdict(
  cases: readonly PublicCase[],
  mentions: number,
  checked: boolean,
): LookupVerdict {
  const [worst] = [...cases].sort(compareSeverity);
  if (worst !== undefined) {
    return {
      outcome: 'on_record',
      status: worst.status,
      label: worst.label,
      colour: worst.colour,
      matches: cases.length,
      mentions,
    };
  }
  return {
    outcome: mentions > 0 ? 'mentioned_only' : checked ? 'no_record' : 'not_a_check',
    status: null,
    label: null,
    colour: null,
    matches: 0,
    mentions,
  };
}
