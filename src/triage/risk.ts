/** Signals the risk score is computed from (all observable at triage time). */
export interface RiskSignals {
  /** Distinct scam-type keywords found in the text (used when `scamProbability` is absent). */
  keywordHits: number;
  /**
   * The trained classifier's probability that the text is a scam, 0–1, when the model decides
   * scam vs not scam (its model file's `scamSource`); replaces the keyword term.
   */
  scamProbability?: number | undefined;
  /** The content names (or its domain imitates) a registered entity. */
  impersonation: boolean;
  /** A link shortener hides the destination. */
  shortener: boolean;
  /** Contact or payment indicators: LINE ID, phone, crypto address, bank account. */
  contactOrPayment: number;
  /** A domain imitates a protected one (lookalike). */
  lookalike: boolean;
  /** Reports so far. */
  reportCount: number;
  /**
   * The content holds an indicator of a confirmed scam (a case with a `fraud` verdict holding the
   * same phone, LINE ID, account, address or reported site: cases/matches.service.ts).
   */
  knownScam?: boolean | undefined;
}

/**
 * Risk score 0–100 (higher is riskier), a documented additive rule so analysts can explain it:
 * 10 base; the text: +40 × the classifier's scam probability (rounded), or, without one, +8 per
 * scam keyword (at most 40); +20 impersonation; +20 lookalike domain; +10 shortener; +5 per
 * contact/payment indicator (at most 15); +5 when reported more than once; +40 when it shares an
 * indicator with a confirmed scam (the strongest single signal: the same LINE ID, phone, account
 * or site was already decided fraud). Capped at 100.
 */
export function riskScore(signals: RiskSignals): number {
  const text =
    signals.scamProbability === undefined
      ? Math.min(40, 8 * signals.keywordHits)
      : Math.round(40 * Math.min(1, Math.max(0, signals.scamProbability)));
  const score =
    10 +
    text +
    (signals.impersonation ? 20 : 0) +
    (signals.lookalike ? 20 : 0) +
    (signals.shortener ? 10 : 0) +
    Math.min(15, 5 * signals.contactOrPayment) +
    (signals.reportCount > 1 ? 5 : 0) +
    (signals.knownScam === true ? 40 : 0);
  return Math.min(100, score);
}
