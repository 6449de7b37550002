import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Question } from 'dns-packet';
import {
  currentZone,
  rpzSoa,
  rpzTarget,
  rpzTriggerNames,
  zoneDiffSince,
  type RpzZoneSettings,
  type ZoneSnapshot,
} from '../blocklist/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { appendTsig, signMessage, TSIG_ERROR, verifyRequest } from './tsig.js';

/** DNS opcodes and RCODEs used here (RFC 1035 §4.1.1, RFC 1996, RFC 2136, RFC 8945). */
const OPCODE = { query: 0, notify: 4 } as const;
const RCODE = {
  noError: 0,
  formErr: 1,
  servFail: 2,
  nxDomain: 3,
  notImp: 4,
  refused: 5,
  notAuth: 9,
} as const;
const AA = 1 << 10;
/** Bytes of records per AXFR/IXFR message, well under the 65,535-byte TCP message limit. */
const MESSAGE_BUDGET = 16_000;
/** NOTIFY attempts per secondary and change (RFC 1996 §3.6: retransmit until answered). */
const NOTIFY_ATTEMPTS = 5;
const NOTIFY_TIMEOUT_MS = 2000;

/** Where the server listens, once started. */
export interface RpzServerAddress {
  readonly host: string;
  readonly port: number;
}

function flagsOf(opcode: number, rcode: number, authoritative: boolean): number {
  return (opcode << 11) | (authoritative ? AA : 0) | rcode;
}

function opcodeOf(message: Buffer): number {
  return (message.readUInt16BE(2) >> 11) & 0xf;
}

/** The dns-packet SOA answer of the zone at `serial`. */
function soaAnswer(settings: RpzZoneSettings, serial: number): Answer {
  return {
    name: settings.origin,
    type: 'SOA',
    ttl: settings.ttl,
    class: 'IN',
    data: rpzSoa(settings, serial),
  };
}

/** The two CNAME policy records of `domain` (name and wildcard). */
function policyAnswers(settings: RpzZoneSettings, domain: string): Answer[] {
  const target = rpzTarget(settings.action);
  return rpzTriggerNames(domain).map((owner) => ({
    name: `${owner}.${settings.origin}`,
    type: 'CNAME' as const,
    ttl: settings.ttl,
    class: 'IN' as const,
    data: target,
  }));
}

/** Approximate wire size of a record (uncompressed owner name, fixed fields, RDATA). */
function sizeOf(answer: Answer): number {
  const data = 'data' in answer && typeof answer.data === 'string' ? answer.data.length + 2 : 64;
  return answer.name.length + 2 + 10 + data;
}

/**
 * The record stream of a full transfer (RFC 5936 §2.2): SOA, NS, every policy record, SOA.
 * Produced lazily so a large zone is never held as one array of records.
 */
function* axfrRecords(snapshot: ZoneSnapshot): Generator<Answer> {
  const { settings, serial } = snapshot;
  yield soaAnswer(settings, serial);
  yield {
    name: settings.origin,
    type: 'NS',
    ttl: settings.ttl,
    class: 'IN',
    data: settings.nameserver,
  };
  for (const domain of snapshot.domains) yield* policyAnswers(settings, domain);
  yield soaAnswer(settings, serial);
}

/**
 * The record stream of an incremental transfer (RFC 1995 §4, one condensed difference sequence):
 * new SOA, old SOA, deleted records, new SOA, added records, new SOA.
 */
function* ixfrRecords(
  snapshot: Pick<ZoneSnapshot, 'settings' | 'serial'>,
  fromSerial: number,
  deleted: readonly string[],
  added: readonly string[],
): Generator<Answer> {
  const { settings, serial } = snapshot;
  yield soaAnswer(settings, serial);
  yield soaAnswer(settings, fromSerial);
  for (const domain of deleted) yield* policyAnswers(settings, domain);
  yield soaAnswer(settings, serial);
  for (const domain of added) yield* policyAnswers(settings, domain);
  yield soaAnswer(settings, serial);
}

/**
 * One answered zone transfer: the query type and transport, the client's serial (IXFR), the
 * serial sent, and how it was answered (`incremental`, `full` zone, `up_to_date`, or `soa_only`
 * for an IXFR over UDP that the client must repeat over TCP).
 */
