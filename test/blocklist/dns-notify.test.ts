import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { transitionEntry } from '../../src/blocklist/index.js';
import type { TsigKeyConfig } from '../../src/config/index.js';
import {
  RpzDnsServer,
  signMessage,
  splitTsig,
  verifyRequest,
  MessageWriter,
  parseMessage,
  readSoa,
  RR_TYPE,
  textName,
  type WireMessage,
} from '../../src/dns/index.js';

import { FakeClock } from '../../src/shared/clock.js';
import { createTestContext, testDialects, type TestContext } from '../harness.js';
import { admin, block } from './entries.js';
import { eventually, freePort, startBindSecondary, type BindServer } from './bind.js';
import { describeMessage, udpExchange } from './dns-compare.js';
import { lookupProbes, zoneNames } from './dns-probes.js';
import { haveTools } from './tools.js';

// NOTIFY (RFC 1996) from scamnet's RPZ server: sent at start and whenever the serial changes,
// retransmitted until acknowledged, and acknowledged only by a response that matches it
// (address and port, ID, QR, opcode, question, RCODE, TSIG chained on the NOTIFY's MAC).

const KEY_SECRET = Buffer.from('scamnet-notify-tsig-secret-0123456789').toString('base64');
const KEY: TsigKeyConfig = {
  name: 'xfr-key',
  algorithm: 'hmac-sha256',
  secret: Buffer.from(KEY_SECRET, 'base64'),
};

async function bound(): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  return socket;
}

function portOf(socket: Socket): number {
  return socket.address().port;
}

interface Received {
  readonly message: Buffer;
  readonly parsed: WireMessage;
  readonly serial: number;
  readonly remote: RemoteInfo;
}

/** A response to `notify` built field by field, signed as asked. */
function response(
  notify: Received,
  options: {
    id?: number;
    flags?: number;
    name?: string;
    type?: number;
    klass?: number;
    sign?: 'chained' | 'unchained' | 'other-key' | 'none';
  } = {},
): Buffer {
  const writer = new MessageWriter(
    options.id ?? notify.parsed.id,
    options.flags ?? 0x8000 | (4 << 11) | 0x400,
  );
  const question = notify.parsed.questions[0];
  writer.question({
    name: options.name === undefined ? (question?.name ?? []) : textName(options.name),
    type: options.type ?? RR_TYPE.SOA,
    class: options.klass ?? 1,
  });
  const message = writer.finish();
  const now = Math.floor(Date.now() / 1000);
  const requestMac = splitTsig(notify.message).tsig?.mac;
  switch (options.sign ?? 'chained') {
    case 'none':
      return message;
    case 'unchained':
      return signMessage(message, KEY, { time: now }).message;
    case 'other-key':
      return signMessage(
        message,
        { ...KEY, secret: Buffer.from('another-secret-of-enough-length') },
        { time: now, priorMac: requestMac },
      ).message;
    case 'chained':
      return signMessage(message, KEY, { time: now, priorMac: requestMac }).message;
  }
}

/**
 * A secondary of our own on loopback: records every NOTIFY and answers each with what
 * `respond` returns (several messages, possibly from another socket).
 */
class FakeSecondary {
  readonly received: Received[] = [];
  respond: (notify: Received, n: number) => { socket: 'main' | 'other'; message: Buffer }[] =
    () => [];

  private constructor(
    readonly main: Socket,
    readonly other: Socket,
  ) {
    main.on('message', (message, remote) => {
      const parsed = parseMessage(message);
      const soa = parsed.answers.find((r) => r.type === RR_TYPE.SOA);
      const received = {
        message,
        parsed,
        serial: soa === undefined ? -1 : readSoa(message, soa).serial,
        remote,
      };
      this.received.push(received);
      for (const reply of this.respond(received, this.received.length)) {
        (reply.socket === 'main' ? main : other).send(reply.message, remote.port, remote.address);
      }
    });
  }

  static async start(): Promise<FakeSecondary> {
    return new FakeSecondary(await bound(), await bound());
  }

  get port(): number {
    return portOf(this.main);
  }

  close(): void {
    this.main.close();
    this.other.close();
  }
}

/** Every way a response can fail to match a NOTIFY, then the matching one. */
function wrongThenRight(notify: Received): { socket: 'main' | 'other'; message: Buffer }[] {
  const main = (message: Buffer): { socket: 'main'; message: Buffer } => ({
    socket: 'main',
    message,
  });
  return [
    main(response(notify, { id: (notify.parsed.id + 1) % 0x10000 })),
    main(response(notify, { flags: (4 << 11) | 0x400 })),
    main(response(notify, { flags: 0x8000 | 0x400 })),
    main(response(notify, { name: 'other.net.tw' })),
    main(response(notify, { type: RR_TYPE.NS })),
    main(response(notify, { klass: 3 })),
    main(response(notify, { flags: 0x8000 | (4 << 11) | 5 })),
    main(response(notify, { sign: 'none' })),
    main(response(notify, { sign: 'unchained' })),
    main(response(notify, { sign: 'other-key' })),
    main(Buffer.from('not a dns message')),
    { socket: 'other', message: response(notify) },
    main(response(notify)),
  ];
}

