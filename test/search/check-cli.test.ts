/**
 * `scamnet check --private` end to end against the real server (listening on 127.0.0.1:0) on both
 * stores, through a loopback proxy that records every request: the verdict equals the public
 * lookup's for warn-worthy matches, the lists are updated incrementally and repaired on a
 * checksum mismatch, and the server never receives the link, number or LINE ID checked.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listChecksum, prefixBytes, publishHashLists } from '../../src/search/index.js';
import { scamnet } from '../cli.js';
import { submitReportViaApi, decideCaseViaApi } from '../factories.js';
import { buildTestApp, testDialects } from '../harness.js';

type Ctx = Awaited<ReturnType<typeof buildTestApp>>;

/** A loopback HTTP proxy to `target` that records each request's method and URL. */
async function recordingProxy(
  target: number,
): Promise<{ server: Server; port: number; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((incoming, outgoing) => {
    let body = '';
    incoming.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    incoming.on('end', () => {
      seen.push(`${incoming.method ?? ''} ${incoming.url ?? ''}${body === '' ? '' : ` ${body}`}`);
      const forward = request(
        {
          host: '127.0.0.1',
          port: target,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        },
      );
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

interface PrivateOutput {
  mode: 'private';
  verdict: { outcome: string; status: string | null; label: unknown; colour: string | null };
  matches: Array<{ kind: string; input: string; status: string }>;
  lists: Array<{ name: string; version: number; update: string; checksumMismatch: boolean }>;
  prefixesSent: number;
}

describe.each(testDialects())('scamnet check --private against the server on %s', (dialect) => {
  let ctx: Ctx;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let lists: string;
  beforeAll(async () => {
    ctx = await buildTestApp(dialect, { env: { NEAR_DUPLICATE_MERGE: 'false' } });
    await ctx.app.listen({ host: '127.0.0.1', port: 0 });
    const address = ctx.app.server.address() as AddressInfo;
    proxy = await recordingProxy(address.port);
    lists = mkdtempSync(path.join(tmpdir(), 'scamnet-lists-'));
    const decide = (caseId: string, verdict: string) => decideCaseViaApi(ctx.app, caseId, verdict);
    const site = await submitReportViaApi(ctx.app, {
      url: 'https://shop.cli-scam.com.tw/pay?id=9',
      platform: 'website',
    });
    await decide(site.case.id, 'fraud');
    const contact = await submitReportViaApi(ctx.app, {
      text: '投資飆股 加LINE: hxcli01 或致電 0912-000-501 保證獲利',
    });
    await decide(contact.case.id, 'fraud');
    const risky = await submitReportViaApi(ctx.app, { text: '高報酬群組 加LINE: hxcli02 快加入' });
    await decide(risky.case.id, 'high_risk');
    await submitReportViaApi(ctx.app, { text: '這個帳號 加LINE: hxcli03 是誰' });
  });
  afterAll(async () => {
    await new Promise((resolve) => proxy?.server.close(resolve));
    await ctx?.close();
    if (lists !== undefined) rmSync(lists, { recursive: true, force: true });
  });

  const server = () => `http://127.0.0.1:${proxy.port}`;
  const check = async (query: string): Promise<PrivateOutput> => {
    const run = await scamnet([
      'check',
      '--private',
      '--server',
      server(),
      '--lists',
      lists,
      query,
    ]);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as PrivateOutput;
  };
  const lookup = async (query: string) => {
    const param = /^https?:\/\//.test(query) ? 'url' : 'q';
    const res = await ctx.app.inject({
      url: `/api/v1/lookup?${param}=${encodeURIComponent(query)}`,
    });
    expect(res.statusCode).toBe(200);
    const { outcome, status, label, colour } = res.json().verdict;
    return { outcome, status, label, colour };
  };

  it.each([
    'https://shop.cli-scam.com.tw/pay?id=9',
    'https://cli-scam.com.tw/another/page',
    '0912-000-501',
    '@hxcli01',
    'hxcli02',
    '有人叫我加LINE hxcli02 還給了網址 https://shop.cli-scam.com.tw/pay?id=9',
    'https://clean-cli.example.com.tw/',
  ])('prints the verdict the public lookup gives for %s, sending only prefixes', async (query) => {
    const before = proxy.seen.length;
    const result = await check(query);
    expect(result.verdict).toEqual(await lookup(query));
    // Every query but the clean link finds a warn-worthy case.
    expect(result.verdict.colour === null).toBe(query.includes('clean-cli'));
    const sent = proxy.seen.slice(before);
    for (const line of sent) {
      expect(line).toMatch(
        /^GET \/api\/v1\/(hash-lists\/(urls|indicators)(\?version=\d+)?|hashes\/search\?prefixes=[A-Za-z0-9_-]{6}(,[A-Za-z0-9_-]{6})*)$/,
      );
    }
    // Only on a hit in the copy does a search go out (a clean link: list updates only).
    expect(sent.filter((l) => l.includes('hashes/search')).length).toBe(
      result.prefixesSent > 0 ? 1 : 0,
    );
    expect(result.prefixesSent > 0).toBe(!query.includes('clean-cli'));
  });

  it('never sent the server a link, number or LINE ID it checked', () => {
    const all = proxy.seen.join('\n');
    expect(proxy.seen.length).toBeGreaterThan(7);
    for (const secret of ['cli-scam', 'clean-cli', '912000501', '0912', 'hxcli', 'pay', '%']) {
      expect(all).not.toContain(secret);
    }
  });

  it('does not warn about a case still being checked (the public lookup shows it as processing)', async () => {
    const result = await check('hxcli03');
    expect(result.verdict).toEqual({
      outcome: 'no_record',
      status: null,
      label: null,
      colour: null,
    });
    expect((await lookup('hxcli03')).status).toBe('processing');
  });

  it('updates its copy incrementally and fetches the whole list when the checksum does not match', async () => {
    const first = await check('0912-000-501');
    const indicators = first.lists.find((l) => l.name === 'indicators');
    // Current when the tests above left a copy, whole when this test runs alone.
    expect(['current', 'full']).toContain(indicators?.update);

    const later = await submitReportViaApi(ctx.app, { text: '中獎通知 請加LINE: hxcli04 領取' });
    await decideCaseViaApi(ctx.app, later.case.id);
    ctx.clock.advance(61_000);
    await publishHashLists(ctx.deps);
    const before = proxy.seen.length;
    const updated = await check('hxcli04');
    expect(updated.verdict.status).toBe('fraud_confirmed');
    expect(updated.lists.find((l) => l.name === 'indicators')).toMatchObject({
      update: 'partial',
      version: (indicators?.version ?? 0) + 1,
      checksumMismatch: false,
    });
    expect(proxy.seen.slice(before)).toContain(
      `GET /api/v1/hash-lists/indicators?version=${indicators?.version ?? 0}`,
    );
    // The copy after the update is the whole list as the server sends it now.
    const whole = (await ctx.app.inject({ url: '/api/v1/hash-lists/indicators' })).json();
    expect(JSON.parse(readFileSync(path.join(lists, 'indicators.json'), 'utf8'))).toMatchObject({
      version: whole.version,
      checksum: whole.checksum,
      prefixes: whole.additions,
    });

    // A copy that claims the previous version but holds other prefixes (its own checksum fits).
    const file = path.join(lists, 'indicators.json');
    const wrong = Uint32Array.from([1, 2, 3]);
    const copy = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(
      file,
      JSON.stringify({
        ...copy,
        version: copy.version - 1,
        checksum: listChecksum(wrong),
        prefixes: prefixBytes(wrong).toString('base64'),
      }),
    );
    const repaired = await check('hxcli04');
    expect(repaired.lists.find((l) => l.name === 'indicators')).toMatchObject({
      update: 'full',
      checksumMismatch: true,
      version: copy.version,
    });
    expect(repaired.verdict.status).toBe('fraud_confirmed');
    expect(JSON.parse(readFileSync(file, 'utf8')).prefixes).toBe(copy.prefixes);
  });

  it('answers like the lookup without --private, and refuses a bad server', async () => {
    const run = await scamnet(['check', '--server', server(), '0912-000-501']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout).verdict).toMatchObject(await lookup('0912-000-501'));
    const down = await scamnet([
      'check',
      '--private',
      '--server',
      'http://127.0.0.1:9',
      '--lists',
      lists,
      'x',
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/server_error/);
  });
});
