import { getPublicCases, sqlHolders, type HolderSource, type PublicCase } from '../cases/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import {
  findNearDuplicateCase,
  type NearDuplicateMatch,
  type NearDuplicateSignature,
} from '../triage/index.js';
import { caseIdsByKeys, severityOf, type SeverityRow } from './lookup.repo.js';

/**
 * Where a check (lookup.service.ts) reads what it matches and shows: the store (sqlLookupSource)
 * or the in-memory lookup index (lookup-index.ts), which answers the same for the same store
 * contents.
 */
export interface LookupSource {
  /** Holders of indicators, for matchIndicators. */
  readonly holders: HolderSource;
  /** IDs of cases holding any of the merge `keys` (case_keys), in no particular order. */
  caseIdsByKeys(keys: readonly string[]): Promise<string[]>;
  /** What `caseIds` are ranked by, in ID order; unknown IDs are skipped. */
  severityOf(caseIds: readonly string[]): Promise<SeverityRow[]>;
  /** Public views of `caseIds` in the given order; unknown IDs are skipped (getPublicCases). */
  publicCases(caseIds: readonly string[]): Promise<PublicCase[]>;
  /**
   * The stored case most similar to a message, by triage's rule (findNearDuplicateCase: LSH
   * candidates through the signature's band keys, verified by bestNearDuplicate), or null.
   */
  nearDuplicateCase(signature: NearDuplicateSignature): Promise<NearDuplicateMatch | null>;
}

/** The lookup source reading the store: one or more SQL queries per question. */
export function sqlLookupSource(deps: Pick<ServiceDeps, 'db'>): LookupSource {
  return {
    holders: sqlHolders(deps.db),
    caseIdsByKeys: (keys) => caseIdsByKeys(deps.db, keys),
    severityOf: (caseIds) => severityOf(deps.db, caseIds),
    publicCases: (caseIds) => getPublicCases(deps, caseIds),
    nearDuplicateCase: (signature) => findNearDuplicateCase(deps.db, signature),
  };
}
