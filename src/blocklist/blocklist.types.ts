import {
  ENTRY_STATES,
  LEGAL_BASES,
  type EntryState,
  type LegalBasisKind,
} from '../vocabulary/index.js';

// The entry states and legal bases live in src/vocabulary (the web UI shares them).
export {
  ENTRY_STATES,
  LEGAL_BASES,
  type EntryState,
  type LegalBasisKind,
} from '../vocabulary/index.js';

/** States in which an entry still holds its domain (at most one such entry per domain). */
export const OPEN_STATES: readonly EntryState[] = ['proposed', 'active', 'appealed'];

/**
 * The legal basis of a block: its kind, the reference (number of the ruling or disposition, or
 * where the authority published the suspension) and the date (`YYYY-MM-DD`).
 */
export interface LegalBasis {
  readonly kind: LegalBasisKind;
  readonly reference: string;
  /** Calendar date of the ruling, disposition or published suspension, `YYYY-MM-DD`. */
  readonly date: string;
}

/** A blocklist entry as the services and presenters see it (camelCase; times ISO 8601 UTC). */
export interface BlocklistEntry {
  readonly id: string;
  /** Lower-case ASCII host or registrable domain; the RPZ zone also blocks every name under it. */
  readonly domain: string;
  readonly state: EntryState;
  readonly legalBasis: LegalBasis | null;
  readonly requestingUnit: string | null;
  readonly siteType: string | null;
  readonly effectiveAt: string | null;
  readonly expiresAt: string | null;
  readonly source: string;
  readonly externalId: string | null;
  readonly note: string | null;
  readonly caseIds: readonly string[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** True when `value` is one of ENTRY_STATES. */
export function isEntryState(value: string): value is EntryState {
  return (ENTRY_STATES as readonly string[]).includes(value);
}

/** True when `value` is one of LEGAL_BASES. */
export function isLegalBasisKind(value: string): value is LegalBasisKind {
  return (LEGAL_BASES as readonly string[]).includes(value);
}

/** Entries per page of the staff list unless `limit` says otherwise. */
export const ENTRY_PAGE_SIZE = 100;
/** Largest page of entries (documented before paging existed, so kept). */
export const ENTRY_MAX_PAGE_SIZE = 1000;
