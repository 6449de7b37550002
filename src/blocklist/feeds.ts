import { createHash } from 'node:crypto';
import { writeCsv, type CsvCell, type CsvOptions } from '../shared/csv.js';
import type { BlocklistEntry } from './blocklist.types.js';

/** An active entry with the reported URLs of its cases (for URL indicators). */
export interface FeedEntry extends BlocklistEntry {
  /** Canonical URLs reported in the entry's cases whose host is the domain or under it. */
  readonly urls: readonly string[];
}

/** What every feed states about itself: the zone serial it reflects. */
export interface FeedContext {
  /** SOA serial of the RPZ zone these entries were read at. */
  readonly serial: number;
}

const HEADER = (title: string, ctx: FeedContext): string[] => [
  `scamnet ${title}: domains blocked with a legal basis (court ruling, administrative disposition or emergency order)`,
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

/** The JSON feed: `{ serial, entries: [{ domain, legalBasis, requestingUnit, siteType, … }] }`. */
export function jsonFeed(entries: readonly FeedEntry[], ctx: FeedContext): string {
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

/** A STIX 2.1 pattern string literal: `'` and `\` escaped (STIX 2.1 §9.2 constants). */
function stixString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** STIX timestamps: RFC 3339 UTC with millisecond precision, as toISOString writes them. */
const FALLBACK_TIME = '1970-01-01T00:00:00.000Z';

/**
 * A STIX 2.1 bundle (OASIS STIX 2.1 §8): scamnet's identity, one `indicator` per entry with the
 * pattern `[domain-name:value = '…']` and one per reported URL of its cases with
 * `[url:value = '…']`, pattern_type `stix`, valid_from = the entry's effective time, valid_until
 * = its expiry. Object IDs are UUIDv5 of the indicator's pattern, so they are stable.
 */
export function stixBundle(entries: readonly FeedEntry[], ctx: FeedContext): string {
  const identityId = `identity--${uuidV5('identity:scamnet')}`;
  const identity = {
    type: 'identity',
    spec_version: '2.1',
    id: identityId,
    created: FALLBACK_TIME,
    modified: FALLBACK_TIME,
    name: 'scamnet',
    identity_class: 'system',
  };
  const objects: Record<string, unknown>[] = [identity];
  for (const e of entries) {
    const validFrom = e.effectiveAt ?? e.createdAt;
    const common = {
      type: 'indicator',
      spec_version: '2.1',
      created_by_ref: identityId,
      created: validFrom,
      modified: e.updatedAt > validFrom ? e.updatedAt : validFrom,
      indicator_types: ['malicious-activity'],
      pattern_type: 'stix',
      valid_from: validFrom,
      ...(e.expiresAt === null ? {} : { valid_until: e.expiresAt }),
      labels: ['scam', ...(e.siteType === null ? [] : [e.siteType])],
      description: e.legalBasis
        ? `${e.legalBasis.kind} ${e.legalBasis.reference} (${e.legalBasis.date}), requested by ${e.requestingUnit ?? 'unknown'}`
        : 'blocked',
    };
    const domainPattern = `[domain-name:value = ${stixString(e.domain)}]`;
    objects.push({
      ...common,
      id: `indicator--${uuidV5(domainPattern)}`,
      name: `Scam domain ${e.domain}`,
      pattern: domainPattern,
    });
    for (const url of e.urls) {
      const urlPattern = `[url:value = ${stixString(url)}]`;
      objects.push({
        ...common,
        id: `indicator--${uuidV5(urlPattern)}`,
        name: `Scam URL on ${e.domain}`,
        pattern: urlPattern,
      });
    }
  }
  return JSON.stringify({
    type: 'bundle',
    id: `bundle--${uuidV5(`bundle:${ctx.serial}`)}`,
    objects,
  });
}

/** The one MISP event of the feed: its stable UUID and the organisation that publishes it. */
export const MISP_EVENT_UUID = uuidV5('misp-event:scamnet-blocklist');
const MISP_ORG = { name: 'scamnet', uuid: uuidV5('misp-org:scamnet') };

/** Seconds since the epoch of the latest change among `entries` (0 for none). */
function latestChange(entries: readonly FeedEntry[]): number {
  let latest = 0;
  for (const e of entries) latest = Math.max(latest, Date.parse(e.updatedAt));
  return Math.floor(latest / 1000);
}

function mispEventHeader(entries: readonly FeedEntry[], ctx: FeedContext) {
  const timestamp = latestChange(entries);
  return {
    uuid: MISP_EVENT_UUID,
    info: `scamnet blocklist (RPZ serial ${ctx.serial})`,
    date: new Date(timestamp * 1000).toISOString().slice(0, 10),
    timestamp: String(timestamp),
    published: true,
    analysis: '2',
    threat_level_id: '2',
    Orgc: MISP_ORG,
    Tag: [{ name: 'tlp:clear' }, { name: 'circl:incident-classification="scam"' }],
  };
}

/**
 * MISP feed `manifest.json` (MISP "feed" format, as written by misp-feed generators): the
 * event UUIDs with their info, organisation, date, timestamp and tags, so a MISP instance
 * subscribed to the feed fetches only events whose timestamp changed.
 */
export function mispManifest(entries: readonly FeedEntry[], ctx: FeedContext): string {
  const { uuid, ...header } = mispEventHeader(entries, ctx);
  return JSON.stringify({ [uuid]: header });
}

/**
 * The MISP feed event file `<uuid>.json`: `{ "Event": { …header, "Attribute": [...] } }` with a
 * `domain` attribute (category Network activity, to_ids) per entry and a `url` attribute per
 * reported URL; attribute UUIDs are UUIDv5 of type and value, so they are stable.
 */
export function mispEvent(entries: readonly FeedEntry[], ctx: FeedContext): string {
  const attributes: Record<string, unknown>[] = [];
  for (const e of entries) {
    const timestamp = String(Math.floor(Date.parse(e.updatedAt) / 1000));
    const comment = e.legalBasis
      ? `${e.legalBasis.kind} ${e.legalBasis.reference} ${e.legalBasis.date}; ${e.requestingUnit ?? ''}; ${e.siteType ?? ''}`
      : '';
    attributes.push({
      uuid: uuidV5(`misp-attribute:domain:${e.domain}`),
      type: 'domain',
      category: 'Network activity',
      value: e.domain,
      to_ids: true,
      timestamp,
      comment,
    });
    for (const url of e.urls) {
      attributes.push({
        uuid: uuidV5(`misp-attribute:url:${url}`),
        type: 'url',
        category: 'Network activity',
        value: url,
        to_ids: true,
        timestamp,
        comment,
      });
    }
  }
  return JSON.stringify({ Event: { ...mispEventHeader(entries, ctx), Attribute: attributes } });
}
