/**
 * Per-client limits on every public route that does real work (issue 20, "Abusive clients"):
 * search and lookup have their own limits, every other /api/ route the API-wide one; sign-in is
 * limited per address whatever the e-mail (password spraying) and per account from every address,
 * and password checks wait in a bounded queue. Tested over HTTP with distinct client addresses.
 */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { buildApp } from '../../src/app/index.js';
import { withPasswordHashing } from '../../src/identity/password.js';
import { createLogger, redactSecretPaths } from '../../src/shared/logger.js';
import { TEST_ADMIN_TOKEN, createTestContext, type TestApp, useTestApp } from '../harness.js';

type Inject = TestApp['app']['inject'];

/** Sends `count` requests from `remoteAddress` and returns their status codes. */
async function statuses(
  inject: Inject,
  count: number,
  request: { method: 'GET' | 'POST'; url: string; payload?: object },
  remoteAddress: string,
): Promise<number[]> {
  const codes: number[] = [];
  for (let n = 0; n < count; n += 1) {
    codes.push((await inject({ ...request, remoteAddress })).statusCode);
  }
  return codes;
}

describe('per-client limits of the query routes', () => {
  const ctx = useTestApp('sqlite', {
    env: {
      SEARCH_RATE_LIMIT_PER_MINUTE: '3',
      LOOKUP_RATE_LIMIT_PER_MINUTE: '4',
      API_RATE_LIMIT_PER_MINUTE: '5',
    },
  });
  const inject: Inject = (...args: Parameters<Inject>) => ctx.app.inject(...args);

  it('search: the fourth search in a minute from one address is 429 rate_limited; another address still searches', async () => {
    const search = { method: 'GET', url: '/api/v1/search?q=%E6%8A%95%E8%B3%87' } as const;
    expect(await statuses(inject, 3, search, '198.51.100.1')).toEqual([200, 200, 200]);
    const refused = await ctx.app.inject({ ...search, remoteAddress: '198.51.100.1' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await statuses(inject, 1, search, '198.51.100.2')).toEqual([200]);
  });

  it('counts a percent-encoded path as the route it reaches (no way around a limit)', async () => {
    const address = '198.51.100.9';
    const encoded = (url: string) => ({ method: 'GET', url }) as const;
    expect([
      ...(await statuses(inject, 2, encoded('/api/v1/search?q=%E6%8A%95%E8%B3%87'), address)),
      ...(await statuses(inject, 1, encoded('/%61pi/v1/search?q=%E6%8A%95%E8%B3%87'), address)),
      ...(await statuses(inject, 1, encoded('/%61pi/v1/search?q=%E6%8A%95%E8%B3%87'), address)),
    ]).toEqual([200, 200, 200, 429]);
    const sth = encoded('/%61pi/v1/log/sth');
    expect(await statuses(inject, 6, sth, '198.51.100.10')).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('lookup: GET and POST count together per address', async () => {
    const get = { method: 'GET', url: '/api/v1/lookup?url=https%3A%2F%2Fexample.com%2F' } as const;
    const post = {
      method: 'POST',
      url: '/api/v1/lookup',
      payload: { q: '投資群組老師報明牌' },
    } as const;
    const address = '198.51.100.3';
    expect([
      ...(await statuses(inject, 2, get, address)),
      ...(await statuses(inject, 2, post, address)),
    ]).toEqual([200, 200, 200, 200]);
    expect(await statuses(inject, 1, post, address)).toEqual([429]);
    expect(await statuses(inject, 1, get, address)).toEqual([429]);
    expect(await statuses(inject, 1, get, '198.51.100.4')).toEqual([200]);
  });

  it('every other /api/ route has the API-wide limit; pages and health checks have none', async () => {
    const sth = { method: 'GET', url: '/api/v1/log/sth' } as const;
    const address = '198.51.100.5';
    expect(await statuses(inject, 5, sth, address)).toEqual([200, 200, 200, 200, 200]);
    expect(await statuses(inject, 1, sth, address)).toEqual([429]);
    expect(await statuses(inject, 1, { method: 'GET', url: '/api/v1/bulletins' }, address)).toEqual(
      [429],
    );
    expect(await statuses(inject, 8, { method: 'GET', url: '/healthz' }, address)).toEqual(
      Array.from({ length: 8 }, () => 200),
    );
  });
});

describe('sign-in limits', () => {
  const ctx = useTestApp('sqlite', {
    env: {
      LOGIN_RATE_LIMIT_PER_15_MINUTES: '100',
      LOGIN_RATE_LIMIT_PER_IP_PER_15_MINUTES: '4',
      LOGIN_RATE_LIMIT_PER_ACCOUNT_PER_15_MINUTES: '3',
    },
  });
  const login = (email: string, remoteAddress: string) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'not the password at all' },
      remoteAddress,
    });

  it('password spraying: one address trying many accounts is refused after the per-address limit', async () => {
    const codes: number[] = [];
    for (let n = 0; n < 5; n += 1) {
      codes.push((await login(`spray${n}@example.org`, '203.0.113.7')).statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 401, 429]);
    const refused = await login('spray9@example.org', '203.0.113.7');
    expect(refused.json().error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('spray9@example.org', '203.0.113.8')).statusCode).toBe(401);
  });

  it('a distributed guess at one account is refused after the per-account limit, whatever the address', async () => {
    const codes: number[] = [];
    for (let n = 0; n < 4; n += 1) {
      codes.push((await login('target@example.org', `203.0.113.${20 + n}`)).statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429]);
    // The account key is not the address: e-mails differing only in case are one account.
    expect((await login('TARGET@example.org', '203.0.113.40')).statusCode).toBe(429);
    expect((await login('other@example.org', '203.0.113.41')).statusCode).toBe(401);
  });
});

