import { RR_TYPE, type WireMessage } from './wire.js';

/** EDNS(0) option codes the server reads (IANA DNS EDNS0 Option Codes). */
export const EDNS_OPTION = {
  ecs: 8,
  expire: 9,
  cookie: 10,
  keepalive: 11,
  keyTag: 14,
  clientTag: 16,
  serverTag: 17,
} as const;

/** The DO bit of the OPT TTL's flags (RFC 3225). */
export const EDNS_DO = 0x8000;

/** One EDNS option as received or to send. */
export interface EdnsOption {
  readonly code: number;
  readonly data: Buffer;
}

/** The request's OPT record (RFC 6891 §6.1.3). */
export interface EdnsRequest {
  /** Requestor's UDP payload size, octets. */
  readonly udpSize: number;
  readonly version: number;
  /** The 16 flag bits (DO and Z). */
  readonly flags: number;
  readonly options: readonly EdnsOption[];
  /** The first EDNS Client Subnet option (RFC 7871), to repeat with SCOPE 0. */
  readonly ecs: EdnsOption | undefined;
  readonly wantsExpire: boolean;
  readonly wantsKeepalive: boolean;
}

/**
 * How a request's EDNS reads: no OPT; a format error, answered FORMERR with or without an OPT
 * record of our own (as BIND 9 distinguishes a malformed option, DNS_R_OPTERR, from a malformed
 * message); or the parsed OPT.
 */
export type EdnsParse =
  | { readonly kind: 'none' }
  | { readonly kind: 'formerr'; readonly withOpt: boolean; readonly why: string }
  | { readonly kind: 'ok'; readonly edns: EdnsRequest };

/** Why the option's data is malformed (BIND opt_41.c fromwire checks), or undefined. */
function optionError(code: number, data: Buffer): string | undefined {
  switch (code) {
    case EDNS_OPTION.ecs:
      return ecsError(data);
    case EDNS_OPTION.expire:
      return data.length === 0 || data.length === 4 ? undefined : 'EXPIRE length';
    case EDNS_OPTION.cookie:
      return data.length === 8 || (data.length >= 16 && data.length <= 40)
        ? undefined
        : 'COOKIE length';
    case EDNS_OPTION.keyTag:
      return data.length > 0 && data.length % 2 === 0 ? undefined : 'KEY-TAG length';
    case EDNS_OPTION.clientTag:
    case EDNS_OPTION.serverTag:
      return data.length === 2 ? undefined : 'tag length';
    default:
      return undefined;
  }
}

/** RFC 7871 §6 ECS option checks: family, prefix lengths, address length, zero trailing bits. */
function ecsError(data: Buffer): string | undefined {
  if (data.length < 4) return 'ECS too short';
  const family = data.readUInt16BE(0);
  const source = data.readUInt8(2);
  const scope = data.readUInt8(3);
  const maxBits = family === 1 ? 32 : family === 2 ? 128 : family === 0 ? 0 : -1;
  if (maxBits < 0) return 'ECS family';
  if (source > maxBits || scope > maxBits) return 'ECS prefix length';
  const bytes = Math.ceil(source / 8);
  if (data.length !== 4 + bytes) return 'ECS address length';
  const last = data[3 + bytes] ?? 0;
  if (bytes > 0 && source % 8 !== 0 && (last & (0xff >> (source % 8))) !== 0) {
    return 'ECS address bits beyond the prefix';
  }
  return undefined;
}

/**
 * Reads and checks the OPT record of `message` (RFC 6891 §6.1.1: at most one, owner the root, in
 * the additional section only; options well formed).
 */
export function readEdns(message: WireMessage): EdnsParse {
  const misplaced = [...message.answers, ...message.authorities].some(
    (r) => r.type === RR_TYPE.OPT,
  );
  const opts = message.additionals.filter((r) => r.type === RR_TYPE.OPT);
  if (misplaced || opts.length > 1) {
    return { kind: 'formerr', withOpt: false, why: 'OPT misplaced or repeated' };
  }
  const opt = opts[0];
  if (opt === undefined) return { kind: 'none' };
  if (opt.name.length !== 0) return { kind: 'formerr', withOpt: false, why: 'OPT owner not root' };
  const options: EdnsOption[] = [];
  let at = 0;
  while (at < opt.rdata.length) {
    if (at + 4 > opt.rdata.length) {
      return { kind: 'formerr', withOpt: false, why: 'truncated option' };
    }
    const code = opt.rdata.readUInt16BE(at);
    const length = opt.rdata.readUInt16BE(at + 2);
    if (at + 4 + length > opt.rdata.length) {
      return { kind: 'formerr', withOpt: false, why: 'truncated option' };
    }
    options.push({ code, data: Buffer.from(opt.rdata.subarray(at + 4, at + 4 + length)) });
    at += 4 + length;
  }
  for (const option of options) {
    const why = optionError(option.code, option.data);
    if (why !== undefined) return { kind: 'formerr', withOpt: true, why };
  }
  const ecs = options.find((o) => o.code === EDNS_OPTION.ecs);
  // A query's SCOPE PREFIX-LENGTH must be 0 (RFC 7871 §6); BIND answers FORMERR without OPT.
  if (ecs !== undefined && ecs.data.readUInt8(3) !== 0) {
    return { kind: 'formerr', withOpt: false, why: 'ECS scope in a query' };
  }
  return {
    kind: 'ok',
    edns: {
      udpSize: opt.class,
      version: (opt.ttl >>> 16) & 0xff,
      flags: opt.ttl & 0xffff,
      options,
      ecs,
      wantsExpire: options.some((o) => o.code === EDNS_OPTION.expire),
      wantsKeepalive: options.some((o) => o.code === EDNS_OPTION.keepalive),
    },
  };
}
