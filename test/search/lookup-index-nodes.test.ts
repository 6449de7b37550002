/**
 * Two nodes on one PostgreSQL (issue 14): a report, a verdict, a merge and a blocklist change
 * made through node A's HTTP API are seen by checks on node B by the change
 * table and LISTEN/NOTIFY alone (B's safety-net poll is an hour); and a change made while B's
 * LISTEN connection is down (its notification lost) is seen once B listens again, by reading the
 * change table after the last change it applied.
 */
// The harness first: it loads the app in the order the server does.
import { adminHeaders, buildTestApp, TEST_ADMIN_TOKEN } from '../harness.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type ScamnetApp } from '../../src/app/index.js';
import { LookupIndex } from '../../src/search/index.js';
import { createStore, LISTENER_APPLICATION_NAME, type Store } from '../../src/store/index.js';

/**
 * How long a test waits for a change on one node to reach checks on another, ms. Node B polls
 * only hourly (NO_POLL_MS), so a change seen within this wait came by NOTIFY: that is what is
 * tested. The bound is loose so that a loaded machine cannot fail it; tests never assert timings
 * (the 1 s is a figure for bench/, not an assertion).
 */
const DEADLINE_MS = 10_000;
/** B waits this long before listening again after its connection is dropped, ms. */
const RECONNECT_MS = 1500;
const NO_POLL_MS = 3_600_000;

type Ctx = Awaited<ReturnType<typeof buildTestApp>>;

interface Check {
  found: boolean;
  cases: Array<{ id: string; status: string; verdict: string; reportCount: number }>;
}

describe.skipIf(process.env.TEST_DATABASE_URL === undefined)('lookup index on two nodes', () => {
  let a: Ctx;
  let storeB: Store;
  let b: ScamnetApp;
  let indexB: LookupIndex;

  beforeAll(async () => {
    a = await buildTestApp('postgres', { env: { LOOKUP_INDEX_POLL_MS: String(NO_POLL_MS) } });
    const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(a.deps.db))
      .rows[0]?.s;
    storeB = createStore(a.config.store, { searchPath: schema ?? 'public', poolSize: 3 });
    const depsB = { ...a.deps, db: storeB.db };
    indexB = new LookupIndex(depsB, { pollMs: NO_POLL_MS, reconnectMs: RECONNECT_MS });
    b = await buildApp({ deps: depsB, adminToken: TEST_ADMIN_TOKEN, lookupIndex: indexB });
    indexB.start();
    await indexB.whenReady();
    // LISTEN is opened beside the build: wait until it is, so the first change is announced.
    await until(() => Promise.resolve(indexB.stats().listening), 10_000);
  });
  afterAll(async () => {
    await b?.close();
    await storeB?.destroy();
    await a?.close();
  });

  const onA = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await a.app.inject({
      method,
      url,
      headers: adminHeaders,
      ...(payload === undefined ? {} : { payload }),
    });
    expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  const checkOnB = async (url: string): Promise<Check> =>
    (await b.inject({ url: `/api/v1/lookup?url=${encodeURIComponent(url)}` })).json<Check>();

  /** Polls `condition` until it holds or `deadlineMs` passed; returns whether it held. */
  async function until(
    condition: () => Promise<boolean>,
    deadlineMs = DEADLINE_MS,
  ): Promise<boolean> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      if (await condition()) return true;
      if (Date.now() > end) return false;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('sees a report, a verdict, a merge and a block made on A by NOTIFY alone', async () => {
    const url = 'https://two-nodes-shop.com.tw/item/1';
    expect((await checkOnB(url)).found).toBe(false);
    const reported = await onA('POST', '/api/v1/reports', { url, platform: 'website' });
    const id: string = reported.case.id;
    expect(await until(async () => (await checkOnB(url)).found)).toBe(true);

    await onA('POST', `/api/v1/cases/${id}/verdict`, { verdict: 'fraud' });
    expect(await until(async () => (await checkOnB(url)).cases[0]?.verdict === 'fraud')).toBe(true);

    const other = await onA('POST', '/api/v1/reports', {
      url: 'https://two-nodes-shop.com.tw/item/2',
      platform: 'website',
    });
    const otherId: string = other.case.id;
    expect(otherId).not.toBe(id);
    await onA('POST', `/api/v1/cases/${id}/merge`, { sourceCaseId: otherId });
    expect(
      await until(async () => {
        const check = await checkOnB('https://two-nodes-shop.com.tw/item/2');
        return (
          check.cases.length === 1 && check.cases[0]?.id === id && check.cases[0].reportCount === 2
        );
      }),
    ).toBe(true);

    const proposed = await onA('POST', '/api/v1/blocklist/entries/from-case', { caseId: id });
    await onA('POST', `/api/v1/blocklist/entries/${String(proposed.entry.id)}/activate`, {
      legalBasis: { kind: 'court_ruling', reference: '115年度聲字第9號', date: '2026-11-28' },
      requestingUnit: '刑事警察局',
    });
    expect(await until(async () => (await checkOnB(url)).cases[0]?.status === 'blocked')).toBe(
      true,
    );
  });

  it('catches up with a change whose notification it missed while its LISTEN connection was down', async () => {
    const url = 'https://missed-notify.example.tw/pay';
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
              where application_name = ${LISTENER_APPLICATION_NAME} and datname = current_database()`.execute(
      a.deps.db,
    );
    expect(await until(() => Promise.resolve(!indexB.stats().listening), 5000)).toBe(true);
    await onA('POST', '/api/v1/reports', { url, platform: 'website' });
    // The change committed while B was not listening: its notification is lost for B.
    expect(indexB.stats().listening).toBe(false);
    expect(await until(async () => (await checkOnB(url)).found, RECONNECT_MS + DEADLINE_MS)).toBe(
      true,
    );
    expect(indexB.stats().listening).toBe(true);
  });
});
