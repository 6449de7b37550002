/**
 * Word back to the reporter (issue 15): following a case from a browser (Web Push, no account)
 * and being told once per change of its public state once it is decided. Through the HTTP API,
 * deliverCaseUpdates (the sweep's step), and a loopback push service that verifies the VAPID
 * signature (RFC 8292) and decrypts the payload (RFC 8291) as a real one and a browser would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deliverCaseUpdates,
  deliveriesOfCase,
  followCase,
  followersOfCase,
  generateVapidKeys,
  unfollowAsLineUser,
  sendWebPush,
  type SendOutcome,
} from '../../src/followers/index.js';
import { integrateLog } from '../../src/log/index.js';
import { markPartyAsked } from '../../src/cases/index.js';
import {
  createTestEntities,
  decideCaseViaApi,
  mergeCasesViaApi,
  submitReportViaApi,
} from '../factories.js';
import { buildTestApp, buildTestNode, testDialects, type TestApp } from '../harness.js';
import {
  decryptPayload,
  newSubscriber,
  startPushService,
  verifyVapid,
  type PushService,
} from './push-service.js';

const VAPID = generateVapidKeys();
const VAPID_ENV = {
  WEB_PUSH_VAPID_PUBLIC_KEY: VAPID.publicKey,
  WEB_PUSH_VAPID_PRIVATE_KEY: VAPID.privateKey,
  WEB_PUSH_SUBJECT: 'mailto:ops@scamnet.test',
};

let urlCount = 0;
/** A report of its own (a URL and text no other test uses), and its case's ID. */
async function newCase(ctx: TestApp): Promise<string> {
  urlCount += 1;
  const url = `https://www.facebook.com/follow.test/posts/${urlCount}`;
  // A URL alone: texts this alike would be merged into one case as near-duplicates.
  const reported = await submitReportViaApi(ctx.app, { url });
  return reported.case.id;
}

async function caseStatus(ctx: TestApp, caseId: string): Promise<string> {
  return (await ctx.app.inject({ url: `/api/v1/cases/${caseId}` })).json().case.status;
}

describe('the loopback push service itself', () => {
  it('really fails on a wrong subscriber key, a wrong auth secret and a wrong VAPID key', async () => {
    const service = await startPushService(VAPID.publicKey);
    try {
      const subscriber = newSubscriber();
      const endpoint = service.subscribe('/push/self', subscriber);
      const outcome = await sendWebPush(
        { ...VAPID, subject: 'mailto:ops@scamnet.test' },
        { allowLoopback: true, allowedPorts: [service.port] },
        subscriber.json(endpoint),
        '{"hello":"世界"}',
        5_000,
      );
      expect(outcome).toEqual({ kind: 'sent' });
      expect(service.rejected).toEqual([]);
      const [push] = service.received;
      expect(push?.message).toEqual({ hello: '世界' });
      const body = push?.body ?? Buffer.alloc(0);
      const authorization = push?.headers.authorization;
      expect(decryptPayload(body, subscriber)).toBe('{"hello":"世界"}');
      // Another browser's key, or the right key with another auth secret, cannot read it.
      expect(() => decryptPayload(body, newSubscriber())).toThrow();
      expect(() =>
        decryptPayload(body, { ...subscriber, auth: Buffer.alloc(16, 7), json: subscriber.json }),
      ).toThrow();
      // The signature holds for this key and endpoint only.
      expect(verifyVapid(authorization, endpoint, VAPID.publicKey).aud).toBe(service.origin);
      expect(() => verifyVapid(authorization, endpoint, generateVapidKeys().publicKey)).toThrow(
        /expected VAPID public key/,
      );
      expect(() =>
        verifyVapid(authorization, 'https://push.example.net/x', VAPID.publicKey),
      ).toThrow(/aud/);
      const forged = (authorization ?? '').replace(/k=.*$/, `k=${generateVapidKeys().publicKey}`);
      const other = /k=(.*)$/.exec(forged)?.[1] ?? '';
      expect(() => verifyVapid(forged, endpoint, other)).toThrow(/signature/);
      expect(() =>
        verifyVapid(authorization, endpoint, VAPID.publicKey, Date.now() / 1000 + 2 * 86_400),
      ).toThrow(/exp/);
    } finally {
      await service.close();
    }
  });
});

