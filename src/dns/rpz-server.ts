import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { BlockList, createServer, type Server, type Socket as TcpSocket } from 'node:net';
import {
  currentSerial,
  currentZone,
  ensureZonePolicy,
  expireDueEntries,
  rpzSoa,
  rpzTarget,
  rpzTriggerNames,
  zoneDiffSince,
  type RpzZoneSettings,
  type ZoneSnapshot,
} from '../blocklist/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { EDNS_DO, EDNS_OPTION, readEdns, type EdnsOption, type EdnsRequest } from './edns.js';
import { SecondaryNotifier, type NotifyOutcome } from './notifier.js';
import {
  appendTsig,
  signMessage,
  splitTsig,
  TSIG_ERROR,
  verifyRequest,
  type TsigRecord,
  type TsigVerification,
} from './tsig.js';
import {
  FLAG,
  MessageWriter,
  nameKey,
  parseMessage,
  readSoa,
  RR_CLASS,
  RR_TYPE,
  textName,
  WireFormatError,
  type OutRecord,
  type WireMessage,
  type WireQuestion,
} from './wire.js';
import { serveTcpConnection } from './tcp-connection.js';
import { ZoneIndex } from './zone-index.js';

/** DNS opcodes (RFC 1035 §4.1.1, RFC 1996, RFC 2136). */
const OPCODE = { query: 0, notify: 4, update: 5 } as const;
/** RCODEs (RFC 1035 §4.1.1, RFC 2136, RFC 6891 BADVERS = 16). */
const RCODE = {
  noError: 0,
  formErr: 1,
  servFail: 2,
  notImp: 4,
  refused: 5,
  notAuth: 9,
  badVers: 16,
} as const;
/** The opcodes answered; others get NOTIMP without a question section, as BIND answers them. */
const KNOWN_OPCODES = new Set<number>([OPCODE.query, OPCODE.notify, OPCODE.update]);
/** UDP payload size we advertise and answer within (BIND 9.18's default, DNS flag day 2020). */
const EDNS_UDP_SIZE = 1232;
/** Idle TCP connections are closed after this long; advertised by EDNS TCP keepalive (RFC 7828). */
const TCP_IDLE_MS = 30_000;
/**
 * A TCP connection is closed after this long in all, however busy (a client trickling queries
 * cannot hold it for ever); BIND's max-transfer-time-out, so a whole transfer fits.
 */
const TCP_MAX_CONNECTION_MS = 2 * 60 * 60 * 1000;

/** Bytes of records per AXFR/IXFR message, well under the 65,535-byte TCP message limit. */
const MESSAGE_BUDGET = 16_000;
/** NOTIFY transmissions per secondary and serial (RFC 1996 §3.6: the first and 5 retransmissions). */
const NOTIFY_ATTEMPTS = 6;
const NOTIFY_TIMEOUT_MS = 2000;
/** Question types answered NOTIMP (BIND 9: MAILA and MAILB are not implemented). */
const NOTIMP_QTYPES = new Set<number>([RR_TYPE.MAILA, RR_TYPE.MAILB]);

/**
 * Meta types (RFC 6895 §3.1: OPT and the range 128–255) that cannot be asked for: FORMERR, as
 * BIND answers (ANY, AXFR, IXFR, MAILA and MAILB are handled before).
 */
function isMetaType(type: number): boolean {
  return type === RR_TYPE.OPT || (type >= 128 && type <= 255);
}

