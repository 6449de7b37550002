/**
 * The DNS message wire format (RFC 1035 §4, names §3.1 and §4.1.4, EDNS(0) RFC 6891) as the RPZ
 * server needs it: parse any request exactly (raw labels, unknown types and classes, every
 * section, the OPT record) and write responses with name compression. dns-packet cannot do either
 * (it decodes labels as UTF-8 text, so `a.b` as one label and as two are the same to it, and it
 * never compresses), so the server reads and writes messages here.
 */

/** A domain name as its labels (the raw octets), leftmost first, without the root label. */
export type WireName = readonly Buffer[];

/** Resource record types and classes used by name (RFC 1035, RFC 6891, RFC 8945, RFC 2930…). */
export const RR_TYPE = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  TXT: 16,
  KEY: 25,
  AAAA: 28,
  OPT: 41,
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  TKEY: 249,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  MAILB: 253,
  MAILA: 254,
  ANY: 255,
} as const;

export const RR_CLASS = { IN: 1, CH: 3, HS: 4, NONE: 254, ANY: 255 } as const;

/** The question of a message. */
export interface WireQuestion {
  readonly name: WireName;
  readonly type: number;
  readonly class: number;
}

/** A resource record as received: RDATA raw, with its offset so names in it can be read. */
export interface WireRecord {
  readonly name: WireName;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly rdata: Buffer;
  readonly rdataOffset: number;
}

/** A parsed message: the header fields and the four sections. */
export interface WireMessage {
  readonly id: number;
  /** The whole second header word: QR, opcode, AA, TC, RD, RA, Z, AD, CD, RCODE. */
  readonly flags: number;
  readonly opcode: number;
  readonly questions: readonly WireQuestion[];
  readonly answers: readonly WireRecord[];
  readonly authorities: readonly WireRecord[];
  readonly additionals: readonly WireRecord[];
}

/**
 * Thrown by the parser on a message that is not well formed (answered with FORMERR).
 * `questions` holds the question section when that much was well formed (a FORMERR response
 * repeats it, as BIND's does).
 */
export class WireFormatError extends Error {
  questions: readonly WireQuestion[] | undefined;
  constructor(message: string, questions?: readonly WireQuestion[]) {
    super(message);
    this.name = 'WireFormatError';
    this.questions = questions;
  }
}

export const FLAG = {
  qr: 0x8000,
  aa: 0x0400,
  tc: 0x0200,
  rd: 0x0100,
  ra: 0x0080,
  ad: 0x0020,
  cd: 0x0010,
} as const;

/**
 * Reads a possibly compressed name at `offset` (RFC 1035 §4.1.4): pointers must point backwards
 * (so there is no loop), labels are at most 63 octets and the name at most 255.
 * @returns the name and the offset just after it in `buf`.
 * @throws WireFormatError on a truncated or malformed name.
 */
export function readWireName(buf: Buffer, offset: number): { name: Buffer[]; next: number } {
  const labels: Buffer[] = [];
  let pos = offset;
  let next = -1;
  let length = 1;
  let limit = offset;
  for (;;) {
    if (pos >= buf.length) throw new WireFormatError('name runs past the message');
    const len = buf[pos] ?? 0;
    if (len === 0) {
      if (next < 0) next = pos + 1;
      return { name: labels, next };
    }
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) throw new WireFormatError('name runs past the message');
      const target = ((len & 0x3f) << 8) | (buf[pos + 1] ?? 0);
      if (next < 0) next = pos + 2;
      if (target >= limit) throw new WireFormatError('compression pointer does not point back');
      limit = target;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new WireFormatError('unknown label type');
    if (pos + 1 + len > buf.length) throw new WireFormatError('label runs past the message');
    length += len + 1;
    if (length > 255) throw new WireFormatError('name longer than 255 octets');
    labels.push(Buffer.from(buf.subarray(pos + 1, pos + 1 + len)));
    pos += 1 + len;
  }
}

function readRecord(buf: Buffer, offset: number): { record: WireRecord; next: number } {
  const { name, next } = readWireName(buf, offset);
  if (next + 10 > buf.length) throw new WireFormatError('record header runs past the message');
  const rdlength = buf.readUInt16BE(next + 8);
  const rdataOffset = next + 10;
  if (rdataOffset + rdlength > buf.length) throw new WireFormatError('RDATA runs past the message');
  return {
    record: {
      name,
      type: buf.readUInt16BE(next),
      class: buf.readUInt16BE(next + 2),
      ttl: buf.readUInt32BE(next + 4),
      rdata: Buffer.from(buf.subarray(rdataOffset, rdataOffset + rdlength)),
      rdataOffset,
    },
    next: rdataOffset + rdlength,
  };
}

