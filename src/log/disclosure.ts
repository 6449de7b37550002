/**
 * Sealed fields of audit events: the log leaf carries a salted digest, the audit trail keeps the
 * value. The digests are RFC 9901 (SD-JWT) disclosures: a disclosure is the base64url (no
 * padding) of the UTF-8 JSON array `[salt, name, value]` (§4.2.1), written here as RFC 8785
 * canonical JSON; its digest is the base64url of SHA-256 over the disclosure's ASCII bytes
 * (§4.2.3). The salt is 128 random bits (§9.3), so a digest reveals nothing about a short or
 * guessable value (an e-mail address, a name), and needs no secret shared between nodes. The
 * leaf lists its digests, sorted, under `_sd` (§4.2.4.1); handing one disclosure to an auditor or
 * court proves that value was recorded without revealing any other.
 */
import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { EVENT_FIELDS, isEventType } from './event-types.js';

/** The leaf member listing the digests of an event's sealed fields (RFC 9901 §4.2.4.1). */
export const DIGESTS_MEMBER = '_sd';

/** Bytes of randomness in a salt (RFC 9901 §9.3 recommends at least 128 bits). */
const SALT_BYTES = 16;

/** One sealed field as recorded: its name and value. */
export interface DisclosedField {
  readonly salt: string;
  readonly name: string;
  readonly value: unknown;
}

/**
 * An RFC 9901 §4.2.1 disclosure of `name: value`: base64url of the RFC 8785 canonical JSON of
 * `[salt, name, value]`. `salt` defaults to 128 random bits, base64url.
 * @throws CanonicalJsonError when `value` is not JSON.
 */
export function createDisclosure(
  name: string,
  value: unknown,
  salt: string = randomBytes(SALT_BYTES).toString('base64url'),
): string {
  return Buffer.from(canonicalJson([salt, name, value]), 'utf8').toString('base64url');
}

/** The RFC 9901 §4.2.3 digest of a disclosure: base64url(SHA-256(ASCII(disclosure))). */
export function disclosureDigest(disclosure: string): string {
  return createHash('sha256').update(disclosure, 'ascii').digest('base64url');
}

/** The salt, name and value of a disclosure; undefined when it is not one. */
export function parseDisclosure(disclosure: string): DisclosedField | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(disclosure, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return undefined;
  const [salt, name, value]: unknown[] = parsed;
  if (typeof salt !== 'string' || typeof name !== 'string') return undefined;
  return { salt, name, value };
}

/** What recordEvent stores of an event's data. */
export interface SealedEventData {
  /** The leaf's data: the public fields, and `_sd` (sorted digests) when a field is sealed. */
  readonly leafData: Record<string, unknown>;
  /** The disclosures of the sealed fields (kept for staff, never in the leaf). */
  readonly disclosures: string[];
}

/**
 * Splits an event's data by its type's allow-list (event-types.ts): public fields go to the leaf
 * as they are; sealed fields with a value (not null or undefined) become disclosures whose
 * digests the leaf lists under `_sd`; undefined members are left out.
 * @throws Error when `type` is unknown or `data` has a field outside the allow-list (a
 *   programming error: add the field to EVENT_FIELDS, public only if it is not personal data).
 * @throws CanonicalJsonError when a sealed value is not JSON.
 */
export function sealEventData(
  type: string,
  data: Readonly<Record<string, unknown>>,
): SealedEventData {
  if (!isEventType(type)) throw new Error(`unknown audit event type ${type}`);
  const rule: { public: readonly string[]; sealed: readonly string[] } = EVENT_FIELDS[type];
  const leafData: Record<string, unknown> = {};
  const disclosures: string[] = [];
  for (const [name, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (rule.public.includes(name)) {
      leafData[name] = value;
    } else if (rule.sealed.includes(name)) {
      if (value !== null) disclosures.push(createDisclosure(name, value));
    } else {
      throw new Error(`audit event ${type}: field ${name} is not in its allow-list`);
    }
  }
  if (disclosures.length > 0) leafData[DIGESTS_MEMBER] = disclosures.map(disclosureDigest).sort();
  return { leafData, disclosures };
}

/**
 * The audit trail's reading of a stored event (staff only): the leaf's public fields without
 * `_sd`, with the value of every disclosure whose digest the leaf lists. A disclosure the leaf
 * does not list (altered) is left out; `scamnet log audit` reports it.
 */
export function revealEventData(
  leafData: Readonly<Record<string, unknown>>,
  disclosures: readonly string[],
): Record<string, unknown> {
  const digests = leafData[DIGESTS_MEMBER];
  const listed = new Set(Array.isArray(digests) ? digests : []);
  const data: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(leafData)) {
    if (name !== DIGESTS_MEMBER) data[name] = value;
  }
  for (const disclosure of disclosures) {
    const field = parseDisclosure(disclosure);
    if (field !== undefined && listed.has(disclosureDigest(disclosure))) {
      data[field.name] = field.value;
    }
  }
  return data;
}

/**
 * Keys that held personal data inside public fields before the allow-list (`user.updated`'s
 * before/after display names, `entity.*`'s contact address, `routing_rules.replaced`'s notes).
 */
const NESTED_PERSONAL_KEYS: ReadonlySet<string> = new Set([
  'contactEmail',
  'displayName',
  'email',
  'note',
]);

function nestedPersonalPaths(value: unknown, at: string, out: string[], depth: number): void {
  if (depth > 20 || typeof value !== 'object' || value === null) return;
  for (const [key, inner] of Object.entries(value)) {
    const where = Array.isArray(value) ? `${at}[${key}]` : `${at}.${key}`;
    if (NESTED_PERSONAL_KEYS.has(key) && typeof inner === 'string' && inner !== '') out.push(where);
    else nestedPersonalPaths(inner, where, out, depth + 1);
  }
}

/**
 * What a leaf's data holds that its event type no longer allows (leaves written before the
 * allow-list, such as `user.created` with an e-mail address): the top-level fields outside the
 * type's public list whose value is not null (every one when the type is unknown), and the paths
 * of e-mail addresses, display names and notes nested in public fields. Sorted; names and paths
 * only, never values. Used by `scamnet log audit` to warn.
 */
export function fieldsOutsideAllowList(
  type: string,
  leafData: Readonly<Record<string, unknown>>,
): string[] {
  const allowed: readonly string[] = isEventType(type) ? EVENT_FIELDS[type].public : [];
  const found: string[] = [];
  for (const [name, value] of Object.entries(leafData)) {
    if (name === DIGESTS_MEMBER || value === null) continue;
    if (!allowed.includes(name)) found.push(name);
    else nestedPersonalPaths(value, name, found, 0);
  }
  return found.sort();
}