/** Where the server listens, once started. */
export interface RpzServerAddress {
  readonly host: string;
  readonly port: number;
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

/** Verification state of one request: unsigned, or signed and verified (its MAC). */
type RequestAuth =
  { readonly kind: 'unsigned' } | { readonly kind: 'signed'; readonly mac: Buffer };

/** What a request's TSIG came to: RequestAuth, a TSIG error, or a malformed TSIG. */
type TsigStatus =
  | RequestAuth
  | {
      readonly kind: 'invalid';
      readonly error: number;
      readonly record: TsigRecord;
      readonly malformed: boolean;
    }
  | { readonly kind: 'formerr' };

/** The zone being served: its snapshot and the lookup index built from its records. */
interface ServedZone {
  readonly snapshot: ZoneSnapshot;
  readonly index: ZoneIndex;
}

/** What every response to one request shares. */
interface Exchange {
  readonly request: WireMessage;
  /** The request's octets (names in its records may point into them). */
  readonly raw: Buffer;
  readonly transport: 'udp' | 'tcp';
  readonly edns: EdnsRequest | undefined;
  /** The request's TSIG MAC when it was signed: responses chain on it (RFC 8945 §5.3). */
  readonly mac: Buffer | undefined;
  /** The client's address (transfers are allowed by it, see DNS_TRANSFER_ALLOW). */
  readonly client?: string;
}

/** What one response carries beyond the shared parts. */
interface Reply {
  readonly rcode: number;
  readonly aa?: boolean;
  readonly answer?: readonly OutRecord[];
  readonly authority?: readonly OutRecord[];
  readonly options?: readonly EdnsOption[];
}

/** The SOA record of the zone at `serial`. */
function soaRecord(settings: RpzZoneSettings, serial: number): OutRecord {
  const soa = rpzSoa(settings, serial);
  return {
    name: textName(settings.origin),
    type: RR_TYPE.SOA,
    class: RR_CLASS.IN,
    ttl: settings.ttl,
    data: {
      kind: 'soa',
      soa: { ...soa, mname: textName(soa.mname), rname: textName(soa.rname) },
    },
  };
}

/**
 * The CNAME policy records of blocked domains (at the trigger names of rpzTriggerNames: the
 * domain and its wildcard), for one zone's settings: the origin's and the target's labels are
 * made once and shared by every record (a zone of a million domains has two million records).
 */
function policyRecords(settings: RpzZoneSettings): (domain: string) => OutRecord[] {
  const origin = textName(settings.origin);
  const target = textName(rpzTarget(settings.action));
  const data = { kind: 'name' as const, name: target };
  return (domain) =>
    rpzTriggerNames(domain).map((owner) => ({
      name: [...textName(owner), ...origin],
      type: RR_TYPE.CNAME,
      class: RR_CLASS.IN,
      ttl: settings.ttl,
      data,
    }));
}

/** Approximate wire size of a record (uncompressed names, fixed fields). */
function sizeOf(record: OutRecord): number {
  const owner = record.name.reduce((n, l) => n + l.length + 1, 1);
  const data = record.data;
  const rdata =
    data.kind === 'raw'
      ? data.bytes.length
      : data.kind === 'name'
        ? data.name.reduce((n, l) => n + l.length + 1, 1)
        : 64;
  return owner + 10 + rdata;
}

/**
 * The record stream of a full transfer (RFC 5936 §2.2): SOA, NS, every policy record, SOA.
 * Produced lazily so a large zone is never held as one array of records.
 */
function* axfrRecords(snapshot: ZoneSnapshot): Generator<OutRecord> {
  const { settings, serial } = snapshot;
  yield soaRecord(settings, serial);
  yield {
    name: textName(settings.origin),
    type: RR_TYPE.NS,
    class: RR_CLASS.IN,
    ttl: settings.ttl,
    data: { kind: 'name', name: textName(settings.nameserver) },
  };
  const policy = policyRecords(settings);
  for (const domain of snapshot.domains) yield* policy(domain);
  yield soaRecord(settings, serial);
}

/** Domains whose trigger names are their own nameKey (lower-case LDH labels). */
const PLAIN_DOMAIN = /^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/;

/**
 * The lookup index of a snapshot: the records AXFR sends, the policy records of plain domains
 * given as one set of domains (PolicyOwners) when the rendering gives each domain `d` the owners
 * `d` and `*.d` (rpzTriggerNames), so a large zone costs a set entry per domain.
 */
function zoneIndex(snapshot: ZoneSnapshot): ZoneIndex {
  const { settings, serial } = snapshot;
  const [name, wildcard] = rpzTriggerNames('d');
  const compact = name === 'd' && wildcard === '*.d';
  const domains = new Set<string>();
  const records: OutRecord[] = [
    soaRecord(settings, serial),
    {
      name: textName(settings.origin),
      type: RR_TYPE.NS,
      class: RR_CLASS.IN,
      ttl: settings.ttl,
      data: { kind: 'name', name: textName(settings.nameserver) },
    },
  ];
  for (const domain of snapshot.domains) {
    if (compact && PLAIN_DOMAIN.test(domain)) domains.add(domain);
    else records.push(...policyRecords(settings)(domain));
  }
  const policy = {
    type: RR_TYPE.CNAME,
    class: RR_CLASS.IN,
    ttl: settings.ttl,
    data: { kind: 'name' as const, name: textName(rpzTarget(settings.action)) },
  };
  return new ZoneIndex(textName(settings.origin), records, { domains, records: [policy] });
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
): Generator<OutRecord> {
  const { settings, serial } = snapshot;
  yield soaRecord(settings, serial);
  yield soaRecord(settings, fromSerial);
  const policy = policyRecords(settings);
  for (const domain of deleted) yield* policy(domain);
  yield soaRecord(settings, serial);
  for (const domain of added) yield* policy(domain);
  yield soaRecord(settings, serial);
}

/**
 * An authoritative DNS server for scamnet's RPZ zone (draft-vixie-dnsop-dns-rpz-00) on one
 * address, UDP and TCP, that answers as BIND 9 answers when it serves the same zone file (the
 * differential test test/blocklist/dns-differential.test.ts asks both the same questions):
 * - lookups (zone-index.ts): exact names, empty non-terminals (NOERROR/NODATA, RFC 8020),
 *   wildcards (RFC 4592), CNAMEs, negative answers with the SOA (RFC 2308); EDNS(0) (RFC 6891:
 *   BADVERS, DO, Client Subnet echo, EXPIRE RFC 7314, TCP keepalive RFC 7828); the RCODEs BIND
 *   gives to other opcodes, classes and meta types; other zones REFUSED;
 * - AXFR (RFC 5936, TCP only) of the whole zone, in messages of ~16 KB;
 * - IXFR (RFC 1995) from the journal of zone versions, condensed into one difference sequence;
 *   one SOA when the client's serial is ours or newer (RFC 1982 arithmetic, across a wrap); the
 *   whole zone when its serial is older and unknown or predates a policy change; over UDP only
 *   the current SOA (the client then asks over TCP);
 * - NOTIFY (RFC 1996) to DNS_NOTIFY secondaries at start and whenever the serial changes (poll
 *   every DNS_POLL_SECONDS, or call `refresh()`), retransmitted until a matching response
 *   acknowledges it (notifier.ts);
 * - TSIG (RFC 8945, HMAC-SHA256) when DNS_TSIG_KEY is set: transfers must be signed with that
 *   key (unsigned ones are REFUSED); bad signatures get NOTAUTH with BADKEY/BADSIG/BADTIME, with
 *   or without a key configured; responses to signed requests are signed (every message of a
 *   transfer), and NOTIFY messages are signed.
 * Uses deps.clock for TSIG times, so tests can run on a fake clock.
 */
export class RpzDnsServer {
  readonly #deps: ServiceDeps;
  #udp: Socket | undefined;
  #tcp: Server | undefined;
  #timer: NodeJS.Timeout | undefined;
  #zone: ServedZone | undefined;
  readonly #connections = new Set<TcpSocket>();
  #refreshing: Promise<boolean> | undefined;
  readonly #transfers: ZoneTransferRecord[] = [];
  readonly #notifiers: SecondaryNotifier[];
  readonly #notifications: NotifyOutcome[] = [];
  #round: Promise<NotifyOutcome[]> = Promise.resolve([]);
  readonly #transferAllow = new BlockList();