/** Types of which an owner holds one record at most (RFC 1035 SOA, RFC 2181 §10.1 CNAME, DNAME). */
const SINGLETON_TYPES = new Set<number>([5, 6, 39]);

/** Two records of a singleton type at one owner in one section are a format error (as BIND). */
function checkSingletons(section: readonly WireRecord[]): void {
  const seen = new Set<string>();
  for (const record of section) {
    if (!SINGLETON_TYPES.has(record.type)) continue;
    const key = `${nameKey(record.name)} ${record.class} ${record.type}`;
    if (seen.has(key)) throw new WireFormatError('two records of a singleton type');
    seen.add(key);
  }
}

/**
 * Parses a whole DNS message (RFC 1035 §4.1). Octets after the last record are ignored, as BIND
 * ignores them.
 * @throws WireFormatError when the message is shorter than its counts say or malformed.
 */
export function parseMessage(buf: Buffer): WireMessage {
  if (buf.length < 12) throw new WireFormatError('shorter than a header');
  const flags = buf.readUInt16BE(2);
  const counts = [4, 6, 8, 10].map((at) => buf.readUInt16BE(at));
  let offset = 12;
  const questions: WireQuestion[] = [];
  for (let i = 0; i < (counts[0] ?? 0); i += 1) {
    const { name, next } = readWireName(buf, offset);
    if (next + 4 > buf.length) throw new WireFormatError('question runs past the message');
    questions.push({ name, type: buf.readUInt16BE(next), class: buf.readUInt16BE(next + 2) });
    offset = next + 4;
  }
  const sections: WireRecord[][] = [[], [], []];
  try {
    for (let s = 0; s < 3; s += 1) {
      for (let i = 0; i < (counts[s + 1] ?? 0); i += 1) {
        const { record, next } = readRecord(buf, offset);
        sections[s]?.push(record);
        offset = next;
      }
    }
    for (const section of sections) checkSingletons(section);
  } catch (error) {
    if (error instanceof WireFormatError) error.questions = questions;
    throw error;
  }
  return {
    id: buf.readUInt16BE(0),
    flags,
    opcode: (flags >> 11) & 0xf,
    questions,
    answers: sections[0] ?? [],
    authorities: sections[1] ?? [],
    additionals: sections[2] ?? [],
  };
}

/** SOA RDATA fields (RFC 1035 §3.3.13). */
export interface SoaFields {
  readonly mname: WireName;
  readonly rname: WireName;
  readonly serial: number;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimum: number;
}

/**
 * The fields of an SOA record found in `message` (its names may be compressed against the rest
 * of the message).
 * @throws WireFormatError when the RDATA is not a well-formed SOA.
 */
export function readSoa(message: Buffer, record: WireRecord): SoaFields {
  const end = record.rdataOffset + record.rdata.length;
  const mname = readWireName(message, record.rdataOffset);
  const rname = readWireName(message, mname.next);
  if (rname.next + 20 !== end) throw new WireFormatError('SOA RDATA has the wrong length');
  const at = rname.next;
  return {
    mname: mname.name,
    rname: rname.name,
    serial: message.readUInt32BE(at),
    refresh: message.readUInt32BE(at + 4),
    retry: message.readUInt32BE(at + 8),
    expire: message.readUInt32BE(at + 12),
    minimum: message.readUInt32BE(at + 16),
  };
}

/** The octet lower-cased as DNS compares names (ASCII only, RFC 4343). */
function lowerOctet(octet: number): number {
  return octet >= 0x41 && octet <= 0x5a ? octet + 0x20 : octet;
}

/** The name with ASCII letters lower-cased (RFC 4343): the form BIND gives wildcard answers. */
export function lowerName(name: WireName): Buffer[] {
  return name.map((label) => Buffer.from(label.map(lowerOctet)));
}

/** A label that is its own key: lower-case letters, digits, `-`, `_` and `*`. */
const PLAIN_LABEL = /^[a-z0-9_*-]*$/;

/**
 * The name in master-file presentation form (RFC 1035 §5.1), lower-cased, without the trailing
 * dot (`''` for the root): `.` and `\` inside a label and octets outside 0x21–0x7E are escaped,
 * so distinct names always give distinct keys.
 */