describe.each(testDialects())('NOTIFY to secondaries (RFC 1996) on %s', (dialect) => {
  let ctx: TestContext | undefined;
  let server: RpzDnsServer | undefined;
  let secondary: FakeSecondary | undefined;
  afterEach(async () => {
    await server?.stop();
    await ctx?.close();
    secondary?.close();
    server = undefined;
    ctx = undefined;
    secondary = undefined;
  });

  async function start(env: Record<string, string>): Promise<TestContext> {
    const c = await createTestContext(dialect, {
      env: { DNS_HOST: '127.0.0.1', DNS_PORT: '0', ...env },
      // TSIG signs with real time: the fake clock starts at the real now.
      clock: new FakeClock(Date.now()),
    });
    ctx = c;
    await block(c, 'first.com.tw');
    return c;
  }

  it('notifies at start and counts only the response that matches, signed and chained (TSIG)', async () => {
    const fake = await FakeSecondary.start();
    secondary = fake;
    fake.respond = (notify) => wrongThenRight(notify);
    await start({ DNS_NOTIFY: `127.0.0.1:${fake.port}`, DNS_TSIG_KEY: `xfr-key:${KEY_SECRET}` });
    if (ctx === undefined) throw new Error('no context');
    server = new RpzDnsServer(ctx.deps);
    await server.start({ poll: false });
    const [outcome] = await server.notified();
    expect(outcome).toMatchObject({
      target: `127.0.0.1:${fake.port}`,
      serial: server.serial,
      acknowledged: true,
      attempts: 1,
      ignored: 12,
    });
    const notify = fake.received[0];
    expect(notify?.serial).toBe(server.serial);
    // The NOTIFY itself: opcode NOTIFY, AA, the zone's SOA question and answer, signed.
    expect(((notify?.parsed.flags ?? 0) >> 11) & 0xf).toBe(4);
    expect((notify?.parsed.flags ?? 0) & 0x400).toBe(0x400);
    expect(notify?.parsed.questions[0]).toMatchObject({ type: RR_TYPE.SOA, class: 1 });
    expect(
      verifyRequest(notify?.message ?? Buffer.alloc(0), KEY, Math.floor(Date.now() / 1000)).status,
    ).toBe('valid');
  });

  it('retransmits until acknowledged, and a new serial found by the poll is notified', async () => {
    const fake = await FakeSecondary.start();
    secondary = fake;
    // The first transmission of each serial gets only wrong answers; the retransmission the right one.
    const seen = new Map<number, number>();
    fake.respond = (notify) => {
      const count = (seen.get(notify.serial) ?? 0) + 1;
      seen.set(notify.serial, count);
      return count === 1
        ? wrongThenRight(notify).slice(0, -1)
        : [{ socket: 'main', message: response(notify) }];
    };
    const c = await start({
      DNS_NOTIFY: `127.0.0.1:${fake.port}`,
      DNS_TSIG_KEY: `xfr-key:${KEY_SECRET}`,
      DNS_POLL_SECONDS: '1',
    });
    server = new RpzDnsServer(c.deps);
    await server.start();
    const first = server.serial;
    expect(await server.notified()).toMatchObject([
      { serial: first, acknowledged: true, attempts: 2, ignored: 12 },
    ]);
    // A change made through the service: the server learns of it only by polling the store.
    c.clock.advance(5000);
    await block(c, 'second.com.tw');
    const running = server;
    const noticed = await eventually(async () => fake.received.some((n) => n.serial !== first));
    expect(noticed, JSON.stringify(fake.received.map((n) => n.serial))).toBe(true);
    expect(running.serial).not.toBe(first);
    expect(await running.notified()).toMatchObject([
      { serial: running.serial, acknowledged: true, attempts: 2 },
    ]);
    expect(running.notifications.map((n) => n.serial)).toEqual([first, running.serial]);
  }, 60_000);

  it('without a key, an unsigned matching response is the acknowledgement; a newer serial replaces an unacknowledged one', async () => {
    const fake = await FakeSecondary.start();
    secondary = fake;
    fake.respond = () => [];
    const c = await start({ DNS_NOTIFY: `127.0.0.1:${fake.port}` });
    server = new RpzDnsServer(c.deps);
    await server.start({ poll: false });
    const first = server.serial;
    // Wait for the NOTIFY sent at start to arrive before changing how the secondary answers.
    expect(await eventually(async () => fake.received.length === 1)).toBe(true);
    const atStart = fake.received[0];
    expect(atStart?.serial).toBe(first);
    expect(splitTsig(atStart?.message ?? Buffer.alloc(0)).tsig).toBeUndefined();
    fake.respond = (notify) => [
      {
        socket: 'main',
        message: response(notify, { id: (notify.parsed.id + 7) % 0x10000, sign: 'none' }),
      },
      { socket: 'main', message: response(notify, { sign: 'none' }) },
    ];
    c.clock.advance(5000);
    await block(c, 'second.com.tw');
    expect(await server.refresh()).toBe(true);
    expect(await server.notified()).toMatchObject([
      { serial: server.serial, acknowledged: true, attempts: 1, ignored: 1 },
    ]);
    expect(server.notifications[0]).toMatchObject({
      serial: first,
      acknowledged: false,
      endedBy: 'superseded',
    });
  });
});

