import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { TsigKeyConfig } from '../../src/config/index.js';
import { splitTsig, verifyRequest } from '../../src/dns/index.js';

// Asking two DNS servers the same question and describing their answers in a form that can be
// compared: every header bit, every section as sorted record lines (names as sent, TTLs
// included), the OPT record, and the TSIG record (key, error, and whether its MAC verifies).

/** Sends `message` over UDP to 127.0.0.1:`port`; the first reply, or undefined after `waitMs`. */
export async function udpExchange(
  port: number,
  message: Buffer,
  waitMs = 1500,
): Promise<Buffer | undefined> {
  const socket = createSocket('udp4');
  try {
    return await new Promise<Buffer | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), waitMs);
      socket.once('message', (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      socket.once('error', () => resolve(undefined));
      socket.send(message, port, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

/**
 * Sends `message` over TCP and collects the replies: until `complete` says the exchange is over,
 * the server closes, or `waitMs` passes without a new message.
 */
export async function tcpExchange(
  port: number,
  message: Buffer,
  complete: (messages: readonly Buffer[]) => boolean = (m) => m.length >= 1,
  waitMs = 3000,
): Promise<Buffer[]> {
  const socket = connect({ host: '127.0.0.1', port });
  const frame = Buffer.alloc(2);
  frame.writeUInt16BE(message.length);
  socket.write(Buffer.concat([frame, message]));
  const messages: Buffer[] = [];
  let pending = Buffer.alloc(0);
  try {
    await new Promise<void>((resolve) => {
      let timer = setTimeout(resolve, waitMs);
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
          messages.push(Buffer.from(pending.subarray(2, 2 + pending.readUInt16BE(0))));
          pending = pending.subarray(2 + pending.readUInt16BE(0));
        }
        clearTimeout(timer);
        if (complete(messages)) resolve();
        else timer = setTimeout(resolve, waitMs);
      });
    });
  } finally {
    socket.destroy();
  }
  return messages;
}

/** The SOA serials of a transfer's answer records, in order (others as undefined). */
function answerRecords(messages: readonly Buffer[]): dnsPacket.Answer[] {
  return messages.flatMap((m) => {
    try {
      return dnsPacket.decode(m).answers ?? [];
    } catch {
      return [];
    }
  });
}

/**
 * Whether the messages so far hold a whole AXFR or IXFR answer (RFC 5936 §2.2, RFC 1995 §4): an
 * error RCODE, a single SOA (IXFR up to date), or a closing SOA with the first one's serial.
 */
export function transferComplete(messages: readonly Buffer[]): boolean {
  const last = messages.at(-1);
  if (last === undefined) return false;
  if ((last.readUInt16BE(2) & 0xf) !== 0) return true;
  const answers = answerRecords(messages);
  const first = answers[0];
  if (first === undefined || first.type !== 'SOA') return true;
  if (answers.length === 1) return true;
  const serial = first.data.serial;
  const closing = answers.filter((a) => a.type === 'SOA' && a.data.serial === serial).length;
  const incremental = answers[1]?.type === 'SOA';
  return incremental ? closing >= 3 && answers.at(-1)?.type === 'SOA' : closing >= 2;
}

function dataText(answer: dnsPacket.Answer): string {
  switch (answer.type) {
    case 'SOA': {
      const d = answer.data;
      return `${d.mname} ${d.rname} ${d.serial} ${d.refresh} ${d.retry} ${d.expire} ${d.minimum}`;
    }
    case 'CNAME':
    case 'NS':
    case 'PTR':
    case 'A':
    case 'AAAA':
      return String(answer.data);
    default:
      return 'data' in answer && Buffer.isBuffer(answer.data)
        ? answer.data.toString('hex')
        : JSON.stringify('data' in answer ? answer.data : null);
  }
}

function recordLine(answer: dnsPacket.Answer): string {
  if (answer.type === 'OPT') return 'OPT';
  return `${answer.name} ${answer.ttl ?? ''} ${answer.class ?? ''} ${answer.type} ${dataText(answer)}`;
}

