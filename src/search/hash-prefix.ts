/**
 * The pure core of the privacy-preserving hash-prefix API (issue 14, modelled on Google Safe
 * Browsing v5's hash-prefix lists and hashes.search): what is hashed, the 4-byte prefixes and
 * their encodings, and the list arithmetic (sorted distinct prefixes, checksums, incremental
 * updates by removal indices) that the server and every client must do alike. No I/O.
 *
 * Hash inputs (README "Private checks" documents them for independent clients):
 * - a `url` or `domain` indicator: a Safe Browsing v4 lookup expression, host + path (+ query),
 *   no scheme, e.g. `shop.example.com.tw/pay?id=1`, `example.com.tw/`;
 * - any other indicator: `<type>:<canonical value>`, e.g. `phone:+886912345678`,
 *   `line_id:lai659`, `email:a@b.tw`, `crypto_address:…`, `bank_account:…`.
 * The full hash is SHA-256 of the input's UTF-8 bytes; the prefix its first 4 bytes.
 */
import { createHash } from 'node:crypto';
import {
  canonicalLineId,
  canonicalPhone,
  extractIndicators,
  lineIdVariants,
  matchKey,
  type CountryCode,
} from '../indicators/index.js';
import { CONTACT_TYPES, probeExpressions, type IndicatorProbe } from '../cases/index.js';
import {
  CASE_STATUSES,
  STATUS_PRESENTATION,
  type CaseStatus,
  type IndicatorType,
} from '../vocabulary/index.js';

/** Bytes of a hash prefix (Safe Browsing v5's 4-byte prefixes). */
export const HASH_PREFIX_BYTES = 4;
/** Bytes of a full hash (SHA-256). */
export const FULL_HASH_BYTES = 32;
/** Prefixes one hashes/search request may carry, at most (as Safe Browsing v5's hashes.search). */
export const MAX_SEARCH_PREFIXES = 30;

/** The lists: `urls` holds URL and domain expressions, `indicators` the other types. */
export const HASH_LIST_NAMES = ['urls', 'indicators'] as const;
export type HashListName = (typeof HASH_LIST_NAMES)[number];

/** Type guard for a list name taken from a request. */
export function isHashListName(value: string): value is HashListName {
  return (HASH_LIST_NAMES as readonly string[]).includes(value);
}

/**
 * Public states a client is told to warn about: confirmed fraud in every form (the red states,
 * a website's blocking states included — a lifted block does not make a scam site safe) and
 * high risk. Never `processing` or `awaiting_party` (still being checked: nothing was decided)
 * nor `not_fraud`.
 */
export const WARN_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter(
  (status) => STATUS_PRESENTATION[status].colour === 'red' || status === 'high_risk',
);

/** Whether a public state is one a client warns about (WARN_STATUSES). */
export function isWarnStatus(status: string): status is CaseStatus {
  return (WARN_STATUSES as readonly string[]).includes(status);
}

/** The list a kind of indicator goes in. */
export function listOfKind(kind: IndicatorType): HashListName {
  return kind === 'url' || kind === 'domain' ? 'urls' : 'indicators';
}

/**
 * The hash input of an indicator as the server publishes it: for `url` and `domain` its stored
 * lookup expression (`expression`), for the others `type:value`.
 */
export function hashInputOf(kind: IndicatorType, value: string): string {
  return kind === 'url' || kind === 'domain' ? value : `${kind}:${value}`;
}

/** SHA-256 of `input`'s UTF-8 bytes (32 bytes). */
export function fullHashOf(input: string): Buffer {
  return createHash('sha256').update(input, 'utf8').digest();
}

/** Base64url without padding (RFC 4648 §5) of `bytes`. */
export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** A prefix as the number it is read as big-endian, so numeric order is byte order. */
export function prefixNumber(hash: Uint8Array): number {
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).readUInt32BE(0);
}

/** The 8 lower-case hex digits of a prefix number. */
export function prefixHex(prefix: number): string {
  return prefix.toString(16).padStart(8, '0');
}

/** The base64url (6 characters) of a prefix number. */
export function prefixBase64Url(prefix: number): string {
  const bytes = Buffer.alloc(HASH_PREFIX_BYTES);
  bytes.writeUInt32BE(prefix, 0);
  return bytes.toString('base64url');
}

/**
 * Reads one prefix of a hashes/search request: base64url (RFC 4648 §5) of exactly 4 bytes, i.e.
 * 6 characters of `A–Z a–z 0–9 - _`, optionally followed by `==` padding, in canonical form (the
 * unused low 4 bits of the last character zero). Returns the prefix number, or null for anything
 * else.
 */