export function nameKey(name: WireName): string {
  return name
    .map((label) => {
      const plain = label.toString('latin1');
      if (PLAIN_LABEL.test(plain)) return plain;
      let text = '';
      for (const raw of label) {
        const octet = lowerOctet(raw);
        if (octet === 0x2e || octet === 0x5c) text += `\\${String.fromCharCode(octet)}`;
        else if (octet < 0x21 || octet > 0x7e) text += `\\${String(octet).padStart(3, '0')}`;
        else text += String.fromCharCode(octet);
      }
      return text;
    })
    .join('.');
}

/** The name whose nameKey is `key` (lower case): reads the escapes `\.`, `\\` and `\DDD`. */
export function nameFromKey(key: string): Buffer[] {
  if (key === '') return [];
  const labels: Buffer[] = [];
  let octets: number[] = [];
  for (let i = 0; i < key.length; i += 1) {
    const char = key.charCodeAt(i);
    if (char === 0x2e) {
      labels.push(Buffer.from(octets));
      octets = [];
    } else if (char === 0x5c && /^\d{3}$/.test(key.slice(i + 1, i + 4))) {
      octets.push(Number(key.slice(i + 1, i + 4)));
      i += 3;
    } else if (char === 0x5c) {
      octets.push(key.charCodeAt(i + 1));
      i += 1;
    } else {
      octets.push(char);
    }
  }
  labels.push(Buffer.from(octets));
  return labels;
}

/**
 * Parses a name in presentation form without escapes (`rpz.scamnet`, trailing dot optional,
 * `.` or `''` for the root): the names the zone itself holds, which are LDH labels and `*`.
 */
export function textName(text: string): Buffer[] {
  const bare = text.replace(/\.$/, '');
  return bare === '' ? [] : bare.split('.').map((label) => Buffer.from(label, 'ascii'));
}

/** The data of a record the server writes. */
export type RecordData =
  | { readonly kind: 'soa'; readonly soa: SoaFields }
  /** NS, CNAME (a single compressible name, RFC 1035 §3.3). */
  | { readonly kind: 'name'; readonly name: WireName }
  | { readonly kind: 'raw'; readonly bytes: Buffer };

/** A record to write. */
export interface OutRecord {
  readonly name: WireName;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly data: RecordData;
}

/** An EDNS(0) OPT pseudo-record to write (RFC 6891 §6.1). */
export interface OutOpt {
  readonly udpSize: number;
  readonly extendedRcode: number;
  readonly version: number;
  readonly flags: number;
  readonly options: readonly { readonly code: number; readonly data: Buffer }[];
}

type Section = 'answer' | 'authority' | 'additional';

/**
 * Writes one DNS message, compressing names (RFC 1035 §4.1.4) case-sensitively as BIND does (so
 * every name keeps the case it is written with). Records that do not fit in `maxSize` octets are
 * left out and the message marked truncated (TC).
 */
export class MessageWriter {
  readonly #maxSize: number;
  #buf: Buffer;
  #length = 12;
  readonly #counts = [0, 0, 0, 0];
  readonly #offsets = new Map<string, number>();
  #truncated = false;

  /** @param maxSize largest message, octets (512 for UDP without EDNS, 65,535 over TCP). */
  constructor(id: number, flags: number, maxSize = 65_535) {
    this.#maxSize = maxSize;
    this.#buf = Buffer.alloc(Math.min(maxSize, 4096));
    this.#buf.writeUInt16BE(id, 0);
    this.#buf.writeUInt16BE(flags, 2);
  }

  /** Whether a record was left out for want of room. */
  get truncated(): boolean {
    return this.#truncated;
  }

  /** Octets written so far. */
  get length(): number {
    return this.#length;
  }

  /** Sets the header flags word (QR, opcode, AA, TC, RD, …, RCODE). */
  setFlags(flags: number): void {
    this.#buf.writeUInt16BE(flags, 2);
  }

  #ensure(extra: number): void {
    if (this.#length + extra <= this.#buf.length) return;
    const next = Buffer.alloc(Math.max(this.#buf.length * 2, this.#length + extra));
    this.#buf.copy(next, 0, 0, this.#length);
    this.#buf = next;
  }

  #uint16(value: number): void {
    this.#ensure(2);
    this.#buf.writeUInt16BE(value, this.#length);
    this.#length += 2;
  }

  #uint32(value: number): void {
    this.#ensure(4);
    this.#buf.writeUInt32BE(value >>> 0, this.#length);
    this.#length += 4;
  }