/** How to check the TSIG of a reply: the key, and the MAC it must chain on. */
export interface TsigCheck {
  readonly key: TsigKeyConfig;
  readonly priorMac: Buffer | undefined;
  readonly timersOnly?: boolean;
  /** Seconds since the Unix epoch. */
  readonly now: number;
  /** The request's TSIG time, to tell whether the reply repeats it. */
  readonly requestTime?: number;
}

/** A comparable description of one DNS message. */
export interface MessageDescription {
  readonly header: string;
  readonly question: readonly string[];
  readonly answer: readonly string[];
  readonly authority: readonly string[];
  readonly additional: readonly string[];
  readonly opt: string | undefined;
  readonly tsig: string | undefined;
}

/** Describes `message` (see the file comment); `undecodable` with its octets when dns-packet cannot read it. */
export function describeMessage(
  message: Buffer,
  tsigCheck?: TsigCheck,
): MessageDescription | { readonly undecodable: string } {
  const flags = message.readUInt16BE(2);
  let packet: dnsPacket.DecodedPacket;
  let tsigText: string | undefined;
  let body = message;
  try {
    const { unsigned, tsig } = splitTsig(message);
    if (tsig !== undefined) {
      body = unsigned;
      body.writeUInt16BE(message.readUInt16BE(0), 0);
      let valid = 'unchecked';
      if (tsigCheck !== undefined) {
        const result = verifyRequest(
          message,
          tsigCheck.key,
          tsigCheck.now,
          tsigCheck.priorMac,
          tsigCheck.timersOnly === true,
        );
        valid =
          result.status === 'valid'
            ? 'valid'
            : `invalid(${result.status === 'invalid' ? result.error : ''})`;
      }
      // Servers sign with their clock (BIND with the real one, scamnet with the test's fake one,
      // started at the real time): compare whether the time is now-ish, the request's, or other.
      const near = tsigCheck !== undefined && Math.abs(tsig.timeSigned - tsigCheck.now) <= 300;
      const sameTime =
        tsigCheck === undefined
          ? ''
          : ` time=${near ? 'now' : tsig.timeSigned === tsigCheck.requestTime ? 'request' : 'other'}`;
      tsigText = `${tsig.keyName} ${tsig.algorithm} error=${tsig.error} mac=${tsig.mac.length} other=${tsig.otherData.length} orig=${tsig.originalId === message.readUInt16BE(0)}${sameTime} ${valid}`;
    }
    packet = dnsPacket.decode(body);
  } catch {
    return { undecodable: message.toString('hex') };
  }
  const bit = (mask: number, name: string): string => ((flags & mask) !== 0 ? ` ${name}` : '');
  const opt = (packet.additionals ?? []).find((a) => a.type === 'OPT');
  const extended = opt?.type === 'OPT' ? (opt.extendedRcode ?? 0) : 0;
  const header =
    `opcode=${(flags >> 11) & 0xf} rcode=${(extended << 4) | (flags & 0xf)}` +
    `${bit(0x8000, 'qr')}${bit(0x400, 'aa')}${bit(0x200, 'tc')}${bit(0x100, 'rd')}` +
    `${bit(0x80, 'ra')}${bit(0x40, 'z')}${bit(0x20, 'ad')}${bit(0x10, 'cd')} id=${packet.id ?? ''}`;
  let optText: string | undefined;
  if (opt?.type === 'OPT') {
    const options = (opt.options ?? [])
      .map((o) => `${o.code}:${Buffer.isBuffer(o.data) ? o.data.toString('hex') : ''}`)
      .sort();
    optText = `udp=${opt.udpPayloadSize ?? ''} version=${opt.ednsVersion ?? ''} flags=${opt.flags ?? ''} options=[${options.join(',')}] owner=${opt.name}`;
  }
  return {
    header,
    question: (packet.questions ?? []).map((q) => `${q.name} ${q.class} ${q.type}`),
    answer: (packet.answers ?? []).map(recordLine).sort(),
    authority: (packet.authorities ?? []).map(recordLine).sort(),
    additional: (packet.additionals ?? [])
      .filter((a) => a.type !== 'OPT')
      .map(recordLine)
      .sort(),
    opt: optText,
    tsig: tsigText,
  };
}

/**
 * Describes a zone transfer (RFC 5936 §2.2): the first message's header, question, OPT and
 * TSIG; the first and last answer records; the other answer records sorted (servers may send
 * them in any order and split them into messages as they like); and whether every message's
 * TSIG verifies in the chain of RFC 8945 §5.3.1.
 */
