/**
 * Exactly-once attempts with several nodes (issue 20): two server processes on one database run
 * the outbox at the same moment against a receiver that keeps failing. Every message gets each
 * attempt number once, no attempt comes before its backoff, and every attempt of a notice carries
 * an idempotency key made of its report's ID and its body.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  enqueue,
  idempotencyKeyOf,
  MAX_ATTEMPTS,
  processOutbox,
  RETRY_DELAYS_MS,
} from '../../src/takedown/index.js';
import type { ServiceDeps } from '../../src/shared/deps.js';
import {
  adminHeaders,
  buildTestNode,
  testDialects,
  useTestContext,
  useTestNode,
} from '../harness.js';
import { decideCaseViaApi, setChannelViaApi, submitReportViaApi } from '../factories.js';
import { startDeliveryApp, type DeliveryApp } from './support.js';

const MESSAGES = 100;

describe.each(testDialects())('the outbox on two nodes, on %s', (dialect) => {
  const ctx = useTestContext(dialect);
  const other = useTestNode(ctx);

  it('gives each message each attempt number once, with 100 due at once and every attempt failing', async () => {
    const at = new Date(ctx.clock.now()).toISOString();
    for (let i = 0; i < MESSAGES; i += 1) {
      await enqueue(ctx.deps.db, {
        kind: 'escalation_email',
        ref: `N${i}`,
        payload: { to: 'duty@regulator.test' },
        at,
      });
    }
    const attempts = new Map<number, number[]>();
    const failing = async (message: { id: number; attempt: number }): Promise<void> => {
      attempts.set(message.id, [...(attempts.get(message.id) ?? []), message.attempt]);
      // Yield, so that the other node's claims and failures interleave with this one's.
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('receiver answered 500');
    };
    const givenUp: number[] = [];
    const run = (deps: ServiceDeps) =>
      processOutbox(deps, failing, async (message) => {
        givenUp.push(message.id);
      });

    for (let round = 1; round <= MAX_ATTEMPTS; round += 1) {
      // Both nodes run the outbox at once, twice over: the second pass finds nothing due.
      const counts = await Promise.all([run(ctx.deps), run(other.deps), run(ctx.deps)]);
      const tried = counts.reduce((sum, c) => sum + c.retried + c.failed, 0);
      expect(tried, `round ${round}`).toBe(MESSAGES);
      expect(await Promise.all([run(other.deps), run(ctx.deps)])).toEqual([
        { sent: 0, retried: 0, failed: 0 },
        { sent: 0, retried: 0, failed: 0 },
      ]);
      ctx.clock.advance(Math.max(...RETRY_DELAYS_MS));
    }
    expect(attempts.size).toBe(MESSAGES);
    const oneToMax = Array.from({ length: MAX_ATTEMPTS }, (_, i) => i + 1);
    for (const list of attempts.values()) expect(list).toEqual(oneToMax);
    expect(givenUp.sort((a, b) => a - b)).toEqual([...attempts.keys()].sort((a, b) => a - b));
  });
});

describe.each(testDialects())('notices delivered by two nodes, on %s', (dialect) => {
  let first: DeliveryApp;
  let second: Awaited<ReturnType<typeof buildTestNode>>;
  beforeAll(async () => {
    first = await startDeliveryApp(dialect);
    second = await buildTestNode(first.ctx);
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('sends every attempt once, numbered, each with the idempotency key of its body', async () => {
    const { ctx, webhook } = first;
    const inject = ctx.app.inject.bind(ctx.app);
    await setChannelViaApi(ctx.app, 'tiktok', {
      webhookUrl: webhook.url,
      webhookSecret: 'two-node-webhook-secret-0123',
    });
    const notices: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const url = `https://www.tiktok.com/@fast.money/video/74123456789012350${String(i).padStart(2, '0')}`;
      const reported = await submitReportViaApi(ctx.app, {
        url,
        text: `飆股老師帶單，保證獲利 ${url}`,
      });
      await decideCaseViaApi(ctx.app, reported.case.id);
    }
    const listed = (await inject({ url: '/api/v1/notices', headers: adminHeaders })).json();
    for (const n of listed.notices as Array<{ id: string }>) notices.push(n.id);
    expect(notices).toHaveLength(8);

    // The platform's endpoint fails three rounds, then answers 200.
    webhook.statuses.push(...Array.from({ length: 3 * notices.length }, () => 500));
    const sweep = (app: typeof ctx.app) =>
      app.inject({ method: 'POST', url: '/api/v1/sweep', headers: adminHeaders });
    for (let round = 0; round < 4; round += 1) {
      const answers = await Promise.all([sweep(ctx.app), sweep(second.app), sweep(ctx.app)]);
      for (const answer of answers) expect(answer.statusCode, answer.body).toBe(200);
      ctx.clock.advance(Math.max(...RETRY_DELAYS_MS));
    }

    const byNotice = new Map<string, Array<{ attempt: string }>>();
    for (const request of webhook.requests) {
      const id = String(request.headers['x-scamnet-notice']);
      const seen = byNotice.get(id) ?? [];
      seen.push({ attempt: String(request.headers['x-scamnet-attempt']) });
      byNotice.set(id, seen);
    }
    expect([...byNotice.keys()].sort()).toEqual([...notices].sort());
    for (const [id, seen] of byNotice) {
      // Attempts 1–3 failed, attempt 4 was delivered; none twice, none after the delivery.
      expect(seen.map((s) => s.attempt).sort(), id).toEqual(['1', '2', '3', '4']);
      // Each attempt's key is the report's ID and a digest of the very body it sent.
      for (const request of webhook.requests.filter((r) => r.headers['x-scamnet-notice'] === id)) {
        const reportId: string = JSON.parse(request.body).report_id;
        expect(request.headers['idempotency-key'], id).toBe(
          `"${idempotencyKeyOf(reportId, request.body)}"`,
        );
      }
      const notice = (await inject({ url: `/api/v1/notices/${id}`, headers: adminHeaders })).json();
      expect(
        notice.deliveries.map((d: { attempt: number; status: string }) => [d.attempt, d.status]),
      ).toEqual([
        [1, 'failed'],
        [2, 'failed'],
        [3, 'failed'],
        [4, 'delivered'],
      ]);
    }
  });
});
