/** States of a blocklist entry (DESIGN.md: nothing is deleted, entries change state). */
export const ENTRY_STATES = ['proposed', 'active', 'appealed', 'lifted', 'expired'] as const;
export type EntryState = (typeof ENTRY_STATES)[number];

/** States in which an entry still holds its domain (at most one such entry per domain). */
export const OPEN_STATES: readonly EntryState[] = ['proposed', 'active', 'appealed'];

/**
 * What a block may rest on (詐欺犯罪危害防制條例): a court ruling, an administrative disposition by
 * the competent authority, an emergency order — or `published_suspension`: the requesting
 * authority's own publication that the domain's resolution was suspended at its request (e.g.
 * 165's open list of one-page shop sites with their 停止解析 dates). That last kind records the
 * authority's published statement as it stands, not an instrument: the publication names no
 * ruling or disposition, and scamnet invents none. Its reference says where the authority
 * published it and its date is the suspension date the publication gives.
 */
export const LEGAL_BASES = [
  'court_ruling',
  'administrative_disposition',
  'emergency_order',
  'published_suspension',
] as const;
export type LegalBasisKind = (typeof LEGAL_BASES)[number];

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
