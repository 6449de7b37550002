/**
 * The LINE bot end to end (issue 15): signed webhooks from a fake LINE Platform on loopback
 * (./fake-line.ts) through the HTTP app, on SQLite and PostgreSQL. Signature checks before
 * anything is stored, redeliveries stored once, oversized bodies, the bot switched off, text
 * checks (known and unknown), reports by postback, images as screenshots, follow/unfollow,
 * pushes, and that the raw LINE user ID never leaves the private tables.
 */
import {
  TEST_ADMIN_TOKEN,
  buildTestApp,
  buildTestNode,
  createTestContext,
  testDialects,
  useTestApp,
} from '../harness.js';
import { pino } from 'pino';
import { buildApp } from '../../src/app/index.js';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { outboundPolicyOf } from '../../src/evidence/index.js';
import { deliverCaseUpdates } from '../../src/followers/index.js';
import {
  EVENT_MAX_ATTEMPTS,
  EVENT_RETRY_MS,
  LINE_WEBHOOK_BODY_LIMIT,
  OFFER_KEEP_MS,
  STALE_CLAIM_MS,
  findLineUser,
  findWebhookEvent,
  followerSendersOf,
  lineApiOf,
  linePseudonym,
  pushToLineUser,
  reportPseudonym,
} from '../../src/line/index.js';
import { decideCaseViaApi, reportIdsOfCase, submitReportViaApi } from '../factories.js';
import { solidPng } from '../intake/images.js';
import {
  CHANNEL_SECRET,
  lineEvent,
  lineSignature,
  startFakeLine,
  textEvent,
  type FakeLine,
} from './fake-line.js';

const ZH_USER = `U${'a1'.repeat(16)}`;
const EN_USER = `U${'b2'.repeat(16)}`;
const IMAGE_USER = `U${'c3'.repeat(16)}`;

type Ctx = Awaited<ReturnType<typeof buildTestApp>>;

async function webhook(
  ctx: Ctx,
  events: Array<Record<string, unknown>>,
  signature: string | null = 'valid',
  rawBody?: string,
) {
  const body = rawBody ?? JSON.stringify({ destination: `U${'0'.repeat(32)}`, events });
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  if (signature !== null) {
    headers['x-line-signature'] = signature === 'valid' ? lineSignature(body) : signature;
  }
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/line/webhook',
    headers,
    payload: body,
  });
  // The bot works after the answer: wait for it (the onResponse hook started it already).
  ctx.app.lineBot?.kick();
  await ctx.app.lineBot?.idle();
  return res;
}

function textOf(message: Record<string, unknown> | undefined): string {
  return typeof message?.text === 'string' ? message.text : '';
}

/** The postback data of the quick reply items of `message`. */
function postbacksOf(message: Record<string, unknown> | undefined): string[] {
  const quick = message?.quickReply;
  if (typeof quick !== 'object' || quick === null || !('items' in quick)) return [];
  const items: unknown = quick.items;
  if (!Array.isArray(items)) return [];
  return items.flatMap((item: unknown) => {
    const data: unknown =
      typeof item === 'object' && item !== null && 'action' in item
        ? (item.action as { data?: unknown }).data
        : undefined;
    return typeof data === 'string' ? [data] : [];
  });
}

function replyTokenOf(event: Record<string, unknown>): string {
  return String(event.replyToken);
}

describe('the LINE webhook when the bot is not configured', () => {
  it('is not there (404), signed or not', async () => {
    const ctx = await buildTestApp('sqlite');
    try {
      const body = JSON.stringify({ destination: 'U0', events: [] });
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/line/webhook',
        headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(body) },
        payload: body,
      });
      expect(res.statusCode).toBe(404);
      expect(ctx.app.lineBot).toBeNull();
    } finally {
      await ctx.close();
    }
  });

  it('refuses a configuration with only one of the secret and the token', () => {
    expect(() => loadConfig({ LINE_CHANNEL_SECRET: CHANNEL_SECRET })).toThrow(
      /LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN must be set together/,
    );
  });
});

