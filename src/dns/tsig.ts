import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TsigKeyConfig } from '../config/index.js';

/** TSIG resource record type (RFC 8945 §4.2). */
const TYPE_TSIG = 250;
/** Class ANY, as TSIG records use. */
const CLASS_ANY = 255;
/** Allowed clock difference between signer and verifier, seconds (RFC 8945 §10 recommends 300). */
export const TSIG_FUDGE_SECONDS = 300;

/** TSIG error codes (RFC 8945 §4.3.3, extended RCODEs 16–18 and 22). */
export const TSIG_ERROR = { none: 0, badSig: 16, badKey: 17, badTime: 18, badTrunc: 22 } as const;

/** The fields of a TSIG record's RDATA (RFC 8945 §4.2). */
export interface TsigRecord {
  /** Key name, lower-case, without the trailing dot. */
  readonly keyName: string;
  /** Algorithm name, lower-case, without the trailing dot (`hmac-sha256`). */
  readonly algorithm: string;
  /** Seconds since the Unix epoch (48-bit). */
  readonly timeSigned: number;
  readonly fudge: number;
  readonly mac: Buffer;
  readonly originalId: number;
  readonly error: number;
  readonly otherData: Buffer;
}

/**
 * A name in uncompressed, lower-case wire form (RFC 4034 §6.2 canonical form), as the TSIG MAC
 * input and the TSIG RDATA's algorithm name require. (dns-packet 5 has no TSIG RDATA codec, so
 * this module writes the TSIG RDATA itself; everything else goes through dns-packet.)
 */
