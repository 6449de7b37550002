import type { Static } from '@sinclair/typebox';
import type { EntrySchema, ZoneOmissionsResponseSchema } from './blocklist.schemas.js';
import type { ZoneOmission } from './zone.service.js';
import type { BlocklistEntry } from './blocklist.types.js';

/** An entry as the API shows it (EntrySchema): the only way an entry becomes JSON. */
export type EntryView = Static<typeof EntrySchema>;

/**
 * The analyst/admin view of an entry. The source's external ID stays internal; everything else
 * about a block (legal basis, unit, dates, cases) is public record anyway and is shown.
 */
export function presentEntry(entry: BlocklistEntry): EntryView {
  return {
    id: entry.id,
    domain: entry.domain,
    state: entry.state,
    legalBasis: entry.legalBasis === null ? null : { ...entry.legalBasis },
    requestingUnit: entry.requestingUnit,
    siteType: entry.siteType,
    effectiveAt: entry.effectiveAt,
    expiresAt: entry.expiresAt,
    source: entry.source,
    note: entry.note,
    caseIds: [...entry.caseIds],
    createdAt: entry.createdAt,
    updatedAt: entry.updatedAt,
  };
}

/** An entry the RPZ zone leaves out, as staff see it (ZoneOmissionsResponseSchema). */
export type ZoneOmissionView = Static<typeof ZoneOmissionsResponseSchema>['omitted'][number];

/** The staff view of an omitted entry: its ID, domain, the rule, what matched and why. */
export function presentOmission(omission: ZoneOmission): ZoneOmissionView {
  return {
    entryId: omission.entryId,
    domain: omission.domain,
    rule: omission.rule,
    matched: omission.matched,
    message: omission.message,
  };
}
