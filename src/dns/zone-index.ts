import {
  lowerName,
  nameFromKey,
  nameKey,
  RR_TYPE,
  type OutRecord,
  type SoaFields,
  type WireName,
} from './wire.js';

/** RCODEs of RFC 1035 §4.1.1 that a lookup can give. */
export const LOOKUP_RCODE = { noError: 0, nxDomain: 3 } as const;

/**
 * Types that may sit beside a CNAME (RFC 2181 §10.1, RFC 4035 §2.5: RRSIG, NSEC; RFC 2535: KEY):
 * a query for one of them at a CNAME owner is not answered with the CNAME (BIND
 * dns_rdatatype_atcname).
 */
const AT_CNAME = new Set<number>([RR_TYPE.RRSIG, RR_TYPE.NSEC, RR_TYPE.KEY]);

/** CNAMEs followed inside the zone before giving up (BIND's limit of query restarts). */
const MAX_CHAIN = 16;

/** A record without its owner name: nodes with the same records share one set of these. */
type RecordTemplate = Omit<OutRecord, 'name'>;

/** The records of one owner name, by type (shared between owners with the same records). */
type RRsets = ReadonlyMap<number, readonly RecordTemplate[]>;

/**
 * Names that hold the same policy records, given compactly: each `domain` (relative to the
 * origin, lower-case, in nameKey form) and its `*.` child hold `records` (without owners).
 */
export interface PolicyOwners {
  readonly domains: ReadonlySet<string>;
  readonly records: readonly Omit<OutRecord, 'name'>[];
}

/** The outcome of an authoritative lookup. */
export interface LookupResult {
  readonly rcode: number;
  readonly answer: readonly OutRecord[];
  readonly authority: readonly OutRecord[];
  /** The answer is the apex SOA itself (no CNAME on the way): EDNS EXPIRE applies (RFC 7314). */
  readonly apexSoa: boolean;
}

/** The octets of a name with its label lengths, as a string: equal only for identical names. */
function exactKey(name: WireName): string {
  return name.map((l) => `${String.fromCharCode(l.length)}${l.toString('latin1')}`).join('');
}

/** A key that is equal for records with the same type, class, TTL and data (names exactly). */
function templateKey(record: RecordTemplate): string {
  const data = record.data;
  const text =
    data.kind === 'raw'
      ? data.bytes.toString('latin1')
      : data.kind === 'name'
        ? exactKey(data.name)
        : [
            exactKey(data.soa.mname),
            exactKey(data.soa.rname),
            data.soa.serial,
            data.soa.refresh,
            data.soa.retry,
            data.soa.expire,
            data.soa.minimum,
          ].join(' ');
  return `${record.type}/${record.class}/${record.ttl}/${data.kind}/${text}`;
}

/**
 * One zone's records indexed for authoritative answers the way BIND 9 answers from the same
 * zone file: exact matches, empty non-terminals (RFC 8020: NOERROR/NODATA, never NXDOMAIN),
 * wildcards (RFC 4592: only when the closest encloser has a `*` child; a wildcard never covers a
 * name that exists, nor names below an existing name other than its own parent), CNAME chains
 * followed while they stay in the zone (RFC 1034 §4.3.2, RFC 6604 for the final RCODE), and
 * negative answers with the SOA at min(SOA TTL, SOA MINIMUM) (RFC 2308 §3).
 * Owner names are answered as nameFromKey gives them (lower case): the zone's own spelling for
 * the zones scamnet renders, whose names are lower case. Owners with the same records share one
 * set of them. The many names of an RPZ zone that all hold the same policy records can be given
 * as a PolicyOwners set instead of records: a set entry per blocked domain, holding the string
 * the caller already has, so a zone of a million domains fits in a few tens of MB.
 */
export class ZoneIndex {
  readonly origin: WireName;
  readonly #originKey: string;
  readonly #nodes = new Map<string, RRsets>();
  /** Every proper ancestor (inside the zone) of an owner name: the names that exist without records. */
  readonly #interior = new Set<string>();
  /** Shared record sets, by the keys of their records, and back (while the index is built). */
  readonly #shared = new Map<string, RRsets>();
  readonly #shareKeys = new WeakMap<RRsets, string>();
  readonly #soa: OutRecord;
  readonly #ns: readonly OutRecord[];
  readonly #policy: { readonly domains: ReadonlySet<string>; readonly rrsets: RRsets } | undefined;