describe('the LINE API calls', () => {
  it('go through the guarded client: a loopback API is refused unless loopback is allowed', async () => {
    const fake = await startFakeLine();
    try {
      const config = loadConfig({ ...fake.env, CAPTURE_ALLOW_LOOPBACK: 'false' });
      if (config.line === undefined) throw new Error('configured above');
      const api = lineApiOf(config.line, outboundPolicyOf(config));
      await expect(api.push({ to: ZH_USER, messages: [] })).rejects.toMatchObject({
        name: 'OutboundError',
        code: 'blocked_address',
      });
      await expect(api.content('m1', 10)).rejects.toMatchObject({ code: 'blocked_address' });
      expect(fake.requests).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});

describe('the keyed pseudonym of a LINE user', () => {
  it('is stable under one channel secret, differs under another, and hides the ID', () => {
    const a = linePseudonym(CHANNEL_SECRET, ZH_USER);
    expect(a).toBe(linePseudonym(CHANNEL_SECRET, ZH_USER));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(linePseudonym(`${CHANNEL_SECRET}x`, ZH_USER));
    expect(a).not.toBe(linePseudonym(CHANNEL_SECRET, EN_USER));
    expect(a).not.toBe(createHash('sha256').update(ZH_USER).digest('hex'));
  });
});

describe.each(testDialects())('the LINE bot on %s', (dialect) => {
  let fake: FakeLine;
  const env: Record<string, string> = {};
  beforeAll(async () => {
    fake = await startFakeLine();
    Object.assign(env, fake.env);
    fake.languages.set(ZH_USER, 'zh-TW');
    fake.languages.set(EN_USER, 'en');
    fake.languages.set(IMAGE_USER, undefined);
  });
  afterAll(async () => {
    await fake.close();
  });
  const ctx = useTestApp(dialect, { env });

  it('refuses a missing or wrong signature with 401 and stores nothing', async () => {
    const event = textEvent(ZH_USER, 'https://unsigned.example-scam.com.tw/');
    const before = fake.requests.length;
    const missing = await webhook(ctx, [event], null);
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ error: { code: 'invalid_signature' } });
    const wrong = await webhook(ctx, [event], lineSignature('{"events":[]}'));
    expect(wrong.statusCode).toBe(401);
    const otherSecret = JSON.stringify({ destination: 'U0', events: [event] });
    const forged = await webhook(
      ctx,
      [],
      lineSignature(otherSecret, 'another-secret-0123456789abcdef'),
      otherSecret,
    );
    expect(forged.statusCode).toBe(401);
    const garbage = await webhook(ctx, [event], 'not base64 at all!');
    expect(garbage.statusCode).toBe(401);
    expect(await findWebhookEvent(ctx.deps.db, String(event.webhookEventId))).toBeUndefined();
    expect(fake.requests.length).toBe(before);
  });

  it('refuses a body over the limit (413) and a signed body that is not a webhook (400)', async () => {
    const event = textEvent(ZH_USER, 'x'.repeat(LINE_WEBHOOK_BODY_LIMIT));
    const big = await webhook(ctx, [event]);
    expect(big.statusCode).toBe(413);
    expect(await findWebhookEvent(ctx.deps.db, String(event.webhookEventId))).toBeUndefined();
    const notJson = await webhook(ctx, [], 'valid', '{"events": [');
    expect(notJson.statusCode).toBe(400);
    const wrongShape = await webhook(ctx, [], 'valid', '{"events": [{"type": "message"}]}');
    expect(wrongShape.statusCode).toBe(400);
    // A kind of event the bot does not handle is stored once and ignored, not refused.
    const odd = lineEvent(ZH_USER, {
      type: 'beacon',
      beacon: { hwid: 'd41d8cd98f', type: 'enter' },
    });
    const oddRes = await webhook(ctx, [odd]);
    expect(oddRes.json()).toEqual({ received: 1, stored: 1 });
    expect(await findWebhookEvent(ctx.deps.db, String(odd.webhookEventId))).toMatchObject({
      state: 'done',
    });
    expect(fake.repliesTo(replyTokenOf(odd))).toEqual([]);
  });

  it('answers a text that cannot be checked with what the bot can check', async () => {
    for (const text of ['hi', 'a\u0000b 0912-345-678', '\ud800 https://x.example-scam.tw/']) {
      const event = textEvent(ZH_USER, text);
      await webhook(ctx, [event]);
      expect(textOf(fake.repliesTo(replyTokenOf(event))[0]), text).toContain('請把可疑的訊息');
      expect(await findWebhookEvent(ctx.deps.db, String(event.webhookEventId))).toMatchObject({
        state: 'done',
      });
    }
  });

  it('answers LINE’s verification call (no events) with 200', async () => {
    const res = await webhook(ctx, []);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: 0, stored: 0 });
  });

  it('welcomes a new friend in both languages and records them as following', async () => {
    const follow = lineEvent(ZH_USER, { type: 'follow', follow: { isUnblocked: false } });
    const res = await webhook(ctx, [follow]);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: 1, stored: 1 });
    const [welcome] = fake.repliesTo(replyTokenOf(follow));
    expect(textOf(welcome)).toContain('歡迎');
    expect(textOf(welcome)).toContain('Welcome');
    const user = await findLineUser(ctx.deps.db, linePseudonym(CHANNEL_SECRET, ZH_USER));
    expect(user).toMatchObject({ language: 'zh-TW', user_id: ZH_USER });
    const stored = await findWebhookEvent(ctx.deps.db, String(follow.webhookEventId));
    // Processed: the body (which holds the user ID) is gone.
    expect(stored).toMatchObject({ state: 'done', body: null });
  });

  it('stores a redelivered event once and answers it once', async () => {
    const event = textEvent(ZH_USER, '0912-345-678');
    const first = await webhook(ctx, [event]);
    const again = await webhook(ctx, [{ ...event, deliveryContext: { isRedelivery: true } }]);
    expect(first.json()).toEqual({ received: 1, stored: 1 });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ received: 1, stored: 0 });
    const replies = fake.requests.filter(
      (r) =>
        r.path === '/v2/bot/message/reply' && JSON.stringify(r.body).includes(replyTokenOf(event)),
    );
    expect(replies).toHaveLength(1);
  });

  it('answers a known case with its label, colour, reports and page, in the user’s language', async () => {
    const url = 'https://line-known.example-scam.com.tw/invest';
    const reported = await submitReportViaApi(ctx.app, { url, text: '保證獲利 投資群組' });
    await decideCaseViaApi(ctx.app, reported.case.id, 'fraud');
    const zh = textEvent(ZH_USER, url);
    await webhook(ctx, [zh]);
    const [zhReply] = fake.repliesTo(replyTokenOf(zh));
    expect(textOf(zhReply)).toContain('🔴');
    expect(textOf(zhReply)).toContain('詐騙網站');
    expect(textOf(zhReply)).toContain('紅色');
    expect(textOf(zhReply)).toContain('1 則通報');
    expect(textOf(zhReply)).toContain(`https://scamnet.example/cases/${reported.case.id}`);
    expect(postbacksOf(zhReply)).toEqual([]);

    const en = textEvent(EN_USER, url);
    await webhook(ctx, [en]);
    const [enReply] = fake.repliesTo(replyTokenOf(en));
    expect(textOf(enReply)).toMatch(/^🔴 Scam/);
    expect(textOf(enReply)).toContain('(red)');
    expect(textOf(enReply)).toContain('1 report.');
    expect(textOf(enReply)).toContain(`https://scamnet.example/cases/${reported.case.id}`);
  });

  it('offers to report unknown content; the postback reports it with channel line; “tell me” is recorded', async () => {
    const message =
      '你好，我是投資老師，加入 LINE 群組 https://stock-teacher-club.tw/join 每天穩賺 5%';
    const text = textEvent(ZH_USER, message);
    await webhook(ctx, [text]);
    const [offer] = fake.repliesTo(replyTokenOf(text));
    expect(textOf(offer)).toContain('查無紀錄');
    const [data] = postbacksOf(offer);
    expect(data).toMatch(/^report:/);

    const press = lineEvent(ZH_USER, { type: 'postback', postback: { data } });
    await webhook(ctx, [press]);
    const [thanks] = fake.repliesTo(replyTokenOf(press));
    const caseId = /案件 ([A-Za-z0-9]+)/.exec(textOf(thanks))?.[1] ?? '';
    expect(caseId).not.toBe('');
    expect(textOf(thanks)).toContain(`https://scamnet.example/cases/${caseId}`);
    const reports = await ctx.deps.db
      .selectFrom('reports')
      .selectAll()
      .where('case_id', '=', caseId)
      .execute();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      channel: 'line',
      source_kind: 'line_bot',
      source: 'line',
      text: message,
    });
    expect(await reportPseudonym(ctx.deps.db, reports[0]?.id ?? '')).toBe(
      linePseudonym(CHANNEL_SECRET, ZH_USER),
    );
    const [followData] = postbacksOf(thanks);
    expect(followData).toBe(`follow:${caseId}`);

    // Pressing "report" again (or the event processed again) makes no second report.
    const pressAgain = lineEvent(ZH_USER, { type: 'postback', postback: { data } });
    await webhook(ctx, [pressAgain]);
    expect(textOf(fake.repliesTo(replyTokenOf(pressAgain))[0])).toContain(caseId);
    expect(await reportIdsOfCase(ctx, caseId)).toHaveLength(1);

    const tell = lineEvent(ZH_USER, { type: 'postback', postback: { data: followData } });
    await webhook(ctx, [tell]);
    expect(textOf(fake.repliesTo(replyTokenOf(tell))[0])).toContain('通知你');
    const followers = await ctx.deps.db
      .selectFrom('case_followers')
      .select(['channel', 'target'])
      .where('case_id', '=', caseId)
      .execute();
    expect(followers.map((f) => [f.channel, f.target])).toEqual([
      ['line', linePseudonym(CHANNEL_SECRET, ZH_USER)],
    ]);

    // Word back: once the case is decided, the follower gets one LINE push with its state.
    // The first push is accepted but its answer lost: the retry carries the same
    // X-Line-Retry-Key, LINE answers 409, and the user still gets one message.
    const pushesBefore = fake.pushes().length;
    await decideCaseViaApi(ctx.app, caseId, 'fraud');
    fake.loseNextPushAnswer = true;
    const senders = followerSendersOf(ctx.deps.config);
    expect(await deliverCaseUpdates(ctx.deps, senders)).toMatchObject({ sent: 0, retried: 1 });
    ctx.clock.advance(61_000);
    expect(await deliverCaseUpdates(ctx.deps, senders)).toMatchObject({ sent: 1 });
    expect(await deliverCaseUpdates(ctx.deps, senders)).toMatchObject({ sent: 0 });
    const pushed = fake.pushes().slice(pushesBefore);
    expect(pushed.map((p) => p.to)).toEqual([ZH_USER]);
    expect(textOf(pushed[0]?.messages[0])).toContain('詐騙');

    // Another user cannot report this user's offer.
    const stranger = lineEvent(EN_USER, { type: 'postback', postback: { data } });
    await webhook(ctx, [stranger]);
    expect(textOf(fake.repliesTo(replyTokenOf(stranger))[0])).toContain('could not report');
  });

  it('forgets an offer never reported after a day (its text is personal data)', async () => {
    const text = textEvent(
      ZH_USER,
      '朋友傳來：王小明的帳號被盜，請匯款到這裡 https://never-reported.example.tw/',
    );
    await webhook(ctx, [text]);
    const [data] = postbacksOf(fake.repliesTo(replyTokenOf(text))[0]);
    const offerId = (data ?? '').replace(/^report:/, '');
    const offer = () =>
      ctx.deps.db.selectFrom('line_report_offers').select('id').where('id', '=', offerId).execute();
    expect(await offer()).toHaveLength(1);
    expect(await ctx.app.lineBot?.sweep()).toBe(0);
    expect(await offer()).toHaveLength(1);
    ctx.clock.advance(OFFER_KEEP_MS + 1000);
    expect(await ctx.app.lineBot?.sweep()).toBeGreaterThanOrEqual(1);
    expect(await offer()).toEqual([]);
    // Pressing "report" now makes nothing and says so.
    const press = lineEvent(ZH_USER, { type: 'postback', postback: { data } });
    await webhook(ctx, [press]);
    expect(textOf(fake.repliesTo(replyTokenOf(press))[0])).toContain('無法通報');
  });

  it('keeps an image as the screenshot of the report made with the text sent after it', async () => {
    const png = solidPng(8, 8);
    fake.contents.set('img-1', png);
    const image = lineEvent(IMAGE_USER, {
      type: 'message',
      message: { id: 'img-1', type: 'image', contentProvider: { type: 'line' } },
    });
    await webhook(ctx, [image]);
    const [gotIt] = fake.repliesTo(replyTokenOf(image));
    // No language in the profile: zh-TW.
    expect(textOf(gotIt)).toContain('已收到截圖');
    const text = textEvent(
      IMAGE_USER,
      '恭喜中獎！請加 LINE ID: @prize-line-scam-test 領取獎金 10 萬元',
    );
    await webhook(ctx, [text]);
    const [offer] = fake.repliesTo(replyTokenOf(text));
    const [data] = postbacksOf(offer);
    expect(data).toMatch(/^report:/);
    const press = lineEvent(IMAGE_USER, { type: 'postback', postback: { data } });
    await webhook(ctx, [press]);
    const caseId = /案件 ([A-Za-z0-9]+)/.exec(textOf(fake.repliesTo(replyTokenOf(press))[0]))?.[1];
    const report = await ctx.deps.db
      .selectFrom('reports')
      .selectAll()
      .where('case_id', '=', caseId ?? '')
      .executeTakeFirstOrThrow();
    expect(report.channel).toBe('line');
    expect(report.screenshot_sha256).toBe(createHash('sha256').update(png).digest('hex'));

    // Not an image type web uploads take: refused, nothing kept.
    fake.contents.set('img-2', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'));
    const svg = lineEvent(IMAGE_USER, {
      type: 'message',
      message: { id: 'img-2', type: 'image', contentProvider: { type: 'line' } },
    });
    await webhook(ctx, [svg]);
    expect(textOf(fake.repliesTo(replyTokenOf(svg))[0])).toContain('PNG');
    // Larger than REPORT_SCREENSHOT_MAX_BYTES: refused.
    fake.contents.set(
      'img-3',
      Buffer.concat([png, Buffer.alloc(ctx.config.reportScreenshotMaxBytes)]),
    );
    const big = lineEvent(IMAGE_USER, {
      type: 'message',
      message: { id: 'img-3', type: 'image', contentProvider: { type: 'line' } },
    });
    await webhook(ctx, [big]);
    expect(textOf(fake.repliesTo(replyTokenOf(big))[0])).toContain('圖片太大');
  });

  it('pushes to a follower by pseudonym; unfollow forgets the user and its followings', async () => {
    const pseudonym = linePseudonym(CHANNEL_SECRET, EN_USER);
    await pushToLineUser(ctx.deps, pseudonym, [{ type: 'text', text: 'Case decided: scam.' }]);
    const [push] = fake.pushes().slice(-1);
    expect(push).toEqual({
      to: EN_USER,
      messages: [{ type: 'text', text: 'Case decided: scam.' }],
    });

    const followed = await submitReportViaApi(ctx.app, { text: '追蹤後封鎖 0912-345-001 投資' });
    await webhook(ctx, [
      lineEvent(EN_USER, { type: 'postback', postback: { data: `follow:${followed.case.id}` } }),
    ]);
    const followersOf = () =>
      ctx.deps.db
        .selectFrom('case_followers')
        .select('id')
        .where('case_id', '=', followed.case.id)
        .execute();
    expect(await followersOf()).toHaveLength(1);

    await webhook(ctx, [lineEvent(EN_USER, { type: 'unfollow' })]);
    // The raw user ID is gone with the user, and so are its followings.
    expect(await findLineUser(ctx.deps.db, pseudonym)).toBeUndefined();
    expect(
      await ctx.deps.db
        .selectFrom('line_users')
        .select('pseudonym')
        .where('user_id', '=', EN_USER)
        .execute(),
    ).toEqual([]);
    expect(await followersOf()).toEqual([]);
    const pushes = fake.pushes().length;
    await expect(
      pushToLineUser(ctx.deps, pseudonym, [{ type: 'text', text: 'x' }]),
    ).rejects.toMatchObject({ status: 404, code: 'line_user_not_found' });
    await expect(
      pushToLineUser(ctx.deps, 'f'.repeat(64), [{ type: 'text', text: 'x' }]),
    ).rejects.toMatchObject({ status: 404, code: 'line_user_not_found' });
    expect(fake.pushes()).toHaveLength(pushes);

    // Following again allows pushes again.
    await webhook(ctx, [lineEvent(EN_USER, { type: 'follow', follow: { isUnblocked: true } })]);
    await pushToLineUser(ctx.deps, pseudonym, [{ type: 'text', text: 'again' }]);
    expect(fake.pushes()).toHaveLength(pushes + 1);
  });

  it('meets a user anew after a new channel secret (the old pseudonym’s row does not block it)', async () => {
    const user = `U${'d4'.repeat(16)}`;
    // As a row written under the previous channel secret holds it.
    await ctx.deps.db
      .insertInto('line_users')
      .values({
        pseudonym: 'e'.repeat(64),
        user_id: user,
        language: 'zh-TW',
        updated_at: new Date(ctx.clock.now()).toISOString(),
      })
      .execute();
    const text = textEvent(user, '請問 0987-000-321 是詐騙嗎');
    await webhook(ctx, [text]);
    expect(await findWebhookEvent(ctx.deps.db, String(text.webhookEventId))).toMatchObject({
      state: 'done',
    });
    expect(fake.repliesTo(replyTokenOf(text))).toHaveLength(1);
    expect(await findLineUser(ctx.deps.db, linePseudonym(CHANNEL_SECRET, user))).toMatchObject({
      user_id: user,
    });
  });

  it('processes events stored before a crash: at start, and when a dead node’s claim is stale', async () => {
    const bot = ctx.app.lineBot;
    if (bot === null) throw new Error('the bot is configured here');
    // Stored and answered 200, then the node died before processing it.
    const waiting = textEvent(ZH_USER, '請問 0987-654-321 是詐騙嗎');
    await bot.accept({ events: [waiting] } as Parameters<typeof bot.accept>[0]);
    expect(await findWebhookEvent(ctx.deps.db, String(waiting.webhookEventId))).toMatchObject({
      state: 'pending',
    });
    expect(fake.repliesTo(replyTokenOf(waiting))).toEqual([]);
    const node = await buildTestNode(ctx);
    try {
      // The new node takes it up when it starts.
      await node.app.lineBot?.idle();
      expect(await findWebhookEvent(ctx.deps.db, String(waiting.webhookEventId))).toMatchObject({
        state: 'done',
      });
      expect(fake.repliesTo(replyTokenOf(waiting))).toHaveLength(1);

      // Claimed by a node that died: left alone while the claim is fresh, taken after.
      const claimed = textEvent(ZH_USER, '請問 0987-654-322 是詐騙嗎');
      await bot.accept({ events: [claimed] } as Parameters<typeof bot.accept>[0]);
      const id = String(claimed.webhookEventId);
      const claimedAt = new Date(ctx.clock.now()).toISOString();
      await ctx.deps.db
        .updateTable('line_webhook_events')
        .set({ state: 'processing', claimed_at: claimedAt })
        .where('webhook_event_id', '=', id)
        .execute();
      node.app.lineBot?.kick();
      await node.app.lineBot?.idle();
      expect(await findWebhookEvent(ctx.deps.db, id)).toMatchObject({ state: 'processing' });
      ctx.clock.advance(STALE_CLAIM_MS + 1000);
      node.app.lineBot?.kick();
      await node.app.lineBot?.idle();
      expect(await findWebhookEvent(ctx.deps.db, id)).toMatchObject({ state: 'done' });
      expect(fake.repliesTo(replyTokenOf(claimed))).toHaveLength(1);
    } finally {
      await node.close();
    }
  });

  it('writes no raw LINE user ID to the log, even when processing fails', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    const own = await createTestContext(dialect, { env });
    const app = await buildApp({ deps: { ...own.deps, log }, adminToken: TEST_ADMIN_TOKEN });
    try {
      await app.ready();
      const user = `U${'d4'.repeat(16)}`;
      const events = [
        lineEvent(user, { type: 'follow', follow: { isUnblocked: false } }),
        textEvent(user, '這是詐騙嗎 https://log-check.example-scam.tw/ 0912-000-111'),
        // Content LINE does not have: the event fails and the failure is logged.
        lineEvent(user, {
          type: 'message',
          message: { id: 'missing-image', type: 'image', contentProvider: { type: 'line' } },
        }),
        lineEvent(user, { type: 'postback', postback: { data: 'report:NOSUCHOFFER' } }),
        // Answered too late (the token expired): the work stands, the failed reply is logged.
        { ...textEvent(user, '0912-000-112'), replyToken: 'expired-token' },
        lineEvent(user, { type: 'unfollow' }),
      ];
      const body = JSON.stringify({ destination: 'U0', events });
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/line/webhook',
        headers: { 'content-type': 'application/json', 'x-line-signature': lineSignature(body) },
        payload: body,
      });
      expect(res.statusCode).toBe(200);
      app.lineBot?.kick();
      await app.lineBot?.idle();
      // A failed attempt is tried again after EVENT_RETRY_MS, EVENT_MAX_ATTEMPTS in all.
      const failedId = String(events[2]?.webhookEventId);
      expect(await findWebhookEvent(own.deps.db, failedId)).toMatchObject({
        state: 'retry',
        attempts: 1,
      });
      for (let attempt = 2; attempt <= EVENT_MAX_ATTEMPTS; attempt += 1) {
        own.clock.advance(EVENT_RETRY_MS + 1000);
        app.lineBot?.kick();
        await app.lineBot?.idle();
      }
      const failed = await findWebhookEvent(own.deps.db, failedId);
      expect(failed).toMatchObject({ state: 'failed', body: null, attempts: EVENT_MAX_ATTEMPTS });
      expect(lines.join('\n')).toContain('LINE bot: event failed');
      expect(lines.join('\n')).toContain('LINE bot: reply failed');
      expect(await findWebhookEvent(own.deps.db, String(events[4]?.webhookEventId))).toMatchObject({
        state: 'done',
      });
      expect(lines.join('\n')).not.toContain(user);
    } finally {
      await app.close();
      await own.close();
    }
  });

  it('never shows a raw LINE user ID on a public route or in the event log', async () => {
    const reports = await ctx.deps.db
      .selectFrom('reports')
      .select(['case_id', 'id'])
      .where('channel', '=', 'line')
      .execute();
    expect(reports.length).toBeGreaterThan(0);
    const bodies: string[] = [];
    for (const { case_id: caseId } of reports) {
      for (const url of [`/api/v1/cases/${caseId}`, `/api/v1/cases/${caseId}/timeline`]) {
        const res = await ctx.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(200);
        bodies.push(res.body);
      }
    }
    const search = await ctx.app.inject({ method: 'GET', url: '/api/v1/search?q=投資老師' });
    bodies.push(search.body);
    const events = await ctx.deps.db.selectFrom('events').selectAll().execute();
    bodies.push(JSON.stringify(events));
    const stored = await ctx.deps.db.selectFrom('reports').selectAll().execute();
    bodies.push(JSON.stringify(stored));
    for (const userId of [ZH_USER, EN_USER, IMAGE_USER]) {
      for (const body of bodies) expect(body).not.toContain(userId);
    }
    // Only line_users keeps it; processed events have dropped their bodies.
    const pending = await ctx.deps.db
      .selectFrom('line_webhook_events')
      .select('body')
      .where('body', 'is not', null)
      .execute();
    expect(pending).toEqual([]);
  });
});