describe.each(testDialects())('following a case with Web Push on %s', (dialect) => {
  let ctx: TestApp;
  let push: PushService;

  beforeAll(async () => {
    push = await startPushService(VAPID.publicKey);
    ctx = await buildTestApp(dialect, {
      env: {
        ...VAPID_ENV,
        SWEEP_INTERVAL_SECONDS: '0',
        // Push requests go through the outbound guard: let it reach the loopback push service.
        CAPTURE_ALLOW_LOOPBACK: 'true',
        CAPTURE_ALLOWED_PORTS: `80,443,${push.port}`,
      },
    });
  });
  afterAll(async () => {
    await ctx?.close();
    await push?.close();
  });

  const deliver = () => deliverCaseUpdates(ctx.deps);
  const receivedAt = (path: string) => push.received.filter((r) => r.path === path);

  async function follow(caseId: string, path: string, language?: 'zh-TW' | 'en') {
    const subscriber = newSubscriber();
    const endpoint = push.subscribe(path, subscriber);
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/followers`,
      payload: {
        subscription: { ...subscriber.json(endpoint), expirationTime: null },
        ...(language === undefined ? {} : { language }),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const token: string = res.json().unsubscribeToken;
    expect(res.json().caseId).toBe(caseId);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    return { subscriber, endpoint, token };
  }

  it('serves the VAPID public key the browser subscribes with', async () => {
    const res = await ctx.app.inject({ url: '/api/v1/push/vapid-public-key' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ publicKey: VAPID.publicKey });
  });

  it('sends nothing while the case is checked, then exactly one message when it is decided', async () => {
    const caseId = await newCase(ctx);
    expect(await caseStatus(ctx, caseId)).toBe('processing');
    await follow(caseId, '/push/decided', 'zh-TW');
    expect(await deliver()).toMatchObject({ queued: 0, sent: 0 });
    expect(receivedAt('/push/decided')).toEqual([]);

    await decideCaseViaApi(ctx.app, caseId, 'fraud');
    const status = await caseStatus(ctx, caseId);
    expect(status).toBe('fraud_confirmed');
    expect(await deliver()).toMatchObject({ queued: 1, sent: 1, failed: 0 });
    const [message, ...more] = receivedAt('/push/decided');
    expect(more).toEqual([]);
    expect(push.rejected).toEqual([]);
    expect(message?.message).toEqual({
      caseId,
      status: 'fraud_confirmed',
      title: '您追蹤的案件有新進度',
      body: `案件 ${caseId}：詐騙訊息，尚未通知平台`,
      url: `/cases/${caseId}`,
    });
    expect(message?.headers.urgency).toBe('normal');
    expect(await deliveriesOfCase(ctx.deps.db, caseId)).toMatchObject([
      { status: 'fraud_confirmed', attempts: 1, sentAt: new Date(ctx.clock.now()).toISOString() },
    ]);

    // Another sweep, and another report merged into the case (no change of state): no repeat.
    expect(await deliver()).toMatchObject({ queued: 0, sent: 0 });
    await submitReportViaApi(ctx.app, {
      url: `https://www.facebook.com/follow.test/posts/${urlCount}`,
      text: '又看到這則投資廣告',
    });
    expect(await caseStatus(ctx, caseId)).toBe('fraud_confirmed');
    expect(await deliver()).toMatchObject({ queued: 0, sent: 0 });
    expect(receivedAt('/push/decided')).toHaveLength(1);
  });

  it('tells followers of a case merged into a decided one what became of it, once', async () => {
    const followed = await newCase(ctx);
    const main = await newCase(ctx);
    await follow(followed, '/push/merged', 'zh-TW');
    await decideCaseViaApi(ctx.app, main, 'fraud');
    await mergeCasesViaApi(ctx.app, main, followed);
    expect(await deliver()).toMatchObject({ sent: 1 });
    expect(await deliver()).toMatchObject({ queued: 0, sent: 0 });
    const told = receivedAt('/push/merged');
    expect(told.map((m) => [m.message?.caseId, m.message?.status])).toEqual([
      [main, 'fraud_confirmed'],
    ]);
  });

  it('sends nothing when the impersonated party is asked (still being checked), then the verdict', async () => {
    await createTestEntities(ctx.app, [
      { id: 'follow-figure', kind: 'public_figure', nameZh: '追蹤測明星', nameEn: 'Follow Figure' },
    ]);
    const reported = await submitReportViaApi(ctx.app, {
      text: '追蹤測明星親自推薦這支飆股，加入投資群組保證獲利',
      platform: 'facebook',
    });
    const caseId = reported.case.id;
    await follow(caseId, '/push/party');
    // As when the decision-link e-mail to the party was accepted (verification's sweep step).
    const asked = await ctx.deps.db
      .transaction()
      .execute((trx) =>
        markPartyAsked(trx, caseId, new Date(ctx.clock.now()).toISOString(), 'system:test'),
      );
    expect(asked).toBe(true);
    expect(await caseStatus(ctx, caseId)).toBe('awaiting_party');
    expect(await deliver()).toMatchObject({ queued: 0, sent: 0 });
    expect(receivedAt('/push/party')).toEqual([]);
    await decideCaseViaApi(ctx.app, caseId, 'high_risk');
    expect(await deliver()).toMatchObject({ queued: 1, sent: 1 });
    expect(receivedAt('/push/party').map((r) => r.message.status)).toEqual(['high_risk']);
  });

  it('tells a case decided not fraud, in English when asked', async () => {
    const caseId = await newCase(ctx);
    await follow(caseId, '/push/english', 'en');
    await decideCaseViaApi(ctx.app, caseId, 'not_fraud');
    await deliver();
    expect(receivedAt('/push/english').map((r) => r.message)).toEqual([
      {
        caseId,
        status: 'not_fraud',
        title: 'Update on a case you follow',
        body: `Case ${caseId}: Not a scam`,
        url: `/cases/${caseId}`,
      },
    ]);
  });

  it('does not send the state the case was in when it was followed', async () => {
    const caseId = await newCase(ctx);
    await decideCaseViaApi(ctx.app, caseId, 'high_risk');
    await follow(caseId, '/push/late');
    expect(await deliver()).toMatchObject({ queued: 0, sent: 0 });
    expect(receivedAt('/push/late')).toEqual([]);
  });

  it('sends once with two nodes delivering at the same time', async () => {
    const caseId = await newCase(ctx);
    await follow(caseId, '/push/nodes');
    await decideCaseViaApi(ctx.app, caseId, 'fraud');
    const node = await buildTestNode(ctx);
    try {
      const results = await Promise.all([
        deliverCaseUpdates(ctx.deps),
        deliverCaseUpdates(node.deps),
        deliverCaseUpdates(ctx.deps),
      ]);
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
      expect(results.reduce((n, r) => n + r.queued, 0)).toBe(1);
    } finally {
      await node.close();
    }
    expect(receivedAt('/push/nodes')).toHaveLength(1);
  });

  it('stops with the unsubscribe token, without an account', async () => {
    const caseId = await newCase(ctx);
    const { token } = await follow(caseId, '/push/stopped');
    const stopped = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/followers/${token}` });
    expect(stopped.statusCode).toBe(204);
    const again = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/followers/${token}` });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe('follower_not_found');
    const bogus = await ctx.app.inject({ method: 'DELETE', url: '/api/v1/followers/x.y' });
    expect(bogus.statusCode).toBe(400);
    await decideCaseViaApi(ctx.app, caseId, 'fraud');
    expect(await deliver()).toMatchObject({ queued: 0, sent: 0 });
    expect(receivedAt('/push/stopped')).toEqual([]);
    expect(await followersOfCase(ctx.deps.db, caseId)).toEqual([]);
  });

  it('following again from the same browser replaces the token and keeps one follower', async () => {
    const caseId = await newCase(ctx);
    const subscriber = newSubscriber();
    const endpoint = push.subscribe('/push/twice', subscriber);
    const tokens: string[] = [];
    for (let i = 0; i < 2; i += 1) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/followers`,
        payload: { subscription: subscriber.json(endpoint) },
      });
      expect(res.statusCode, res.body).toBe(201);
      tokens.push(res.json().unsubscribeToken);
    }
    expect(await followersOfCase(ctx.deps.db, caseId)).toHaveLength(1);
    const old = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/followers/${tokens[0]}` });
    expect(old.statusCode).toBe(404);
    await decideCaseViaApi(ctx.app, caseId, 'fraud');
    await deliver();
    expect(receivedAt('/push/twice')).toHaveLength(1);
  });

  it('removes a subscription the push service says is gone (410), and retries a 500', async () => {
    const goneCase = await newCase(ctx);
    await follow(goneCase, '/push/gone');
    push.answer('/push/gone', 410);
    const busyCase = await newCase(ctx);
    await follow(busyCase, '/push/busy');
    push.answer('/push/busy', 500);
    await decideCaseViaApi(ctx.app, goneCase, 'fraud');
    await decideCaseViaApi(ctx.app, busyCase, 'fraud');
    expect(await deliver()).toMatchObject({ sent: 0, removed: 1, retried: 1 });
    expect(await followersOfCase(ctx.deps.db, goneCase)).toEqual([]);
    expect(await deliveriesOfCase(ctx.deps.db, goneCase)).toEqual([]);
    expect(await deliveriesOfCase(ctx.deps.db, busyCase)).toMatchObject([
      { status: 'fraud_confirmed', attempts: 1, sentAt: null },
    ]);
    // Not again before the backoff; once it has passed and the service accepts, sent once.
    push.answer('/push/busy', 201);
    expect(await deliver()).toMatchObject({ sent: 0, retried: 0 });
    ctx.clock.advance(61_000);
    expect(await deliver()).toMatchObject({ sent: 1, removed: 0 });
    expect(await deliver()).toMatchObject({ sent: 0 });
    expect(receivedAt('/push/gone')).toHaveLength(1);
    expect(receivedAt('/push/busy')).toHaveLength(2);
    expect(await deliveriesOfCase(ctx.deps.db, busyCase)).toMatchObject([
      { status: 'fraud_confirmed', attempts: 2, sentAt: new Date(ctx.clock.now()).toISOString() },
    ]);
  });

  it('does not send a state the case left before it went out: the later one is sent', async () => {
    const caseId = await newCase(ctx);
    await follow(caseId, '/push/overtaken');
    push.answer('/push/overtaken', 503);
    await decideCaseViaApi(ctx.app, caseId, 'high_risk');
    expect(await deliver()).toMatchObject({ queued: 1, retried: 1 });
    push.answer('/push/overtaken', 201);
    await decideCaseViaApi(ctx.app, caseId, 'not_fraud');
    ctx.clock.advance(61_000);
    expect(await deliver()).toMatchObject({ queued: 1, sent: 1 });
    expect(receivedAt('/push/overtaken').map((r) => r.message.status)).toEqual([
      'high_risk',
      'not_fraud',
    ]);
    expect(await deliveriesOfCase(ctx.deps.db, caseId)).toMatchObject([
      { status: 'high_risk', sentAt: null },
      { status: 'not_fraud', attempts: 1 },
    ]);
    expect(await deliver()).toMatchObject({ queued: 0, sent: 0, retried: 0 });
    expect(receivedAt('/push/overtaken')).toHaveLength(2);
  });

  it('refuses bad subscriptions with a stable code', async () => {
    const caseId = await newCase(ctx);
    const good = newSubscriber().json(`${push.origin}/push/bad`);
    const p256dh64 = Buffer.alloc(64, 4).toString('base64url');
    const compressed = Buffer.concat([Buffer.from([2]), Buffer.alloc(64, 1)]).toString('base64url');
    const cases: Array<[unknown, string]> = [
      [{ ...good, endpoint: 'not a url' }, 'invalid_subscription'],
      [{ ...good, endpoint: 'ftp://push.example.net/x' }, 'invalid_subscription'],
      [{ ...good, endpoint: 'https://user:pw@push.example.net/x' }, 'invalid_subscription'],
      [{ ...good, endpoint: `https://push.example.net/${'a'.repeat(2100)}` }, 'validation_failed'],
      [{ ...good, keys: { ...good.keys, p256dh: p256dh64 } }, 'invalid_subscription'],
      [{ ...good, keys: { ...good.keys, p256dh: compressed } }, 'invalid_subscription'],
      [{ ...good, keys: { ...good.keys, auth: 'AAAA' } }, 'invalid_subscription'],
      [{ ...good, keys: { ...good.keys, auth: 'not base64!' } }, 'validation_failed'],
      [{ endpoint: good.endpoint }, 'validation_failed'],
      [{ ...good, extra: 1 }, 'validation_failed'],
    ];
    for (const [subscription, code] of cases) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/followers`,
        payload: { subscription },
      });
      expect(res.statusCode, JSON.stringify(subscription).slice(0, 120)).toBe(400);
      expect(res.json().error.code).toBe(code);
    }
    const language = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/followers`,
      payload: { subscription: good, language: 'fr' },
    });
    expect(language.json().error.code).toBe('validation_failed');
    const missing = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/cases/C0000000000/followers',
      payload: { subscription: good },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('case_not_found');
    expect(await followersOfCase(ctx.deps.db, caseId)).toEqual([]);
  });

  it('puts no endpoint, key, token or pseudonym in the public log or on the case page', async () => {
    const caseId = await newCase(ctx);
    const { subscriber, token } = await follow(caseId, '/push/private');
    await followCase(ctx.deps, {
      caseId,
      language: 'en',
      follower: { channel: 'line', pseudonym: 'U-private-pseudonym' },
    });
    await decideCaseViaApi(ctx.app, caseId, 'fraud');
    expect(await deliver()).toMatchObject({ sent: 1 });
    await integrateLog(ctx.deps);
    const sth = (await ctx.app.inject({ url: '/api/v1/log/sth' })).json();
    const size = Number(sth.treeSize);
    const leaves: string[] = [];
    for (let start = 0; start < size; start += 1000) {
      const end = Math.min(start + 999, size - 1);
      const res = await ctx.app.inject({ url: `/api/v1/log/entries?start=${start}&end=${end}` });
      for (const entry of res.json().entries) leaves.push(String(entry.leafInput));
    }
    expect(leaves.length).toBeGreaterThan(0);
    const page = (await ctx.app.inject({ url: `/api/v1/cases/${caseId}` })).body;
    const timeline = (await ctx.app.inject({ url: `/api/v1/cases/${caseId}/timeline` })).body;
    const published = [...leaves, page, timeline].join('\n');
    const decoded = leaves.map((leaf) => Buffer.from(leaf, 'base64').toString('utf8')).join('\n');
    for (const secret of [
      push.origin,
      '/push/private',
      subscriber.json('x').keys.p256dh,
      subscriber.json('x').keys.auth,
      token,
      'U-private-pseudonym',
    ]) {
      expect(published).not.toContain(secret);
      expect(decoded).not.toContain(secret);
    }
    // Its LINE message would otherwise wait for the next test's LINE sender.
    expect(await unfollowAsLineUser(ctx.deps, 'U-private-pseudonym')).toBe(1);
  });

  it('dispatches LINE followers to the registered sender, and keeps them queued without one', async () => {
    const caseId = await newCase(ctx);
    await followCase(ctx.deps, {
      caseId,
      language: 'zh-TW',
      follower: { channel: 'line', pseudonym: 'U-line-pseudonym-1' },
    });
    await decideCaseViaApi(ctx.app, caseId, 'fraud');
    // No LINE sender registered: the message waits (and Web Push followers are unaffected).
    expect(await deliverCaseUpdates(ctx.deps, {})).toMatchObject({ queued: 1, sent: 0 });
    expect(await deliveriesOfCase(ctx.deps.db, caseId)).toMatchObject([
      { status: 'fraud_confirmed', attempts: 0, sentAt: null },
    ]);
    const calls: Array<[string, string]> = [];
    const line = async (_deps: unknown, pseudonym: string, text: string): Promise<SendOutcome> => {
      calls.push([pseudonym, text]);
      return { kind: 'sent' };
    };
    expect(await deliverCaseUpdates(ctx.deps, { line })).toMatchObject({ sent: 1 });
    expect(await deliverCaseUpdates(ctx.deps, { line })).toMatchObject({ sent: 0 });
    expect(calls).toEqual([
      ['U-line-pseudonym-1', `您追蹤的案件有新進度\n案件 ${caseId}：詐騙訊息，尚未通知平台`],
    ]);
    // A LINE user can stop following one case or all of them, by pseudonym.
    const other = await newCase(ctx);
    for (const id of [caseId, other]) {
      await followCase(ctx.deps, {
        caseId: id,
        language: 'zh-TW',
        follower: { channel: 'line', pseudonym: 'U-line-pseudonym-3' },
      });
    }
    expect(await unfollowAsLineUser(ctx.deps, 'U-line-pseudonym-3', other)).toBe(1);
    expect(await unfollowAsLineUser(ctx.deps, 'U-line-pseudonym-3')).toBe(1);
    expect(await unfollowAsLineUser(ctx.deps, 'U-line-pseudonym-3')).toBe(0);
    expect(await followersOfCase(ctx.deps.db, caseId)).toHaveLength(1);

    // A user who blocked the bot is forgotten.
    const blockedCase = await newCase(ctx);
    await followCase(ctx.deps, {
      caseId: blockedCase,
      language: 'en',
      follower: { channel: 'line', pseudonym: 'U-line-pseudonym-2' },
    });
    await decideCaseViaApi(ctx.app, blockedCase, 'fraud');
    const gone = async (): Promise<SendOutcome> => ({ kind: 'gone', detail: 'blocked' });
    expect(await deliverCaseUpdates(ctx.deps, { line: gone })).toMatchObject({ removed: 1 });
    expect(await followersOfCase(ctx.deps.db, blockedCase)).toEqual([]);
  });
});