  /**
   * @param origin the zone's apex.
   * @param records the zone's records (the AXFR stream; the closing SOA may repeat), except
   *   those given as `policy`.
   * @param policy names that all hold the same records, given compactly (see PolicyOwners).
   * @throws Error when the records hold no SOA at the apex or a record lies outside the zone.
   */
  constructor(origin: WireName, records: Iterable<OutRecord>, policy?: PolicyOwners) {
    this.origin = origin;
    this.#originKey = nameKey(origin);
    for (const record of records) this.#add(record);
    this.#shared.clear();
    if (policy !== undefined) {
      const rrsets = new Map<number, RecordTemplate[]>();
      for (const r of policy.records) rrsets.set(r.type, [...(rrsets.get(r.type) ?? []), r]);
      this.#policy = { domains: policy.domains, rrsets };
      const suffix = this.#originKey === '' ? '' : `.${this.#originKey}`;
      for (const domain of policy.domains) {
        // Ancestors from the nearest up; once one is known, so are all above it.
        for (let at = domain.indexOf('.'); at >= 0; at = domain.indexOf('.', at + 1)) {
          const ancestor = `${domain.slice(at + 1)}${suffix}`;
          if (this.#interior.has(ancestor)) break;
          this.#interior.add(ancestor);
        }
      }
    }
    const apex = this.#nodes.get(this.#originKey);
    const soa = apex?.get(RR_TYPE.SOA)?.[0];
    if (soa === undefined) throw new Error('zone has no SOA at its apex');
    this.#soa = { ...soa, name: origin };
    this.#ns = (apex?.get(RR_TYPE.NS) ?? []).map((r) => ({ ...r, name: origin }));
  }

  #add(record: OutRecord): void {
    const key = nameKey(record.name);
    if (!this.contains(key)) throw new Error(`record ${key} lies outside the zone`);
    const before = this.#nodes.get(key);
    if (before === undefined) {
      // Ancestors from the nearest up; once one is known, so are all above it.
      for (let i = 1; i < record.name.length - this.origin.length; i += 1) {
        const ancestor = nameKey(record.name.slice(i));
        if (this.#interior.has(ancestor)) break;
        this.#interior.add(ancestor);
      }
    }
    if (record.type === RR_TYPE.SOA && before?.has(RR_TYPE.SOA) === true) return;
    const template: RecordTemplate = {
      type: record.type,
      class: record.class,
      ttl: record.ttl,
      data: record.data,
    };
    const previous = before === undefined ? undefined : this.#shareKeys.get(before);
    const shareKey =
      previous === undefined ? templateKey(template) : `${previous}|${templateKey(template)}`;
    const shared = this.#shared.get(shareKey);
    if (shared !== undefined) {
      this.#nodes.set(key, shared);
      return;
    }
    const rrsets = new Map(before ?? []);
    rrsets.set(record.type, [...(rrsets.get(record.type) ?? []), template]);
    this.#shared.set(shareKey, rrsets);
    this.#shareKeys.set(rrsets, shareKey);
    this.#nodes.set(key, rrsets);
  }

  /** Whether the name with key `key` (nameKey form) is the apex or below it. */
  contains(key: string): boolean {
    return this.#originKey === '' || key === this.#originKey || key.endsWith(`.${this.#originKey}`);
  }

  /** The SOA's fields. */
  get soa(): SoaFields {
    const data = this.#soa.data;
    if (data.kind !== 'soa') throw new Error('SOA record without SOA data');
    return data.soa;
  }

  /**
   * The apex SOA as a negative answer carries it: TTL min(SOA TTL, MINIMUM) (RFC 2308 §3), or 0
   * in an NXDOMAIN to a question for an SOA (as BIND does, so that the SOA is not cached as
   * the answer to an SOA query).
   */
  #negativeSoa(qtype: number, rcode: number): OutRecord {
    const zero = qtype === RR_TYPE.SOA && rcode === LOOKUP_RCODE.nxDomain;
    return { ...this.#soa, ttl: zero ? 0 : Math.min(this.#soa.ttl, this.soa.minimum) };
  }

  /** The records at the name with key `key`, or undefined when it holds none. */
  #node(key: string): RRsets | undefined {
    const node = this.#nodes.get(key);
    const policy = this.#policy;
    if (node !== undefined || policy === undefined) return node;
    const suffix = `.${this.#originKey}`;
    if (this.#originKey !== '' && !key.endsWith(suffix)) return undefined;
    const relative = this.#originKey === '' ? key : key.slice(0, -suffix.length);
    if (policy.domains.has(relative)) return policy.rrsets;
    if (relative.startsWith('*.') && policy.domains.has(relative.slice(2))) return policy.rrsets;
    return undefined;
  }

  #exists(key: string): boolean {
    return this.#node(key) !== undefined || this.#interior.has(key);
  }

