/**
 * Per-client rate limits with several nodes (issue 20): with RATE_LIMIT_REDIS_URL every node
 * counts a client's requests together, so two nodes allow the configured rate, not twice it.
 * Needs a Redis server (TEST_REDIS_URL, e.g. redis://127.0.0.1:6379; .ci/run sets it).
 */
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { buildTestApp, buildTestNode, type TestApp } from '../harness.js';

const REDIS_URL = process.env.TEST_REDIS_URL;
const PER_MINUTE = 3;

describe.skipIf(REDIS_URL === undefined)('rate limits shared by two nodes through Redis', () => {
  const redis = new Redis(REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  const apps: Array<{ close: () => Promise<void> }> = [];
  afterAll(async () => {
    for (const app of apps.reverse()) await app.close();
    await redis.quit();
  });
  beforeEach(async () => {
    // Counters live for a minute: start every test from none.
    const keys = await redis.keys('scamnet-rate-limit-*');
    if (keys.length > 0) await redis.del(...keys);
  });

  async function twoNodes(env: Record<string, string>) {
    const first: TestApp = await buildTestApp('sqlite', {
      env: { REPORT_RATE_LIMIT_PER_MINUTE: String(PER_MINUTE), ...env },
    });
    const second = await buildTestNode(first);
    apps.push(first, second);
    return [first.app, second.app] as const;
  }
  const report = (app: TestApp['app'], n: number) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { text: `shared limit ${n} ${Math.random()}` },
    });

  it('counts one client across both nodes: the fourth report in a minute is 429 on either', async () => {
    const [a, b] = await twoNodes({ RATE_LIMIT_REDIS_URL: REDIS_URL ?? '' });
    const statuses = [
      (await report(a, 1)).statusCode,
      (await report(b, 2)).statusCode,
      (await report(a, 3)).statusCode,
    ];
    expect(statuses).toEqual([201, 201, 201]);
    const refused = await report(b, 4);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect((await report(a, 5)).statusCode).toBe(429);
  });

  it('without it each node counts its own (the documented default)', async () => {
    const [a, b] = await twoNodes({});
    const statuses: number[] = [];
    for (let n = 0; n < PER_MINUTE; n += 1) statuses.push((await report(a, n)).statusCode);
    for (let n = 0; n < PER_MINUTE; n += 1) statuses.push((await report(b, n)).statusCode);
    expect(statuses).toEqual(Array.from({ length: 2 * PER_MINUTE }, () => 201));
    expect((await report(a, 9)).statusCode).toBe(429);
  });

  it('keeps no e-mail address in Redis: sign-in counters are keyed by its hash', async () => {
    const [a] = await twoNodes({ RATE_LIMIT_REDIS_URL: REDIS_URL ?? '' });
    const email = 'someone.signing-in@example.test';
    const res = await a.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'not-the-password-1234' },
    });
    expect(res.statusCode).toBe(401);
    const keys = await redis.keys('scamnet-rate-limit-*');
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join('\n')).not.toContain('example.test');
  });

  it('lets requests through when Redis does not answer, instead of refusing every client', async () => {
    const [a] = await twoNodes({ RATE_LIMIT_REDIS_URL: 'redis://127.0.0.1:9' });
    expect((await report(a, 1)).statusCode).toBe(201);
  });
});
