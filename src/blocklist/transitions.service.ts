/**
 * The state machine of a blocklist entry after it is proposed: activate (with a legal basis),
 * appeal, reinstate, lift, and expire; each change enters or leaves the zone in one transaction.
 */
import type { Kysely } from 'kysely';
import { recordEvent } from '../log/index.js';
import { actorLabel, authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { badRequest, conflict } from '../shared/errors.js';
import type { Database } from '../store/index.js';
import { dueForExpiry, toEntry, updateEntry } from './blocklist.repo.js';
import type { BlocklistEntry, EntryState } from './blocklist.types.js';
import { loadEntry, requireEntryRow } from './entries.service.js';
import { checkActivation, checkBlockDomain, type ActivationInput } from './entry-checks.js';
import { refreshCasesOf } from './proposals.service.js';
import { inZoneTransaction, type ZoneChanges } from './zone-journal.js';

/**
 * Activates the proposed entry `id` inside `trx`: sets the legal basis, requesting unit and dates
 * and adds the domain to the published set.
 */
export async function activateIn(
  trx: Kysely<Database>,
  deps: ServiceDeps,
  zone: ZoneChanges,
  actor: Actor,
  id: string,
  input: ActivationInput,
  at: string,
): Promise<void> {
  const row = await requireEntryRow(trx, id);
  if (row.state !== 'proposed') {
    throw conflict(
      'invalid_transition',
      `Entry ${id} is ${row.state}; only a proposed entry can be activated.`,
    );
  }
  // An entry proposed under older rules (or another origin) is checked again before it is live.
  checkBlockDomain(deps.config, row.domain);
  const checked = checkActivation(
    { basis: toEntry(row, []).legalBasis, unit: row.requesting_unit, siteType: row.site_type },
    input,
    at,
  );
  const { basis, unit, siteType, effectiveAt, expiresAt } = checked;
  await updateEntry(trx, id, {
    state: 'active',
    legal_basis: basis.kind,
    legal_reference: basis.reference,
    legal_date: basis.date,
    requesting_unit: unit,
    site_type: siteType,
    effective_at: effectiveAt,
    expires_at: expiresAt,
    updated_at: at,
  });
  zone.add(row.domain);
  await recordEvent(trx, {
    type: 'blocklist_entry.activated',
    subjectType: 'blocklist_entry',
    subjectId: id,
    actor: actorLabel(actor),
    at,
    data: {
      domain: row.domain,
      from: row.state,
      legalBasis: basis,
      requestingUnit: unit,
      siteType,
      effectiveAt,
      expiresAt,
      note: input.note?.trim() || null,
    },
  });
  await refreshCasesOf(trx, id, at, actorLabel(actor), 'blocklist_entry.activated');
}

/**
 * Activates a proposed entry: it needs a legal basis (court ruling, administrative disposition,
 * emergency order, or a suspension the requesting authority published; with reference and date)
 * and the requesting unit, given here or earlier; the domain enters the RPZ zone and the feeds
 * with the next serial.
 * @throws AppError 401/403; 404 `blocklist_entry_not_found`; 409 `invalid_transition`; 400
 *   `legal_basis_required`, `requesting_unit_required`, `invalid_legal_basis`, `invalid_time`,
 *   `effective_in_future`, `expiry_in_past`; the guard's `domain_refused` / `domain_too_long` for
 *   an entry proposed before the current rules or origin.
 */
export async function activateEntry(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  input: ActivationInput,
): Promise<BlocklistEntry> {
  authorize(actor, 'blocklist.activate');
  const at = isoTime(deps.clock.now());
  await inZoneTransaction(deps, (trx, zone) => activateIn(trx, deps, zone, actor, id, input, at));
  return loadEntry(deps.db, id);
}

/** The transitions after activation: event type, allowed source states, target state. */
const TRANSITIONS = {
  appeal: { event: 'appealed', from: ['active'], to: 'appealed' },
  reinstate: { event: 'reinstated', from: ['appealed'], to: 'active' },
  lift: { event: 'lifted', from: ['proposed', 'active', 'appealed'], to: 'lifted' },
} as const satisfies Record<string, { event: string; from: readonly EntryState[]; to: EntryState }>;

/** A state change after activation (see TRANSITIONS). */
export type EntryTransition = keyof typeof TRANSITIONS;

/**
 * Applies `transition` to entry `id`: `appeal` (active → appealed: the site owner contests the
 * block; the domain leaves the zone while the appeal is decided), `reinstate` (appealed →
 * active: appeal rejected), `lift` (proposed/active/appealed → lifted: withdrawn, appeal upheld or
 * ruling revoked). Every change is an audit event; nothing is deleted.
 * @param note why (required for appeal and lift, ≤ 2,000 characters).
 * @throws AppError 401/403; 404 `blocklist_entry_not_found`; 409 `invalid_transition`; 400
 *   `note_required`; `domain_refused` / `domain_too_long` when reinstating an entry the current
 *   rules refuse (lift it instead).
 */
export async function transitionEntry(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  transition: EntryTransition,
  note: string | undefined,
): Promise<BlocklistEntry> {
  authorize(actor, 'blocklist.transition', `${transition} a blocklist entry`);
  const rule = TRANSITIONS[transition];
  const text = note?.trim() || null;
  if (text === null && transition !== 'reinstate') {
    throw badRequest('note_required', `Say why (note) to ${transition} an entry.`, 'note');
  }
  const at = isoTime(deps.clock.now());
  await inZoneTransaction(deps, async (trx, zone) => {
    const row = await requireEntryRow(trx, id);
    if (!(rule.from as readonly string[]).includes(row.state)) {
      throw conflict('invalid_transition', `Entry ${id} is ${row.state}; cannot ${transition} it.`);
    }
    if (rule.to === 'active') checkBlockDomain(deps.config, row.domain);
    await updateEntry(trx, id, { state: rule.to, updated_at: at });
    if (row.state === 'active') zone.del(row.domain);
    if (rule.to === 'active') zone.add(row.domain);
    await recordEvent(trx, {
      type: `blocklist_entry.${rule.event}`,
      subjectType: 'blocklist_entry',
      subjectId: id,
      actor: actorLabel(actor),
      at,
      data: { domain: row.domain, from: row.state, to: rule.to, note: text },
    });
    await refreshCasesOf(trx, id, at, actorLabel(actor), `blocklist_entry.${rule.event}`);
  });
  return loadEntry(deps.db, id);
}

/**
 * Moves every active entry whose `expiresAt` has passed to `expired` (actor `system:expiry`),
 * removing its domain from the zone. Run before rendering and by the DNS server's poll.
 * @returns the number of entries expired.
 */
export async function expireDueEntries(deps: ServiceDeps): Promise<number> {
  const at = isoTime(deps.clock.now());
  return inZoneTransaction(deps, async (trx, zone) => {
    const due = await dueForExpiry(trx, at);
    for (const row of due) {
      await updateEntry(trx, row.id, { state: 'expired', updated_at: at });
      zone.del(row.domain);
      await recordEvent(trx, {
        type: 'blocklist_entry.expired',
        subjectType: 'blocklist_entry',
        subjectId: row.id,
        actor: 'system:expiry',
        at,
        data: { domain: row.domain, from: 'active', to: 'expired', expiresAt: row.expires_at },
      });
      await refreshCasesOf(trx, row.id, at, 'system:expiry', 'blocklist_entry.expired');
    }
    return due.length;
  });
}