const bindReady = haveTools('BIND secondary of scamnet', ['named']);
describe.runIf(bindReady)('BIND 9 as a secondary of scamnet (NOTIFY, IXFR, TSIG)', () => {
  let ctx: TestContext | undefined;
  let server: RpzDnsServer | undefined;
  let bind: BindServer | undefined;
  afterEach(async () => {
    await bind?.stop();
    await server?.stop();
    await ctx?.close();
  });

  it('takes every change by NOTIFY and IXFR and then answers as scamnet does', async () => {
    const bindPort = await freePort();
    const c = await createTestContext('sqlite', {
      env: {
        DNS_HOST: '127.0.0.1',
        DNS_PORT: '0',
        DNS_NOTIFY: `127.0.0.1:${bindPort}`,
        DNS_TSIG_KEY: `xfr-key:${KEY_SECRET}`,
      },
      clock: new FakeClock(Date.now()),
    });
    ctx = c;
    const lifted = await block(c, 'lift-me.com.tw');
    await block(c, 'shop.example.com');
    server = new RpzDnsServer(c.deps);
    const { port } = await server.start({ poll: false });
    const origin = c.deps.config.blocklist.rpzOrigin;
    const running = server;
    const secondary = await startBindSecondary({
      origin,
      primaryPort: port,
      port: bindPort,
      key: { name: KEY.name, secret: KEY_SECRET },
    });
    bind = secondary;
    const serialAt = async (): Promise<number | undefined> => {
      const reply = await udpExchange(
        bindPort,
        (() => {
          const w = new MessageWriter(1, 0);
          w.question({ name: textName(origin), type: RR_TYPE.SOA, class: 1 });
          return w.finish();
        })(),
      );
      const soa = reply === undefined ? undefined : parseMessage(reply).answers[0];
      return reply === undefined || soa === undefined ? undefined : readSoa(reply, soa).serial;
    };
    expect(
      await eventually(async () => (await serialAt()) === running.serial),
      secondary.log.join(''),
    ).toBe(true);

    // A block and a lift: NOTIFY, BIND asks IXFR from its serial, and serves the new version.
    const before = running.serial;
    c.clock.advance(5000);
    await block(c, 'new-scam.com.tw');
    await transitionEntry(c.deps, admin, lifted.id, 'lift', 'appeal upheld');
    expect(await running.refresh()).toBe(true);
    const after = running.serial;
    expect(await eventually(async () => (await serialAt()) === after), secondary.log.join('')).toBe(
      true,
    );
    expect(await running.notified()).toMatchObject([{ serial: after, acknowledged: true }]);
    expect(running.transfers).toContainEqual(
      expect.objectContaining({
        query: 'IXFR',
        transport: 'tcp',
        fromSerial: before,
        serial: after,
        answer: 'incremental',
      }),
    );
    // BIND's copy answers every question exactly as scamnet does (AA included: it is authoritative).
    const zone = running.serial;
    expect(zone).toBe(after);
    const now = Math.floor(Date.now() / 1000);
    const differences: string[] = [];
    const names = zoneNames(origin, ['new-scam.com.tw', 'shop.example.com', 'lift-me.com.tw']);
    for (const probe of lookupProbes(names)) {
      const ours = await udpExchange(port, probe.message);
      const theirs = await udpExchange(bindPort, probe.message);
      const a =
        ours === undefined
          ? 'no reply'
          : describeMessage(ours, { key: KEY, priorMac: undefined, now });
      const b =
        theirs === undefined
          ? 'no reply'
          : describeMessage(theirs, { key: KEY, priorMac: undefined, now });
      if (JSON.stringify(a) !== JSON.stringify(b))
        differences.push(`${probe.label}: ${JSON.stringify(a)} / ${JSON.stringify(b)}`);
      if (differences.length > 10) break;
    }
    expect(differences).toEqual([]);
  }, 120_000);
});