export interface ZoneTransferRecord {
  readonly query: 'AXFR' | 'IXFR';
  readonly transport: 'udp' | 'tcp';
  readonly fromSerial?: number;
  readonly serial: number;
  readonly answer: 'incremental' | 'full' | 'up_to_date' | 'soa_only';
}

/** Verification state of one request: no key configured, or what the request carried. */
type RequestAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'signed'; readonly mac: Buffer }
  | { readonly kind: 'unsigned' };

/**
 * An authoritative DNS server for scamnet's RPZ zone (draft-vixie-dnsop-dns-rpz-00) on one
 * address, UDP and TCP:
 * - SOA and NS of the zone apex, and the policy records of blocked names (UDP or TCP);
 * - AXFR (RFC 5936, TCP only) of the whole zone, in messages of ~16 KB;
 * - IXFR (RFC 1995) from the journal of zone versions, condensed into one difference sequence,
 *   or the whole zone when the client's serial is unknown or predates a policy change; over UDP
 *   only the current SOA (the client then asks over TCP);
 * - NOTIFY (RFC 1996) to DNS_NOTIFY secondaries whenever the serial changes (poll every
 *   DNS_POLL_SECONDS, or call `refresh()`), retransmitted until answered;
 * - TSIG (RFC 8945, HMAC-SHA256) when DNS_TSIG_KEY is set: transfers must be signed with that
 *   key (unsigned ones are REFUSED, bad ones get NOTAUTH with BADKEY/BADSIG/BADTIME), responses
 *   to signed requests are signed (every message of a transfer), and NOTIFY messages are signed.
 * Other zones are REFUSED. Uses deps.clock for TSIG times, so tests can run on a fake clock.
 */
export class RpzDnsServer {
  readonly #deps: ServiceDeps;
  #udp: Socket | undefined;
  #tcp: Server | undefined;
  #timer: NodeJS.Timeout | undefined;
  #serial = -1;
  #snapshot: ZoneSnapshot | undefined;
  #blocked = new Set<string>();
  readonly #connections = new Set<TcpSocket>();
  #refreshing: Promise<boolean> | undefined;
  readonly #transfers: ZoneTransferRecord[] = [];

  constructor(deps: ServiceDeps) {
    this.#deps = deps;
  }

