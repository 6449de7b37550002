import type { CaseStatus, Verdict } from '../vocabulary/index.js';

/** States of a blocklist entry as they bear on its cases (blocklist/blocklist.types.ts). */
export type BlockState = 'proposed' | 'active' | 'appealed' | 'lifted' | 'expired';

/** What the records say about a case, beyond its verdict: what its public state is built from. */
export interface StatusFacts {
  /** The case's platform (`website` cases are blocked, not taken down). */
  platform: string;
  /** When removal was reported or observed (for a website: a publisher's DNS suspension). */
  removedAt: string | null;
  /** An undecided case waits for the impersonated party itself (routed to its verifier). */
  awaitingParty: boolean;
  /** A takedown notice of the case was delivered to its platform and not withdrawn. */
  platformNotified: boolean;
  /** States of the blocklist entries linked to the case. */
  blockStates: readonly string[];
}

const NO_FACTS: StatusFacts = {
  platform: 'other',
  removedAt: null,
  awaitingParty: false,
  platformNotified: false,
  blockStates: [],
};

/** The public state of a fraud website from its blocking records (see CASE_STATUSES). */
function websiteStatus(facts: StatusFacts): CaseStatus {
  const has = (state: BlockState) => facts.blockStates.includes(state);
  if (has('active')) return 'blocked';
  if (has('appealed')) return 'block_appealed';
  if (has('proposed')) return 'block_proposed';
  if (facts.removedAt !== null) return 'blocked';
  if (has('lifted') || has('expired')) return 'block_lifted';
  return 'site_confirmed';
}

/**
 * The public state of a case from its verdict and what the records show (StatusFacts): a fraud
 * verdict on a platform's content is `fraud_removed` once removal was reported or observed,
 * `fraud_notified` only once a takedown notice was delivered, else `fraud_confirmed`; a fraud
 * website's state is about blocking (websiteStatus); an undecided case is `awaiting_party` while
 * it waits for the impersonated party, else `processing`.
 */
export function statusOf(verdict: Verdict, facts: Partial<StatusFacts> = {}): CaseStatus {
  const f: StatusFacts = { ...NO_FACTS, ...facts };
  switch (verdict) {
    case 'fraud':
      if (f.platform === 'website') return websiteStatus(f);
      if (f.removedAt !== null) return 'fraud_removed';
      return f.platformNotified ? 'fraud_notified' : 'fraud_confirmed';
    case 'high_risk':
      return 'high_risk';
    case 'not_fraud':
      return 'not_fraud';
    case 'undecided':
      return f.awaitingParty ? 'awaiting_party' : 'processing';
  }
}
