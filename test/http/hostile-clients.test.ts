import { statSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, testDialects, type TestContext, useTestApp } from '../harness.js';
import { postReport, submitReportViaApi } from '../factories.js';

import type { ScamnetApp } from '../../src/app/index.js';
import { integrateLog } from '../../src/log/index.js';
type Ctx = TestContext & { app: ScamnetApp };

/** Sends `payload` on a raw TCP connection and resolves with everything read until close. */
function rawExchange(port: number, payload: string, waitMs = 5000): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(payload));
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(out);
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (chunk) => (out += chunk.toString('latin1')));
    socket.on('close', done);
    socket.on('error', done);
  });
}

function statusOf(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
}

function bodyOf(response: string): unknown {
  const at = response.indexOf('\r\n\r\n');
  return JSON.parse(response.slice(at + 4));
}

describe('protocol-level refusals answer in the API error shape, never echoing the request', () => {
  let ctx: Ctx;
  let port: number;
  beforeAll(async () => {
    ctx = await buildTestApp('sqlite');
    await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const address = ctx.app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(async () => ctx.close());

  const marker = 'zzmarkerzz';
  const cases: ReadonlyArray<[string, string, number, string]> = [
    [
      'bad chunked encoding',
      `POST /api/v1/reports?${marker} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      400,
      'malformed_request',
    ],
    [
      'two Content-Length headers',
      `POST /api/v1/reports?${marker} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
      400,
      'malformed_request',
    ],
    [
      'a header section over the limit',
      `GET /api/v1/cases/trending?${marker} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'headers_too_large',
    ],
    [
      'a path parameter over 512 characters',
      `GET /api/v1/cases/${marker}${'a'.repeat(600)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      414,
      'path_parameter_too_long',
    ],
  ];
  it.each(cases)('%s', async (_name, payload, status, code) => {
    const response = await rawExchange(port, payload);
    expect(statusOf(response)).toBe(status);
    expect(response.toLowerCase()).toContain('content-type: application/json');
    expect(bodyOf(response)).toEqual({ error: { code, message: expect.any(String) } });
    expect(response).not.toContain(marker);
  });

  it('refuses a multipart report declaring more than any valid form before reading its body', async () => {
    const response = await rawExchange(
      port,
      'POST /api/v1/reports HTTP/1.1\r\nHost: x\r\n' +
        'Content-Type: multipart/form-data; boundary=xx\r\nContent-Length: 1000000000\r\n\r\n--xx\r\n',
    );
    expect(statusOf(response)).toBe(413);
    expect(bodyOf(response)).toMatchObject({ error: { code: 'body_too_large' } });
  });
});

describe('credentials and the Host header on public routes', () => {
  const ctx = useTestApp('sqlite', { env: { PUBLIC_BASE_URL: 'https://scamnet.test' } });

  it.each(['Bearer not-a-token', 'Bearer snk_unknownkey0000000000', 'Basic dXNlcjpwYXNz'])(
    'a wrong credential (%s) on a public route is 401, not anonymous',
    async (authorization) => {
      const anonymous = await ctx.app.inject({ method: 'GET', url: '/api/v1/cases/trending' });
      expect(anonymous.statusCode).toBe(200);
      const res = await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/cases/trending',
        headers: { authorization },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    },
  );

  it('the Atom feed links to PUBLIC_BASE_URL whatever Host the client sends', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/bulletins/feed.atom',
      headers: { host: 'evil.example' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('https://scamnet.test');
    expect(res.body).not.toContain('evil.example');
  });
});

describe.each(testDialects())('log routes with indexes past the store range (%s)', (dialect) => {
  let ctx: Ctx;
  beforeAll(async () => {
    ctx = await buildTestApp(dialect);
    await submitReportViaApi(ctx.app, { url: 'https://scam-shop.example/buy', text: 'fake shop' });
    // The report's events become leaves when the sequencer has run (its merge delay).
    await integrateLog(ctx.deps);
  });
  afterAll(async () => ctx.close());

  it.each([
    ['/api/v1/log/entries?start=99999999999999&end=99999999999999', 200],
    ['/api/v1/log/entries?start=0&end=99999999999999', 200],
    ['/api/v1/log/proof/inclusion?leaf=99999999999999', 404],
    ['/api/v1/log/proof/inclusion?event=99999999999999', 404],
    ['/api/v1/log/proof/inclusion?leaf=2147483648', 404],
  ])('%s answers %i, not 500', async (url, status) => {
    const res = await ctx.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(status);
  });

  it('start=0 with a huge end still lists the leaves that exist', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/log/entries?start=0&end=99999999999999',
    });
    expect(res.json<{ entries: unknown[] }>().entries.length).toBeGreaterThan(0);
  });
});

describe('SQLite files', () => {
  it('the database and its WAL files are readable by their owner only', async () => {
    const ctx = await buildTestApp('sqlite');
    try {
      await postReport(ctx.app, { url: 'https://scam-shop.example/x' });
      const file = ctx.config.store.dialect === 'sqlite' ? ctx.config.store.path : '';
      for (const name of [file, `${file}-wal`, `${file}-shm`]) {
        expect((statSync(name).mode & 0o777).toString(8), name).toBe('600');
      }
    } finally {
      await ctx.close();
    }
  });
});
