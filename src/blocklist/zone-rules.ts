/**
 * What the RPZ zone publishes under the configuration: its rendering settings, the rules its
 * names are checked against (memoised), and the policy each zone version is written under.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config/index.js';
import { protectionRulesVersion } from '../indicators/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import {
  rpzNameRefusal,
  rpzNameSet,
  rpzPolicy,
  type RpzNameRules,
  type RpzNameSet,
  type RpzOmission,
  type RpzZoneSettings,
} from './rpz.js';

/** The RPZ rendering settings of `config` (RPZ_* variables). */
export function zoneSettings(config: Config): RpzZoneSettings {
  const b = config.blocklist;
  return {
    origin: b.rpzOrigin,
    action: b.rpzAction,
    ttl: b.rpzTtl,
    nameserver: b.rpzNameserver,
    hostmaster: b.rpzHostmaster,
  };
}

/** The rules the zone's names are checked against: the configured or the given origin. */
export function nameRules(config: Config, origin = config.blocklist.rpzOrigin): RpzNameRules {
  return { origin, protectedDomains: config.blocklist.protectedDomains };
}

/**
 * A short fingerprint of everything besides the entries that decides which names the zone
 * publishes: the guard's rules and Public Suffix List version, the protected list and the
 * origin (its length bounds the names).
 */
function nameRulesFingerprint(rules: RpzNameRules): string {
  const input = JSON.stringify([
    protectionRulesVersion(),
    rules.origin,
    [...rules.protectedDomains].sort(),
  ]);
  return createHash('sha256').update(input).digest('hex').slice(0, 16);
}

/**
 * The policy recorded with every zone version: the rendering policy (rpzPolicy) and the name
 * rules' fingerprint. A journal is only valid under one policy, so a change of either (a new
 * action, protected list, origin, guard or Public Suffix List) makes secondaries take the whole
 * zone again (ensureZonePolicy, zoneDiffSince).
 */
export function zonePolicy(config: Config): string {
  return `${rpzPolicy(zoneSettings(config))};names=${nameRulesFingerprint(nameRules(config))}`;
}

/** Memoised rpzNameRefusal verdicts under one set of rules. */
export interface NameMemo {
  readonly fingerprint: string;
  readonly refusals: Map<string, RpzOmission | null>;
}

/**
 * Verdicts by rules fingerprint (at most NAME_MEMO_RULES sets). The guard costs tens of
 * microseconds a name and the zone is re-read on every DNS poll and transfer, so each name is
 * checked once per set of rules; rpzNameRefusal is a pure function of the name and the rules, so
 * the memo never changes an answer.
 */
const NAME_MEMOS = new Map<string, NameMemo>();
const NAME_MEMO_RULES = 4;

/** The memo of `rules` (created when new; the oldest set of rules forgotten past NAME_MEMO_RULES). */
export function nameMemo(rules: RpzNameRules): NameMemo {
  const key = nameRulesFingerprint(rules);
  let memo = NAME_MEMOS.get(key);
  if (memo === undefined) {
    memo = { fingerprint: key, refusals: new Map() };
    NAME_MEMOS.set(key, memo);
    for (const old of NAME_MEMOS.keys()) {
      if (NAME_MEMOS.size <= NAME_MEMO_RULES) break;
      NAME_MEMOS.delete(old);
    }
  }
  return memo;
}

/** rpzNameRefusal under `rules`, memoised in `memo`. */
export function refusalIn(memo: NameMemo, rules: RpzNameRules, domain: string): RpzOmission | null {
  let refusal = memo.refusals.get(domain);
  if (refusal === undefined) {
    refusal = rpzNameRefusal(domain, rules);
    memo.refusals.set(domain, refusal);
  }
  return refusal;
}

/** Omissions named in one warning; the count says how many there are in all. */
const OMISSIONS_LOGGED = 20;

/** The omissions each logger was last told about, by rules fingerprint. */
const WARNED = new WeakMap<ServiceDeps['log'], Map<string, string>>();

/**
 * The zone's published names and omissions for the active `domains` under `rules` (rpzNameSet).
 * Logs one warning when the omissions differ from those last logged to `deps.log` under these
 * rules (not on every render: the DNS server re-reads the zone on every poll).
 */
export function zoneNames(
  deps: Pick<ServiceDeps, 'log'>,
  domains: readonly string[],
  rules: RpzNameRules,
): RpzNameSet {
  const memo = nameMemo(rules);
  const names = rpzNameSet(domains, (domain) => refusalIn(memo, rules, domain));
  if (memo.refusals.size > 2 * domains.length + 1024) {
    // Forget the names that are no longer active, so the memo stays the size of the zone.
    const kept = new Set(domains);
    for (const domain of memo.refusals.keys()) {
      if (!kept.has(domain)) memo.refusals.delete(domain);
    }
  }
  const signature = names.omitted.map((o) => `${o.domain} ${o.rule}`).join('\n');
  const warned = WARNED.get(deps.log) ?? new Map<string, string>();
  WARNED.set(deps.log, warned);
  if (signature !== (warned.get(memo.fingerprint) ?? '')) {
    warned.set(memo.fingerprint, signature);
    if (names.omitted.length > 0) {
      deps.log.warn(
        {
          origin: rules.origin,
          count: names.omitted.length,
          omitted: names.omitted
            .slice(0, OMISSIONS_LOGGED)
            .map((o) => ({ domain: o.domain, rule: o.rule })),
        },
        'RPZ zone leaves out active blocklist entries its rules refuse (GET /api/v1/blocklist/rpz/omissions)',
      );
    }
  }
  return names;
}
