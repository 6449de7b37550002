import { describe, expect, it } from 'vitest';

import {
  adminHeaders,
  apiKeyFor,
  createUser,
  loginAs,
  testDialects,
  useTestApp,
} from '../harness.js';

import { listEvents } from '../../src/log/index.js';
type Method = 'GET' | 'POST' | 'PATCH';

describe.each(testDialects())('admin API for accounts and API keys on %s', (dialect) => {
  const ctx = useTestApp(dialect);

  const send = (
    method: Method,
    url: string,
    headers: Record<string, string>,
    payload?: Record<string, unknown>,
  ) => ctx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });

  it('denies every admin route to every role but admin', async () => {
    const target = await createUser(ctx, { role: 'reporter' });
    const key = await apiKeyFor(ctx, { role: 'analyst', name: 'target key' });
    const routes: Array<[Method, string, Record<string, unknown>?]> = [
      ['GET', '/api/v1/users'],
      ['POST', '/api/v1/users', { email: 'new@example.test', role: 'analyst' }],
      ['GET', `/api/v1/users/${target.id}`],
      ['PATCH', `/api/v1/users/${target.id}`, { displayName: 'x' }],
      ['POST', `/api/v1/users/${target.id}/disable`],
      ['POST', `/api/v1/users/${target.id}/enable`],
      ['POST', `/api/v1/users/${target.id}/password`, {}],
      ['GET', '/api/v1/api-keys'],
      ['POST', '/api/v1/api-keys', { name: 'k', role: 'analyst' }],
      ['POST', `/api/v1/api-keys/${key.id}/revoke`],
    ];
    const callers: Array<[string, Record<string, string>, number]> = [
      ['public', {}, 401],
      ['reporter', (await apiKeyFor(ctx, { role: 'reporter' })).headers, 403],
      ['verifier', (await apiKeyFor(ctx, { role: 'verifier', entityIds: ['E1'] })).headers, 403],
      ['analyst', (await apiKeyFor(ctx, { role: 'analyst' })).headers, 403],
      [
        'platform_liaison',
        (await apiKeyFor(ctx, { role: 'platform_liaison', platform: 'facebook' })).headers,
        403,
      ],
      [
        'analyst session',
        (await loginAs(ctx, await createUser(ctx, { role: 'analyst' }))).headers,
        403,
      ],
    ];
    for (const [method, url, payload] of routes) {
      for (const [who, headers, status] of callers) {
        const res = await send(method, url, headers, payload);
        expect(res.statusCode, `${who} ${method} ${url}`).toBe(status);
        expect(res.json().error.code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
      }
    }
    const admin = await loginAs(ctx, await createUser(ctx, { role: 'admin' }));
    for (const headers of [
      adminHeaders,
      admin.headers,
      (await apiKeyFor(ctx, { role: 'admin' })).headers,
    ]) {
      expect((await send('GET', '/api/v1/users', headers)).statusCode).toBe(200);
    }
    // Nothing changed for the refused calls.
    expect((await listEvents(ctx.deps.db, 'user', target.id)).map((e) => e.type)).toEqual([
      'user.created',
    ]);
  });

  it('creates, lists, changes, disables and re-enables accounts, each change an event', async () => {
    const created = await send('POST', '/api/v1/users', adminHeaders, {
      email: ' Verifier@Example.TEST ',
      role: 'verifier',
      displayName: '總統府 office',
      entityIds: ['ENT-president', 'ENT-president', 'ENT-cabinet'],
    });
    expect(created.statusCode).toBe(201);
    const { user, generatedPassword } = created.json();
    expect(user).toMatchObject({
      email: 'verifier@example.test',
      displayName: '總統府 office',
      role: 'verifier',
      entityIds: ['ENT-cabinet', 'ENT-president'],
      platform: null,
      disabledAt: null,
      lastLoginAt: null,
    });
    expect(generatedPassword).toMatch(/^[\w-]{20}$/);
    const session = await loginAs(ctx, { email: user.email, password: generatedPassword });
    const me = await send('GET', '/api/v1/auth/me', session.headers);
    expect(me.json().actor).toEqual({
      role: 'verifier',
      id: `user:${user.id}`,
      entityIds: ['ENT-cabinet', 'ENT-president'],
      platform: null,
    });

    const duplicate = await send('POST', '/api/v1/users', adminHeaders, {
      email: 'verifier@example.test',
      role: 'analyst',
      password: 'long enough password',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.code).toBe('email_taken');

    const changed = await send('PATCH', `/api/v1/users/${user.id}`, adminHeaders, {
      role: 'platform_liaison',
      platform: 'line',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().user).toMatchObject({
      role: 'platform_liaison',
      entityIds: [],
      platform: 'line',
    });
    // The open session acts with the new role at once.
    expect((await send('GET', '/api/v1/auth/me', session.headers)).json().actor).toEqual({
      role: 'platform_liaison',
      id: `user:${user.id}`,
      entityIds: [],
      platform: 'line',
    });

    const listed = await send('GET', '/api/v1/users', adminHeaders);
    expect(listed.json().users.map((u: { email: string }) => u.email)).toContain(
      'verifier@example.test',
    );
    expect(JSON.stringify(listed.json())).not.toMatch(/scrypt|password/i);

    await send('POST', `/api/v1/users/${user.id}/disable`, adminHeaders);
    await send('POST', `/api/v1/users/${user.id}/disable`, adminHeaders);
    await send('POST', `/api/v1/users/${user.id}/enable`, adminHeaders);
    const reset = await send('POST', `/api/v1/users/${user.id}/password`, adminHeaders, {});
    expect(reset.json().generatedPassword).toMatch(/^[\w-]{20}$/);

    const events = await listEvents(ctx.deps.db, 'user', user.id);
    expect(events.map((e) => [e.type, e.actor])).toEqual([
      ['user.created', 'admin:token'],
      ['user.updated', 'admin:token'],
      ['user.disabled', 'admin:token'],
      ['user.enabled', 'admin:token'],
      ['user.password_reset', 'admin:token'],
    ]);
    expect(events[1]?.data).toEqual({
      before: { role: 'verifier', entityIds: ['ENT-cabinet', 'ENT-president'], platform: null },
      after: { role: 'platform_liaison', entityIds: [], platform: 'line' },
      displayName: { before: '總統府 office', after: '總統府 office' },
    });
    const dump = JSON.stringify(events);
    expect(dump).not.toContain(generatedPassword);
    expect(dump).not.toContain(reset.json().generatedPassword);
  });

  it('refuses inconsistent scopes and weak passwords, naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ email: 'a@example.test', role: 'verifier' }, 'entity_required', 'entityIds'],
      [{ email: 'a@example.test', role: 'platform_liaison' }, 'platform_required', 'platform'],
      [
        { email: 'a@example.test', role: 'analyst', entityIds: ['E1'] },
        'scope_mismatch',
        'entityIds',
      ],
      [
        { email: 'a@example.test', role: 'reporter', platform: 'line' },
        'scope_mismatch',
        'platform',
      ],
      [
        { email: 'a@example.test', role: 'analyst', password: 'short-pass' },
        'weak_password',
        'password',
      ],
      [{ email: 'not-an-address', role: 'analyst' }, 'invalid_email', 'email'],
      [{ email: 'a@example.test', role: 'public' }, 'validation_failed', 'role'],
      [{ email: 'a@example.test', role: 'analyst', isAdmin: true }, 'validation_failed', 'isAdmin'],
    ];
    for (const [body, code, field] of cases) {
      const res = await send('POST', '/api/v1/users', adminHeaders, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error).toMatchObject({ code, details: { field } });
    }
    const users = await ctx.deps.db.selectFrom('users').select('email').execute();
    expect(users.map((u) => u.email)).not.toContain('a@example.test');
  });

  it('scopes API keys to their role and entities/platform, records use, and revokes them', async () => {
    const created = await send('POST', '/api/v1/api-keys', adminHeaders, {
      name: 'LINE liaison bot',
      role: 'platform_liaison',
      platform: 'line',
    });
    expect(created.statusCode).toBe(201);
    const { apiKey, key } = created.json();
    expect(key).toMatch(/^snk_[0-9a-hjkmnp-tv-z]{10}_[0-9a-hjkmnp-tv-z]{40}$/);
    expect(key.split('_')[1]).toBe(apiKey.id);
    expect(apiKey).toMatchObject({
      name: 'LINE liaison bot',
      role: 'platform_liaison',
      platform: 'line',
      entityIds: [],
      createdBy: 'admin:token',
      lastUsedAt: null,
      revokedAt: null,
    });
    const headers = { authorization: `Bearer ${key}` };
    const me = await send('GET', '/api/v1/auth/me', headers);
    expect(me.json()).toMatchObject({
      actor: { role: 'platform_liaison', id: `apikey:${apiKey.id}`, platform: 'line' },
      via: 'api_key',
    });
    const verifierKey = await apiKeyFor(ctx, { role: 'verifier', entityIds: ['E9', 'E2'] });
    expect((await send('GET', '/api/v1/auth/me', verifierKey.headers)).json().actor).toMatchObject({
      role: 'verifier',
      entityIds: ['E2', 'E9'],
    });

    const listed = (await send('GET', '/api/v1/api-keys', adminHeaders)).json().apiKeys;
    const mine = listed.find((k: { id: string }) => k.id === apiKey.id);
    expect(mine.lastUsedAt).toBe(new Date(ctx.clock.now()).toISOString());
    expect(JSON.stringify(listed)).not.toContain(key);

    // A key with the right ID but a wrong secret, or a malformed key, is refused.
    const forged = key.slice(0, -1) + (key.endsWith('0') ? '1' : '0');
    for (const bad of [forged, 'snk_short', `snk_${apiKey.id}_`]) {
      const res = await send('GET', '/api/v1/auth/me', { authorization: `Bearer ${bad}` });
      expect(res.statusCode, bad).toBe(401);
    }

    const revoked = await send('POST', `/api/v1/api-keys/${apiKey.id}/revoke`, adminHeaders);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().apiKey.revokedAt).toBe(new Date(ctx.clock.now()).toISOString());
    const after = await send('GET', '/api/v1/auth/me', headers);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthorized');
    const missing = await send('POST', '/api/v1/api-keys/0000000000/revoke', adminHeaders);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('api_key_not_found');

    const events = await listEvents(ctx.deps.db, 'user', `apikey:${apiKey.id}`);
    expect(events.map((e) => e.type)).toEqual(['api_key.created', 'api_key.revoked']);
    expect(JSON.stringify(events)).not.toContain(key.split('_')[2]);
  });
});
