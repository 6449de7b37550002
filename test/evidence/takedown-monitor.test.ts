/**
 * Takedown monitoring with a fake clock and fake notice hooks (the notice workflow's side), on
 * every dialect, against a loopback server this test starts: a removal observed closes the open
 * notice at the check time; a removal claim contradicted by a live page is flagged; nothing runs
 * before it is due or after the monitoring window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  runTakedownRechecks,
  type MonitoredNotice,
  type NoticeRecheck,
  type TakedownMonitorHooks,
} from '../../src/evidence/index.js';
import type { Dialect } from '../../src/store/index.js';
import {
  createTestContext,
  testDialects,
  type TestContext,
  listenOnLoopback,
  type LoopbackServer,
} from '../harness.js';

const HOUR = 3_600_000;

class FakeNotices implements TakedownMonitorHooks {
  notices = new Map<string, MonitoredNotice>();
  rechecks: [string, NoticeRecheck][] = [];
  closed: [string, number][] = [];
  flagged: string[] = [];
  async listMonitoredNotices(): Promise<MonitoredNotice[]> {
    return [...this.notices.values()];
  }
  async recordRecheck(noticeId: string, check: NoticeRecheck): Promise<void> {
    this.rechecks.push([noticeId, check]);
    const notice = this.notices.get(noticeId);
    if (notice !== undefined)
      this.notices.set(noticeId, { ...notice, lastCheckedAt: check.checkedAt });
  }
  async closeAsObservedRemoved(noticeId: string, check: NoticeRecheck): Promise<void> {
    this.closed.push([noticeId, check.checkedAt]);
    const notice = this.notices.get(noticeId);
    if (notice !== undefined) this.notices.set(noticeId, { ...notice, open: false });
  }
  async flagClaimContradicted(noticeId: string): Promise<void> {
    this.flagged.push(noticeId);
  }
}

describe.each(testDialects())('takedown monitoring on %s', (dialect: Dialect) => {
  let server: LoopbackServer;
  let port = 0;
  let ctx: TestContext;
  let adRemoved = false;

  beforeAll(async () => {
    server = await listenOnLoopback((req, res) => {
      if (req.url === '/ad' && adRemoved) {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<title>Not found</title>');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<title>保證獲利</title>');
    });
    ({ port } = server);
    ctx = await createTestContext(dialect, {
      env: {
        CAPTURE_ALLOW_LOOPBACK: 'true',
        CAPTURE_ALLOWED_PORTS: String(port),
        RECHECK_INTERVAL_MINUTES: '120',
        RECHECK_DURATION_HOURS: '168',
      },
    });
  });
  afterAll(async () => {
    await ctx?.close();
    await server.close();
  });

  it('closes an open notice when removal is observed, flags a false removal claim', async () => {
    const sentAt = ctx.clock.now();
    const hooks = new FakeNotices();
    hooks.notices.set('N1', {
      noticeId: 'N1',
      caseId: 'C1',
      urls: [`http://127.0.0.1:${port}/ad`],
      sentAt,
      lastCheckedAt: null,
      claimedRemovedAt: null,
      open: true,
    });
    hooks.notices.set('N2', {
      noticeId: 'N2',
      caseId: 'C2',
      urls: [`http://127.0.0.1:${port}/still-there`],
      sentAt,
      lastCheckedAt: null,
      claimedRemovedAt: sentAt + HOUR,
      open: false,
    });

    // Not due yet.
    ctx.clock.advance(HOUR);
    expect(await runTakedownRechecks(ctx.deps, hooks)).toEqual({
      checked: 0,
      removedObserved: 0,
      claimsContradicted: 0,
    });

    // +2 h: the ad is live; N2's claimed removal is contradicted.
    ctx.clock.advance(HOUR);
    expect(await runTakedownRechecks(ctx.deps, hooks)).toEqual({
      checked: 2,
      removedObserved: 0,
      claimsContradicted: 1,
    });
    expect(hooks.flagged).toEqual(['N2']);
    expect(hooks.rechecks.map(([id, c]) => [id, c.state, c.reasons])).toEqual([
      ['N1', 'live', ['http_200']],
      ['N2', 'live', ['http_200']],
    ]);

    // The platform removes the ad; the next check (+4 h) observes it and closes N1 then.
    adRemoved = true;
    ctx.clock.advance(2 * HOUR);
    const removedAt = ctx.clock.now();
    const run = await runTakedownRechecks(ctx.deps, hooks);
    expect(run.removedObserved).toBe(1);
    expect(hooks.closed).toEqual([['N1', removedAt]]);
    const [, check] = hooks.rechecks.find(([id, c]) => id === 'N1' && c.state === 'removed') ?? [];
    expect(check?.reasons).toEqual(['http_404']);
    const stored = await ctx.deps.db
      .selectFrom('evidence_captures')
      .select(['id', 'observed_state', 'purpose'])
      .where('id', '=', check?.captureIds[0] ?? '')
      .executeTakeFirst();
    expect(stored).toMatchObject({ observed_state: 'removed', purpose: 'recheck' });

    // After the 7-day window nothing more is checked.
    ctx.clock.advance(200 * HOUR);
    const before = hooks.rechecks.length;
    expect((await runTakedownRechecks(ctx.deps, hooks)).checked).toBe(0);
    expect(hooks.rechecks.length).toBe(before);
  });
});
