import type { Kysely } from 'kysely';

import { requireCase } from '../cases/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import type { Database } from '../store/index.js';
import {
  campaignCaseRows,
  casesHolding,
  indicatorLinksOfCases,
  type CampaignCaseRow,
} from './campaign.repo.js';

import { authorize } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
import { siteWideRefusal } from '../indicators/index.js';
/** Indicator types that link cases into a campaign by their value. */
export const CAMPAIGN_INDICATOR_TYPES = [
  'ip',
  'phone',
  'line_id',
  'crypto_address',
  'bank_account',
] as const;

/** Limits of one campaign graph. */
export const CAMPAIGN_LIMITS = {
  /** Most cases in the graph (breadth-first from the case). */
  cases: 200,
  /** Hops from the case. */
  depth: 3,
  /**
   * An indicator held by more cases than this is a hub (a shared hosting domain, a bank's
   * public number): it is reported in `hubs` and not followed.
   */
  hubCases: 100,
} as const;

/** One case in a campaign graph. */
export interface CampaignCase extends CampaignCaseRow {
  /** Hops from the case asked about (0 for itself). */
  depth: number;
}

/** A link: two cases that share one indicator. */
export interface CampaignLink {
  from: string;
  to: string;
  /** `ip`, `phone`, `line_id`, `crypto_address`, `bank_account` or `domain` (registrable domain). */
  type: string;
  value: string;
}

export interface CampaignGraph {
  caseId: string;
  cases: CampaignCase[];
  links: CampaignLink[];
  /** Indicators not followed because too many cases hold them, with their case counts. */
  hubs: Array<{ type: string; value: string; cases: number }>;
  /** True when the case or depth limit cut the graph. */
  truncated: boolean;
}

interface LinkKey {
  type: string;
  value: string;
}

const keyOf = (k: LinkKey): string => `${k.type}:${k.value}`;

/**
 * The linking indicators of `caseIds`: IP addresses, phone numbers, LINE IDs, crypto addresses
 * and bank accounts by value, and the registrable domain of URL and domain indicators unless the
 * protection guard refuses it site-wide (platforms, shorteners, public suffixes, government and
 * protected domains — siteWideRefusal): a scam post on facebook.com links nothing.
 */
async function linkKeysOf(
  db: Kysely<Database>,
  caseIds: readonly string[],
  protectedDomains: readonly string[],
): Promise<Map<string, LinkKey[]>> {
  const out = new Map<string, LinkKey[]>();
  if (caseIds.length === 0) return out;
  for (const row of await indicatorLinksOfCases(db, caseIds)) {
    let key: LinkKey | null = null;
    if ((CAMPAIGN_INDICATOR_TYPES as readonly string[]).includes(row.type)) {
      key = { type: row.type, value: row.value };
    } else if (
      row.domain !== null &&
      (row.type === 'url' || row.type === 'domain') &&
      siteWideRefusal(row.domain, protectedDomains) === null
    ) {
      key = { type: 'domain', value: row.domain };
    }
    if (key === null) continue;
    const list = out.get(row.caseId) ?? [];
    if (!list.some((k) => keyOf(k) === keyOf(key))) list.push(key);
    out.set(row.caseId, list);
  }
  return out;
}

/**
 * The campaign graph of a case (analysts and admins): breadth-first over cases that share a
 * linking indicator (linkKeysOf), up to CAMPAIGN_LIMITS. Computed from the store on each call,
 * so it follows merges, splits and new reports at once.
 * @throws AppError 401/403 (role); 404 `case_not_found`.
 */
export async function campaignOf(
  deps: Pick<ServiceDeps, 'db' | 'config'>,
  actor: Actor,
  caseId: string,
): Promise<CampaignGraph> {
  authorize(actor, 'campaign.read');
  const { db } = deps;
  await requireCase(db, caseId);
  const protectedDomains = deps.config.blocklist.protectedDomains;
  const depthOf = new Map<string, number>([[caseId, 0]]);
  const links = new Map<string, CampaignLink>();
  const hubs = new Map<string, { type: string; value: string; cases: number }>();
  let frontier = [caseId];
  let truncated = false;
  for (let depth = 0; depth < CAMPAIGN_LIMITS.depth && frontier.length > 0; depth++) {
    const keysByCase = await linkKeysOf(db, frontier, protectedDomains);
    const next: string[] = [];
    for (const from of [...frontier].sort()) {
      for (const key of keysByCase.get(from) ?? []) {
        // One more than a hub may have, so that a hub is told apart.
        const holders = await casesHolding(db, key, CAMPAIGN_LIMITS.hubCases + 1);
        if (holders.length > CAMPAIGN_LIMITS.hubCases) {
          hubs.set(keyOf(key), { ...key, cases: holders.length });
          continue;
        }
        for (const to of holders) {
          if (to === from) continue;
          const [a, b] = from < to ? [from, to] : [to, from];
          links.set(`${a}|${b}|${keyOf(key)}`, { from: a, to: b, ...key });
          if (depthOf.has(to)) continue;
          if (depthOf.size >= CAMPAIGN_LIMITS.cases) {
            truncated = true;
            continue;
          }
          depthOf.set(to, depth + 1);
          next.push(to);
        }
      }
    }
    frontier = next;
  }
  if (frontier.length > 0) truncated = true;
  const ids = [...depthOf.keys()];
  const rows = await campaignCaseRows(db, ids);
  const cases = rows
    .map((r) => ({ ...r, depth: depthOf.get(r.id) ?? 0 }))
    .sort((a, b) => a.depth - b.depth || (a.id < b.id ? -1 : 1));
  const inGraph = new Set(ids);
  return {
    caseId,
    cases,
    links: [...links.values()]
      .filter((l) => inGraph.has(l.from) && inGraph.has(l.to))
      .sort((a, b) =>
        `${a.from}|${a.to}|${a.type}|${a.value}` < `${b.from}|${b.to}|${b.type}|${b.value}`
          ? -1
          : 1,
      ),
    hubs: [...hubs.values()],
    truncated,
  };
}
