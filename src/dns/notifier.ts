import { randomInt } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { TsigKeyConfig } from '../config/index.js';
import { signMessage, verifyRequest } from './tsig.js';
import {
  FLAG,
  MessageWriter,
  nameKey,
  parseMessage,
  RR_CLASS,
  RR_TYPE,
  WireFormatError,
  type OutRecord,
  type WireName,
} from './wire.js';

const OPCODE_NOTIFY = 4;

/** How one secondary was told of one serial (RFC 1996). */
export interface NotifyOutcome {
  /** `host:port` of the secondary. */
  readonly target: string;
  readonly serial: number;
  /** NOTIFY messages sent (the first and its retransmissions). */
  readonly attempts: number;
  /** A matching NOERROR response arrived (see SecondaryNotifier). */
  readonly acknowledged: boolean;
  /** Responses that arrived for this NOTIFY but did not match it, so did not count. */
  readonly ignored: number;
  /** Why the NOTIFY ended without acknowledgement: retries used up, a newer serial, or stop. */
  readonly endedBy?: 'retries' | 'superseded' | 'stopped';
}

/** What SecondaryNotifier needs from the server. */
export interface NotifierOptions {
  readonly key: TsigKeyConfig | undefined;
  /** Seconds since the Unix epoch, for TSIG. */
  readonly now: () => number;
  /** NOTIFY transmissions per serial: the first and up to attempts − 1 retransmissions. */
  readonly attempts: number;
  /** Wait before the n-th retransmission is `timeoutMs * n`, milliseconds. */
  readonly timeoutMs: number;
  readonly onOutcome: (outcome: NotifyOutcome) => void;
  readonly onIgnored: (target: string, why: string) => void;
}

interface Pending {
  readonly serial: number;
  readonly id: number;
  readonly mac: Buffer | undefined;
  attempts: number;
  ignored: number;
  timer: NodeJS.Timeout | undefined;
  readonly resolve: (outcome: NotifyOutcome) => void;
}

/**
 * Tells one secondary of new serials by NOTIFY (RFC 1996) over UDP, from a socket of its own:
 * sends at once, retransmits after 1×, 2×, 3×… the timeout until acknowledged or the attempts
 * are used up (RFC 1996 §3.6), and a newer serial replaces the one being announced. A response
 * counts as the acknowledgement only when it matches the NOTIFY (RFC 1996 §4.7, RFC 8945 §5.3):
 * from the address and port it was sent to, same message ID, QR set, opcode NOTIFY, one question
 * with the zone's name (case-insensitive), type SOA and class IN, RCODE NOERROR, and, when the
 * NOTIFY was signed, a TSIG with our key that verifies against the NOTIFY's MAC with no TSIG
 * error. Anything else is counted as ignored and the retransmissions go on.
 */
export class SecondaryNotifier {
  readonly target: { readonly host: string; readonly port: number };
  readonly #label: string;
  readonly #options: NotifierOptions;
  #socket: Socket | undefined;
  #address: string | undefined;
  #pending: Pending | undefined;
  #originKey = '';

  constructor(target: { host: string; port: number }, options: NotifierOptions) {
    this.target = target;
    this.#label = `${target.host}:${target.port}`;
    this.#options = options;
  }