describe.each(testDialects())('Web Push guarded and switched off on %s', (dialect) => {
  let guarded: TestApp;
  let off: TestApp;
  let push: PushService;

  beforeAll(async () => {
    push = await startPushService(VAPID.publicKey);
    // Loopback not allowed: as in production.
    guarded = await buildTestApp(dialect, { env: { ...VAPID_ENV, SWEEP_INTERVAL_SECONDS: '0' } });
    off = await buildTestApp(dialect, { env: { SWEEP_INTERVAL_SECONDS: '0' } });
  });
  afterAll(async () => {
    await guarded?.close();
    await off?.close();
    await push?.close();
  });

  it('refuses endpoints at private, loopback or plain-http addresses (SSRF)', async () => {
    const caseId = await newCase(guarded);
    const subscriber = newSubscriber();
    for (const endpoint of [
      'https://10.0.0.8/push/1',
      'https://127.0.0.1/push/1',
      'https://[::1]/push/1',
      'https://169.254.169.254/latest/meta-data',
      'https://localhost/push/1',
      `http://push.example.net/push/1`,
      'https://push.example.net:8443/push/1',
    ]) {
      const res = await guarded.app.inject({
        method: 'POST',
        url: `/api/v1/cases/${caseId}/followers`,
        payload: { subscription: subscriber.json(endpoint) },
      });
      expect(res.statusCode, endpoint).toBe(400);
      expect(res.json().error.code).toBe('invalid_subscription');
    }
    expect(await followersOfCase(guarded.deps.db, caseId)).toEqual([]);
  });

  it('refuses at send time too: a stored endpoint the guard refuses is never contacted', async () => {
    const subscriber = newSubscriber();
    const endpoint = push.subscribe('/push/ssrf', subscriber);
    const outcome = await sendWebPush(
      { ...VAPID, subject: 'mailto:ops@scamnet.test' },
      { allowLoopback: false, allowedPorts: [80, 443, push.port] },
      subscriber.json(endpoint),
      '{}',
      5_000,
    );
    expect(outcome).toEqual({ kind: 'gone', detail: 'endpoint refused: blocked_address' });
    expect(push.received).toEqual([]);
  });

  it('has no key and answers 404 push_disabled to following without WEB_PUSH_*', async () => {
    const caseId = await newCase(off);
    const key = await off.app.inject({ url: '/api/v1/push/vapid-public-key' });
    expect(key.statusCode).toBe(200);
    expect(key.json()).toEqual({ publicKey: null });
    const followed = await off.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/followers`,
      payload: { subscription: newSubscriber().json('https://push.example.net/x') },
    });
    expect(followed.statusCode).toBe(404);
    expect(followed.json().error.code).toBe('push_disabled');
  });
});
