/**
 * What the feeds publish, read in one snapshot: the entry-based feeds (domains, hosts, adblock,
 * CSV, JSON) and the indicator feeds (STIX, MISP) with their publication ledger.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../config/index.js';
import {
  blockRefusal,
  normalizeBlockDomain,
  rfc3986Uri,
  siteWideRefusal,
} from '../indicators/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import type { Database } from '../store/index.js';
import {
  activeEntryRows,
  applyIndicatorPlan,
  caseIdsByEntry,
  endedEntryRows,
  indicatorTimes,
  latestVersion,
  lockZone,
  openIndicators,
  publishedIndicators,
  reportedUrlsOfCases,
  toEntry,
} from './blocklist.repo.js';
import type { BlocklistEntry } from './blocklist.types.js';
import {
  planIndicators,
  wantedIndicators,
  type EndedEntry,
  type FeedEntry,
  type FeedIndicator,
  type IndicatorFeedContext,
  type IndicatorPlan,
} from './feeds.js';
import { expireDueEntries } from './transitions.service.js';
import { inSnapshot } from './zone-journal.js';

/**
 * The plain domain blocklist (`domains.txt`): the domain of every published entry — active, with
 * its legal basis, and accepted by the protection guard now — one per line, sorted; the same set
 * and the same rule as the hosts, adblock, CSV, JSON, STIX and MISP feeds (feedSnapshot). A fraud
 * verdict alone never lists a domain: a confirmed scam website is proposed for blocking (from its
 * case) and listed once an analyst activates the entry with a legal basis. (Before, this list
 * held the registrable domain of every confirmed-fraud website, which on the demo data was 3,440
 * domains blocked on no legal basis at all.)
 */
export async function blocklistDomains(deps: ServiceDeps): Promise<string[]> {
  const { entries } = await feedSnapshot(deps);
  return entries.map((e) => e.domain).sort();
}

/** Milliseconds in a day. */
const DAY_MS = 86_400_000;

/** The start (ISO 8601 UTC) of the revocation window (FEED_REVOCATION_DAYS) ending at now. */
function revocationWindowStart(deps: ServiceDeps): string {
  return isoTime(deps.clock.now() - deps.config.blocklist.feedRevocationDays * DAY_MS);
}

/**
 * The active entries as the feeds publish them, read with `db` (a snapshot or a transaction):
 * each with its case IDs and the URLs reported in those cases whose host is the entry's domain or
 * under it, as RFC 3986 URIs (rfc3986Uri), ordered by domain. The protection guard applies at
 * render time too: an entry whose domain the guard refuses now (the protected list changed since
 * it was activated) is `withheld` instead of published, and a URL on a refused host is left out.
 */
async function readFeedEntries(
  db: Kysely<Database>,
  config: Config,
): Promise<{ entries: FeedEntry[]; withheld: BlocklistEntry[] }> {
  const protectedDomains = config.blocklist.protectedDomains;
  const rows = await activeEntryRows(db);
  const cases = await caseIdsByEntry(
    db,
    rows.map((r) => r.id),
  );
  const urls = await reportedUrlsOfCases(db, [...new Set([...cases.values()].flat())]);
  const entries: FeedEntry[] = [];
  const withheld: BlocklistEntry[] = [];
  for (const row of rows) {
    const caseIds = cases.get(row.id) ?? [];
    // The same rules as the RPZ zone (blockRefusal): an entry stored before a rule existed, or
    // protected since, never reaches a feed.
    if (blockRefusal(row.domain, protectedDomains) !== null) {
      withheld.push(toEntry(row, caseIds));
      continue;
    }
    const entryUrls = new Set<string>();
    for (const url of caseIds.flatMap((id) => urls.get(id) ?? [])) {
      const host = normalizeBlockDomain(url);
      if (host === null || (host !== row.domain && !host.endsWith(`.${row.domain}`))) continue;
      if (siteWideRefusal(host, protectedDomains) !== null) continue;
      const uri = rfc3986Uri(url);
      if (uri !== null) entryUrls.add(uri);
    }
    entries.push({ ...toEntry(row, caseIds), urls: [...entryUrls].sort() });
  }
  return { entries, withheld };
}