  async #open(): Promise<{ socket: Socket; address: string }> {
    if (this.#socket !== undefined && this.#address !== undefined) {
      return { socket: this.#socket, address: this.#address };
    }
    const address =
      isIP(this.target.host) === 0 ? (await lookup(this.target.host)).address : this.target.host;
    const socket = createSocket(isIP(address) === 6 ? 'udp6' : 'udp4');
    socket.on('message', (reply, remote) => this.#onReply(reply, remote));
    socket.on('error', (error) => this.#options.onIgnored(this.#label, String(error)));
    await new Promise<void>((resolve) => socket.bind(0, () => resolve()));
    socket.unref();
    this.#socket = socket;
    this.#address = address;
    return { socket, address };
  }

  #finish(pending: Pending, acknowledged: boolean, endedBy?: NotifyOutcome['endedBy']): void {
    if (this.#pending !== pending) return;
    if (pending.timer !== undefined) clearTimeout(pending.timer);
    this.#pending = undefined;
    const outcome: NotifyOutcome = {
      target: this.#label,
      serial: pending.serial,
      attempts: pending.attempts,
      acknowledged,
      ignored: pending.ignored,
      ...(endedBy === undefined ? {} : { endedBy }),
    };
    this.#options.onOutcome(outcome);
    pending.resolve(outcome);
  }

  /**
   * Announces `serial` of the zone `origin` (question `origin SOA IN`, the zone's SOA `soa` in
   * the answer section as RFC 1996 §3.7 allows), signed with the key when one is configured.
   * Ends the announcement of an older serial (`superseded`).
   * @returns once the first NOTIFY is sent: a promise of how the announcement ended.
   * @throws Error when the secondary's host name does not resolve.
   */
  async announce(
    origin: WireName,
    soa: OutRecord,
    serial: number,
  ): Promise<{ done: Promise<NotifyOutcome> }> {
    if (this.#pending !== undefined) this.#finish(this.#pending, false, 'superseded');
    const { socket, address } = await this.#open();
    const id = randomInt(0, 0x10000);
    const writer = new MessageWriter(id, (OPCODE_NOTIFY << 11) | FLAG.aa);
    writer.question({ name: origin, type: RR_TYPE.SOA, class: RR_CLASS.IN });
    writer.record('answer', soa);
    let message = writer.finish();
    let mac: Buffer | undefined;
    const key = this.#options.key;
    if (key !== undefined) {
      const signed = signMessage(message, key, { time: this.#options.now() });
      message = signed.message;
      mac = signed.mac;
    }
    let resolve: (outcome: NotifyOutcome) => void = () => undefined;
    const done = new Promise<NotifyOutcome>((r) => {
      resolve = r;
    });
    const pending: Pending = {
      serial,
      id,
      mac,
      attempts: 0,
      ignored: 0,
      timer: undefined,
      resolve,
    };
    if (this.#pending !== undefined) this.#finish(this.#pending, false, 'superseded');
    this.#pending = pending;
    this.#originKey = nameKey(origin);
    const send = (): void => {
      if (this.#pending !== pending) return;
      if (pending.attempts >= this.#options.attempts) {
        this.#finish(pending, false, 'retries');
        return;
      }
      pending.attempts += 1;
      socket.send(message, this.target.port, address);
      pending.timer = setTimeout(send, this.#options.timeoutMs * pending.attempts);
      pending.timer.unref();
    };
    send();
    return { done };
  }

  #onReply(reply: Buffer, remote: RemoteInfo): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    const why = this.#mismatch(reply, remote, pending);
    if (why === undefined) {
      this.#finish(pending, true);
      return;
    }
    pending.ignored += 1;
    this.#options.onIgnored(this.#label, why);
  }

  /** Why `reply` is not the acknowledgement of `pending`, or undefined when it is. */
  #mismatch(reply: Buffer, remote: RemoteInfo, pending: Pending): string | undefined {
    if (remote.address !== this.#address || remote.port !== this.target.port) {
      return `from ${remote.address}:${remote.port}`;
    }
    let parsed;
    try {
      parsed = parseMessage(reply);
    } catch (error) {
      return error instanceof WireFormatError ? error.message : 'unparsable';
    }
    if (parsed.id !== pending.id) return 'another message ID';
    if ((parsed.flags & FLAG.qr) === 0) return 'not a response';
    if (parsed.opcode !== OPCODE_NOTIFY) return 'not a NOTIFY';
    const question = parsed.questions[0];
    if (
      parsed.questions.length !== 1 ||
      question === undefined ||
      nameKey(question.name) !== this.#originKey ||
      question.type !== RR_TYPE.SOA ||
      question.class !== RR_CLASS.IN
    ) {
      return 'another question';
    }
    if ((parsed.flags & 0xf) !== 0) return `RCODE ${parsed.flags & 0xf}`;
    const key = this.#options.key;
    if (key === undefined || pending.mac === undefined) return undefined;
    let verified;
    try {
      verified = verifyRequest(reply, key, this.#options.now(), pending.mac);
    } catch {
      return 'malformed TSIG';
    }
    if (verified.status === 'unsigned') return 'unsigned response to a signed NOTIFY';
    if (verified.status === 'invalid') return `TSIG error ${verified.error}`;
    if (verified.record.error !== 0) return `TSIG error ${verified.record.error}`;
    return undefined;
  }

  /** Ends the current announcement and closes the socket. */
  close(): void {
    if (this.#pending !== undefined) this.#finish(this.#pending, false, 'stopped');
    this.#socket?.close();
    this.#socket = undefined;
  }
}
