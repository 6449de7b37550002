/** Decisions a verifier or analyst can record (DESIGN.md vocabulary), plus `undecided` while open. */
export const VERDICTS = ['undecided', 'fraud', 'high_risk', 'not_fraud'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The verdicts a person can set (not `undecided`). */
export const DECIDED_VERDICTS = ['fraud', 'high_risk', 'not_fraud'] as const;
export type DecidedVerdict = (typeof DECIDED_VERDICTS)[number];

/** Public case states (DESIGN.md "Public status labels"). */
export const CASE_STATUSES = [
  'processing',
  'awaiting_party',
  'high_risk',
  'fraud_notified',
  'fraud_removed',
  'not_fraud',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export type StatusColour = 'red' | 'yellow' | 'grey' | 'green';

export interface StatusLabel {
  'zh-TW': string;
  en: string;
}

/** Label and colour of each public state, exactly as DESIGN.md (after the reference site). */
export const STATUS_PRESENTATION: Readonly<
  Record<CaseStatus, { label: StatusLabel; colour: StatusColour }>
> = {
  fraud_notified: {
    label: { 'zh-TW': '詐騙訊息，已通知平台移除', en: 'Scam — platform told to remove it' },
    colour: 'red',
  },
  fraud_removed: {
    label: { 'zh-TW': '詐騙訊息，平台已移除', en: 'Scam — removed by the platform' },
    colour: 'red',
  },
  awaiting_party: {
    label: {
      'zh-TW': '疑似詐騙訊息，已通知本人',
      en: 'Suspected scam — the impersonated party has been asked',
    },
    colour: 'yellow',
  },
  high_risk: { label: { 'zh-TW': '高風險訊息', en: 'High risk' }, colour: 'yellow' },
  processing: { label: { 'zh-TW': '處理中', en: 'Being checked' }, colour: 'grey' },
  not_fraud: { label: { 'zh-TW': '非詐騙訊息', en: 'Not a scam' }, colour: 'green' },
};

/**
 * The public state of a case from its verdict, whether its content is known to be removed, and
 * whether the impersonated party itself has been asked to confirm (an undecided case routed to
 * the entity it names). A fraud verdict counts as "platform told to remove it" until removal is
 * observed: recording a fraud verdict is what creates the takedown notices.
 */
export function statusOf(
  verdict: Verdict,
  removedAt: string | null,
  awaitingParty = false,
): CaseStatus {
  switch (verdict) {
    case 'fraud':
      return removedAt === null ? 'fraud_notified' : 'fraud_removed';
    case 'high_risk':
      return 'high_risk';
    case 'not_fraud':
      return 'not_fraud';
    case 'undecided':
      return awaitingParty ? 'awaiting_party' : 'processing';
  }
}

/** Type guard for stored verdict strings. */
export function isVerdict(value: string): value is Verdict {
  return (VERDICTS as readonly string[]).includes(value);
}

/** Type guard for stored status strings. */
export function isCaseStatus(value: string): value is CaseStatus {
  return (CASE_STATUSES as readonly string[]).includes(value);
}
