/**
 * Capture against loopback HTTP servers this test starts (nothing else is contacted): redirect
 * chains, short links, huge and slow bodies, and every SSRF refusal the issue lists. Host names
 * are answered by an injected resolver, never by DNS.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAddress } from '../../src/evidence/address-policy.js';
import {
  captureUrl,
  extractTitle,
  type CaptureOptions,
  type Resolver,
} from '../../src/evidence/capture.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function listen(handler: Handler): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, port };
}

const PAGE = Buffer.from(
  '<!doctype html><html><head><meta charset="utf-8"><title> 投資 &amp; 飆股\n 群組 </title></head>' +
    '<body>加 LINE 領取飆股</body></html>',
);
const BIG = Buffer.alloc(3 * 1024 * 1024, 0x61);

describe('captureUrl', () => {
  let server: Server;
  let port = 0;
  /** The same pages on the IPv6 loopback address. */
  let server6: Server;
  let port6 = 0;
  const seen: string[] = [];
  let base: CaptureOptions;
  /** Names the injected resolver answers with loopback. */
  const names: Record<string, string[]> = {};
  const resolverCalls: string[] = [];
  const resolver: Resolver = async (hostname) => {
    resolverCalls.push(hostname);
    const addresses = names[hostname];
    if (addresses === undefined) {
      throw Object.assign(new Error(`queryA ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    }
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

  beforeAll(async () => {
    ({ server, port } = await listen((req, res) => {
      seen.push(`${req.headers.host} ${req.url}`);
      const go = (status: number, location: string) => {
        res.writeHead(status, { location });
        res.end();
      };
      switch (req.url) {
        case '/a':
          return go(302, '/b');
        case '/b':
          return go(301, `http://127.0.0.1:${port}/page`);
        case '/page':
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'x-served-by': 'test' });
          return res.end(PAGE);
        case '/short':
          return go(301, `http://target.example:${port}/page`);
        case '/big':
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          return res.end(BIG);
        case '/slow':
          res.writeHead(200, { 'content-type': 'text/html' });
          res.write('<html>');
          return; // never ends
        case '/to-private':
          return go(302, 'http://10.0.0.1/admin');
        case '/to-metadata':
          return go(302, 'http://169.254.169.254/latest/meta-data/');
        case '/to-mapped':
          return go(302, `http://[::ffff:127.0.0.1]:${port}/page`);
        case '/to-compatible':
          return go(302, `http://[::7f00:1]:${port}/page`);
        case '/to-compatible-metadata':
          return go(302, 'http://[::a9fe:a9fe]/latest/meta-data/');
        case '/to-ipv6-loopback':
          return go(302, `http://[::1]:${port6}/page`);
        case '/loop':
          return go(302, '/loop');
        case '/to-file':
          return go(302, 'file:///etc/passwd');
        case '/gone':
          res.writeHead(404, { 'content-type': 'text/html' });
          return res.end('<title>Not found</title>');
        default:
          res.writeHead(500);
          return res.end();
      }
    }));
    server6 = createServer((req, res) => {
      seen.push(`[::1] ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    });
    await new Promise<void>((resolve) => server6.listen(0, '::1', resolve));
    ({ port: port6 } = server6.address() as AddressInfo);
    names['short.example'] = ['127.0.0.1'];
    names['target.example'] = ['127.0.0.1'];
    names['evil.example'] = ['127.0.0.1'];
    names['mixed.example'] = ['127.0.0.1', '192.168.1.10'];
    // IPv4-compatible, IPv4-mapped, NAT64, 6to4 and Teredo forms of loopback and metadata.
    names['compat-loopback.example'] = ['::7f00:1'];
    names['compat-metadata.example'] = ['::a9fe:a9fe'];
    names['mapped-metadata.example'] = ['::ffff:a9fe:a9fe'];
    names['nat64-loopback.example'] = ['64:ff9b::7f00:1'];
    names['6to4-private.example'] = ['2002:a00:1::1'];
    names['teredo-loopback.example'] = ['2001:0:4136:e378:8000:63bf:80ff:fffe'];
    base = {
      allowLoopback: true,
      allowedPorts: [80, 443, port, port6],
      maxRedirects: 5,
      maxBytes: 1024 * 1024,
      timeoutMs: 5_000,
      userAgent: 'scamnet-test',
      resolver,
      now: () => Date.parse('2026-11-29T02:00:00Z'),
    };
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    server6.closeAllConnections();
    await new Promise((resolve) => server6.close(resolve));
  });

  it('follows a redirect chain hop by hop, recording each hop and the final page', async () => {
    const result = await captureUrl(`http://127.0.0.1:${port}/a`, base);
    expect(result.outcome).toBe('fetched');
    expect(result.hops.map((h) => [h.url, h.status, h.location])).toEqual([
      [`http://127.0.0.1:${port}/a`, 302, '/b'],
      [`http://127.0.0.1:${port}/b`, 301, `http://127.0.0.1:${port}/page`],
      [`http://127.0.0.1:${port}/page`, 200, null],
    ]);
    expect(result.hops.every((h) => h.address === '127.0.0.1')).toBe(true);
    expect(result.hops[2]?.headers['x-served-by']).toBe('test');
    expect(result.hops[0]?.startedAt).toBe('2026-11-29T02:00:00.000Z');
    expect(result.finalUrl).toBe(`http://127.0.0.1:${port}/page`);
    expect(result.bodySha256).toBe(createHash('sha256').update(PAGE).digest('hex'));
    expect(result.body?.length).toBe(PAGE.length);
    expect(result.contentType).toBe('text/html; charset=utf-8');
    expect(result.title).toBe('投資 & 飆股 群組');
  });

  it('resolves a short link through names the resolver answers, connecting to the checked address', async () => {
    resolverCalls.length = 0;
    const result = await captureUrl(`http://short.example:${port}/short`, base);
    expect(result.outcome).toBe('fetched');
    expect(result.finalUrl).toBe(`http://target.example:${port}/page`);
    expect(resolverCalls).toEqual(['short.example', 'target.example']);
    expect(seen).toContain(`target.example:${port} /page`);
  });

  it('connects to the address it checked, whatever the name resolves to afterwards', async () => {
    // A rebinding zone: loopback (allowed here) at the check, a private address at any later query.
    let queries = 0;
    const rebinding: Resolver = async () => {
      queries += 1;
      const address = queries === 1 ? '127.0.0.1' : '10.0.0.1';
      return [{ address, family: 4 }];
    };
    const before = seen.length;
    const result = await captureUrl(`http://rebind.example:${port}/page`, {
      ...base,
      resolver: rebinding,
    });
    expect(result.outcome).toBe('fetched');
    expect(result.hops[0]?.address).toBe('127.0.0.1');
    expect(queries).toBe(1);
    expect(seen.slice(before)).toEqual([`rebind.example:${port} /page`]);
  });

  it('keeps at most maxBytes of a huge body and marks it truncated', async () => {
    const result = await captureUrl(`http://127.0.0.1:${port}/big`, base);
    expect(result.outcome).toBe('fetched');
    expect(result.bodyTruncated).toBe(true);
    expect(result.body?.length).toBe(1024 * 1024);
    expect(result.bodySha256).toBe(
      createHash('sha256')
        .update(BIG.subarray(0, 1024 * 1024))
        .digest('hex'),
    );
  });

  it('gives up on a response that never ends', async () => {
    const result = await captureUrl(`http://127.0.0.1:${port}/slow`, { ...base, timeoutMs: 300 });
    expect(result.outcome).toBe('failed');
    expect(result.error?.code).toBe('timeout');
  });

  it('refuses redirects to private, metadata and IPv4-mapped addresses without connecting', async () => {
    for (const [path, pattern] of [
      ['/to-private', /10\.0\.0\.1: IPv4 private/],
      ['/to-metadata', /cloud metadata/],
      ['/to-mapped', /IPv6 ipv4Mapped/],
    ] as const) {
      const result = await captureUrl(`http://127.0.0.1:${port}${path}`, base);
      expect(result.outcome, path).toBe('refused');
      expect(result.error?.code, path).toBe('blocked_address');
      expect(result.error?.message, path).toMatch(pattern);
      expect(result.hops, path).toHaveLength(2);
      expect(result.hops[1]?.address, path).toBeNull();
    }
  });

  it('refuses IPv4-compatible and other embedded forms of loopback and metadata on every hop', async () => {
    const before = seen.length;
    for (const [path, pattern] of [
      ['/to-compatible', /ipv4Compatible address embedding 127\.0\.0\.1: IPv4 loopback/],
      [
        '/to-compatible-metadata',
        /ipv4Compatible address embedding 169\.254\.169\.254: cloud metadata/,
      ],
    ] as const) {
      const result = await captureUrl(`http://127.0.0.1:${port}${path}`, base);
      expect(result.error?.code, path).toBe('blocked_address');
      expect(result.error?.message, path).toMatch(pattern);
      expect(result.hops[1]?.address, path).toBeNull();
    }
    expect(seen.slice(before)).toEqual([
      `127.0.0.1:${port} /to-compatible`,
      `127.0.0.1:${port} /to-compatible-metadata`,
    ]);
    for (const [name, pattern] of [
      ['compat-loopback.example', /embedding 127\.0\.0\.1: IPv4 loopback/],
      ['compat-metadata.example', /embedding 169\.254\.169\.254: cloud metadata/],
      ['mapped-metadata.example', /ipv4Mapped address embedding 169\.254\.169\.254/],
      ['nat64-loopback.example', /nat64 address embedding 127\.0\.0\.1/],
      ['6to4-private.example', /6to4 address embedding 10\.0\.0\.1: IPv4 private/],
      ['teredo-loopback.example', /teredo address embedding 127\.0\.0\.1/],
    ] as const) {
      const result = await captureUrl(`http://${name}:${port}/page`, base);
      expect(result.outcome, name).toBe('refused');
      expect(result.error?.message, name).toMatch(pattern);
    }
    expect(seen.length).toBe(before + 2);
  });

  it('treats an IPv6 literal like the address it is: [::1] as loopback', async () => {
    const literal = await captureUrl(`http://[::1]:${port6}/page`, base);
    expect(literal.outcome).toBe('fetched');
    expect(literal.hops[0]?.address).toBe('::1');
    expect(literal.title).toBe('投資 & 飆股 群組');
    const redirected = await captureUrl(`http://127.0.0.1:${port}/to-ipv6-loopback`, base);
    expect(redirected.outcome).toBe('fetched');
    expect(redirected.finalUrl).toBe(`http://[::1]:${port6}/page`);
    const before = seen.length;
    const refused = await captureUrl(`http://[::1]:${port6}/page`, {
      ...base,
      allowLoopback: false,
    });
    expect(refused.error?.code).toBe('blocked_address');
    expect(refused.error?.message).toMatch(/::1: IPv6 loopback/);
    expect(seen.slice(before)).toEqual([]);
  });

  it('refuses a name that resolves to loopback when the switch is off, sending nothing', async () => {
    const before = seen.length;
    const result = await captureUrl(`http://evil.example:${port}/page`, {
      ...base,
      allowLoopback: false,
    });
    expect(result.outcome).toBe('refused');
    expect(result.error?.message).toMatch(/evil\.example resolves to 127\.0\.0\.1: IPv4 loopback/);
    const literal = await captureUrl(`http://127.0.0.1:${port}/page`, {
      ...base,
      allowLoopback: false,
    });
    expect(literal.error?.code).toBe('blocked_address');
    expect(seen.length).toBe(before);
  });

  it('refuses a name when any of its addresses is private', async () => {
    const result = await captureUrl(`http://mixed.example:${port}/page`, base);
    expect(result.error?.message).toMatch(/192\.168\.1\.10/);
  });

  it('refuses other ports, schemes, credentials, local names and endless redirects', async () => {
    const cases: [string, Partial<CaptureOptions>, string][] = [
      [`http://127.0.0.1:${port}/page`, { allowedPorts: [80, 443] }, 'blocked_port'],
      [`http://127.0.0.1:${port}/to-file`, {}, 'unsupported_scheme'],
      [`ftp://127.0.0.1/x`, {}, 'unsupported_scheme'],
      [`http://user:pw@127.0.0.1:${port}/page`, {}, 'credentials_in_url'],
      [`http://localhost:${port}/page`, {}, 'blocked_host'],
      [`http://metadata.google.internal/`, {}, 'blocked_host'],
      [`http://127.0.0.1:${port}/loop`, {}, 'too_many_redirects'],
      ['not a url', {}, 'invalid_url'],
      [`http://nowhere.example:${port}/`, {}, 'dns_nxdomain'],
    ];
    for (const [url, options, code] of cases) {
      const result = await captureUrl(url, { ...base, ...options });
      expect(result.error?.code, url).toBe(code);
    }
    const loop = await captureUrl(`http://127.0.0.1:${port}/loop`, base);
    expect(loop.hops).toHaveLength(6);
  });

  it('records a 404 as a fetched final response', async () => {
    const result = await captureUrl(`http://127.0.0.1:${port}/gone`, base);
    expect(result.outcome).toBe('fetched');
    expect(result.status).toBe(404);
    expect(result.title).toBe('Not found');
  });
});