export function parsePrefix(text: string): number | null {
  const match = /^([A-Za-z0-9_-]{6})(?:==)?$/.exec(text);
  const body = match?.[1];
  if (body === undefined) return null;
  const bytes = Buffer.from(body, 'base64url');
  if (bytes.length !== HASH_PREFIX_BYTES || bytes.toString('base64url') !== body) return null;
  return bytes.readUInt32BE(0);
}

/** Distinct prefix numbers, sorted ascending, as a compact array. */
export function sortedDistinct(prefixes: Iterable<number>): Uint32Array {
  return Uint32Array.from(new Set(prefixes)).sort();
}

/** The concatenated 4-byte big-endian prefixes of a sorted list (the bytes checksummed). */
export function prefixBytes(sorted: Uint32Array): Buffer {
  const bytes = Buffer.alloc(sorted.length * HASH_PREFIX_BYTES);
  for (let i = 0; i < sorted.length; i++)
    bytes.writeUInt32BE(sorted[i] ?? 0, i * HASH_PREFIX_BYTES);
  return bytes;
}

/** Reads concatenated 4-byte big-endian prefixes (the decoded `additions`) into numbers. */
export function prefixesFromBytes(bytes: Uint8Array): Uint32Array {
  if (bytes.length % HASH_PREFIX_BYTES !== 0) {
    throw new RangeError(`prefix bytes: ${bytes.length} is not a multiple of ${HASH_PREFIX_BYTES}`);
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Uint32Array(bytes.length / HASH_PREFIX_BYTES);
  for (let i = 0; i < out.length; i++) out[i] = view.readUInt32BE(i * HASH_PREFIX_BYTES);
  return out;
}

/** The list checksum: base64 (RFC 4648 §4, padded) of SHA-256 of prefixBytes(sorted). */
export function listChecksum(sorted: Uint32Array): string {
  return createHash('sha256').update(prefixBytes(sorted)).digest('base64');
}

/** The number of elements of sorted `list` lower than `value` (binary search). */
export function countBelow(list: Uint32Array, value: number): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((list[mid] ?? 0) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Whether sorted `list` holds `value` (binary search). */
export function hasPrefix(list: Uint32Array, value: number): boolean {
  const at = countBelow(list, value);
  return at < list.length && list[at] === value;
}

/** An update from one list version to another, as the server computes and a client applies it. */
export interface ListUpdate {
  /** Prefixes in the new list and not in the old, sorted. */
  additions: Uint32Array;
  /** Indices into the old sorted list of its prefixes not in the new list, ascending. */
  removalIndices: number[];
}

/**
 * The update from sorted distinct `before` to sorted distinct `after` by a merge walk:
 * O(|before| + |after|). Applying it to `before` (applyUpdate) gives `after`.
 */
export function diffLists(before: Uint32Array, after: Uint32Array): ListUpdate {
  const additions: number[] = [];
  const removalIndices: number[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length || j < after.length) {
    const old = i < before.length ? (before[i] ?? 0) : Infinity;
    const next = j < after.length ? (after[j] ?? 0) : Infinity;
    if (old === next) {
      i++;
      j++;
    } else if (old < next) {
      removalIndices.push(i++);
    } else {
      additions.push(next);
      j++;
    }
  }
  return { additions: Uint32Array.from(additions), removalIndices };
}

/**
 * Applies an update to a client's sorted distinct list (Safe Browsing v5 style): drops the
 * prefixes at `removalIndices` (indices into `before`), then merges `additions` in.
 * @throws RangeError when an index is out of range, repeated or not ascending, or an addition is
 *   not sorted or already in the list (the copy and the server disagree: fetch the whole list).
 */
export function applyUpdate(before: Uint32Array, update: ListUpdate): Uint32Array {
  const removed = new Uint8Array(before.length);
  let last = -1;
  for (const index of update.removalIndices) {
    if (!Number.isInteger(index) || index <= last || index >= before.length) {
      throw new RangeError(`removal index ${index} is out of order or out of range`);
    }
    removed[index] = 1;
    last = index;
  }
  const kept = before.filter((_, index) => removed[index] === 0);
  const out = new Uint32Array(kept.length + update.additions.length);
  let i = 0;
  let j = 0;
  let k = 0;
  let previous = -1;
  while (i < kept.length || j < update.additions.length) {
    const a = i < kept.length ? (kept[i] ?? 0) : Infinity;
    const b = j < update.additions.length ? (update.additions[j] ?? 0) : Infinity;
    if (a === b) throw new RangeError(`addition ${prefixHex(b)} is already in the list`);
    const value = a < b ? a : b;
    if (a < b) i++;
    else j++;
    // The old list is sorted, so only unsorted or repeated additions make the output fall.
    if (value <= previous) throw new RangeError('additions are not sorted and distinct');
    out[k++] = value;
    previous = value;
  }
  return out;
}

/** One thing a client hashes: the list it is looked for in, the input and its full hash. */
export interface HashProbe {
  list: HashListName;
  kind: IndicatorType;
  input: string;
  fullHash: Buffer;
  prefix: number;
}

function hashProbe(kind: IndicatorType, input: string): HashProbe {
  const fullHash = fullHashOf(input);
  return { list: listOfKind(kind), kind, input, fullHash, prefix: prefixNumber(fullHash) };
}

/**
 * The hash inputs that find what `probes` find by lookup's rule (cases' matchIndicators): the
 * Safe Browsing expressions of a `url` or `domain` (host suffixes × path prefixes of its match
 * key and canonical form), a LINE ID with and without `@`, other contacts as they are. Distinct
 * inputs, each with its SHA-256 and prefix.
 */
export function hashProbesOf(probes: readonly IndicatorProbe[]): HashProbe[] {
  const seen = new Set<string>();
  const out: HashProbe[] = [];
  const add = (kind: IndicatorType, input: string): void => {
    const key = `${listOfKind(kind)}\u0000${input}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(hashProbe(kind, input));
  };
  for (const probe of probes) {
    if (probe.type === 'url' || probe.type === 'domain') {
      for (const expression of probeExpressions(probe)) add(probe.type, expression);
    } else if (probe.type === 'line_id') {
      for (const variant of lineIdVariants(probe.value)) add('line_id', `line_id:${variant}`);
    } else if (CONTACT_TYPES.includes(probe.type)) {
      add(probe.type, `${probe.type}:${probe.value}`);
    }
  }
  return out;
}

/** Distinct indicators a text check probes, at most (search's LOOKUP_INDICATORS). */
const TEXT_PROBE_LIMIT = 50;

/**
 * What a private check of `query` probes, by the same rules as the public lookup: a query that
 * starts with `http://` or `https://` and has no white space is checked as a URL
 * (`GET /api/v1/lookup?url=`: its match key, and a LINE ID in a `line.me` link); anything else
 * as text (`?q=`: every indicator found in it, and a single word with none as a LINE ID and a
 * phone number in `region`). The message itself is not probed: the hash lists hold links and
 * contacts, not message fingerprints.
 */
export function privateCheckProbes(
  query: string,
  region: CountryCode,
): { kind: 'url' | 'text'; probes: IndicatorProbe[] } {
  const text = query.trim();
  if (/^https?:\/\/\S+$/i.test(text)) {
    const key = matchKey(text);
    if (key !== null) {
      const lineIds = extractIndicators(text, { maxIndicators: 2 }).filter(
        (i) => i.type === 'line_id',
      );
      return {
        kind: 'url',
        probes: [
          { type: 'url', value: key.matchKey },
          ...lineIds.map((i) => ({ type: i.type, value: i.value })),
        ],
      };
    }
  }
  const found = extractIndicators(text, { defaultRegion: region, maxIndicators: TEXT_PROBE_LIMIT });
  const probes: IndicatorProbe[] = [];
  const probe = (type: IndicatorType, value: string): void => {
    if (!probes.some((i) => i.type === type && i.value === value)) probes.push({ type, value });
  };
  for (const i of found) probe(i.type, i.value);
  if (found.length === 0 && text !== '' && !/\s/.test(text)) {
    const lineId = canonicalLineId(text);
    if (lineId !== null) probe('line_id', lineId);
    const phone = canonicalPhone(text, region);
    if (phone !== null) probe('phone', phone);
  }
  return { kind: 'text', probes };
}

/** The rank of a public state for a client choosing what to show: lower is more serious. */
export function warnRank(status: CaseStatus): number {
  const colour = STATUS_PRESENTATION[status].colour;
  const colourRank = colour === 'red' ? 0 : colour === 'yellow' ? 1 : colour === 'grey' ? 2 : 3;
  return colourRank * CASE_STATUSES.length + CASE_STATUSES.indexOf(status);
}
