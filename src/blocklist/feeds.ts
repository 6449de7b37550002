import { createHash } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import { writeCsv, type CsvCell, type CsvOptions } from '../shared/csv.js';
import { LEGAL_BASES, type BlocklistEntry } from './blocklist.types.js';

/** An active entry with the reported URLs of its cases (for URL indicators). */
export interface FeedEntry extends BlocklistEntry {
  /**
   * URLs reported in the entry's cases whose host is the domain or under it, as RFC 3986 URIs
   * (rfc3986Uri of the canonical URL), sorted.
   */
  readonly urls: readonly string[];
}

/** What every feed states about itself: the zone serial it reflects. */
export interface FeedContext {
  /** SOA serial of the RPZ zone these entries were read at. */
  readonly serial: number;
}

const HEADER = (title: string, ctx: FeedContext): string[] => [
  `scamnet ${title}: domains blocked with a legal basis (court ruling, administrative disposition, emergency order, or a suspension published by the requesting authority)`,
  `serial ${ctx.serial}; appeals: see each entry's legal basis and requesting unit in entries.csv`,
];

/** hosts(5) file: `0.0.0.0 domain` per active entry (hosts files cannot block subdomains). */
export function hostsFeed(entries: readonly FeedEntry[], ctx: FeedContext): string {
  const lines = HEADER('hosts', ctx).map((l) => `# ${l}`);
  for (const e of entries) lines.push(`0.0.0.0 ${e.domain}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Adblock Plus / uBlock Origin filter list: `||domain^` per entry, which blocks the domain and
 * every subdomain (Adblock Plus filter syntax, "domain name anchor").
 */
export function adblockFeed(entries: readonly FeedEntry[], ctx: FeedContext): string {
  const lines = ['[Adblock Plus 2.0]', '! Title: scamnet scam domains'];
  lines.push(...HEADER('adblock', ctx).map((l) => `! ${l}`));
  for (const e of entries) lines.push(`||${e.domain}^`);
  return `${lines.join('\n')}\n`;
}

/** The CSV feed's columns, in order. */
export const CSV_COLUMNS = [
  'domain',
  'state',
  'legal_basis',
  'legal_reference',
  'legal_date',
  'requesting_unit',
  'site_type',
  'effective_at',
  'expires_at',
  'case_ids',
] as const;

/**
 * The CSV feed (writeCsv: RFC 4180, CRLF, header line, formula cells defused; a UTF-8 byte order
 * mark when `options.bom`) of the entries; case IDs joined with spaces.
 */
export function csvFeed(entries: readonly FeedEntry[], options: CsvOptions = {}): string {
  const rows: CsvCell[][] = [[...CSV_COLUMNS]];
  for (const e of entries) {
    rows.push([
      e.domain,
      e.state,
      e.legalBasis?.kind ?? '',
      e.legalBasis?.reference ?? '',
      e.legalBasis?.date ?? '',
      e.requestingUnit ?? '',
      e.siteType ?? '',
      e.effectiveAt ?? '',
      e.expiresAt ?? '',
      e.caseIds.join(' '),
    ]);
  }
  return writeCsv(rows, options);
}

/** An entry that left the published set within the revocation window (or is withheld). */
export interface EndedEntry {
  readonly id: string;
  readonly domain: string;
  /**
   * `lifted`, `expired`, `appealed` (out of the zone while the appeal is decided), or `withheld`:
   * still active but refused by the protection guard when the feed was rendered.
   */
  readonly state: 'lifted' | 'expired' | 'appealed' | 'withheld';
  /** ISO 8601 UTC: when it reached that state (null for `withheld`). */
  readonly endedAt: string | null;
}

/** What the JSON feed states besides its entries. */
export interface JsonFeedContext extends FeedContext {
  /** Entries that ended within the revocation window, and withheld ones. */
  readonly ended: readonly EndedEntry[];
  /** The revocation window, days (FEED_REVOCATION_DAYS). */
  readonly revocationDays: number;
}

/**
 * The JSON feed: `{ serial, entries: [{ id, domain, legalBasis, requestingUnit, siteType,
 * effectiveAt, expiresAt, caseIds, urls }], revoked: [{ id, domain, state, endedAt }],
 * revocationDays }`. `entries` is the complete published set (a consumer replaces its copy);
 * `revoked` lists what left it in the last `revocationDays` days, for consumers that merge.
 * `urls` are RFC 3986 URIs (format `uri`).
 */
export function jsonFeed(entries: readonly FeedEntry[], ctx: JsonFeedContext): string {
  return JSON.stringify({
    serial: ctx.serial,
    entries: entries.map((e) => ({
      id: e.id,
      domain: e.domain,
      legalBasis: e.legalBasis,
      requestingUnit: e.requestingUnit,
      siteType: e.siteType,
      effectiveAt: e.effectiveAt,
      expiresAt: e.expiresAt,
      caseIds: e.caseIds,
      urls: e.urls,
    })),
    revoked: ctx.ended.map((e) => ({
      id: e.id,
      domain: e.domain,
      state: e.state,
      endedAt: e.endedAt,
    })),
    revocationDays: ctx.revocationDays,
  });
}

/** scamnet's namespace for name-based UUIDs (RFC 9562 §5.5, version 5). */
const SCAMNET_NAMESPACE = '6f1c7a1e-5b0d-4c57-9a39-3f1f5e0d2b6a';

/**
 * A version-5 (SHA-1, name-based) UUID of `name` in `namespace` (RFC 9562 §5.5): the same name
 * always gives the same UUID, so feed object IDs are stable across renders.
 */
export function uuidV5(name: string, namespace = SCAMNET_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  const b = Buffer.from(hash.subarray(0, 16));
  b.writeUInt8((b.readUInt8(6) & 0x0f) | 0x50, 6);
  b.writeUInt8((b.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/* ------------------------------------------------------------------------------------------ *
 * Indicators of the STIX and MISP feeds, and their publication ledger (feed_indicators).
 * ------------------------------------------------------------------------------------------ */

/** What an indicator of the STIX and MISP feeds observes: a blocked domain or a reported URL. */
export type IndicatorKind = 'domain' | 'url';

/** What one version of an indicator says; stored as JSON in the ledger. */
export const IndicatorContentSchema = Type.Object({
  /** The entry this version describes. */
  entryId: Type.String(),
  /** That entry's blocked domain. */
  domain: Type.String(),
  legalBasis: Type.Union([
    Type.Object({
      kind: Type.Union(LEGAL_BASES.map((kind) => Type.Literal(kind))),
      reference: Type.String(),
      date: Type.String(),
    }),
    Type.Null(),
  ]),
  requestingUnit: Type.Union([Type.String(), Type.Null()]),
  siteType: Type.Union([Type.String(), Type.Null()]),
  /** ISO 8601 UTC: the entry's effective time (STIX `valid_from`). */
  validFrom: Type.String(),
  /** ISO 8601 UTC: the entry's expiry (STIX `valid_until`), or null. */
  validUntil: Type.Union([Type.String(), Type.Null()]),
});
export type IndicatorContent = Static<typeof IndicatorContentSchema>;

/** An indicator the published entries call for now: its kind, value and content. */
export interface WantedIndicator {
  readonly kind: IndicatorKind;
  /** Lower-case ASCII domain, or the RFC 3986 form of a canonical URL. */
  readonly value: string;
  readonly content: IndicatorContent;
}

/** One indicator object as published: a row of the ledger. */
export interface FeedIndicator extends WantedIndicator {
  /** UUID: STIX `indicator--<id>`; the MISP attribute UUID is derived from it (mispAttributeUuid). */
  readonly id: string;
  /** ISO 8601 UTC: first published; never changes (STIX `created`). */
  readonly created: string;
  /** ISO 8601 UTC: this version (STIX `modified`, MISP `timestamp`); strictly increasing. */
  readonly modified: string;
  /** ISO 8601 UTC: when it left the published set (STIX `revoked`, MISP `deleted`), or null. */
  readonly revokedAt: string | null;
}

function contentOf(e: FeedEntry): IndicatorContent {
  // Key order is fixed here: the ledger compares versions by their JSON text.
  return {
    entryId: e.id,
    domain: e.domain,
    legalBasis:
      e.legalBasis === null
        ? null
        : { kind: e.legalBasis.kind, reference: e.legalBasis.reference, date: e.legalBasis.date },
    requestingUnit: e.requestingUnit,
    siteType: e.siteType,
    validFrom: e.effectiveAt ?? e.createdAt,
    validUntil: e.expiresAt,
  };
}

/**
 * The indicators that `entries` (the published set, guard applied, URLs already in RFC 3986
 * form) call for: one `domain` indicator per entry and one `url` indicator per distinct URL of
 * their cases. A URL under nested entries (`example.com` and `shop.example.com`) is one indicator,
 * described by the most specific entry (the longest domain), so no ID appears twice in a feed.
 * Sorted by kind, then value. Pure.
 */
export function wantedIndicators(entries: readonly FeedEntry[]): WantedIndicator[] {
  const wanted = new Map<string, WantedIndicator>();
  const key = (kind: IndicatorKind, value: string): string => `${kind} ${value}`;
  for (const e of entries) {
    wanted.set(key('domain', e.domain), { kind: 'domain', value: e.domain, content: contentOf(e) });
  }
  for (const e of entries) {
    for (const url of e.urls) {
      const k = key('url', url);
      const before = wanted.get(k);
      if (before !== undefined && before.content.domain.length >= e.domain.length) continue;
      wanted.set(k, { kind: 'url', value: url, content: contentOf(e) });
    }
  }
  return [...wanted.values()].sort((a, b) =>
    compareText(key(a.kind, a.value), key(b.kind, b.value)),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a reconciliation writes to the ledger: new rows, new versions, revocations. */
export interface IndicatorPlan {
  readonly insert: readonly FeedIndicator[];
  /** Rows whose content changed: the new version (same ID and `created`, later `modified`). */
  readonly update: readonly FeedIndicator[];
  /** Rows that left the published set: the revoked version. */
  readonly revoke: readonly FeedIndicator[];
}

/**
 * The time of a new version of an indicator whose latest version is `previous`: `now`, but at
 * least the next whole second after `previous`, so that both the STIX `modified` (milliseconds)
 * and the MISP `timestamp` (seconds; MISP applies an update only when it is newer) increase.
 */
export function nextVersionTime(previous: string, now: number): string {
  const floor = Math.floor(Date.parse(previous) / 1000) * 1000 + 1000;
  return new Date(Math.max(now, floor)).toISOString();
}

/**
 * Compares what should be published (`wanted`) with the ledger's unrevoked rows (`open`) at
 * `now` (epoch ms): a wanted indicator without an open row gets a new row (ID from `newId`,
 * created = modified = now); an open row whose content differs gets a new version; an open row
 * no longer wanted is revoked. A revoked row is never reopened: publishing the same value again
 * makes a new row (STIX 2.1 §3.2: "Revoking an object is permanent; future versions of the
 * object with this id MUST NOT be created"). Pure.
 */
export function planIndicators(
  wanted: readonly WantedIndicator[],
  open: readonly FeedIndicator[],
  now: number,
  newId: () => string,
): IndicatorPlan {
  const at = new Date(now).toISOString();
  const openByKey = new Map(open.map((row) => [`${row.kind} ${row.value}`, row]));
  const insert: FeedIndicator[] = [];
  const update: FeedIndicator[] = [];
  for (const w of wanted) {
    const key = `${w.kind} ${w.value}`;
    const row = openByKey.get(key);
    openByKey.delete(key);
    if (row === undefined) {
      insert.push({ ...w, id: newId(), created: at, modified: at, revokedAt: null });
    } else if (JSON.stringify(row.content) !== JSON.stringify(w.content)) {
      update.push({ ...row, content: w.content, modified: nextVersionTime(row.modified, now) });
    }
  }
  const revoke = [...openByKey.values()].map((row) => {
    const modified = nextVersionTime(row.modified, now);
    return { ...row, modified, revokedAt: modified };
  });
  return { insert, update, revoke };
}

/** What the STIX and MISP feeds state besides their indicators. */
export interface IndicatorFeedContext {
  /** ISO 8601 UTC: the latest version of any indicator ever published (null before the first). */
  readonly latestChange: string | null;
  /** ISO 8601 UTC: the first publication of any indicator (null before the first). */
  readonly firstPublished: string | null;
}

/** A STIX 2.1 pattern string literal: `'` and `\` escaped (STIX 2.1 §9.2 constants). */
function stixString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The STIX pattern of an indicator: `[domain-name:value = '…']` or `[url:value = '…']`. */
export function stixPattern(kind: IndicatorKind, value: string): string {
  return `[${kind === 'domain' ? 'domain-name' : 'url'}:value = ${stixString(value)}]`;
}

function describeBasis(c: IndicatorContent): string {
  return c.legalBasis === null
    ? `blocked (${c.domain})`
    : `${c.legalBasis.kind} ${c.legalBasis.reference} (${c.legalBasis.date}), requested by ${c.requestingUnit ?? 'unknown'}`;
}

/** The end of an indicator's validity: its expiry, or its revocation if earlier; null if none. */
function validUntil(i: FeedIndicator): string | null {
  const ends = [i.content.validUntil, i.revokedAt].filter((t): t is string => t !== null).sort();
  const end = ends[0];
  // STIX 2.1 §4.7: valid_until MUST be later than valid_from.
  return end === undefined || end <= i.content.validFrom ? null : end;
}

/** The publisher's STIX identity: the same object (ID, created, modified) in every bundle. */
const STIX_IDENTITY_ID = `identity--${uuidV5('identity:scamnet')}`;
/** The MISP event date before anything was ever published (an empty feed). */
const NOTHING_PUBLISHED_DATE = '1970-01-01';

/**
 * A STIX 2.1 bundle (OASIS STIX 2.1 §8): scamnet's identity and one `indicator` per ledger row —
 * pattern `[domain-name:value = '…']` or `[url:value = '…']` (RFC 3986 URI), pattern_type `stix`,
 * valid_from = the entry's effective time, valid_until = its expiry or revocation. Each ID
 * appears once; `created` is the first publication and never changes; a row that left the
 * published set is the version with `revoked: true` (published for the revocation window). The
 * identity is created (and last modified) at the ledger's first publication, `ctx.firstPublished`
 * (kept forever, so the same in every later bundle), or else at the earliest indicator's
 * `created`; a bundle with nothing to publish has no objects (STIX 2.1 §8: `objects` is
 * optional). The bundle ID is a UUIDv5 of its objects, so the same content gives the same bundle.
 */
export function stixBundle(
  indicators: readonly FeedIndicator[],
  ctx: Pick<IndicatorFeedContext, 'firstPublished'>,
): string {
  const since = ctx.firstPublished ?? indicators.map((i) => i.created).sort()[0];
  if (since === undefined) {
    const empty = uuidV5(`bundle:${createHash('sha256').update('[]').digest('hex')}`);
    return `{"type":"bundle","id":"bundle--${empty}"}`;
  }
  const objects: Record<string, unknown>[] = [
    {
      type: 'identity',
      spec_version: '2.1',
      id: STIX_IDENTITY_ID,
      created: since,
      modified: since,
      name: 'scamnet',
      identity_class: 'system',
    },
  ];
  for (const i of indicators) {
    const until = validUntil(i);
    objects.push({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${i.id}`,
      created_by_ref: STIX_IDENTITY_ID,
      created: i.created,
      modified: i.modified,
      ...(i.revokedAt === null ? {} : { revoked: true }),
      name: `${i.kind === 'domain' ? 'Scam domain' : 'Scam URL on'} ${i.content.domain}`,
      description: describeBasis(i.content),
      indicator_types: ['malicious-activity'],
      pattern: stixPattern(i.kind, i.value),
      pattern_type: 'stix',
      pattern_version: '2.1',
      valid_from: i.content.validFrom,
      ...(until === null ? {} : { valid_until: until }),
      labels: ['scam', ...(i.content.siteType === null ? [] : [i.content.siteType])],
    });
  }
  const text = JSON.stringify(objects);
  const id = uuidV5(`bundle:${createHash('sha256').update(text).digest('hex')}`);
  return `{"type":"bundle","id":"bundle--${id}","objects":${text}}`;
}

/** The one MISP event of the feed: its stable UUID and the organisation that publishes it. */
export const MISP_EVENT_UUID = uuidV5('misp-event:scamnet-blocklist');
const MISP_ORG = { name: 'scamnet', uuid: uuidV5('misp-org:scamnet') };
const MISP_TAGS = [
  { name: 'tlp:clear', colour: '#ffffff' },
  { name: 'circl:incident-classification="scam"', colour: '#004dcc' },
];

/** The MISP attribute UUID of an indicator (distinct from its STIX ID, derived from it). */
export function mispAttributeUuid(indicatorId: string): string {
  return uuidV5(`misp-attribute:${indicatorId}`);
}

function unixSeconds(iso: string | null): string {
  return iso === null ? '0' : String(Math.floor(Date.parse(iso) / 1000));
}

function mispEventHeader(ctx: IndicatorFeedContext) {
  return {
    info: 'scamnet blocklist: domains blocked with a legal basis and reported URLs under them',
    date: ctx.firstPublished?.slice(0, 10) ?? NOTHING_PUBLISHED_DATE,
    timestamp: unixSeconds(ctx.latestChange),
    analysis: '2',
    threat_level_id: '2',
    Orgc: MISP_ORG,
    Tag: MISP_TAGS,
  };
}

/**
 * MISP feed `manifest.json` (the layout MISP's feed fetcher reads and PyMISP's feed generator
 * writes): `{ <event uuid>: { Orgc, Tag, info, date, analysis, threat_level_id, timestamp } }`.
 * The timestamp is the latest change of any indicator, revocations included, so a MISP instance
 * fetches the event again whenever something changed (it compares it with its copy's).
 */
export function mispManifest(ctx: IndicatorFeedContext): string {
  return JSON.stringify({ [MISP_EVENT_UUID]: mispEventHeader(ctx) });
}

/**
 * The MISP feed event file `<uuid>.json`: `{ "Event": { … } }` in the MISP core format
 * (draft-dulaunoy-misp-core-format): uuid, info, date, timestamp, publish_timestamp, published,
 * first_publication, distribution (3, all communities: the feed is public), sharing_group_id,
 * analysis, threat_level_id, attribute_count, Orgc, Tag and one `domain` or `url` attribute
 * (category Network activity, to_ids) per indicator, with its own UUID; an indicator that left the
 * published set is the attribute with `deleted: true` (and `to_ids: false`). Instance-local numeric IDs (id, org_id,
 * orgc_id, event_id) are left to the importing instance, as MISP's own feeds do.
 */
export function mispEvent(indicators: readonly FeedIndicator[], ctx: IndicatorFeedContext): string {
  const header = mispEventHeader(ctx);
  const attributes = indicators.map((i) => ({
    uuid: mispAttributeUuid(i.id),
    type: i.kind,
    category: 'Network activity',
    value: i.value,
    // Revoked attributes "are not actionable" (draft-dulaunoy-misp-core-format, deleted).
    to_ids: i.revokedAt === null,
    distribution: '5',
    sharing_group_id: '0',
    timestamp: unixSeconds(i.modified),
    deleted: i.revokedAt !== null,
    disable_correlation: false,
    comment: describeBasis(i.content),
  }));
  return JSON.stringify({
    Event: {
      uuid: MISP_EVENT_UUID,
      info: header.info,
      date: header.date,
      timestamp: header.timestamp,
      publish_timestamp: header.timestamp,
      published: true,
      first_publication: unixSeconds(ctx.firstPublished),
      distribution: '3',
      sharing_group_id: '0',
      analysis: header.analysis,
      threat_level_id: header.threat_level_id,
      extends_uuid: '',
      attribute_count: String(attributes.length),
      Orgc: header.Orgc,
      Tag: header.Tag,
      Attribute: attributes,
    },
  });
}

/**
 * MISP feed `hashes.csv` (the layout of PyMISP's feed generator, read by MISP's feed cache for
 * value look-ups): one `md5(value),event uuid` line (LF) per attribute that is not deleted.
 */
export function mispHashes(indicators: readonly FeedIndicator[]): string {
  return writeCsv(
    indicators
      .filter((i) => i.revokedAt === null)
      .map((i) => [createHash('md5').update(i.value, 'utf8').digest('hex'), MISP_EVENT_UUID]),
    { recordDelimiter: '\n' },
  );
}