describe('checkAddress', () => {
  it('lets only global unicast through, and loopback only when switched on', () => {
    const refused = [
      '127.0.0.1',
      '127.8.8.8',
      '::1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.0.1',
      '169.254.169.254',
      '169.254.1.1',
      '100.64.0.1',
      '100.100.100.200',
      '224.0.0.1',
      'ff02::1',
      '0.0.0.0',
      '::',
      '255.255.255.255',
      'fe80::1',
      'fc00::1',
      'fd00:ec2::254',
      '::ffff:127.0.0.1',
      '::7f00:1',
      '::a9fe:a9fe',
      '64:ff9b::a00:1',
      '2002:a00:1::',
      '2002:808:808::1',
      '2001:0:808:808::f7f7:f7f7',
      '192.0.2.1',
      '198.18.0.1',
    ];
    for (const address of refused) {
      expect(checkAddress(address, { allowLoopback: false }).allowed, address).toBe(false);
    }
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '2001:4860:4860::8888',
      '203.74.205.1',
      '64:ff9b::808:808',
    ]) {
      expect(checkAddress(address, { allowLoopback: false }).allowed, address).toBe(true);
    }
    // An IPv4-mapped public address is that IPv4 address.
    expect(checkAddress('::ffff:8.8.8.8', { allowLoopback: false })).toEqual({
      allowed: true,
      address: '8.8.8.8',
    });
    expect(checkAddress('127.0.0.1', { allowLoopback: true }).allowed).toBe(true);
    expect(checkAddress('::1', { allowLoopback: true }).allowed).toBe(true);
    expect(checkAddress('[::1]', { allowLoopback: true }).allowed).toBe(true);
    expect(checkAddress('[::1]', { allowLoopback: false }).allowed).toBe(false);
    expect(checkAddress('::7f00:1', { allowLoopback: true }).allowed).toBe(false);
    expect(checkAddress('10.0.0.1', { allowLoopback: true }).allowed).toBe(false);
    expect(checkAddress('::ffff:127.0.0.1', { allowLoopback: true }).allowed).toBe(false);
  });
});

describe('extractTitle', () => {
  it('decodes Big5 pages and ignores non-HTML', () => {
    const big5 = Buffer.from([
      ...Buffer.from('<html><head><meta charset="big5"><title>'),
      0xa4,
      0xa4,
      0xa4,
      0xe5, // 中文 in Big5
      ...Buffer.from('</title>'),
    ]);
    expect(extractTitle(big5, 'text/html')).toBe('中文');
    expect(extractTitle(Buffer.from('<title>x</title>'), 'image/png')).toBeNull();
    expect(extractTitle(Buffer.from('<p>no title</p>'), 'text/html')).toBeNull();
  });

  it('reads the first title of a page, and finishes on a megabyte of unclosed title tags', () => {
    expect(
      extractTitle(Buffer.from('<TITLE lang="zh">A &amp; B</title ><title>C</title>'), 'text/html'),
    ).toBe('A & B');
    // A lazy `<title>(.*?)</title>` retried from every tag took minutes on this.
    expect(extractTitle(Buffer.from('<title'.repeat(170_000)), 'text/html')).toBeNull();
    expect(extractTitle(Buffer.from('<title>'.repeat(150_000)), 'text/html')).toBeNull();
  });
});
