/**
 * The RPZ DNS server facing any client (issue 20): zone transfers only for the clients an operator
 * allowed (DNS_TRANSFER_ALLOW) or signed with DNS_TSIG_KEY, transfers streamed as the client
 * reads them, and a cap on the queries one TCP connection may have outstanding.
 */
import { execFile } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import * as dnsPacket from 'dns-packet';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import {
  serveTcpConnection,
  TCP_MAX_OUTSTANDING,
  type TcpConnectionState,
} from '../../src/dns/tcp-connection.js';
import { useRpzServer } from './entries.js';
import { query, rcodeOf, tcpTransfer, udpQuery } from './dns-client.js';
import { haveTools } from './tools.js';

/** Runs dig (no TSIG) in a child process: this process is the server and must keep answering. */
function dig(port: number, type: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      'dig',
      ['+tcp', '+time=5', '+tries=1', '-p', String(port), '@127.0.0.1', 'rpz.scamnet', type],
      (_error, stdout, stderr) => resolve(stdout + stderr),
    );
  });
}

describe('zone transfers without TSIG', () => {
  const rpz = useRpzServer(['onlytoppc24.com']);
  const start = async (env: Record<string, string>) => (await rpz.start(env)).port;

  const haveDig = haveTools('dig transfer ACL', ['dig']);

  it.runIf(haveDig)(
    'are refused to a client outside DNS_TRANSFER_ALLOW, lookups still answered',
    async () => {
      const port = await start({ DNS_TRANSFER_ALLOW: '192.0.2.0/24,2001:db8::/32' });
      const out = await dig(port, 'AXFR');
      expect(out).toMatch(/Transfer failed/);
      expect(out).not.toMatch(/onlytoppc24/);
      const axfr = await tcpTransfer(port, query('rpz.scamnet', 'AXFR'));
      expect(rcodeOf(axfr.packets[0])).toBe('REFUSED');
      expect(axfr.answers).toEqual([]);
      const soa = dnsPacket.decode(await udpQuery(port, query('rpz.scamnet', 'SOA')));
      expect(rcodeOf(soa)).toBe('NOERROR');
      expect(rpz.server?.transfers).toEqual([]);
    },
  );

  it.runIf(haveDig)('are refused to everyone with DNS_TRANSFER_ALLOW=none', async () => {
    const port = await start({ DNS_TRANSFER_ALLOW: 'none' });
    expect(await dig(port, 'AXFR')).toMatch(/Transfer failed/);
  });

  it.runIf(haveDig)('are served to loopback by default', async () => {
    const port = await start({});
    const out = await dig(port, 'AXFR');
    expect(out).not.toMatch(/Transfer failed/);
    expect(out).toMatch(/onlytoppc24\.com\.rpz\.scamnet\.\s+\d+\s+IN\s+CNAME/);
  });

  it('DNS_TRANSFER_ALLOW takes addresses and CIDR blocks, and refuses anything else', () => {
    expect(
      loadConfig({ DNS_TRANSFER_ALLOW: '10.0.0.1, 10.1.0.0/16,::1,fd00::/8' }).dns.transferAllow,
    ).toEqual([
      { address: '10.0.0.1', prefix: 32, family: 'ipv4' },
      { address: '10.1.0.0', prefix: 16, family: 'ipv4' },
      { address: '::1', prefix: 128, family: 'ipv6' },
      { address: 'fd00::', prefix: 8, family: 'ipv6' },
    ]);
    for (const bad of ['any', '10.0.0.0/33', 'example.org', '10.0.0.0/8/1', '10.0.0.0/']) {
      expect(() => loadConfig({ DNS_TRANSFER_ALLOW: bad }), bad).toThrow(/DNS_TRANSFER_ALLOW/);
    }
  });
});

/**
 * Reads length-prefixed messages (DNS over TCP: a 2-byte length, then the message) from `client`,
 * each to `onMessage`; resolves once `count` have come.
 */
function readFrames(
  client: Socket,
  count: number,
  onMessage: (message: Buffer) => void,
): Promise<void> {
  let pending = Buffer.alloc(0);
  let read = 0;
  return new Promise<void>((resolve) => {
    client.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const length = pending.readUInt16BE(0);
        onMessage(pending.subarray(2, 2 + length));
        pending = pending.subarray(2 + length);
        read += 1;
        if (read === count) resolve();
      }
    });
  });
}

describe('one TCP connection', () => {
  let server: Server | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    sockets.length = 0;
    const closing = server;
    server = undefined;
    if (closing !== undefined) await new Promise((resolve) => closing.close(resolve));
  });

  /** A loopback server whose one connection is served with `answer`; its state and the client. */
  async function connection(answer: (message: Buffer) => Promise<Iterable<Buffer>>): Promise<{
    state: () => TcpConnectionState | undefined;
    served: () => Socket | undefined;
    client: Socket;
  }> {
    let state: TcpConnectionState | undefined;
    let served: Socket | undefined;
    const listening = createServer((socket) => {
      sockets.push(socket);
      served = socket;
      state = serveTcpConnection(socket, answer, {
        idleMs: 60_000,
        maxConnectionMs: 60_000,
        onError: () => undefined,
      });
    });
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    const address = listening.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const client = connect({ host: '127.0.0.1', port });
    sockets.push(client);
    await new Promise((resolve) => client.once('connect', resolve));
    return { state: () => state, served: () => served, client };
  }

  const framed = (body: Buffer): Buffer => {
    const frame = Buffer.alloc(2);
    frame.writeUInt16BE(body.length);
    return Buffer.concat([frame, body]);
  };

  it('makes each message of a long answer only as the client reads', async () => {
    const MESSAGES = 2000;
    const SIZE = 16_000;
    let made = 0;
    function* transfer(): Generator<Buffer> {
      for (let i = 0; i < MESSAGES; i += 1) {
        made += 1;
        yield Buffer.alloc(SIZE, i % 256);
      }
    }
    const { client, served } = await connection(async () => transfer());
    client.pause();
    client.write(framed(Buffer.from('axfr')));
    // Once the socket's own buffer is full, the server waits for the client.
    await expect.poll(() => served()?.writableNeedDrain === true, { timeout: 20_000 }).toBe(true);
    const madeWhileStalled = made;
    expect(madeWhileStalled).toBeLessThan(MESSAGES / 2);
    // The client reads: the rest follows, whole and in order.
    let received = 0;
    const done = readFrames(client, MESSAGES, (message) => {
      expect(message.length).toBe(SIZE);
      expect(message[0]).toBe(received % 256);
      received += 1;
    });
    client.resume();
    await done;
    expect(made).toBe(MESSAGES);
  }, 60_000);

  it(`reads at most ${TCP_MAX_OUTSTANDING} pipelined queries ahead of their answers`, async () => {
    const asked: string[] = [];
    let release: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { state, served, client } = await connection(async (message) => {
      asked.push(message.toString());
      await blocked;
      return [Buffer.from(`answer ${message.toString()}`)];
    });
    const QUERIES = 200;
    client.write(
      Buffer.concat(Array.from({ length: QUERIES }, (_, i) => framed(Buffer.from(`q${i}`)))),
    );
    await expect.poll(() => state()?.outstanding).toBe(TCP_MAX_OUTSTANDING);
    expect(asked).toEqual(['q0']);
    expect(served()?.isPaused()).toBe(true);

    const answers: string[] = [];
    const done = readFrames(client, QUERIES, (message) => answers.push(message.toString()));
    release();
    await done;
    expect(answers).toEqual(Array.from({ length: QUERIES }, (_, i) => `answer q${i}`));
    expect(state()?.outstanding).toBe(0);
  });
});