/** What the hosts, adblock, CSV and JSON feeds publish (see feedSnapshot). */
export interface FeedSnapshot {
  /** The RPZ zone serial the entries were read at. */
  readonly serial: number;
  /** The published set: active entries the protection guard accepts, ordered by domain. */
  readonly entries: FeedEntry[];
  /** Entries that ended within the revocation window, then withheld ones. */
  readonly ended: EndedEntry[];
}

/**
 * What the entry-based feeds publish, read in one snapshot after expiring due entries: the zone
 * serial, the published entries (readFeedEntries: guard applied, URLs in RFC 3986 form) and the
 * entries that left the published set within the last FEED_REVOCATION_DAYS days (lifted,
 * expired, appealed) or are withheld by the guard.
 */
export async function feedSnapshot(deps: ServiceDeps): Promise<FeedSnapshot> {
  await expireDueEntries(deps);
  return inSnapshot(deps, async (trx) => {
    const latest = await latestVersion(trx);
    const { entries, withheld } = await readFeedEntries(trx, deps.config);
    const ended: EndedEntry[] = (await endedEntryRows(trx, revocationWindowStart(deps))).map(
      (row) => ({
        id: row.id,
        domain: row.domain,
        state:
          row.state === 'expired' ? 'expired' : row.state === 'appealed' ? 'appealed' : 'lifted',
        endedAt: row.updated_at,
      }),
    );
    for (const e of withheld) {
      ended.push({ id: e.id, domain: e.domain, state: 'withheld', endedAt: null });
    }
    return { serial: latest?.serial ?? 0, entries, ended };
  });
}

/** What the STIX and MISP feeds publish (see indicatorSnapshot). */
export interface IndicatorSnapshot extends IndicatorFeedContext {
  /** Unrevoked indicators and those revoked within the revocation window. */
  readonly indicators: FeedIndicator[];
}

/**
 * What the STIX and MISP feeds publish, from the publication ledger (feed_indicators) brought up
 * to date first: the indicators the published entries call for (wantedIndicators) are compared
 * with the ledger's unrevoked rows (planIndicators); new ones get a row (a new ID, `created` =
 * now, kept forever), changed ones a new version, and those no longer called for (entry lifted,
 * appealed, expired or withheld by the guard; URL gone) are revoked. The ledger is written under
 * the zone lock, so concurrent renders and blocklist changes on PostgreSQL cannot both add the
 * same indicator. Then returns the unrevoked indicators and those revoked within the last
 * FEED_REVOCATION_DAYS days, with the times of the first publication and the latest change.
 */
export async function indicatorSnapshot(deps: ServiceDeps): Promise<IndicatorSnapshot> {
  await expireDueEntries(deps);
  const read = async (trx: Kysely<Database>): Promise<IndicatorSnapshot> => ({
    indicators: await publishedIndicators(trx, revocationWindowStart(deps)),
    ...(await indicatorTimes(trx)),
  });
  const planNow = async (trx: Kysely<Database>): Promise<IndicatorPlan> => {
    const { entries } = await readFeedEntries(trx, deps.config);
    return planIndicators(
      wantedIndicators(entries),
      await openIndicators(trx),
      deps.clock.now(),
      () => randomUUID(),
    );
  };
  const isEmpty = (plan: IndicatorPlan): boolean =>
    plan.insert.length + plan.update.length + plan.revoke.length === 0;
  const current = await inSnapshot(deps, async (trx) =>
    isEmpty(await planNow(trx)) ? read(trx) : undefined,
  );
  if (current !== undefined) return current;
  return deps.db.transaction().execute(async (trx) => {
    await lockZone(trx, deps.dialect);
    await applyIndicatorPlan(trx, await planNow(trx));
    return read(trx);
  });
}