  constructor(deps: ServiceDeps) {
    this.#deps = deps;
    for (const block of deps.config.dns.transferAllow) {
      this.#transferAllow.addSubnet(block.address, block.prefix, block.family);
    }
    this.#notifiers = deps.config.dns.notify.map(
      (target) =>
        new SecondaryNotifier(target, {
          key: deps.config.dns.tsigKey,
          now: () => this.#now(),
          attempts: NOTIFY_ATTEMPTS,
          timeoutMs: NOTIFY_TIMEOUT_MS,
          onOutcome: (outcome) => this.#logNotify(outcome),
          onIgnored: (target, why) =>
            deps.log.warn({ target, why }, 'NOTIFY response ignored: it does not match'),
        }),
    );
  }

  /**
   * Loads the zone, binds UDP and TCP on DNS_HOST:DNS_PORT (port 0: one free port for both),
   * sends NOTIFY for the loaded serial (RFC 1996 §4: a primary notifies when it loads a zone) and
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
    await this.#announce();
    if (options.poll !== false) {
      this.#timer = setInterval(() => {
        this.refresh().catch((error: unknown) =>
          this.#deps.log.error({ err: error }, 'RPZ refresh failed'),
        );
      }, this.#deps.config.dns.pollSeconds * 1000);
      this.#timer.unref();
    }
    this.#deps.log.info({ host, port: tcpPort, serial: this.serial }, 'RPZ DNS server listening');
    return { host, port: tcpPort };
  }

  /** Stops the poll and NOTIFY, closes both sockets and every open TCP connection. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    for (const notifier of this.#notifiers) notifier.close();
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

  /** How the latest NOTIFY announcements ended (at most 100, oldest first). */
  get notifications(): readonly NotifyOutcome[] {
    return this.#notifications;
  }

  #logTransfer(record: ZoneTransferRecord): void {
    this.#transfers.push(record);
    if (this.#transfers.length > 100) this.#transfers.shift();
    this.#deps.log.info(record, 'RPZ zone transfer');
  }

  #logNotify(outcome: NotifyOutcome): void {
    this.#notifications.push(outcome);
    if (this.#notifications.length > 100) this.#notifications.shift();
    if (outcome.acknowledged) this.#deps.log.info(outcome, 'NOTIFY acknowledged');
    else this.#deps.log.warn(outcome, 'NOTIFY not acknowledged');
  }