  #bytes(bytes: Buffer): void {
    this.#ensure(bytes.length);
    bytes.copy(this.#buf, this.#length);
    this.#length += bytes.length;
  }

  /**
   * Writes `name`, compressed against names already written; the suffixes it makes available
   * are listed in `added` (so a record that does not fit can take them back).
   */
  #name(name: WireName, added: string[]): void {
    // Keys of the suffixes, longest first, built from the right in one pass.
    const keys: string[] = [];
    let suffix = '';
    for (let i = name.length - 1; i >= 0; i -= 1) {
      const label = name[i] ?? Buffer.alloc(0);
      suffix = `${String.fromCharCode(label.length)}${label.toString('latin1')}${suffix}`;
      keys[i] = suffix;
    }
    for (let i = 0; i < name.length; i += 1) {
      const key = keys[i] ?? '';
      const known = this.#offsets.get(key);
      if (known !== undefined) {
        this.#uint16(0xc000 | known);
        return;
      }
      if (this.#length < 0x4000) {
        this.#offsets.set(key, this.#length);
        added.push(key);
      }
      const label = name[i] ?? Buffer.alloc(0);
      this.#ensure(1 + label.length);
      this.#buf[this.#length] = label.length;
      label.copy(this.#buf, this.#length + 1);
      this.#length += 1 + label.length;
    }
    this.#ensure(1);
    this.#buf[this.#length] = 0;
    this.#length += 1;
  }

  /** Writes a question (raw name octets, as asked). */
  question(question: WireQuestion): void {
    this.#name(question.name, []);
    this.#uint16(question.type);
    this.#uint16(question.class);
    this.#counts[0] = (this.#counts[0] ?? 0) + 1;
  }

  /**
   * Writes a record into `section` unless it would pass the size limit (then marks the message
   * truncated and returns false; later records are not written either).
   */
  record(section: Section, record: OutRecord): boolean {
    if (this.#truncated) return false;
    const start = this.#length;
    const added: string[] = [];
    this.#name(record.name, added);
    this.#uint16(record.type);
    this.#uint16(record.class);
    this.#uint32(record.ttl);
    const lengthAt = this.#length;
    this.#uint16(0);
    const data = record.data;
    if (data.kind === 'raw') {
      this.#bytes(data.bytes);
    } else if (data.kind === 'name') {
      this.#name(data.name, added);
    } else {
      this.#name(data.soa.mname, added);
      this.#name(data.soa.rname, added);
      const { serial, refresh, retry, expire, minimum } = data.soa;
      for (const value of [serial, refresh, retry, expire, minimum]) this.#uint32(value);
    }
    if (this.#length > this.#maxSize) {
      for (const key of added) this.#offsets.delete(key);
      this.#length = start;
      this.#truncated = true;
      return false;
    }
    this.#buf.writeUInt16BE(this.#length - lengthAt - 2, lengthAt);
    const index = section === 'answer' ? 1 : section === 'authority' ? 2 : 3;
    this.#counts[index] = (this.#counts[index] ?? 0) + 1;
    return true;
  }

  /** Writes the OPT pseudo-record (owner root, RFC 6891 §6.1.2) into the additional section. */
  opt(opt: OutOpt): void {
    const ttl = ((opt.extendedRcode & 0xff) << 24) | ((opt.version & 0xff) << 16) | opt.flags;
    this.#ensure(1);
    this.#buf[this.#length] = 0;
    this.#length += 1;
    this.#uint16(RR_TYPE.OPT);
    this.#uint16(opt.udpSize);
    this.#uint32(ttl);
    this.#uint16(opt.options.reduce((n, o) => n + 4 + o.data.length, 0));
    for (const option of opt.options) {
      this.#uint16(option.code);
      this.#uint16(option.data.length);
      this.#bytes(option.data);
    }
    this.#counts[3] = (this.#counts[3] ?? 0) + 1;
  }

  /** The finished message (TC set when a record was left out). */
  finish(): Buffer {
    const out = Buffer.from(this.#buf.subarray(0, this.#length));
    this.#counts.forEach((count, i) => out.writeUInt16BE(count, 4 + i * 2));
    if (this.#truncated) out.writeUInt16BE(out.readUInt16BE(2) | FLAG.tc, 2);
    return out;
  }
}