function canonicalName(name: string): Buffer {
  const labels = name
    .toLowerCase()
    .replace(/\.$/, '')
    .split('.')
    .filter((l) => l !== '');
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii');
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

function uint48(value: number): Buffer {
  const buf = Buffer.alloc(6);
  buf.writeUIntBE(value, 0, 6);
  return buf;
}

function uint16(value: number): Buffer {
  const buf = Buffer.alloc(2);
  buf.writeUInt16BE(value, 0);
  return buf;
}

/** Reads a (possibly compressed) name at `offset`; returns it and the offset after it. */
function readName(buf: Buffer, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  for (let hops = 0; hops < 128; hops += 1) {
    const len = buf.readUInt8(pos);
    if (len === 0) {
      if (next < 0) next = pos + 1;
      return { name: labels.join('.'), next };
    }
    if ((len & 0xc0) === 0xc0) {
      if (next < 0) next = pos + 2;
      pos = buf.readUInt16BE(pos) & 0x3fff;
      continue;
    }
    labels.push(buf.toString('ascii', pos + 1, pos + 1 + len).toLowerCase());
    pos += 1 + len;
  }
  throw new RangeError('name compression loop');
}

/** Offset just after the resource record starting at `offset`, and its type. */
function skipRecord(buf: Buffer, offset: number): { type: number; next: number } {
  const { next } = readName(buf, offset);
  const type = buf.readUInt16BE(next);
  const rdlength = buf.readUInt16BE(next + 8);
  return { type, next: next + 10 + rdlength };
}

/**
 * Splits a DNS message into the message without its TSIG record (ARCOUNT decremented, ID set to
 * the TSIG's original ID: the form the MAC covers, RFC 8945 §4.3.1) and the TSIG record, or
 * returns `tsig: undefined` when the last additional record is not a TSIG.
 * @throws RangeError on a truncated or malformed message.
 */
export function splitTsig(message: Buffer): { unsigned: Buffer; tsig: TsigRecord | undefined } {
  const counts = [4, 6, 8, 10].map((at) => message.readUInt16BE(at));
  const [qd = 0, an = 0, ns = 0, ar = 0] = counts;
  let offset = 12;
  for (let i = 0; i < qd; i += 1) offset = readName(message, offset).next + 4;
  let lastStart = -1;
  let lastType = -1;
  for (let i = 0; i < an + ns + ar; i += 1) {
    const start = offset;
    const { type, next } = skipRecord(message, offset);
    if (next > message.length) throw new RangeError('truncated record');
    offset = next;
    if (i === an + ns + ar - 1) {
      lastStart = start;
      lastType = type;
    }
  }
  if (ar === 0 || lastType !== TYPE_TSIG) return { unsigned: message, tsig: undefined };
  const owner = readName(message, lastStart);
  let p = owner.next + 10;
  const algorithm = readName(message, p);
  p = algorithm.next;
  const timeSigned = message.readUIntBE(p, 6);
  const fudge = message.readUInt16BE(p + 6);
  const macSize = message.readUInt16BE(p + 8);
  const mac = Buffer.from(message.subarray(p + 10, p + 10 + macSize));
  p += 10 + macSize;
  const originalId = message.readUInt16BE(p);
  const error = message.readUInt16BE(p + 2);
  const otherLen = message.readUInt16BE(p + 4);
  const otherData = Buffer.from(message.subarray(p + 6, p + 6 + otherLen));
  const unsigned = Buffer.from(message.subarray(0, lastStart));
  unsigned.writeUInt16BE(ar - 1, 10);
  unsigned.writeUInt16BE(originalId, 0);
  return {
    unsigned,
    tsig: {
      keyName: owner.name,
      algorithm: algorithm.name,
      timeSigned,
      fudge,
      mac,
      originalId,
      error,
      otherData,
    },
  };
}

/** The TSIG variables of RFC 8945 §4.3.3 (all of them, or only the timers). */
function variables(
  key: TsigKeyConfig,
  time: number,
  fudge: number,
  error: number,
  otherData: Buffer,
  timersOnly: boolean,
): Buffer {
  if (timersOnly) return Buffer.concat([uint48(time), uint16(fudge)]);
  return Buffer.concat([
    canonicalName(key.name),
    uint16(CLASS_ANY),
    Buffer.alloc(4),
    canonicalName(key.algorithm),
    uint48(time),
    uint16(fudge),
    uint16(error),
    uint16(otherData.length),
    otherData,
  ]);
}

function hmac(key: TsigKeyConfig, parts: readonly Buffer[]): Buffer {
  const h = createHmac('sha256', key.secret);
  for (const part of parts) h.update(part);
  return h.digest();
}

/** The MAC of `prior` (a request's or previous message's MAC, when there is one) + message + variables. */
function computeMac(
  key: TsigKeyConfig,
  unsigned: Buffer,
  prior: Buffer | undefined,
  vars: Buffer,
): Buffer {
  const parts = prior === undefined ? [] : [uint16(prior.length), prior];
  return hmac(key, [...parts, unsigned, vars]);
}

/** How to sign one message. */
export interface SignOptions {
  /** Seconds since the Unix epoch. */
  readonly time: number;
  /** For a response: the request's MAC; for the 2nd… message of a transfer: the previous MAC. */
  readonly priorMac?: Buffer | undefined;
  /** Subsequent message of a multi-message response: the MAC covers only the timers. */
  readonly timersOnly?: boolean | undefined;
  readonly error?: number | undefined;
  readonly otherData?: Buffer | undefined;
}

/**
 * Appends a TSIG record (RFC 8945, HMAC-SHA256) to the DNS message `message` (which must not
 * carry one) and increments ARCOUNT. For a response pass the request's MAC as `priorMac`; for
 * the second and later messages of an AXFR/IXFR stream pass the previous message's MAC and
 * `timersOnly: true` (RFC 8945 §5.3.1).
 * @returns the signed message and its MAC (the next message's `priorMac`).
 */
export function signMessage(
  message: Buffer,
  key: TsigKeyConfig,
  options: SignOptions,
): { message: Buffer; mac: Buffer } {
  const error = options.error ?? TSIG_ERROR.none;
  const otherData = options.otherData ?? Buffer.alloc(0);
  const vars = variables(
    key,
    options.time,
    TSIG_FUDGE_SECONDS,
    error,
    otherData,
    options.timersOnly === true,
  );
  const mac = computeMac(key, message, options.priorMac, vars);
  return { message: appendTsig(message, key, options.time, mac, error, otherData), mac };
}

/**
 * Appends a TSIG record with the given MAC (empty for the unsigned BADKEY/BADSIG error
 * responses of RFC 8945 §5.3.2) and increments ARCOUNT.
 */
export function appendTsig(
  message: Buffer,
  key: { readonly name: string; readonly algorithm: string },
  time: number,
  mac: Buffer,
  error: number,
  otherData: Buffer = Buffer.alloc(0),
): Buffer {
  const rdata = Buffer.concat([
    canonicalName(key.algorithm),
    uint48(time),
    uint16(TSIG_FUDGE_SECONDS),
    uint16(mac.length),
    mac,
    uint16(message.readUInt16BE(0)),
    uint16(error),
    uint16(otherData.length),
    otherData,
  ]);
  const header = Buffer.concat([
    canonicalName(key.name),
    uint16(TYPE_TSIG),
    uint16(CLASS_ANY),
    Buffer.alloc(4),
    uint16(rdata.length),
  ]);
  const out = Buffer.concat([message, header, rdata]);
  out.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return out;
}

/** Outcome of verifyRequest. */
export type TsigVerification =
  | { readonly status: 'unsigned' }
  | { readonly status: 'valid'; readonly mac: Buffer; readonly record: TsigRecord }
  | {
      readonly status: 'invalid';
      readonly error: number;
      readonly record: TsigRecord;
      /** The MAC is shorter than RFC 8945 §5.2.2.1 allows or longer than the HMAC: FORMERR. */
      readonly malformed?: boolean;
    };

/**
 * Verifies the TSIG of a request (RFC 8945 §5.2) against `key`: the key name and algorithm
 * must match (else BADKEY); the MAC must be right (else BADSIG, compared in constant time; an
 * empty MAC is BADSIG); a MAC longer than the HMAC, or shorter than 10 octets or half of it, is
 * malformed (FORMERR, §5.2.2.1), and a correct truncated one is refused with BADTRUNC (no
 * truncation is allowed);
 * the signing time must be within the fudge of `now` (else BADTIME).
 * Also verifies a response: pass the request's MAC as `priorMac` (RFC 8945 §5.3), and for the
 * second and later messages of a zone transfer the previous message's MAC and `timersOnly`
 * (RFC 8945 §5.3.1).
 * @param now seconds since the Unix epoch.
 */
export function verifyRequest(
  message: Buffer,
  key: TsigKeyConfig,
  now: number,
  priorMac?: Buffer,
  timersOnly = false,
): TsigVerification {
  const { unsigned, tsig } = splitTsig(message);
  if (tsig === undefined) return { status: 'unsigned' };
  if (tsig.keyName !== key.name || tsig.algorithm !== key.algorithm) {
    return { status: 'invalid', error: TSIG_ERROR.badKey, record: tsig };
  }
  const vars = variables(key, tsig.timeSigned, tsig.fudge, tsig.error, tsig.otherData, timersOnly);
  const expected = computeMac(key, unsigned, priorMac, vars);
  const size = tsig.mac.length;
  if (size > expected.length || (size > 0 && size < Math.max(10, expected.length / 2))) {
    return { status: 'invalid', error: TSIG_ERROR.badSig, record: tsig, malformed: true };
  }
  if (size === 0 || !timingSafeEqual(tsig.mac, expected.subarray(0, size))) {
    return { status: 'invalid', error: TSIG_ERROR.badSig, record: tsig };
  }
  if (size < expected.length) {
    return { status: 'invalid', error: TSIG_ERROR.badTrunc, record: tsig };
  }
  if (Math.abs(now - tsig.timeSigned) > tsig.fudge) {
    return { status: 'invalid', error: TSIG_ERROR.badTime, record: tsig };
  }
  return { status: 'valid', mac: tsig.mac, record: tsig };
}