  /**
   * Answers `qtype` at `qname` (which must be inside the zone). `minimal` leaves the apex NS out
   * of the authority section of positive answers, as BIND's default `minimal-responses
   * no-auth-recursive` does when the query asked for recursion (RD) or its EDNS UDP size is at
   * most 512 octets.
   */
  lookup(qname: WireName, qtype: number, minimal: boolean): LookupResult {
    const answer: OutRecord[] = [];
    let name = qname;
    for (let hop = 0; hop <= MAX_CHAIN; hop += 1) {
      const key = nameKey(name);
      // A CNAME that leads out of the zone ends the answer (no recursion here).
      if (!this.contains(key))
        return { rcode: LOOKUP_RCODE.noError, answer, authority: [], apexSoa: false };
      let node = this.#node(key);
      let owner = node === undefined ? name : nameFromKey(key);
      if (node === undefined) {
        if (this.#interior.has(key)) return this.#negative(answer, LOOKUP_RCODE.noError, qtype);
        const wildcard = this.#wildcardFor(name);
        if (wildcard === 'nodata') return this.#negative(answer, LOOKUP_RCODE.noError, qtype);
        if (wildcard === undefined) return this.#negative(answer, LOOKUP_RCODE.nxDomain, qtype);
        node = wildcard;
        owner = lowerName(name);
      }
      const at = (records: readonly RecordTemplate[]): OutRecord[] =>
        records.map((r) => ({ ...r, name: owner }));
      if (qtype === RR_TYPE.ANY) {
        for (const rrset of node.values()) answer.push(...at(rrset));
        return this.#positive(answer, minimal, false);
      }
      const wanted = node.get(qtype);
      if (wanted !== undefined) {
        answer.push(...at(wanted));
        const apexSoa = hop === 0 && qtype === RR_TYPE.SOA && key === this.#originKey;
        return this.#positive(answer, minimal, apexSoa);
      }
      const cname = node.get(RR_TYPE.CNAME)?.[0];
      if (cname === undefined || AT_CNAME.has(qtype)) {
        return this.#negative(answer, LOOKUP_RCODE.noError, qtype);
      }
      answer.push(...at([cname]));
      if (cname.data.kind !== 'name') break;
      name = cname.data.name;
    }
    return { rcode: LOOKUP_RCODE.noError, answer, authority: [], apexSoa: false };
  }

  /**
   * The wildcard node that synthesises `name` (RFC 4592 §3.3.1): `*` below the closest
   * encloser; 'nodata' when that `*` exists only as an empty non-terminal; undefined when none.
   */
  #wildcardFor(name: WireName): RRsets | 'nodata' | undefined {
    for (let i = 1; i <= name.length - this.origin.length; i += 1) {
      const encloser = name.slice(i);
      const key = nameKey(encloser);
      if (!this.#exists(key) && key !== this.#originKey) continue;
      const source = key === '' ? '*' : `*.${key}`;
      const node = this.#node(source);
      if (node !== undefined) return node;
      return this.#interior.has(source) ? 'nodata' : undefined;
    }
    return undefined;
  }

  #positive(answer: OutRecord[], minimal: boolean, apexSoa: boolean): LookupResult {
    const hasApexNs = answer.some(
      (r) => r.type === RR_TYPE.NS && nameKey(r.name) === this.#originKey,
    );
    const authority = minimal || hasApexNs ? [] : [...this.#ns];
    return { rcode: LOOKUP_RCODE.noError, answer, authority, apexSoa };
  }

  #negative(answer: OutRecord[], rcode: number, qtype: number): LookupResult {
    return { rcode, answer, authority: [this.#negativeSoa(qtype, rcode)], apexSoa: false };
  }
}