  /** The serial the server currently answers with (-1 before start). */
  get serial(): number {
    return this.#zone?.snapshot.serial ?? -1;
  }

  /**
   * Expires due entries, reloads the zone when its serial changed and then (unless `notify` is
   * false) starts NOTIFY of the new serial to every configured secondary (not waiting for the
   * acknowledgements: see `notified()`).
   * @returns true when the serial changed.
   */
  async refresh(options: { notify?: boolean } = {}): Promise<boolean> {
    if (this.#refreshing !== undefined) return this.#refreshing;
    this.#refreshing = (async () => {
      await expireDueEntries(this.#deps);
      await ensureZonePolicy(this.#deps);
      if (this.#zone !== undefined && (await currentSerial(this.#deps)) === this.serial) {
        return false;
      }
      const snapshot = await currentZone(this.#deps);
      if (snapshot.serial === this.serial) return false;
      this.#zone = { snapshot, index: zoneIndex(snapshot) };
      if (options.notify !== false) await this.#announce();
      return true;
    })();
    try {
      return await this.#refreshing;
    } finally {
      this.#refreshing = undefined;
    }
  }

  /** Starts NOTIFY of the current serial to every secondary; returns once each first one is sent. */
  async #announce(): Promise<void> {
    const zone = this.#zone;
    if (zone === undefined || this.#notifiers.length === 0) return;
    const { settings, serial } = zone.snapshot;
    const origin = textName(settings.origin);
    const soa = soaRecord(settings, serial);
    // The round is known at once (so `notified()` right after a change waits for this serial);
    // this method returns once every first NOTIFY is sent.
    const sends = this.#notifiers.map((notifier) =>
      notifier.announce(origin, soa, serial).catch((error: unknown) => {
        this.#deps.log.error({ err: error, target: notifier.target }, 'NOTIFY not sent');
        return undefined;
      }),
    );
    this.#round = Promise.all(sends).then((sent) =>
      Promise.all(sent.flatMap((s) => (s === undefined ? [] : [s.done]))),
    );
    await Promise.all(sends);
  }

  /**
   * How the latest NOTIFY round (the current serial, to every secondary) ended: resolves when
   * each secondary acknowledged, its retransmissions ran out, or a newer serial replaced it.
   */
  async notified(): Promise<NotifyOutcome[]> {
    return this.#round;
  }

  /**
   * Sends NOTIFY for the current serial to every DNS_NOTIFY secondary again.
   * @returns the secondaries (`host:port`) that acknowledged.
   */
  async notifyAll(): Promise<string[]> {
    await this.#announce();
    const outcomes = await this.#round;
    return outcomes.filter((o) => o.acknowledged).map((o) => o.target);
  }

  #now(): number {
    return Math.floor(this.#deps.clock.now() / 1000);
  }