describe('the bound on concurrent password hashing', () => {
  it('runs at most `concurrency` checks at once and refuses beyond `queue` waiting with 503 busy', async () => {
    const limits = { concurrency: 2, queue: 3 };
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const check = () =>
      new Promise<boolean>((resolve) => {
        running += 1;
        most = Math.max(most, running);
        releases.push(() => {
          running -= 1;
          resolve(true);
        });
      });
    const accepted = Array.from({ length: 5 }, () => withPasswordHashing(limits, check));
    await expect(withPasswordHashing(limits, check)).rejects.toMatchObject({
      status: 503,
      code: 'busy',
    });
    // Release until every accepted check has run; never more than two at once.
    while (releases.length > 0 || running > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(accepted)).toEqual([true, true, true, true, true]);
    expect(most).toBe(2);
    await expect(withPasswordHashing(limits, async () => 'again')).resolves.toBe('again');
  });
});

describe('the LINE webhook limit', () => {
  const ctx = useTestApp('sqlite', {
    env: {
      LINE_CHANNEL_SECRET: 'rate-limit-line-channel-secret',
      LINE_CHANNEL_ACCESS_TOKEN: 'rate-limit-line-access-token',
      // Never called: every request below is refused before an event is read.
      LINE_API_BASE_URL: 'http://127.0.0.1:9',
      LINE_DATA_API_BASE_URL: 'http://127.0.0.1:9',
      LINE_WEBHOOK_RATE_LIMIT_PER_MINUTE: '3',
    },
  });

  it('bounds what one address can make the server read and hash: forged requests get 429 after the limit', async () => {
    const forged = {
      method: 'POST',
      url: '/api/v1/line/webhook',
      headers: { 'content-type': 'application/json', 'x-line-signature': 'AAAA' },
      payload: JSON.stringify({ destination: 'U0', events: [] }),
    } as const;
    const codes: number[] = [];
    for (let n = 0; n < 4; n += 1) {
      codes.push((await ctx.app.inject({ ...forged, remoteAddress: '203.0.113.99' })).statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429]);
  });
});

describe('the request log', () => {
  /** The request log of an app (info level) after `requests`, as one string. */
  async function logOf(requests: ReadonlyArray<{ method: 'GET' | 'DELETE'; url: string }>) {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    const ctx = await createTestContext('sqlite');
    const app = await buildApp({
      deps: { ...ctx.deps, log: createLogger('info', sink) },
      adminToken: TEST_ADMIN_TOKEN,
    });
    try {
      for (const request of requests) await app.inject(request);
      return lines.join('');
    } finally {
      await app.close();
      await ctx.close();
    }
  }

  it('never holds the token of a decision or unfollow link', async () => {
    const token = 'Tok3nThatMustNeverBeLogged_0123456789';
    const log = await logOf(
      [
        `/api/v1/followers/${token}`,
        `/api/v1/decision-links/${token}`,
        `/unfollow/${token}`,
        `/decide/${token}?x=1`,
      ].map((url) => ({ method: url.startsWith('/api/v1/followers') ? 'DELETE' : 'GET', url })),
    );
    expect(log).toContain('/api/v1/followers/[redacted]');
    expect(log).toContain('/decide/[redacted]?x=1');
    expect(log).not.toContain(token);
  });

  it('never holds what a person checked, by URL, text or hash prefix', async () => {
    const log = await logOf(
      [
        `/api/v1/lookup?url=${encodeURIComponent('https://private-check.example/p?id=42')}`,
        `/api/v1/lookup/?q=${encodeURIComponent('0912345678 private-check')}`,
        '/api/v1/hashes/search?prefixes=cHJpdmF0ZS1jaGVjaw',
      ].map((url) => ({ method: 'GET', url })),
    );
    expect(log).toContain('/api/v1/lookup?[redacted]');
    expect(log).toContain('/api/v1/hashes/search?[redacted]');
    expect(log).not.toMatch(/private-check|cHJpdmF0ZS1jaGVjaw|0912345678/);
  });

  it('redacts only the token segment and check queries', () => {
    expect(redactSecretPaths('/api/v1/search?q=x')).toBe('/api/v1/search?q=x');
    expect(redactSecretPaths('/api/v1/lookup')).toBe('/api/v1/lookup');
    expect(redactSecretPaths('/api/v1/decision-links/abc/extra?q=1')).toBe(
      '/api/v1/decision-links/[redacted]/extra?q=1',
    );
    expect(redactSecretPaths('/api/v1/cases/C1/followers')).toBe('/api/v1/cases/C1/followers');
  });
});
