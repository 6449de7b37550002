/**
 * The zone's versions and journal: transactions that serialise blocklist writers and write the
 * next version with the changes of the published set (IXFR), and snapshots to read a version in.
 */
import type { Kysely } from 'kysely';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { inSnapshot as inStoreSnapshot, type Database } from '../store/index.js';
import {
  activeAmong,
  activeUnder,
  insertVersion,
  latestVersion,
  lockZone,
} from './blocklist.repo.js';
import { ancestorNames, isPublishedName, nextSerial } from './rpz.js';
import { nameMemo, nameRules, refusalIn, zonePolicy } from './zone-rules.js';

/**
 * Collects the changes of the active set in one transaction: domains that became active and
 * that stopped being active (publishedChanges turns them into the published set's changes).
 */
export interface ZoneChanges {
  add(domain: string): void;
  del(domain: string): void;
}

/**
 * Runs `work` in one transaction that serialises blocklist writers (advisory lock on
 * PostgreSQL) and, when the active set changed, writes the next zone version with the changes
 * of the published set (the IXFR journal; see publishedChanges) in the same transaction. A domain
 * added and removed again nets to nothing.
 */
export async function inZoneTransaction<T>(
  deps: ServiceDeps,
  work: (trx: Kysely<Database>, zone: ZoneChanges) => Promise<T>,
): Promise<T> {
  return deps.db.transaction().execute(async (trx) => {
    await lockZone(trx, deps.dialect);
    const net = new Map<string, 'add' | 'del'>();
    const toggle = (domain: string, op: 'add' | 'del'): void => {
      const before = net.get(domain);
      if (before !== undefined && before !== op) net.delete(domain);
      else net.set(domain, op);
    };
    const result = await work(trx, {
      add: (domain) => toggle(domain, 'add'),
      del: (domain) => toggle(domain, 'del'),
    });
    if (net.size > 0) await writeVersion(trx, deps, await publishedChanges(trx, deps, net));
    return result;
  });
}

/**
 * The changes of the published set (isPublishedName) made by `net`, the changes of the active
 * set of one transaction, read after them: for each domain whose status may have changed — a
 * changed one, or an active one under it, which a changed ancestor covers or uncovers — whether
 * it was published before and is now. E.g. activating `example.com` when `a.b.example.com` is
 * active removes `a.b.example.com` from the published set; lifting it adds it back. Costs the
 * size of the change: one index range per changed domain and one lookup of the ancestors.
 */
async function publishedChanges(
  trx: Kysely<Database>,
  deps: ServiceDeps,
  net: ReadonlyMap<string, 'add' | 'del'>,
): Promise<Map<string, 'add' | 'del'>> {
  const rules = nameRules(deps.config);
  const memo = nameMemo(rules);
  const isAllowed = (domain: string): boolean => refusalIn(memo, rules, domain) === null;
  const affected = new Set([...net.keys(), ...(await activeUnder(trx, [...net.keys()]))]);
  const lookups = [...affected].flatMap((domain) => [domain, ...ancestorNames(domain)]);
  const activeNow = new Set(await activeAmong(trx, lookups));
  const isActiveNow = (domain: string): boolean => activeNow.has(domain);
  const wasActive = (domain: string): boolean => {
    const op = net.get(domain);
    return op === undefined ? activeNow.has(domain) : op === 'del';
  };
  const changes = new Map<string, 'add' | 'del'>();
  for (const domain of affected) {
    const before = isPublishedName(domain, wasActive, isAllowed);
    const after = isPublishedName(domain, isActiveNow, isAllowed);
    if (before !== after) changes.set(domain, after ? 'add' : 'del');
  }
  return changes;
}

/**
 * Writes the next zone version inside `trx` (serial from nextSerial, the configured policy) with
 * `net`, the changes of the published set, sorted by domain.
 * @returns the new serial.
 */
export async function writeVersion(
  trx: Kysely<Database>,
  deps: ServiceDeps,
  net: ReadonlyMap<string, 'add' | 'del'>,
): Promise<number> {
  const latest = await latestVersion(trx);
  const serial = nextSerial(latest?.serial, deps.clock.now());
  const changes = [...net]
    .map(([domain, op]) => ({ domain, op }))
    .sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
  await insertVersion(
    trx,
    { serial, at: isoTime(deps.clock.now()), policy: zonePolicy(deps.config) },
    changes,
  );
  return serial;
}

/** Runs `read` in a snapshot: repeatable read on PostgreSQL; one read transaction on SQLite. */
export async function inSnapshot<T>(
  deps: ServiceDeps,
  read: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return inStoreSnapshot(deps.db, deps.dialect, read);
}
