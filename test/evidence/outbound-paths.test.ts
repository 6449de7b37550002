/**
 * Every outbound path goes through the guarded client (src/evidence/outbound.ts), so every one
 * refuses loopback and cloud-metadata targets — written plainly, as IPv6 literals, in IPv6
 * transition forms, or behind a name — when CAPTURE_ALLOW_LOOPBACK is off: analysts' captures,
 * takedown re-checks, the takedown monitor and platform webhooks. A trap server on loopback
 * records any request that gets through; none may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  captureCase,
  guardedRequest,
  OutboundError,
  recheckUrl,
  runTakedownRechecks,
  type MonitoredNotice,
  type NoticeRecheck,
  type Resolver,
  type TakedownMonitorHooks,
} from '../../src/evidence/index.js';

import { deliver } from '../../src/takedown/delivery.js';
import { setPlatformChannel } from '../../src/takedown/channels.service.js';
import { createNoticesForCase } from '../../src/takedown/notices.service.js';
import type { Dialect } from '../../src/store/index.js';
import {
  createTestContext,
  testDialects,
  type TestContext,
  listenOnLoopback,
  type LoopbackServer,
} from '../harness.js';
import { submitTestReport } from '../factories.js';

import type { Actor } from '../../src/policy/index.js';
const ADMIN: Actor = { role: 'admin', id: 'admin:test' };

/** Names that resolve inside, as a hostile DNS zone would answer. */
const resolver: Resolver = async (hostname) => {
  const answers: Record<string, string> = {
    'loopback.example': '127.0.0.1',
    'compat.example': '::7f00:1',
    'metadata.example': '::ffff:a9fe:a9fe',
  };
  const address = answers[hostname];
  if (address === undefined) {
    throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  }
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};

describe.each(testDialects())('outbound paths on %s', (dialect: Dialect) => {
  let trap: LoopbackServer;
  let port = 0;
  const hits: string[] = [];
  let ctx: TestContext;
  /** Hostile targets on the trap's port (allowed, so only the address policy refuses them). */
  let targets: string[] = [];

  beforeAll(async () => {
    trap = await listenOnLoopback((req, res) => {
      hits.push(`${req.method ?? ''} ${req.url ?? ''}`);
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<title>trap</title>');
    });
    ({ port } = trap);
    targets = [
      `http://127.0.0.1:${port}/plain`,
      `http://[::1]:${port}/ipv6-literal`,
      `http://[::7f00:1]:${port}/ipv4-compatible`,
      `http://[::ffff:127.0.0.1]:${port}/ipv4-mapped`,
      `http://[::a9fe:a9fe]:${port}/metadata-compatible`,
      `http://169.254.169.254:${port}/latest/meta-data/`,
      `http://loopback.example:${port}/name`,
      `http://compat.example:${port}/name-compatible`,
      `http://metadata.example:${port}/name-metadata`,
    ];
    ctx = await createTestContext(dialect, {
      env: {
        CAPTURE_ALLOW_LOOPBACK: 'false',
        CAPTURE_ALLOWED_PORTS: `80,443,${port}`,
        WEBHOOK_TIMEOUT_MS: '2000',
      },
    });
  });
  afterAll(async () => {
    await ctx?.close();
    await trap.close();
  });

  it('the guarded client refuses each target before connecting', async () => {
    for (const target of targets) {
      const refusal = await guardedRequest(
        target,
        { allowLoopback: false, allowedPorts: [port], resolver },
        { method: 'POST', headers: {}, body: '{}', timeoutMs: 2000 },
        async () => 'sent',
      ).catch((error: unknown) => error);
      expect(refusal, target).toBeInstanceOf(OutboundError);
      expect(refusal instanceof OutboundError && refusal.code, target).toBe('blocked_address');
    }
    expect(hits).toEqual([]);
  });

  it('captures and re-checks are refused', async () => {
    for (const target of targets) {
      const recheck = await recheckUrl(ctx.deps, target, { resolver, actor: 'system:recheck' });
      expect(recheck.outcome, target).toBe('refused');
      expect(recheck.error?.code, target).toBe('blocked_address');
      expect(recheck.observation, target).toEqual({ state: 'unknown', reason: 'refused' });
    }
    const reported = await submitTestReport(ctx, {
      url: `http://127.0.0.1:${port}/reported`,
    });
    const captures = await captureCase(ctx.deps, ADMIN, reported.case.id, { resolver });
    expect(captures.map((c) => [c.outcome, c.error?.code])).toEqual([
      ['refused', 'blocked_address'],
    ]);
    expect(hits).toEqual([]);
  });

  it('the takedown monitor is refused', async () => {
    const checks: NoticeRecheck[] = [];
    const notice: MonitoredNotice = {
      noticeId: 'N1',
      caseId: 'C1',
      urls: targets,
      sentAt: ctx.clock.now() - 3 * 3_600_000,
      lastCheckedAt: null,
      claimedRemovedAt: null,
      open: true,
    };
    const hooks: TakedownMonitorHooks = {
      listMonitoredNotices: async () => [notice],
      recordRecheck: async (_id, check) => {
        checks.push(check);
      },
      closeAsObservedRemoved: async () => undefined,
      flagClaimContradicted: async () => undefined,
    };
    const summary = await runTakedownRechecks(ctx.deps, hooks, { resolver });
    expect(summary.checked).toBe(1);
    expect(checks[0]?.state).toBe('unknown');
    expect(checks[0]?.reasons).toEqual(targets.map(() => 'refused'));
    expect(hits).toEqual([]);
  });

  it('platform webhooks are refused, and the failed delivery is recorded', async () => {
    const reported = await submitTestReport(ctx, {
      url: 'https://www.facebook.com/ads/library/?id=1234567890',
      text: '保證獲利 加LINE領取飆股',
    });
    // Literal targets only: webhook delivery resolves names through the system resolver.
    const literals = targets.filter((t) => !/\.example:/.test(t));
    for (const [attempt, target] of literals.entries()) {
      await setPlatformChannel(ctx.deps, ADMIN, 'facebook', {
        webhookUrl: target,
        webhookSecret: 'webhook-secret-0123456789',
      });
      const {
        created: [notice],
      } = await ctx.deps.db
        .transaction()
        .execute((trx) => createNoticesForCase(trx, ctx.deps, reported.case.id, 'test'));
      const noticeId =
        notice?.id ??
        (
          await ctx.deps.db
            .selectFrom('takedown_notices')
            .select('id')
            .where('case_id', '=', reported.case.id)
            .executeTakeFirstOrThrow()
        ).id;
      await expect(
        deliver(ctx.deps, {
          id: attempt + 1,
          kind: 'notice_webhook',
          ref: noticeId,
          payload: { noticeId },
          attempt: attempt + 1,
        }),
        target,
      ).rejects.toThrow(/webhook unreachable: .*(loopback|metadata)/);
      const delivery = await ctx.deps.db
        .selectFrom('notice_deliveries')
        .selectAll()
        .where('notice_id', '=', noticeId)
        .where('attempt', '=', attempt + 1)
        .executeTakeFirstOrThrow();
      expect(delivery.status, target).toBe('failed');
      expect(delivery.detail, target).toMatch(/loopback|metadata/);
    }
    expect(hits).toEqual([]);
  });
});