  async #onUdp(message: Buffer, remote: RemoteInfo): Promise<void> {
    const replies = await this.#answer(message, 'udp', remote.address);
    const udp = this.#udp;
    if (udp === undefined) return;
    for (const reply of replies) udp.send(reply, remote.port, remote.address);
  }

  /** Whether `address` may transfer the zone unsigned (DNS_TRANSFER_ALLOW). */
  #mayTransfer(address: string | undefined): boolean {
    if (address === undefined) return false;
    // A dual-stack socket reports IPv4 clients as IPv4-mapped IPv6 addresses.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    if (mapped !== undefined) return this.#transferAllow.check(mapped, 'ipv4');
    return this.#transferAllow.check(address, address.includes(':') ? 'ipv6' : 'ipv4');
  }

  /** One TCP connection: see serveTcpConnection for its limits. */
  #onTcp(socket: TcpSocket): void {
    this.#connections.add(socket);
    socket.on('close', () => this.#connections.delete(socket));
    const client = socket.remoteAddress;
    serveTcpConnection(socket, (message) => this.#answer(message, 'tcp', client), {
      idleMs: TCP_IDLE_MS,
      maxConnectionMs: TCP_MAX_CONNECTION_MS,
      onError: (error) => this.#deps.log.error({ err: error }, 'RPZ DNS TCP answer failed'),
    });
  }

  /**
   * The reply messages to one request, in the order BIND 9 checks a request: too short or a
   * response → none; malformed (also a misplaced TSIG or OPT, questions of two classes) →
   * FORMERR; EDNS version → BADVERS; no class → FORMERR (NOTIMP for an unknown opcode); meta
   * class → FORMERR; unknown class → NOTIMP; TSIG verified; class HS → REFUSED; bad TSIG →
   * NOTAUTH; then by opcode (unknown → NOTIMP).
   */
  async #answer(raw: Buffer, transport: 'udp' | 'tcp', client?: string): Promise<Iterable<Buffer>> {
    if (raw.length < 12 || (raw.readUInt16BE(2) & FLAG.qr) !== 0) return [];
    let request: WireMessage;
    try {
      request = parseMessage(raw);
    } catch (error) {
      if (!(error instanceof WireFormatError)) throw error;
      return [this.#formErrHeader(raw, error.questions ?? [])];
    }
    const klass = request.questions[0]?.class ?? 0;
    if (request.questions.some((q) => q.class !== klass)) return [this.#formErrHeader(raw, [])];
    const edns = readEdns(request);
    const base = { request, raw, transport, mac: undefined, client };
    if (!this.#tsigPlacementOk(request)) {
      return [this.#reply({ ...base, edns: undefined }, { rcode: RCODE.formErr })];
    }
    if (edns.kind === 'formerr') {
      return [
        this.#reply(
          { ...base, edns: edns.withOpt ? this.#bareEdns() : undefined },
          { rcode: RCODE.formErr },
        ),
      ];
    }
    const exchange: Exchange = { ...base, edns: edns.kind === 'ok' ? edns.edns : undefined };
    if (exchange.edns !== undefined && exchange.edns.version > 0) {
      return [this.#reply(exchange, { rcode: RCODE.badVers })];
    }
    const knownOpcode = KNOWN_OPCODES.has(request.opcode);
    if (klass === 0) {
      return [this.#reply(exchange, { rcode: knownOpcode ? RCODE.formErr : RCODE.notImp })];
    }
    if (klass === RR_CLASS.NONE || klass === RR_CLASS.ANY) {
      return [this.#reply(exchange, { rcode: RCODE.formErr })];
    }
    if (klass !== RR_CLASS.IN && klass !== RR_CLASS.CH && klass !== RR_CLASS.HS) {
      return [this.#reply(exchange, { rcode: RCODE.notImp })];
    }
    // Class HS has no keys (BIND has no view for it): every signature is BADKEY.
    const tsig = this.#verifyTsig(raw, klass !== RR_CLASS.HS);
    if (tsig.kind === 'formerr') return [this.#reply(exchange, { rcode: RCODE.formErr })];
    const signed: Exchange = tsig.kind === 'signed' ? { ...exchange, mac: tsig.mac } : exchange;
    if (klass === RR_CLASS.HS) {
      return [
        tsig.kind === 'invalid'
          ? this.#tsigErrorReply(exchange, RCODE.refused, tsig)
          : this.#reply(signed, { rcode: RCODE.refused }),
      ];
    }
    if (tsig.kind === 'invalid') return [this.#tsigErrorReply(exchange, RCODE.notAuth, tsig)];
    const auth: RequestAuth = tsig.kind === 'signed' ? tsig : { kind: 'unsigned' };
    try {
      switch (request.opcode) {
        case OPCODE.query:
          return await this.#query(signed, auth);
        case OPCODE.notify:
          return [this.#incomingNotify(signed)];
        case OPCODE.update:
          return [this.#update(signed)];
        default:
          return [this.#reply(signed, { rcode: RCODE.notImp })];
      }
    } catch (error) {
      this.#deps.log.error({ err: error }, 'RPZ DNS query failed');
      return [this.#reply(signed, { rcode: RCODE.servFail })];
    }
  }

  /** A TSIG may only be the last record of the additional section, once (RFC 8945 §5.1). */
  #tsigPlacementOk(request: WireMessage): boolean {
    const all = [...request.answers, ...request.authorities, ...request.additionals];
    const count = all.filter((r) => r.type === RR_TYPE.TSIG).length;
    return count === 0 || (count === 1 && request.additionals.at(-1)?.type === RR_TYPE.TSIG);
  }

  /** FORMERR for a message that does not parse: the header (and the question when it parsed). */
  #formErrHeader(raw: Buffer, questions: readonly WireQuestion[]): Buffer {
    const request: WireMessage = {
      id: raw.readUInt16BE(0),
      flags: raw.readUInt16BE(2),
      opcode: (raw.readUInt16BE(2) >> 11) & 0xf,
      questions,
      answers: [],
      authorities: [],
      additionals: [],
    };
    return this.#reply(
      { request, raw, transport: 'udp', edns: undefined, mac: undefined },
      { rcode: RCODE.formErr },
    );
  }

  /** An EDNS request with no options: for FORMERR replies that carry an OPT record. */
  #bareEdns(): EdnsRequest {
    return {
      udpSize: 512,
      version: 0,
      flags: 0,
      options: [],
      ecs: undefined,
      wantsExpire: false,
      wantsKeepalive: false,
    };
  }

  /**
   * Verifies the request's TSIG (RFC 8945 §5.2): with no key configured any signed request is of
   * an unknown key (BADKEY); otherwise the key name and algorithm must match (BADKEY), the MAC
   * verify (BADSIG) and the time be within the fudge (BADTIME).
   */
  #verifyTsig(raw: Buffer, withKey: boolean): TsigStatus {
    const configured = withKey ? this.#deps.config.dns.tsigKey : undefined;
    let result: TsigVerification;
    try {
      const { tsig } = splitTsig(raw);
      if (tsig === undefined) return { kind: 'unsigned' };
      result =
        configured === undefined
          ? { status: 'invalid', error: TSIG_ERROR.badKey, record: tsig }
          : verifyRequest(raw, configured, this.#now());
    } catch {
      return { kind: 'formerr' };
    }
    if (result.status === 'unsigned') return { kind: 'unsigned' };
    if (result.status === 'valid') return { kind: 'signed', mac: result.mac };
    this.#deps.log.warn(
      { key: result.record.keyName, error: result.error },
      'TSIG verification failed',
    );
    return {
      kind: 'invalid',
      error: result.error,
      record: result.record,
      malformed: result.malformed === true,
    };
  }

  /**
   * The reply to a request whose TSIG did not verify (RFC 8945 §5.3.2): `rcode` (NOTAUTH; FORMERR
   * for a malformed MAC) with a TSIG carrying the error: unsigned for BADKEY and BADSIG, signed
   * for BADTIME (the request's time, ours as other data) and BADTRUNC.
   */
  #tsigErrorReply(
    exchange: Exchange,
    rcode: number,
    tsig: Extract<TsigStatus, { kind: 'invalid' }>,
  ): Buffer {
    const { error, record } = tsig;
    const now = this.#now();
    const bare = this.#reply(exchange, { rcode: tsig.malformed ? RCODE.formErr : rcode });
    const configured = this.#deps.config.dns.tsigKey;
    const signs = error === TSIG_ERROR.badTime || error === TSIG_ERROR.badTrunc;
    if (signs && configured !== undefined) {
      const other = Buffer.alloc(error === TSIG_ERROR.badTime ? 6 : 0);
      if (error === TSIG_ERROR.badTime) other.writeUIntBE(now, 0, 6);
      return signMessage(bare, configured, {
        time: record.timeSigned,
        priorMac: record.mac,
        error,
        otherData: other,
      }).message;
    }
    return appendTsig(
      bare,
      { name: record.keyName, algorithm: record.algorithm },
      now,
      Buffer.alloc(0),
      error,
    );
  }

  /** A QUERY (opcode 0): question checks, then transfers or a lookup. */
  async #query(exchange: Exchange, auth: RequestAuth): Promise<Iterable<Buffer>> {
    const { request } = exchange;
    const question = request.questions[0];
    if (question === undefined || request.questions.length !== 1) {
      return [this.#reply(exchange, { rcode: RCODE.formErr })];
    }
    if (question.type === RR_TYPE.AXFR || question.type === RR_TYPE.IXFR) {
      return this.#transfer(exchange, question, auth);
    }
    if (NOTIMP_QTYPES.has(question.type)) return [this.#reply(exchange, { rcode: RCODE.notImp })];
    if (isMetaType(question.type) && question.type !== RR_TYPE.ANY)
      return [this.#reply(exchange, { rcode: RCODE.formErr })];
    const zone = this.#zone;
    if (zone === undefined) return [this.#reply(exchange, { rcode: RCODE.servFail })];
    if (question.class !== RR_CLASS.IN || !zone.index.contains(nameKey(question.name))) {
      return [this.#reply(exchange, { rcode: RCODE.refused })];
    }
    const { edns, transport } = exchange;
    const minimal =
      (request.flags & FLAG.rd) !== 0 ||
      (transport === 'udp' && edns !== undefined && edns.udpSize <= 512);
    const result = zone.index.lookup(question.name, question.type, minimal);
    const options: EdnsOption[] = [];
    if (result.apexSoa && edns?.wantsExpire === true) {
      const expire = Buffer.alloc(4);
      expire.writeUInt32BE(zone.index.soa.expire);
      options.push({ code: EDNS_OPTION.expire, data: expire });
    }
    return [
      this.#reply(exchange, {
        rcode: result.rcode,
        aa: true,
        answer: result.answer,
        authority: result.authority,
        options,
      }),
    ];
  }

  /** AXFR and IXFR (RFC 5936, RFC 1995), in the order of BIND's checks. */
  async #transfer(
    exchange: Exchange,
    question: WireQuestion,
    auth: RequestAuth,
  ): Promise<Iterable<Buffer>> {
    const { request, transport } = exchange;
    const isAxfr = question.type === RR_TYPE.AXFR;
    const zone = this.#zone;
    if (zone === undefined) return [this.#reply(exchange, { rcode: RCODE.servFail })];
    const originKey = nameKey(zone.index.origin);
    if (question.class !== RR_CLASS.IN || nameKey(question.name) !== originKey) {
      return [this.#reply(exchange, { rcode: RCODE.notAuth })];
    }
    if (this.#deps.config.dns.tsigKey !== undefined && auth.kind !== 'signed') {
      return [this.#reply(exchange, { rcode: RCODE.refused })];
    }
    // Without a key, only the clients an operator listed may take the zone (BIND allow-transfer).
    if (this.#deps.config.dns.tsigKey === undefined && !this.#mayTransfer(exchange.client)) {
      this.#deps.log.warn(
        { client: exchange.client, query: isAxfr ? 'AXFR' : 'IXFR' },
        'zone transfer refused: client not in DNS_TRANSFER_ALLOW',
      );
      return [this.#reply(exchange, { rcode: RCODE.refused })];
    }
    // RFC 1995 §3: an IXFR carries the client's SOA, alone in the authority section, owned by
    // the zone's name.
    let fromSerial = 0;
    if (!isAxfr) {
      const clientSoa = request.authorities[0];
      if (
        request.authorities.length !== 1 ||
        clientSoa === undefined ||
        clientSoa.type !== RR_TYPE.SOA ||
        nameKey(clientSoa.name) !== originKey
      ) {
        return [this.#reply(exchange, { rcode: RCODE.formErr })];
      }
      try {
        fromSerial = readSoa(exchange.raw, clientSoa).serial;
      } catch {
        return [this.#reply(exchange, { rcode: RCODE.formErr })];
      }
    }
    if (isAxfr && transport === 'udp') return [this.#reply(exchange, { rcode: RCODE.formErr })];
    if (isAxfr) {
      const snapshot = await currentZone(this.#deps);
      this.#logTransfer({ query: 'AXFR', transport, answer: 'full', serial: snapshot.serial });
      return this.#stream(exchange, axfrRecords(snapshot));
    }
    const diff = await zoneDiffSince(this.#deps, fromSerial);
    const head = diff.kind === 'full' ? diff.snapshot : diff.zone;
    this.#logTransfer({
      query: 'IXFR',
      transport,
      fromSerial,
      serial: head.serial,
      answer: transport === 'udp' && diff.kind !== 'up_to_date' ? 'soa_only' : diff.kind,
    });
    if (transport === 'udp') {
      // BIND answers an IXFR over UDP with the SOA alone and without AA.
      return [
        this.#reply(exchange, {
          rcode: RCODE.noError,
          aa: false,
          answer: [soaRecord(head.settings, head.serial)],
        }),
      ];
    }
    if (diff.kind === 'up_to_date')
      return this.#stream(exchange, [soaRecord(head.settings, head.serial)]);
    return this.#stream(
      exchange,
      diff.kind === 'full'
        ? axfrRecords(diff.snapshot)
        : ixfrRecords(diff.zone, diff.fromSerial, diff.deleted, diff.added),
    );
  }

  /** An incoming NOTIFY (RFC 1996 §3.7): we are the primary, so it is acknowledged and ignored. */
  #incomingNotify(exchange: Exchange): Buffer {
    return (
      this.#zoneSoaRefusal(exchange) ?? this.#reply(exchange, { rcode: RCODE.noError, aa: true })
    );
  }

  /** A dynamic update (RFC 2136): the zone is not updatable, so REFUSED (NOTAUTH for others). */
  #update(exchange: Exchange): Buffer {
    return this.#zoneSoaRefusal(exchange) ?? this.#reply(exchange, { rcode: RCODE.refused });
  }

  /**
   * The answer to a NOTIFY or UPDATE whose question is not one SOA question (FORMERR) or not
   * about this zone (NOTAUTH), as BIND answers them; undefined when the question is the zone's SOA.
   */
  #zoneSoaRefusal(exchange: Exchange): Buffer | undefined {
    const question = exchange.request.questions[0];
    if (
      question === undefined ||
      exchange.request.questions.length !== 1 ||
      question.type !== RR_TYPE.SOA
    ) {
      return this.#reply(exchange, { rcode: RCODE.formErr });
    }
    if (!this.#isOrigin(question)) return this.#reply(exchange, { rcode: RCODE.notAuth });
    return undefined;
  }

  #isOrigin(question: WireQuestion): boolean {
    const zone = this.#zone;
    return (
      zone !== undefined &&
      question.class === RR_CLASS.IN &&
      nameKey(question.name) === nameKey(zone.index.origin)
    );
  }

  /** The OPT record of a response: our size, version 0, DO echoed, the options BIND adds. */
  #replyOptions(exchange: Exchange, extra: readonly EdnsOption[], rcode: number): EdnsOption[] {
    const edns = exchange.edns;
    if (edns === undefined || rcode === RCODE.badVers) return [...extra];
    const options = [...extra];
    const ecs = edns.ecs;
    if (ecs !== undefined) {
      const echo = Buffer.from(ecs.data);
      echo.writeUInt8(0, 3);
      options.push({ code: EDNS_OPTION.ecs, data: echo });
    }
    if (edns.wantsKeepalive && exchange.transport === 'tcp') {
      const timeout = Buffer.alloc(2);
      timeout.writeUInt16BE(TCP_IDLE_MS / 100);
      options.push({ code: EDNS_OPTION.keepalive, data: timeout });
    }
    return options;
  }

  /** One response message to `exchange`, signed when the request was. */
  #reply(exchange: Exchange, reply: Reply): Buffer {
    return this.#message(exchange, reply, exchange.mac, false).message;
  }

  #message(
    exchange: Exchange,
    reply: Reply,
    prior: Buffer | undefined,
    later: boolean,
    options: { withQuestion?: boolean; preserveRd?: boolean } = {},
  ): { message: Buffer; mac: Buffer } {
    const { request, edns, transport } = exchange;
    // BIND keeps RD and CD in answers to queries, not to other opcodes nor in zone transfers.
    const preserved =
      request.opcode === OPCODE.query && options.preserveRd !== false
        ? request.flags & (FLAG.rd | FLAG.cd)
        : 0;
    const flags =
      FLAG.qr |
      (request.opcode << 11) |
      (reply.aa === true ? FLAG.aa : 0) |
      preserved |
      (reply.rcode & 0xf);
    const maxSize =
      transport === 'tcp'
        ? 65_535
        : edns === undefined
          ? 512
          : Math.min(Math.max(edns.udpSize, 512), EDNS_UDP_SIZE);
    const key = this.#deps.config.dns.tsigKey;
    // Room kept for the OPT record (with its options) and the TSIG record (RFC 8945 §4.2).
    const reserve =
      (edns === undefined ? 0 : 64) +
      (key === undefined || prior === undefined ? 0 : key.name.length + 80);
    const writer = new MessageWriter(request.id, flags, maxSize - reserve);
    // The question is repeated for QUERY, NOTIFY and UPDATE, not for other opcodes (as BIND).
    const withQuestion = options.withQuestion ?? KNOWN_OPCODES.has(request.opcode);
    if (withQuestion && !later) for (const q of request.questions) writer.question(q);
    for (const r of reply.answer ?? []) writer.record('answer', r);
    for (const r of reply.authority ?? []) writer.record('authority', r);
    if (edns !== undefined) {
      writer.opt({
        udpSize: EDNS_UDP_SIZE,
        extendedRcode: reply.rcode >> 4,
        version: 0,
        flags: edns.flags & EDNS_DO,
        options: this.#replyOptions(exchange, reply.options ?? [], reply.rcode),
      });
    }
    const message = writer.finish();
    if (key === undefined || prior === undefined) return { message, mac: Buffer.alloc(0) };
    return signMessage(message, key, {
      time: this.#now(),
      priorMac: prior,
      timersOnly: later ? true : undefined,
    });
  }

  /**
   * Splits a transfer's `records` into response messages of about MESSAGE_BUDGET bytes (AA, RD
   * not repeated, the question and OPT in the first only), each signed when the request was
   * (RFC 8945 §5.3.1: later messages' MACs chain on the previous one). Lazy: each message is made
   * when the previous one has been taken (written), so a transfer is never held whole.
   */
  *#stream(exchange: Exchange, records: Iterable<OutRecord>): Generator<Buffer> {
    let sent = 0;
    let batch: OutRecord[] = [];
    let bytes = 0;
    let prior = exchange.mac;
    const flush = (): Buffer => {
      const later = sent > 0;
      const part: Exchange = later ? { ...exchange, edns: undefined } : exchange;
      const signed = this.#message(
        part,
        { rcode: RCODE.noError, aa: true, answer: batch },
        prior,
        later,
        {
          withQuestion: !later,
          preserveRd: false,
        },
      );
      if (exchange.mac !== undefined) prior = signed.mac;
      sent += 1;
      batch = [];
      bytes = 0;
      return signed.message;
    };
    for (const record of records) {
      batch.push(record);
      bytes += sizeOf(record);
      if (bytes >= MESSAGE_BUDGET) yield flush();
    }
    if (batch.length > 0 || sent === 0) yield flush();
  }
}
