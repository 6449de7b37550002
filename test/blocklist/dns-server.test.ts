import { execFile } from 'node:child_process';
import * as dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { proposeEntry, transitionEntry } from '../../src/blocklist/index.js';

import { FakeClock } from '../../src/shared/clock.js';
import { query, rcodeOf, serialOf, tcpTransfer, udpQuery } from './dns-client.js';
import { admin, block, useRpzServer } from './entries.js';
import { haveTools } from './tools.js';

const KEY_SECRET = Buffer.from('scamnet-test-tsig-secret-0123456789').toString('base64');

describe('RPZ DNS server (SOA, AXFR, IXFR, NOTIFY, TSIG) on loopback', () => {
  const rpz = useRpzServer(['onlytoppc24.com', 'sharefunpc24.com']);
  // TSIG signs with real time (dig checks it), so the fake clock starts at the real now.
  const start = (env: Record<string, string> = {}) => rpz.start(env, new FakeClock(Date.now()));

  it('answers SOA over UDP and TCP, policy CNAMEs for blocked names, and refuses other zones', async () => {
    const { port } = await start();
    const soa = dnsPacket.decode(await udpQuery(port, query('rpz.scamnet', 'SOA')));
    expect(soa.flag_aa).toBe(true);
    expect(serialOf(soa.answers?.[0])).toBe(rpz.server?.serial);
    const tcp = await tcpTransfer(port, query('rpz.scamnet', 'SOA'));
    expect(serialOf(tcp.answers[0])).toBe(rpz.server?.serial);

    const hit = dnsPacket.decode(
      await udpQuery(port, query('www.onlytoppc24.com.rpz.scamnet', 'A')),
    );
    expect(hit.answers?.[0]).toMatchObject({ type: 'CNAME', data: '.' });
    const wildcardOwner = dnsPacket.decode(
      await udpQuery(port, query('*.onlytoppc24.com.rpz.scamnet', 'A')),
    );
    expect(wildcardOwner.answers?.[0]).toMatchObject({ type: 'CNAME' });
    const miss = dnsPacket.decode(await udpQuery(port, query('example.org.rpz.scamnet', 'A')));
    expect(rcodeOf(miss)).toBe('NXDOMAIN');
    const other = dnsPacket.decode(await udpQuery(port, query('example.org', 'SOA')));
    expect(rcodeOf(other)).toBe('REFUSED');
    // AXFR over UDP is a format error (BIND answers FORMERR; RFC 5936 §4.2 requires TCP).
    const udpAxfr = dnsPacket.decode(await udpQuery(port, query('rpz.scamnet', 'AXFR')));
    expect(rcodeOf(udpAxfr)).toBe('FORMERR');
  });

  it('answers NOERROR/NODATA for empty non-terminals and NXDOMAIN below them (RFC 8020, RFC 4592)', async () => {
    const { c, port } = await start();
    await block(c, 'shop.example.com');
    await block(c, 'a.b.example.net');
    await rpz.server?.refresh({ notify: false });
    const ask = async (name: string): Promise<dnsPacket.DecodedPacket> =>
      dnsPacket.decode(await udpQuery(port, query(`${name}.rpz.scamnet`, 'A')));
    // `com` and `example.com` exist (they have `shop.example.com` below them) but hold no data.
    for (const name of ['com', 'example.com', 'net', 'example.net', 'b.example.net']) {
      const nodata = await ask(name);
      expect(rcodeOf(nodata), name).toBe('NOERROR');
      expect(nodata.answers, name).toEqual([]);
      expect(nodata.authorities?.[0], name).toMatchObject({ type: 'SOA', ttl: 60 });
    }
    // Below an empty non-terminal with no `*` child nothing exists.
    for (const name of ['www.example.com', 'x.com', 'c.b.example.net', 'x.example.net']) {
      expect(rcodeOf(await ask(name)), name).toBe('NXDOMAIN');
    }
    // A wildcard covers the names below its blocked domain.
    expect((await ask('x.a.b.example.net')).answers?.[0]).toMatchObject({ type: 'CNAME' });
    expect((await ask('x.shop.example.com')).answers?.[0]).toMatchObject({ type: 'CNAME' });
    // Blocking the ancestor: the nested entry is covered by its wildcard, so the names between
    // them are no longer empty non-terminals that escape the block.
    await block(c, 'example.net');
    await rpz.server?.refresh({ notify: false });
    for (const name of ['b.example.net', 'c.b.example.net', 'x.example.net', 'a.b.example.net']) {
      expect((await ask(name)).answers?.[0], name).toMatchObject({ type: 'CNAME', data: '.' });
    }
  });

  it('AXFR sends SOA, NS, each domain and its wildcard, SOA (RFC 5936)', async () => {
    const { port } = await start();
    const { answers } = await tcpTransfer(port, query('rpz.scamnet', 'AXFR'));
    const lines = answers.map((a) =>
      a.type === 'CNAME' ? `${a.name} CNAME ${a.data}` : `${a.name} ${a.type}`,
    );
    expect(lines).toEqual([
      'rpz.scamnet SOA',
      'rpz.scamnet NS',
      'onlytoppc24.com.rpz.scamnet CNAME .',
      '*.onlytoppc24.com.rpz.scamnet CNAME .',
      'sharefunpc24.com.rpz.scamnet CNAME .',
      '*.sharefunpc24.com.rpz.scamnet CNAME .',
      'rpz.scamnet SOA',
    ]);
  });

  it('AXFR of a zone larger than one message spans several messages, each with the records in order', async () => {
    const { c, port } = await start();
    for (let i = 0; i < 400; i += 1) await block(c, `bulk-${String(i).padStart(3, '0')}.com.tw`);
    await rpz.server?.refresh({ notify: false });
    const { messages, answers } = await tcpTransfer(port, query('rpz.scamnet', 'AXFR'));
    expect(messages.length).toBeGreaterThan(1);
    expect(answers.filter((a) => a.type === 'CNAME')).toHaveLength(2 * 402);
    expect(serialOf(answers.at(-1))).toBe(rpz.server?.serial);
  });

  it('IXFR: the condensed difference from a journalled serial, SOA only when up to date, AXFR form for an unknown serial (RFC 1995)', async () => {
    const { c, port } = await start();
    const s1 = rpz.server?.serial ?? 0;
    const lifted = await proposeEntry(c.deps, admin, { domain: 'lift-me.com.tw' });
    await transitionEntry(c.deps, admin, lifted.id, 'lift', 'withdrawn');
    const entries = await c.deps.db
      .selectFrom('blocklist_entries')
      .select(['id', 'domain'])
      .execute();
    const first = entries.find((e) => e.domain === 'onlytoppc24.com');
    c.clock.advance(1000);
    await transitionEntry(c.deps, admin, first?.id ?? '', 'lift', 'court revoked');
    await block(c, 'new-scam.com.tw');
    expect(await rpz.server?.refresh({ notify: false })).toBe(true);
    const s2 = rpz.server?.serial ?? 0;
    expect(s2).toBeGreaterThan(s1);

    const { answers } = await tcpTransfer(port, query('rpz.scamnet', 'IXFR', s1));
    const lines = answers.map((a) => (a.type === 'SOA' ? `SOA ${serialOf(a)}` : `${a.name}`));
    expect(lines).toEqual([
      `SOA ${s2}`,
      `SOA ${s1}`,
      'onlytoppc24.com.rpz.scamnet',
      '*.onlytoppc24.com.rpz.scamnet',
      `SOA ${s2}`,
      'new-scam.com.tw.rpz.scamnet',
      '*.new-scam.com.tw.rpz.scamnet',
      `SOA ${s2}`,
    ]);

    const upToDate = await tcpTransfer(port, query('rpz.scamnet', 'IXFR', s2));
    expect(upToDate.answers.map(serialOf)).toEqual([s2]);
    const unknown = await tcpTransfer(port, query('rpz.scamnet', 'IXFR', 17));
    expect(unknown.answers[1]?.type).toBe('NS');
    expect(unknown.answers.filter((a) => a.type === 'CNAME')).toHaveLength(4);
    const overUdp = dnsPacket.decode(await udpQuery(port, query('rpz.scamnet', 'IXFR', s1)));
    expect(overUdp.answers?.map(serialOf)).toEqual([s2]);
  });

  it('with a TSIG key, refuses unsigned transfers and rejects a wrong signature', async () => {
    const { port } = await start({ DNS_TSIG_KEY: `xfr-key:${KEY_SECRET}` });
    const unsigned = await tcpTransfer(port, query('rpz.scamnet', 'AXFR'));
    expect(rcodeOf(unsigned.packets[0])).toBe('REFUSED');
    const wrongKey = {
      name: 'xfr-key',
      algorithm: 'hmac-sha256' as const,
      secret: Buffer.from('another-secret-of-enough-length'),
    };
    const { signMessage } = await import('../../src/dns/index.js');
    const forged = signMessage(query('rpz.scamnet', 'AXFR'), wrongKey, {
      time: Math.floor(Date.now() / 1000),
    }).message;
    const bad = await tcpTransfer(port, forged);
    expect(rcodeOf(bad.packets[0])).toBe('NOTAUTH');
  });

  const dig = haveTools('dig TSIG interop', ['dig']);
  it.runIf(dig)('dig verifies our TSIG-signed multi-message AXFR and SOA answers', async () => {
    const { c, port } = await start({ DNS_TSIG_KEY: `xfr-key:${KEY_SECRET}` });
    for (let i = 0; i < 300; i += 1) await block(c, `signed-${i}.com.tw`);
    await rpz.server?.refresh({ notify: false });
    // dig runs as a child process: this process is the server and must keep answering.
    const out = await runAsync(`hmac-sha256:xfr-key:${KEY_SECRET}`, port, 'AXFR');
    expect(out).not.toMatch(/verify|failure|BADSIG|BADKEY|BADTIME|Transfer failed/i);
    expect(out).toMatch(/XFR size: 607 records \(messages [2-9]/);
    const wrong = await runAsync(
      `hmac-sha256:xfr-key:${Buffer.from('x'.repeat(32)).toString('base64')}`,
      port,
      'AXFR',
    );
    expect(wrong).toMatch(/BADSIG|NOTAUTH|failed/i);
  });
});

/** Runs dig in a child process without blocking this process's event loop (it is the server). */
async function runAsync(key: string, port: number, type: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      'dig',
      [
        '+tcp',
        '+time=5',
        '+tries=1',
        '-y',
        key,
        '-p',
        String(port),
        '@127.0.0.1',
        'rpz.scamnet',
        type,
      ],
      (_error, stdout, stderr) => resolve(stdout + stderr),
    );
  });
}
