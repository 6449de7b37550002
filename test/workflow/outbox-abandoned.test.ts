/**
 * A node that stops during the last allowed attempt of a message (issue 20): its lease runs out
 * and the next run gives the message up — recorded as failed with "no delivery confirmed", told
 * like any given-up delivery — rather than trying it past the limit or keeping it queued for ever.
 * The takedown outbox and the followers' deliveries share the leased queue, so both are checked.
 */
import { describe, expect, it } from 'vitest';
import { deliverCaseUpdates, FOLLOWER_MAX_ATTEMPTS } from '../../src/followers/index.js';
import type { ServiceDeps } from '../../src/shared/deps.js';
import { ABANDONED_ATTEMPT_ERROR } from '../../src/shared/leased-queue.repo.js';
import {
  enqueue,
  leaseMs,
  MAX_ATTEMPTS,
  processOutbox,
  RETRY_DELAYS_MS,
} from '../../src/takedown/index.js';
import { testDialects, useTestContext, useTestNode } from '../harness.js';

describe.each(testDialects())('a last attempt whose node stopped, on %s', (dialect) => {
  const ctx = useTestContext(dialect);
  const other = useTestNode(ctx);

  /** Queues an escalation e-mail `ref` now. */
  async function enqueueEscalation(ref: string): Promise<void> {
    await enqueue(ctx.deps.db, {
      kind: 'escalation_email',
      ref,
      payload: { to: 'duty@regulator.test' },
      at: new Date(ctx.clock.now()).toISOString(),
    });
  }

  /** The outbox row of message `ref`. */
  async function outboxRow(ref: string) {
    return ctx.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('ref', '=', ref)
      .executeTakeFirstOrThrow();
  }

  const failing = async (): Promise<void> => {
    throw new Error('receiver answered 500');
  };

  /** A give-up hook that keeps the attempt numbers it is called with, in order. */
  function givenUpAttempts() {
    const attempts: number[] = [];
    const onGiveUp = async (message: { attempt: number }): Promise<void> => {
      attempts.push(message.attempt);
    };
    return { attempts, onGiveUp };
  }

  /** Runs the outbox until every attempt but the last has failed, a retry delay apart. */
  async function failAllButLastAttempt(
    failing: Parameters<typeof processOutbox>[1],
    onGiveUp: Parameters<typeof processOutbox>[2],
  ): Promise<void> {
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt += 1) {
      expect(await processOutbox(ctx.deps, failing, onGiveUp)).toEqual({
        sent: 0,
        retried: 1,
        failed: 0,
      });
      ctx.clock.advance(Math.max(...RETRY_DELAYS_MS));
    }
  }

  it('is given up by the next run of another node, once, and never tried a ninth time', async () => {
    await enqueueEscalation('N-abandoned');
    const tried: number[] = [];
    const givenUp: Array<{ attempt: number; error: string }> = [];
    const onGiveUp = async (message: { attempt: number }, error: string): Promise<void> => {
      givenUp.push({ attempt: message.attempt, error });
    };
    const failingTried = async (message: { attempt: number }): Promise<void> => {
      tried.push(message.attempt);
      return failing();
    };
    await failAllButLastAttempt(failingTried, onGiveUp);
    // The last attempt hangs: the node making it is gone as far as the store can tell.
    let release: (error: Error) => void = () => undefined;
    const hung = processOutbox(
      ctx.deps,
      (message) => {
        tried.push(message.attempt);
        return new Promise<void>((_, reject) => {
          release = reject;
        });
      },
      onGiveUp,
    );
    await expect.poll(() => tried.length).toBe(MAX_ATTEMPTS);
    // Within the lease nobody touches it.
    const run = (deps: ServiceDeps) => processOutbox(deps, failingTried, onGiveUp);
    expect(await run(other.deps)).toEqual({ sent: 0, retried: 0, failed: 0 });

    ctx.clock.advance(leaseMs(ctx.config.workflow.webhookTimeoutMs) + 1);
    expect(await run(other.deps)).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(await run(ctx.deps)).toEqual({ sent: 0, retried: 0, failed: 0 });
    ctx.clock.advance(Math.max(...RETRY_DELAYS_MS));
    expect(await run(other.deps)).toEqual({ sent: 0, retried: 0, failed: 0 });

    expect(tried).toEqual(Array.from({ length: MAX_ATTEMPTS }, (_, i) => i + 1));
    expect(givenUp).toEqual([{ attempt: MAX_ATTEMPTS, error: ABANDONED_ATTEMPT_ERROR }]);
    // The stopped attempt ending late (a hung node waking up) changes nothing.
    release(new Error('connection reset'));
    expect(await hung).toEqual({ sent: 0, retried: 0, failed: 0 });
    const row = await outboxRow('N-abandoned');
    expect(row).toMatchObject({
      attempts: MAX_ATTEMPTS,
      done_at: null,
      locked_until: null,
      last_error: ABANDONED_ATTEMPT_ERROR,
    });
    expect(row.failed_at).not.toBeNull();
    expect(ABANDONED_ATTEMPT_ERROR).toMatch(/^no delivery confirmed/);
  });

  it('records a given-up last attempt as sent when it succeeds after all', async () => {
    await enqueueEscalation('N-late');
    const { attempts: givenUp, onGiveUp } = givenUpAttempts();
    await failAllButLastAttempt(failing, onGiveUp);
    let succeed: () => void = () => undefined;
    let started = false;
    const hung = processOutbox(
      ctx.deps,
      () =>
        new Promise<void>((resolve) => {
          started = true;
          succeed = resolve;
        }),
      onGiveUp,
    );
    await expect.poll(() => started).toBe(true);
    ctx.clock.advance(leaseMs(ctx.config.workflow.webhookTimeoutMs) + 1);
    expect((await processOutbox(other.deps, failing, onGiveUp)).failed).toBe(1);
    expect(givenUp).toEqual([MAX_ATTEMPTS]);
    // The receiver answers at last: a delivery is confirmed, and the record says so.
    succeed();
    expect(await hung).toEqual({ sent: 1, retried: 0, failed: 0 });
    const row = await outboxRow('N-late');
    expect(row).toMatchObject({ attempts: MAX_ATTEMPTS, failed_at: null, last_error: null });
    expect(row.done_at).not.toBeNull();
  });

  it('gives a message up only together with what is recorded of it', async () => {
    await enqueueEscalation('N-atomic');
    const { attempts: recorded, onGiveUp: recording } = givenUpAttempts();
    await failAllButLastAttempt(failing, recording);
    const failedAt = async () => (await outboxRow('N-atomic')).failed_at;
    // The last attempt fails and recording the give-up fails (a crash between the two, say):
    // the message is not left given up with nothing recorded of it.
    const brokenRecord = async (): Promise<void> => {
      throw new Error('the store refused the event');
    };
    await expect(processOutbox(ctx.deps, failing, brokenRecord)).rejects.toThrow(/refused/);
    expect(await failedAt()).toBeNull();
    // Nothing of that last attempt's end was kept: once its lease runs out it is an abandoned
    // last attempt, given up by the next run, again only together with its record.
    ctx.clock.advance(leaseMs(ctx.config.workflow.webhookTimeoutMs) + 1);
    await expect(processOutbox(other.deps, failing, brokenRecord)).rejects.toThrow(/refused/);
    expect(await failedAt()).toBeNull();
    expect(await processOutbox(other.deps, failing, recording)).toMatchObject({ failed: 1 });
    expect(await failedAt()).not.toBeNull();
    expect(recorded).toEqual([MAX_ATTEMPTS]);
  });

  it("gives up a follower's message the same way", async () => {
    const now = ctx.clock.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    // A delivery whose last attempt was claimed and whose lease has just run out, and one whose
    // lease still runs: only the first is given up.
    await ctx.deps.db
      .insertInto('case_follower_deliveries')
      .values([
        {
          follower_id: 'F-abandoned',
          case_id: 'C-abandoned',
          status: 'fraud_notified',
          attempts: FOLLOWER_MAX_ATTEMPTS,
          next_attempt_at: iso(now - 600_000),
          locked_until: iso(now - 1),
          created_at: iso(now - 600_000),
        },
        {
          follower_id: 'F-leased',
          case_id: 'C-abandoned',
          status: 'fraud_notified',
          attempts: FOLLOWER_MAX_ATTEMPTS,
          next_attempt_at: iso(now - 600_000),
          locked_until: iso(now + 60_000),
          created_at: iso(now - 600_000),
        },
      ])
      .execute();
    const senders = { web_push: null, line: null };
    expect((await deliverCaseUpdates(other.deps, senders)).failed).toBe(1);
    expect((await deliverCaseUpdates(ctx.deps, senders)).failed).toBe(0);
    const rows = await ctx.deps.db
      .selectFrom('case_follower_deliveries')
      .select(['follower_id', 'failed_at', 'last_error', 'sent_at'])
      .where('case_id', '=', 'C-abandoned')
      .orderBy('follower_id')
      .execute();
    expect(rows).toEqual([
      {
        follower_id: 'F-abandoned',
        failed_at: expect.any(String),
        last_error: ABANDONED_ATTEMPT_ERROR,
        sent_at: null,
      },
      { follower_id: 'F-leased', failed_at: null, last_error: null, sent_at: null },
    ]);
  });
});
