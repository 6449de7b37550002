/** States of a blocklist entry (DESIGN.md: nothing is deleted, entries change state). */
export const ENTRY_STATES = ['proposed', 'active', 'appealed', 'lifted', 'expired'] as const;
export type EntryState = (typeof ENTRY_STATES)[number];

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