  /**
   * Loads the zone, binds UDP and TCP on DNS_HOST:DNS_PORT (port 0: one free port for both) and
   * starts the change poll.
   * @throws Error when the address cannot be bound.
   */
  async start(options: { poll?: boolean } = {}): Promise<RpzServerAddress> {
    const { host, port } = this.#deps.config.dns;
    await this.refresh({ notify: false });
    const tcp = createServer((socket) => this.#onTcp(socket));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen({ host, port }, () => resolve());
    });
    this.#tcp = tcp;
    const bound = tcp.address();
    const tcpPort = typeof bound === 'object' && bound !== null ? bound.port : port;
    const udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind({ address: host, port: tcpPort }, () => resolve());
    });
    udp.on('message', (message, remote) => void this.#onUdp(message, remote));
    this.#udp = udp;
    if (options.poll !== false) {
      this.#timer = setInterval(() => {
        this.refresh().catch((error: unknown) =>
          this.#deps.log.error({ err: error }, 'RPZ refresh failed'),
        );
      }, this.#deps.config.dns.pollSeconds * 1000);
      this.#timer.unref();
    }
    this.#deps.log.info({ host, port: tcpPort, serial: this.#serial }, 'RPZ DNS server listening');
    return { host, port: tcpPort };
  }

  /** Stops the poll and closes both sockets and every open TCP connection. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    for (const socket of this.#connections) socket.destroy();
    const udp = this.#udp;
    if (udp !== undefined) await new Promise<void>((resolve) => udp.close(() => resolve()));
    const tcp = this.#tcp;
    if (tcp !== undefined) await new Promise<void>((resolve) => tcp.close(() => resolve()));
    this.#udp = undefined;
    this.#tcp = undefined;
  }

  /** The latest zone transfers answered (at most 100, oldest first), for operators and tests. */
  get transfers(): readonly ZoneTransferRecord[] {
    return this.#transfers;
  }

  #logTransfer(record: ZoneTransferRecord): void {
    this.#transfers.push(record);
    if (this.#transfers.length > 100) this.#transfers.shift();
    this.#deps.log.info(record, 'RPZ zone transfer');
  }

  /** The serial the server currently answers with (-1 before start). */
  get serial(): number {
    return this.#serial;
  }

  /**
   * Expires due entries, reloads the zone when its serial changed and then (unless `notify` is
   * false) sends NOTIFY to every configured secondary.
   * @returns true when the serial changed.
   */
  async refresh(options: { notify?: boolean } = {}): Promise<boolean> {
    if (this.#refreshing !== undefined) return this.#refreshing;
    this.#refreshing = (async () => {
      const snapshot = await currentZone(this.#deps);
      if (snapshot.serial === this.#serial) return false;
      this.#snapshot = snapshot;
      this.#blocked = new Set(snapshot.domains);
      this.#serial = snapshot.serial;
      if (options.notify !== false) await this.notifyAll();
      return true;
    })();
    try {
      return await this.#refreshing;
    } finally {
      this.#refreshing = undefined;
    }
  }

  /**
   * Sends NOTIFY for the current serial to every DNS_NOTIFY secondary (in parallel), each
   * retransmitted up to 5 times until the secondary answers.
   * @returns the secondaries that acknowledged.
   */
  async notifyAll(): Promise<string[]> {
    const results = await Promise.all(
      this.#deps.config.dns.notify.map(async (target) => {
        const ok = await this.#notify(target.host, target.port);
        if (!ok) this.#deps.log.warn({ target }, 'NOTIFY not acknowledged');
        return ok ? `${target.host}:${target.port}` : undefined;
      }),
    );
    return results.flatMap((r) => (r === undefined ? [] : [r]));
  }

  async #notify(host: string, port: number): Promise<boolean> {
    const snapshot = this.#snapshot;
    if (snapshot === undefined) return false;
    const id = Math.floor(Math.random() * 0xffff);
    let message = dnsPacket.encode({
      type: 'query',
      id,
      flags: flagsOf(OPCODE.notify, 0, true),
      questions: [{ name: snapshot.settings.origin, type: 'SOA', class: 'IN' }],
      answers: [soaAnswer(snapshot.settings, snapshot.serial)],
    });
    const key = this.#deps.config.dns.tsigKey;
    if (key !== undefined) message = signMessage(message, key, { time: this.#now() }).message;
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    try {
      for (let attempt = 0; attempt < NOTIFY_ATTEMPTS; attempt += 1) {
        const answered = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(
            () => {
              socket.off('message', onMessage);
              resolve(false);
            },
            NOTIFY_TIMEOUT_MS * (attempt + 1),
          );
          const onMessage = (reply: Buffer): void => {
            if (reply.length < 12 || reply.readUInt16BE(0) !== id) return;
            clearTimeout(timer);
            socket.off('message', onMessage);
            resolve(true);
          };
          socket.on('message', onMessage);
          socket.send(message, port, host);
        });
        if (answered) return true;
      }
      return false;
    } finally {
      socket.close();
    }
  }

  #now(): number {
    return Math.floor(this.#deps.clock.now() / 1000);
  }

  async #onUdp(message: Buffer, remote: RemoteInfo): Promise<void> {
    const replies = await this.#answer(message, 'udp');
    const udp = this.#udp;
    if (udp === undefined) return;
    for (const reply of replies) udp.send(reply, remote.port, remote.address);
  }

  #onTcp(socket: TcpSocket): void {
    this.#connections.add(socket);
    socket.setTimeout(30_000, () => socket.destroy());
    socket.on('close', () => this.#connections.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    let chain = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2) {
        const length = pending.readUInt16BE(0);
        if (pending.length < 2 + length) break;
        const message = Buffer.from(pending.subarray(2, 2 + length));
        pending = pending.subarray(2 + length);
        chain = chain.then(async () => {
          const replies = await this.#answer(message, 'tcp');
          for (const reply of replies) {
            const frame = Buffer.alloc(2);
            frame.writeUInt16BE(reply.length);
            socket.write(Buffer.concat([frame, reply]));
          }
        });
      }
    });
  }

  /** The reply messages to one request (none for garbage or for responses). */
  async #answer(message: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer[]> {
    let request: DecodedPacket;
    try {
      request = dnsPacket.decode(message);
    } catch {
      return message.length >= 12
        ? [this.#error(message.readUInt16BE(0), RCODE.formErr, undefined)]
        : [];
    }
    if (request.type === 'response') return [];
    const id = request.id ?? 0;
    const question = request.questions?.[0];
    const opcode = opcodeOf(message);
    if (opcode !== OPCODE.query) return [this.#error(id, RCODE.notImp, question)];
    if (question === undefined || (request.questions?.length ?? 0) !== 1) {
      return [this.#error(id, RCODE.formErr, question)];
    }
    const auth = this.#authenticate(message);
    if ('reply' in auth) return [auth.reply(id, question)];
    try {
      return await this.#answerQuery(id, question, request, auth.auth, transport);
    } catch (error) {
      this.#deps.log.error({ err: error }, 'RPZ DNS query failed');
      return [this.#error(id, RCODE.servFail, question)];
    }
  }

  /** Verifies the request's TSIG against the configured key (RFC 8945 §5.2). */
  #authenticate(
    message: Buffer,
  ): { auth: RequestAuth } | { reply: (id: number, question: Question) => Buffer } {
    const key = this.#deps.config.dns.tsigKey;
    if (key === undefined) return { auth: { kind: 'none' } };
    let result;
    try {
      result = verifyRequest(message, key, this.#now());
    } catch {
      return { reply: (id, q) => this.#error(id, RCODE.formErr, q) };
    }
    if (result.status === 'unsigned') return { auth: { kind: 'unsigned' } };
    if (result.status === 'valid') return { auth: { kind: 'signed', mac: result.mac } };
    const { error, record } = result;
    this.#deps.log.warn({ key: record.keyName, error }, 'TSIG verification failed');
    return {
      reply: (id, q) => {
        const bare = this.#error(id, RCODE.notAuth, q);
        if (error === TSIG_ERROR.badTime) {
          const other = Buffer.alloc(6);
          other.writeUIntBE(this.#now(), 0, 6);
          return signMessage(bare, key, {
            time: record.timeSigned,
            priorMac: record.mac,
            error,
            otherData: other,
          }).message;
        }
        return appendTsig(
          bare,
          { name: record.keyName, algorithm: record.algorithm },
          record.timeSigned,
          Buffer.alloc(0),
          error,
        );
      },
    };
  }

  async #answerQuery(
    id: number,
    question: Question,
    request: DecodedPacket,
    auth: RequestAuth,
    transport: 'udp' | 'tcp',
  ): Promise<Buffer[]> {
    const snapshot = this.#snapshot;
    if (snapshot === undefined) return [this.#error(id, RCODE.servFail, question)];
    const { settings } = snapshot;
    const name = question.name.toLowerCase().replace(/\.$/, '');
    const origin = settings.origin;
    if (name !== origin && !name.endsWith(`.${origin}`))
      return [this.#error(id, RCODE.refused, question)];
    const isTransfer = question.type === 'AXFR' || question.type === 'IXFR';
    if (isTransfer) {
      if (name !== origin) return [this.#error(id, RCODE.notAuth, question)];
      if (auth.kind === 'unsigned') return [this.#error(id, RCODE.refused, question)];
      if (question.type === 'AXFR' && transport === 'udp')
        return [this.#error(id, RCODE.refused, question)];
    }
    const mac = auth.kind === 'signed' ? auth.mac : undefined;
    if (question.type === 'AXFR') {
      const zone = await currentZone(this.#deps);
      this.#logTransfer({ query: 'AXFR', transport, answer: 'full', serial: zone.serial });
      return this.#stream(id, question, axfrRecords(zone), mac);
    }
    if (question.type === 'IXFR') {
      const clientSoa = request.authorities?.find((a) => a.type === 'SOA');
      const fromSerial = clientSoa?.type === 'SOA' ? clientSoa.data.serial : undefined;
      if (fromSerial === undefined) return [this.#error(id, RCODE.formErr, question)];
      const diff = await zoneDiffSince(this.#deps, fromSerial);
      const head = diff.kind === 'full' ? diff.snapshot : diff.zone;
      this.#logTransfer({
        query: 'IXFR',
        transport,
        fromSerial,
        serial: head.serial,
        answer: transport === 'udp' && diff.kind !== 'up_to_date' ? 'soa_only' : diff.kind,
      });
      if (diff.kind === 'up_to_date' || transport === 'udp') {
        return this.#stream(id, question, [soaAnswer(head.settings, head.serial)], mac);
      }
      const records =
        diff.kind === 'full'
          ? axfrRecords(diff.snapshot)
          : ixfrRecords(diff.zone, diff.fromSerial, diff.deleted, diff.added);
      return this.#stream(id, question, records, mac);
    }
    return [this.#lookup(id, question, snapshot, mac)];
  }

  /** An ordinary query inside the zone: apex SOA/NS, policy CNAMEs, or NXDOMAIN/NODATA. */
  #lookup(id: number, question: Question, snapshot: ZoneSnapshot, mac: Buffer | undefined): Buffer {
    const { settings, serial } = snapshot;
    const name = question.name.toLowerCase().replace(/\.$/, '');
    const owner = name === settings.origin ? '' : name.slice(0, -(settings.origin.length + 1));
    const answers: Answer[] = [];
    let rcode: number = RCODE.noError;
    // dns-packet's types omit ANY (255) from the question types it decodes.
    const qtype: string = question.type;
    if (owner === '') {
      if (qtype === 'SOA' || qtype === 'ANY') answers.push(soaAnswer(settings, serial));
      if (qtype === 'NS' || qtype === 'ANY') {
        answers.push({
          name: settings.origin,
          type: 'NS',
          ttl: settings.ttl,
          class: 'IN',
          data: settings.nameserver,
        });
      }
    } else {
      // The name itself, or any name under it through the `*.` wildcard record.
      const labels = owner.split('.');
      const covered = labels.some(
        (_, i) => this.#blocked.has(labels.slice(i).join('.')) && (i > 0 || labels[0] !== '*'),
      );
      if (covered) {
        answers.push({
          name: question.name,
          type: 'CNAME',
          ttl: settings.ttl,
          class: 'IN',
          data: rpzTarget(settings.action),
        });
      } else {
        rcode = RCODE.nxDomain;
      }
    }
    const reply = dnsPacket.encode({
      type: 'response',
      id,
      flags: flagsOf(OPCODE.query, rcode, true),
      questions: [question],
      answers,
      authorities: answers.length === 0 ? [soaAnswer(settings, serial)] : [],
    });
    return this.#sign(reply, mac, undefined).message;
  }

  /** Splits `records` into response messages of about MESSAGE_BUDGET bytes, each signed when asked. */
  #stream(
    id: number,
    question: Question,
    records: Iterable<Answer>,
    requestMac: Buffer | undefined,
  ): Buffer[] {
    const messages: Buffer[] = [];
    let batch: Answer[] = [];
    let bytes = 0;
    let prior = requestMac;
    const flush = (): void => {
      const reply = dnsPacket.encode({
        type: 'response',
        id,
        flags: flagsOf(OPCODE.query, RCODE.noError, true),
        questions: messages.length === 0 ? [question] : [],
        answers: batch,
      });
      const signed = this.#sign(reply, prior, messages.length > 0 ? true : undefined);
      if (requestMac !== undefined) prior = signed.mac;
      messages.push(signed.message);
      batch = [];
      bytes = 0;
    };
    for (const record of records) {
      batch.push(record);
      bytes += sizeOf(record);
      if (bytes >= MESSAGE_BUDGET) flush();
    }
    if (batch.length > 0 || messages.length === 0) flush();
    return messages;
  }

  /** Signs `reply` when the request was signed (`prior` = its MAC, or the previous message's). */
  #sign(
    reply: Buffer,
    prior: Buffer | undefined,
    timersOnly: boolean | undefined,
  ): { message: Buffer; mac: Buffer } {
    const key = this.#deps.config.dns.tsigKey;
    if (key === undefined || prior === undefined) return { message: reply, mac: Buffer.alloc(0) };
    return signMessage(reply, key, { time: this.#now(), priorMac: prior, timersOnly });
  }

  #error(id: number, rcode: number, question: Question | undefined): Buffer {
    return dnsPacket.encode({
      type: 'response',
      id,
      flags: flagsOf(OPCODE.query, rcode, false),
      questions: question === undefined ? [] : [question],
    });
  }
}
