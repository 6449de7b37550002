/**
 * The RPZ zone as its consumers read it (the rpz.zone route, the DNS server's SOA, AXFR, IXFR
 * and lookups, the CLI): the current zone, the stored one under another origin, the entries it
 * leaves out, and the difference since a serial.
 */
import { authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import {
  activeCount,
  activeDomains,
  activeIdsByDomain,
  changesAfter,
  findVersion,
  latestVersion,
  versionsAfter,
} from './blocklist.repo.js';
import { serialCompare, type RpzOmission, type RpzZoneSettings } from './rpz.js';
import { expireDueEntries } from './transitions.service.js';
import { inSnapshot, inZoneTransaction, writeVersion } from './zone-journal.js';
import { nameRules, zoneNames, zonePolicy, zoneSettings } from './zone-rules.js';

/**
 * The zone at one serial: its settings, serial and published domains (sorted; see
 * isPublishedName: allowed by the rules in force, not covered by another published domain).
 */
export interface ZoneSnapshot {
  readonly settings: RpzZoneSettings;
  readonly serial: number;
  readonly domains: readonly string[];
}

/**
 * Makes the zone's latest version carry the configured policy: writes a version with no changes
 * when there is none yet or when RPZ_ACTION/RPZ_LANDING_HOST/RPZ_TTL, the name rules (RPZ_ORIGIN,
 * BLOCKLIST_PROTECTED_DOMAINS, the guard or the Public Suffix List) changed, so secondaries see a
 * new serial and take the re-rendered zone by AXFR.
 * @returns the current serial.
 */
export async function ensureZonePolicy(deps: ServiceDeps): Promise<number> {
  const policy = zonePolicy(deps.config);
  const latest = await latestVersion(deps.db);
  if (latest !== undefined && latest.policy === policy) return latest.serial;
  return inZoneTransaction(deps, async (trx) => {
    const again = await latestVersion(trx);
    if (again !== undefined && again.policy === policy) return again.serial;
    return writeVersion(trx, deps, new Map());
  });
}

/**
 * The zone as published now: expires due entries, makes sure the serial reflects the
 * configured policy, then reads the serial and the active domains in one snapshot and keeps
 * the published ones (rpzNameSet under the configured rules), so the domains are exactly those
 * of that serial. Every consumer of the zone reads it here: the rpz.zone route, the DNS server's
 * SOA, AXFR and lookups, and zoneDiffSince's full answers.
 */
export async function currentZone(deps: ServiceDeps): Promise<ZoneSnapshot> {
  await expireDueEntries(deps);
  await ensureZonePolicy(deps);
  return inSnapshot(deps, async (trx) => {
    const latest = await latestVersion(trx);
    const { domains } = zoneNames(deps, await activeDomains(trx), nameRules(deps.config));
    return { settings: zoneSettings(deps.config), serial: latest?.serial ?? 0, domains };
  });
}

/** An active entry the zone leaves out (RpzOmission) with its ID. */
export interface ZoneOmission extends RpzOmission {
  readonly entryId: string;
}

/**
 * The zone as stored, without recording a policy change: expires due entries, then reads the
 * latest serial and the active domains in one snapshot and keeps the published ones under
 * `origin` (default RPZ_ORIGIN), with the entries left out and why. For printing the zone with
 * other settings (`scamnet blocklist rpz --origin …`) without touching what the DNS server
 * serves.
 * @param origin zone name, lower-case, no trailing dot.
 */
export async function storedZone(
  deps: ServiceDeps,
  origin = deps.config.blocklist.rpzOrigin,
): Promise<{ serial: number; domains: readonly string[]; omitted: ZoneOmission[] }> {
  await expireDueEntries(deps);
  return inSnapshot(deps, async (trx) => {
    const latest = await latestVersion(trx);
    const names = zoneNames(deps, await activeDomains(trx), nameRules(deps.config, origin));
    const ids = await activeIdsByDomain(
      trx,
      names.omitted.map((o) => o.domain),
    );
    return {
      serial: latest?.serial ?? 0,
      domains: names.domains,
      omitted: names.omitted.map((o) => ({ ...o, entryId: ids.get(o.domain) ?? '' })),
    };
  });
}

/**
 * The active entries the zone leaves out under the configured origin and rules, with the rule
 * and why (an entry stored before the guard's current rules, or too long for RPZ_ORIGIN); entries
 * covered by an active ancestor are published through it and are not listed. For staff: fix them
 * by lifting the entry.
 * @throws AppError 401/403 unless analyst or admin.
 */
export async function zoneOmissions(
  deps: ServiceDeps,
  actor: Actor,
): Promise<{ origin: string; serial: number; omitted: ZoneOmission[] }> {
  authorize(actor, 'blocklist.read_omissions');
  const { serial, omitted } = await storedZone(deps);
  return { origin: deps.config.blocklist.rpzOrigin, serial, omitted };
}

/** The current serial without writing anything (0 before the first version). */
export async function currentSerial(deps: Pick<ServiceDeps, 'db'>): Promise<number> {
  return (await latestVersion(deps.db))?.serial ?? 0;
}

/**
 * What an IXFR from `fromSerial` needs (RFC 1995): `up_to_date` when the client's serial is the
 * current one or newer (RFC 1982 serial arithmetic: RFC 1995 §2 answers both with one SOA);
 * `incremental` with the condensed difference (RFC 1995 §5: published names deleted and added
 * between the two serials, sorted, from the journal) when the journal covers the whole span under
 * one policy; `full` (answer with the whole zone, as AXFR: RFC 1995 §4) when the client's serial
 * is older and unknown, exactly 2^31 away (RFC 1982 leaves that order undefined), from before a
 * policy change, or the difference is much larger than the zone (over 2n + 16 names).
 */
export type ZoneDiff =
  | { readonly kind: 'up_to_date'; readonly zone: ZoneHead }
  | {
      readonly kind: 'incremental';
      readonly fromSerial: number;
      readonly deleted: readonly string[];
      readonly added: readonly string[];
      readonly zone: ZoneHead;
    }
  | { readonly kind: 'full'; readonly snapshot: ZoneSnapshot };

/** The zone's settings and serial, without its domains. */
export type ZoneHead = Pick<ZoneSnapshot, 'settings' | 'serial'>;

/**
 * The difference from `fromSerial` to the current zone (see ZoneDiff). Reads only the journal
 * unless the answer is the full zone, so an IXFR costs the size of the change, not of the zone.
 */
export async function zoneDiffSince(deps: ServiceDeps, fromSerial: number): Promise<ZoneDiff> {
  await expireDueEntries(deps);
  await ensureZonePolicy(deps);
  return inSnapshot(deps, async (trx): Promise<ZoneDiff> => {
    const latest = await latestVersion(trx);
    const serial = latest?.serial ?? 0;
    const settings = zoneSettings(deps.config);
    const full = async (): Promise<ZoneDiff> => ({
      kind: 'full',
      snapshot: {
        settings,
        serial,
        domains: zoneNames(deps, await activeDomains(trx), nameRules(deps.config)).domains,
      },
    });
    // RFC 1995 §2: the client's serial is the same as ours or newer (RFC 1982 arithmetic, so
    // also across a wrap past 2^32 − 1): one SOA. An older one we know: the difference.
    const order = serialCompare(fromSerial, serial);
    if (order === 0 || order === 1) return { kind: 'up_to_date', zone: { settings, serial } };
    const base = order === -1 ? await findVersion(trx, fromSerial) : undefined;
    if (base === undefined) return full();
    const versions = await versionsAfter(trx, fromSerial, serial);
    if (versions.some((v) => v.policy !== base.policy) || base.policy !== zonePolicy(deps.config)) {
      return full();
    }
    const first = new Map<string, string>();
    const last = new Map<string, string>();
    for (const change of await changesAfter(trx, fromSerial, serial)) {
      if (!first.has(change.domain)) first.set(change.domain, change.op);
      last.set(change.domain, change.op);
    }
    const deleted: string[] = [];
    const added: string[] = [];
    for (const [domain, op] of first) {
      const wasPresent = op === 'del';
      const isPresent = last.get(domain) === 'add';
      if (wasPresent && !isPresent) deleted.push(domain);
      if (!wasPresent && isPresent) added.push(domain);
    }
    if (deleted.length + added.length > 2 * (await activeCount(trx)) + 16) return full();
    deleted.sort();
    added.sort();
    return { kind: 'incremental', fromSerial, deleted, added, zone: { settings, serial } };
  });
}