export function describeTransfer(
  messages: readonly Buffer[],
  tsig?: Omit<TsigCheck, 'timersOnly'>,
): unknown {
  const first = messages[0];
  if (first === undefined) return 'no reply';
  const head = describeMessage(first, tsig);
  if ('undecodable' in head) return head;
  const lines = messages.flatMap((m) => {
    const d = describeMessage(m);
    return 'undecodable' in d ? ['undecodable'] : d.answer;
  });
  // describeMessage sorts each message's answers: take the order from the raw answers instead.
  const ordered = answerRecords(messages).map(recordLine);
  let chain = 'unsigned';
  if (tsig !== undefined) {
    let prior = tsig.priorMac;
    chain = 'valid';
    messages.forEach((m, i) => {
      const result = verifyRequest(m, tsig.key, tsig.now, prior, i > 0);
      if (result.status !== 'valid') chain = `message ${i}: ${result.status}`;
      else prior = result.mac;
    });
  }
  return {
    header: head.header,
    question: head.question,
    opt: head.opt,
    tsig: head.tsig,
    laterHeaders: [...new Set(messages.slice(1).map((m) => describeHeader(m)))],
    firstRecord: ordered[0],
    lastRecord: ordered.at(-1),
    middle: ordered.slice(1, -1).sort(),
    count: lines.length,
    chain,
  };
}

function describeHeader(message: Buffer): string {
  const d = describeMessage(message);
  return 'undecodable' in d
    ? 'undecodable'
    : `${d.header.replace(/ id=\d+$/, '')} q=${d.question.length}`;
}

/** What a zone transfer answer amounts to, applied to the client's version of the zone. */
export interface AppliedTransfer {
  /** `soa` (one SOA: up to date), `incremental` (RFC 1995 differences), `full` (AXFR form). */
  readonly kind: 'none' | 'soa' | 'incremental' | 'full' | 'broken';
  readonly serial: number | undefined;
  /** The zone's records other than the SOA afterwards (sorted lines), when known. */
  readonly records: readonly string[] | undefined;
}

/**
 * Applies the answer of an IXFR (RFC 1995 §4: one SOA; SOA, then per version step old SOA,
 * deletions, new SOA, additions, then SOA; or the AXFR form) to `base`, the client's records
 * other than the SOA (undefined when its version is unknown to the test).
 */
export function applyTransfer(
  messages: readonly Buffer[],
  base: ReadonlySet<string> | undefined,
): AppliedTransfer {
  const answers = answerRecords(messages);
  const first = answers[0];
  if (first === undefined) return { kind: 'none', serial: undefined, records: undefined };
  if (first.type !== 'SOA') return { kind: 'broken', serial: undefined, records: undefined };
  const serial = first.data.serial;
  if (answers.length === 1)
    return { kind: 'soa', serial, records: base === undefined ? undefined : [...base].sort() };
  const line = (a: dnsPacket.Answer): string => recordLine(a);
  if (answers[1]?.type !== 'SOA') {
    const records = answers.slice(1, -1).map(line).sort();
    return { kind: 'full', serial, records };
  }
  if (base === undefined) return { kind: 'incremental', serial, records: undefined };
  const set = new Set(base);
  let i = 1;
  while (i < answers.length - 1) {
    i += 1;
    while (i < answers.length && answers[i]?.type !== 'SOA') {
      const record = answers[i];
      if (record !== undefined) set.delete(line(record));
      i += 1;
    }
    i += 1;
    while (i < answers.length && answers[i]?.type !== 'SOA') {
      const record = answers[i];
      if (record !== undefined) set.add(line(record));
      i += 1;
    }
  }
  return { kind: 'incremental', serial, records: [...set].sort() };
}

/** The records other than the SOA of an AXFR answer (sorted lines) and its serial. */
export function axfrContents(messages: readonly Buffer[]): {
  serial: number | undefined;
  records: Set<string>;
} {
  const answers = answerRecords(messages);
  const first = answers[0];
  return {
    serial: first?.type === 'SOA' ? first.data.serial : undefined,
    records: new Set(answers.slice(1, -1).map(recordLine)),
  };
}
