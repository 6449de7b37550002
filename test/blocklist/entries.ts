/**
 * The blocklist entries of the DNS tests: who acts on them and on what basis, and `block`, which
 * makes a domain's entry active.
 */
import {
  activateEntry,
  proposeEntry,
  type BlocklistEntry,
  type LegalBasis,
} from '../../src/blocklist/index.js';
import type { Actor } from '../../src/policy/index.js';
import type { TestContext } from '../harness.js';

/** The admin token, who proposes, activates and lifts the entries. */
export const admin: Actor = { role: 'admin', id: 'admin:token' };
/** A court ruling: the legal basis of an entry unless a test names another. */
export const basis = { kind: 'court_ruling', reference: 'R-1', date: '2026-11-20' } as const;

/** `domain`'s entry proposed on `legalBasis` for `requestingUnit` and activated: it is served. */
export async function block(
  ctx: TestContext,
  domain: string,
  legalBasis: LegalBasis = basis,
  requestingUnit = 'unit',
): Promise<BlocklistEntry> {
  const entry = await proposeEntry(ctx.deps, admin, { domain, legalBasis, requestingUnit });
  return activateEntry(ctx.deps, admin, entry.id, {});
}
