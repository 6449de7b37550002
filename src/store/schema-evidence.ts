import type { Generated } from 'kysely';

/** Tables of the evidence capability: the audit trail of every state change. */
export interface EvidenceTables {
  events: EventsTable;
}

/**
 * One state change of a case, report, notice or blocklist entry, append-only. `seq` orders the
 * trail; `data` is the event's JSON (canonical form, see evidence/events.ts).
 */
export interface EventsTable {
  seq: Generated<number>;
  at: string;
  type: string;
  subject_type: string;
  subject_id: string;
  actor: string;
  data: string;
}
