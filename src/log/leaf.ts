import { canonicalJson } from './canonical-json.js';

/** The fields of an audit event that its log leaf commits to. */
export interface LeafEvent {
  readonly seq: number;
  readonly at: string;
  readonly type: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly actor: string;
  readonly data: unknown;
}

/**
 * The leaf input of an audit event in the Merkle log: the RFC 8785 canonical JSON of
 * `{ actor, at, data, seq, subjectId, subjectType, type }` (UTF-8). Its RFC 9162 leaf hash is
 * `SHA-256(0x00 || leafInput)`. Anyone holding the event can recompute it.
 * @throws CanonicalJsonError when `data` is not JSON (see canonicalJson).
 */
export function eventLeafInput(event: LeafEvent): string {
  return canonicalJson({
    actor: event.actor,
    at: event.at,
    data: event.data,
    seq: event.seq,
    subjectId: event.subjectId,
    subjectType: event.subjectType,
    type: event.type,
  });
}
