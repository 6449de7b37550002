import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loadConfig } from '../../src/config/index.js';
import {
  adminHeaders,
  apiKeyFor,
  buildTestApp,
  createUser,
  loginAs,
  testDialects,
  type TestUser,
  useTestApp,
} from '../harness.js';
import { postReport, submitReportViaApi } from '../factories.js';

describe.each(testDialects())('sign-in, sessions and credentials on %s', (dialect) => {
  const ctx = useTestApp(dialect);
  let reporter: TestUser;
  let analyst: TestUser;

  beforeAll(async () => {
    reporter = await createUser(ctx, { role: 'reporter', displayName: 'Ms Reporter' });
    analyst = await createUser(ctx, { role: 'analyst' });
  });

  it('signs in with a Secure, HttpOnly, SameSite=Strict cookie and answers /auth/me', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: reporter.email.toUpperCase(), password: reporter.password },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json();
    expect(body.user).toEqual({
      id: reporter.id,
      email: reporter.email,
      displayName: 'Ms Reporter',
      role: 'reporter',
      entityIds: [],
      platform: null,
    });
    expect(body.csrfToken).toMatch(/^[\w-]{43}$/);
    expect(body.expiresAt).toBe('2026-11-29T14:00:00.000Z');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^scamnet_session=[\w-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/Max-Age=43200/);

    const token = res.cookies.find((c) => c.name === 'scamnet_session')?.value ?? '';
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: `scamnet_session=${token}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({
      actor: { role: 'reporter', id: `user:${reporter.id}`, entityIds: [], platform: null },
      via: 'session',
      user: body.user,
      csrfToken: body.csrfToken,
    });
  });

  it('gives the same 401 for an unknown address and a wrong password', async () => {
    const wrong = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: reporter.email, password: 'not the password at all' },
    });
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@example.test', password: 'not the password at all' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.code).toBe('invalid_credentials');
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('answers 401 on /auth/me without a credential and for a made-up cookie', async () => {
    const none = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me' });
    expect(none.statusCode).toBe(401);
    const forged = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: 'scamnet_session=forged-token' },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json().error.code).toBe('unauthorized');
  });

  it('logs out: the session is revoked and the cookie cleared', async () => {
    const session = await loginAs(ctx, analyst);
    const logout = (headers: Record<string, string>) =>
      ctx.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
    const noCsrf = await logout({ cookie: session.cookie });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf_failed');

    const out = await logout(session.headers);
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(
      /^scamnet_session=;.*Expires=Thu, 01 Jan 1970/,
    );
    const me = await ctx.app.inject({
      url: '/api/v1/auth/me',
      headers: { cookie: session.cookie },
    });
    expect(me.statusCode).toBe(401);
    // Logging out again (stale cookie, no CSRF token) still clears the cookie.
    expect((await logout({ cookie: session.cookie })).statusCode).toBe(204);
  });

  it('expires a session after SESSION_TTL_HOURS by the clock', async () => {
    const session = await loginAs(ctx, reporter);
    const me = () =>
      ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session.headers });
    ctx.clock.advance(12 * 3_600_000 - 1_000);
    expect((await me()).statusCode).toBe(200);
    ctx.clock.advance(1_000);
    const expired = await me();
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.message).toMatch(/expired/);
  });

  it('refuses cookie-authenticated unsafe requests without the CSRF token, on every route', async () => {
    const session = await loginAs(ctx, reporter);
    const report = { url: 'https://csrf-check.example/win', platform: 'website' };
    const withoutToken: Record<string, string>[] = [
      { cookie: session.cookie },
      { cookie: session.cookie, 'x-csrf-token': 'wrong' },
      { cookie: session.cookie, 'x-csrf-token': `${session.csrfToken}x` },
    ];
    for (const headers of withoutToken) {
      const res = await postReport(ctx.app, report, headers);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('csrf_failed');
    }
    await submitReportViaApi(ctx.app, report, session.headers);
    // A safe method needs no CSRF token.
    const mine = await ctx.app.inject({
      url: '/api/v1/me/reports',
      headers: { cookie: session.cookie },
    });
    expect(mine.statusCode).toBe(200);
  });

  it('exempts bearer credentials from CSRF and keeps the admin token working', async () => {
    const key = await apiKeyFor(ctx, { role: 'analyst' });
    await submitReportViaApi(ctx.app, { url: 'https://bearer.example/x' }, key.headers);
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: adminHeaders,
    });
    expect(me.json()).toMatchObject({
      actor: { role: 'admin', id: 'admin:token' },
      via: 'admin_token',
      user: null,
      csrfToken: null,
    });
    const bad = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: 'Bearer not-the-admin-token-at-all' },
    });
    expect(bad.statusCode).toBe(401);
  });

  it('ends every session of a disabled account and refuses its sign-in', async () => {
    const person = await createUser(ctx, { role: 'analyst' });
    const session = await loginAs(ctx, person);
    const disable = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/users/${person.id}/disable`,
      headers: adminHeaders,
    });
    expect(disable.statusCode).toBe(200);
    expect(disable.json().user.disabledAt).toBe(new Date(ctx.clock.now()).toISOString());
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: session.headers,
    });
    expect(me.statusCode).toBe(401);
    const login = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: person.email, password: person.password },
    });
    expect(login.statusCode).toBe(401);
    expect(login.json().error.code).toBe('invalid_credentials');

    const enable = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/users/${person.id}/enable`,
      headers: adminHeaders,
    });
    expect(enable.json().user.disabledAt).toBeNull();
    await expect(loginAs(ctx, person)).resolves.toMatchObject({ csrfToken: expect.any(String) });
  });

  it('lets a signed-in person change their password, ending their other sessions', async () => {
    const person = await createUser(ctx, { role: 'verifier', entityIds: ['E1'] });
    const here = await loginAs(ctx, person);
    const elsewhere = await loginAs(ctx, person);
    const change = (headers: Record<string, string>, payload: Record<string, string>) =>
      ctx.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers, payload });
    const newPassword = 'a brand new passphrase';

    const wrong = await change(here.headers, { currentPassword: 'not it at all', newPassword });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_credentials');
    const weak = await change(here.headers, {
      currentPassword: person.password,
      newPassword: 'short',
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe('weak_password');
    const byToken = await change(adminHeaders, { currentPassword: 'x', newPassword });
    expect(byToken.statusCode).toBe(403);

    const ok = await change(here.headers, { currentPassword: person.password, newPassword });
    expect(ok.statusCode).toBe(204);
    const me = (headers: Record<string, string>) =>
      ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    expect((await me(here.headers)).statusCode).toBe(200);
    expect((await me(elsewhere.headers)).statusCode).toBe(401);
    await expect(loginAs(ctx, person)).rejects.toThrow(/401/);
    await expect(
      loginAs(ctx, { email: person.email, password: newPassword }),
    ).resolves.toBeDefined();
  });

  it('stores no password, session token or API key in clear, and events carry no secrets', async () => {
    const person = await createUser(ctx, { role: 'admin' });
    const session = await loginAs(ctx, person);
    const key = await apiKeyFor(ctx, { role: 'platform_liaison', platform: 'line' });
    const token = session.cookie.split('=')[1] ?? '';
    const tables = ['users', 'sessions', 'api_keys', 'events'];
    for (const table of tables) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(
        ctx.deps.db,
      );
      const dump = JSON.stringify(rows.rows);
      expect(dump, table).not.toContain(person.password);
      expect(dump, table).not.toContain(token);
      expect(dump, table).not.toContain(key.key);
      expect(dump, table).not.toContain(key.key.split('_')[2]);
    }
    const user = await ctx.deps.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', person.id)
      .executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
  });
});

// Own apps with other settings, after the suite above has closed its store (one PostgreSQL
// test schema at a time per file).
describe('identity configuration', () => {
  it('lists every invalid identity variable', () => {
    expect(() =>
      loadConfig({
        SESSION_TTL_HOURS: '0',
        COOKIE_SECURE: 'maybe',
        LOGIN_RATE_LIMIT_PER_15_MINUTES: '-1',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: expect.arrayContaining([
          expect.stringMatching(/^SESSION_TTL_HOURS/),
          expect.stringMatching(/^COOKIE_SECURE/),
          expect.stringMatching(/^LOGIN_RATE_LIMIT_PER_15_MINUTES/),
        ]),
      }),
    );
    expect(loadConfig({})).toMatchObject({
      sessionTtlHours: 12,
      cookieSecure: true,
      loginRateLimitPer15Minutes: 10,
    });
  });
});

describe.each(testDialects())('sign-in settings on %s', (dialect) => {
  it('throttles sign-in attempts per e-mail address and client IP', async () => {
    const throttled = await buildTestApp(dialect, {
      env: { LOGIN_RATE_LIMIT_PER_15_MINUTES: '3' },
    });
    try {
      const attempt = (email: string) =>
        throttled.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email, password: 'wrong password, long enough' },
        });
      for (let i = 0; i < 3; i += 1) expect((await attempt('a@example.test')).statusCode).toBe(401);
      const limited = await attempt('A@example.test');
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('rate_limited');
      expect((await attempt('b@example.test')).statusCode).toBe(401);
    } finally {
      await throttled.close();
    }
  });

  it('omits Secure when COOKIE_SECURE=false and honours SESSION_TTL_HOURS', async () => {
    const plain = await buildTestApp(dialect, {
      env: { COOKIE_SECURE: 'false', SESSION_TTL_HOURS: '2' },
    });
    try {
      const person = await createUser(plain, { role: 'reporter' });
      const res = await plain.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: person.email, password: person.password },
      });
      expect(String(res.headers['set-cookie'])).not.toMatch(/Secure/);
      expect(String(res.headers['set-cookie'])).toMatch(/Max-Age=7200/);
      expect(res.json().expiresAt).toBe('2026-11-29T04:00:00.000Z');
    } finally {
      await plain.close();
    }
  });
});
