/**
 * Where reports come from (issue 15): the source kind and name come from the credential an API
 * key was issued for, never from the request body; keys are issued for a source through the
 * admin API and checked; file imports are `partner`.
 */
import { describe, expect, it } from 'vitest';

import { adminHeaders, apiKeyFor, testDialects, useTestApp } from '../harness.js';
import { adminRequest, decideCaseViaApi, postReport, submitReportViaApi } from '../factories.js';
import { importRows } from '../../src/intake/index.js';

describe.each(testDialects())('report sources on %s', (dialect) => {
  const ctx = useTestApp(dialect);

  const storedSource = (reportId: string) =>
    ctx.deps.db
      .selectFrom('reports')
      .select(['source', 'source_kind'])
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow();

  it.each<[string, Parameters<typeof apiKeyFor>[1], { source: string; source_kind: string }]>([
    [
      'a partner key',
      { role: 'reporter', sourceKind: 'partner', sourceName: 'whoscall' },
      { source: 'whoscall', source_kind: 'partner' },
    ],
    ['a key without a source', { role: 'reporter' }, { source: 'citizen', source_kind: 'citizen' }],
    [
      'a verifier key',
      { role: 'verifier', entityIds: ['E-SRC'] },
      { source: 'entity:E-SRC', source_kind: 'public_figure' },
    ],
  ])(
    'stores the report of %s as its source’s, whatever the body says',
    async (_key, credential, source) => {
      const key = await apiKeyFor(ctx, credential);
      const host = `${credential.role}-${source.source_kind.replaceAll('_', '-')}.example.test`;
      // A body that names a source is refused, whatever the key's…
      for (const extra of [{ sourceKind: 'agency' }, { source: 'npa-165' }, { sourceName: 'x' }]) {
        const res = await postReport(ctx.app, { url: `https://${host}/`, ...extra }, key.headers);
        expect(res.statusCode, JSON.stringify(extra)).toBe(400);
      }
      // …and what the body may say (its channel) does not change the source.
      for (const channel of ['api', 'web']) {
        const sent = await submitReportViaApi(
          ctx.app,
          { url: `https://${host}/${channel}`, channel },
          key.headers,
        );
        expect(await storedSource(sent.report.id)).toEqual(source);
      }
    },
  );

  it('refuses a source kind or name in a public report body', async () => {
    for (const extra of [{ sourceKind: 'agency' }, { source: 'whoscall' }, { sourceName: 'x' }]) {
      const res = await postReport(ctx.app, { url: 'https://body-source.example.test/', ...extra });
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
    }
    const plain = await submitReportViaApi(ctx.app, { url: 'https://body-source.example.test/' });
    expect(await storedSource(plain.report.id)).toEqual({
      source: 'citizen',
      source_kind: 'citizen',
    });
  });

  it('issues keys for a source through the admin API and checks the source', async () => {
    /** POSTs a key; expects `status`. */
    const create = (payload: Record<string, unknown>, status: number) =>
      adminRequest(ctx.app, 'POST', '/api/v1/api-keys', payload, status);
    const taipei = { role: 'reporter', sourceKind: 'local_government', sourceName: 'taipei-city' };
    const ok = await create({ name: 'Taipei City', ...taipei }, 201);
    expect(ok.json().apiKey).toMatchObject({
      sourceKind: 'local_government',
      sourceName: 'taipei-city',
    });
    const plain = await create({ name: 'plain', role: 'analyst' }, 201);
    expect(plain.json().apiKey).toMatchObject({ sourceKind: 'citizen', sourceName: null });

    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ role: 'reporter', sourceKind: 'partner' }, 'source_name_required'],
      [{ role: 'analyst', sourceKind: 'partner', sourceName: 'x' }, 'source_role_mismatch'],
      [{ role: 'reporter', sourceKind: 'public_figure', sourceName: 'x' }, 'validation_failed'],
      [{ role: 'reporter', sourceKind: 'partner', sourceName: 'citizen' }, 'invalid_source_name'],
      [{ role: 'reporter', sourceKind: 'partner', sourceName: 'Bad Name' }, 'validation_failed'],
      [{ role: 'reporter', sourceName: 'lonely' }, 'source_name_required'],
    ];
    for (const [payload, code] of refusals) {
      const res = await create({ name: 'k', ...payload }, 400);
      expect(res.json().error.code, JSON.stringify(payload)).toBe(code);
    }
    // One name, one kind: another kind under a name in use would share its externalIds.
    await create({ name: 'Taipei City 2', ...taipei }, 201);
    const taken = await create({ name: 'imposter', ...taipei, sourceKind: 'agency' }, 409);
    expect(taken.json().error.code).toBe('source_name_taken');
  });

  const batch = (headers: Record<string, string>, payload: unknown) =>
    ctx.app.inject({
      method: 'POST',
      url: '/api/v1/reports/batch',
      headers,
      payload: payload as object,
    });
  const mine = (headers: Record<string, string>, query = '') =>
    ctx.app.inject({ method: 'GET', url: `/api/v1/reports/mine${query}`, headers });
  const countOfSource = async (name: string) =>
    (
      await ctx.deps.db
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('source', '=', name)
        .executeTakeFirstOrThrow()
    ).n;

  it('answers a batch per report: accepted, duplicate (replays too), rejected alone', async () => {
    const agency = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'agency',
      sourceName: 'npa-165',
    });
    const payload = {
      reports: [
        { externalId: 'A-1', url: 'https://batch-one.example.test/pay' },
        { externalId: 'A-2', url: 'not a web address' },
        { externalId: 'A-1', url: 'https://batch-one.example.test/other' },
        {
          externalId: 'A-3',
          text: '加LINE領取飆股 https://batch-three.example.test',
          platform: 'line',
        },
        { externalId: 'A-4', url: 'https://batch-four.example.test', platform: 'myspace' },
        { url: 'https://batch-noid.example.test' },
      ],
    };
    const first = await batch(agency.headers, payload);
    expect(first.statusCode, first.body).toBe(200);
    const body = first.json();
    expect(body.results.map((r: { status: string }) => r.status)).toEqual([
      'accepted',
      'rejected',
      'duplicate',
      'accepted',
      'rejected',
      'accepted',
    ]);
    expect(body).toMatchObject({ accepted: 3, duplicates: 1, rejected: 2 });
    expect(body.results[1]).toMatchObject({
      index: 1,
      externalId: 'A-2',
      error: { code: 'invalid_url' },
    });
    expect(body.results[4].error.code).toBe('invalid_platform');
    expect(body.results[2].reportId).toBe(body.results[0].reportId);
    expect(Number(await countOfSource('npa-165'))).toBe(3);
    const stored = await ctx.deps.db
      .selectFrom('reports')
      .select(['source_kind', 'channel', 'external_id'])
      .where('id', '=', body.results[3].reportId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ source_kind: 'agency', channel: 'api', external_id: 'A-3' });

    // The same batch again: what had an externalId is a duplicate, nothing is written twice.
    const replay = (await batch(agency.headers, payload)).json();
    expect(replay.results.map((r: { status: string }) => r.status)).toEqual([
      'duplicate',
      'rejected',
      'duplicate',
      'duplicate',
      'rejected',
      'accepted',
    ]);
    expect(replay.results[0].reportId).toBe(body.results[0].reportId);
    expect(Number(await countOfSource('npa-165'))).toBe(4);

    // Another source's externalId of the same value is its own report.
    const other = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'partner',
      sourceName: 'other-partner',
    });
    const theirs = (await batch(other.headers, { reports: [payload.reports[0]] })).json();
    expect(theirs.results[0].status).toBe('accepted');
    expect(theirs.results[0].reportId).not.toBe(body.results[0].reportId);
  });

  it('refuses an oversized batch whole with batch_too_large, and a batch from no source', async () => {
    const partner = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'partner',
      sourceName: 'oversized',
    });
    const reports = Array.from({ length: 1001 }, (_, i) => ({
      externalId: `O-${i}`,
      url: `https://oversized.example.test/${i}`,
    }));
    const res = await batch(partner.headers, { reports });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('batch_too_large');
    expect(Number(await countOfSource('oversized'))).toBe(0);
    const empty = await batch(partner.headers, { reports: [] });
    expect(empty.statusCode).toBe(400);

    const one = { reports: [{ url: 'https://no-source.example.test/' }] };
    expect((await batch({}, one)).statusCode).toBe(401);
    const citizenKey = await apiKeyFor(ctx, { role: 'reporter' });
    expect((await batch(citizenKey.headers, one)).statusCode).toBe(403);
    const verifier = await apiKeyFor(ctx, { role: 'verifier', entityIds: ['E-SRC'] });
    expect((await batch(verifier.headers, one)).statusCode).toBe(403);
    // A body cannot name the source.
    const named = await batch(partner.headers, {
      reports: [{ url: 'https://x.example.test/', source: 'y' }],
    });
    expect(named.statusCode).toBe(400);
    const sourced = await batch(partner.headers, { ...one, sourceKind: 'agency' });
    expect(sourced.statusCode).toBe(400);
  });

  it("lists a source's own reports only, with their cases' states, by a sync cursor", async () => {
    const mineKey = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'partner',
      sourceName: 'sync-partner',
    });
    const foreign = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'partner',
      sourceName: 'sync-foreign',
    });
    const sent = (
      await batch(mineKey.headers, {
        reports: [1, 2, 3].map((i) => ({
          externalId: `S-${i}`,
          url: `https://sync-${i}.example.test/`,
        })),
      })
    ).json();
    await batch(foreign.headers, {
      reports: [{ externalId: 'F-1', url: 'https://sync-foreign.example.test/' }],
    });
    // A citizen's report of the same content joins the partner's case: never listed to it.
    await submitReportViaApi(ctx.app, {
      url: 'https://sync-1.example.test/',
      contact: 'citizen.sync@example.test',
      consent: true,
    });

    const page1 = (await mine(mineKey.headers, '?limit=2')).json();
    expect(page1.items.map((r: { externalId: string }) => r.externalId)).toHaveLength(2);
    expect(page1.hasMore).toBe(true);
    const page2 = (await mine(mineKey.headers, `?limit=2&since=${page1.next}`)).json();
    expect(page2.hasMore).toBe(false);
    const listed = [...page1.items, ...page2.items];
    expect(listed.map((r: { externalId: string }) => r.externalId).sort()).toEqual([
      'S-1',
      'S-2',
      'S-3',
    ]);
    expect(JSON.stringify(listed)).not.toContain('citizen.sync');
    expect(JSON.stringify(listed)).not.toContain('sync-foreign');
    expect(listed[0].case).toMatchObject({ status: expect.any(String), label: expect.any(Object) });

    // Nothing changed: the cursor gives nothing. A verdict moves the case's report past it.
    const idle = (await mine(mineKey.headers, `?since=${page2.next}`)).json();
    expect(idle).toMatchObject({ items: [], next: page2.next, hasMore: false });
    ctx.clock.advance(60_000);
    await decideCaseViaApi(ctx.app, sent.results[1].caseId, 'fraud');
    const changed = (await mine(mineKey.headers, `?since=${page2.next}`)).json();
    expect(changed.items.map((r: { externalId: string }) => r.externalId)).toEqual(['S-2']);
    expect(changed.items[0].case.verdict).toBe('fraud');

    // The foreign key sees only its own; keys without a source and the public see nothing.
    const theirs = (await mine(foreign.headers)).json();
    expect(theirs.items.map((r: { externalId: string }) => r.externalId)).toEqual(['F-1']);
    expect((await mine({})).statusCode).toBe(401);
    expect((await mine((await apiKeyFor(ctx, { role: 'reporter' })).headers)).statusCode).toBe(403);
    expect((await mine(adminHeaders)).statusCode).toBe(403);
    expect((await mine(mineKey.headers, '?since=bm90IGEgY3Vyc29y')).statusCode).toBe(400);
  });

  it('stores file imports as partner reports under their importer source', async () => {
    async function* rows() {
      yield {
        line: 1,
        input: {
          url: 'https://imported-source.example.test/',
          channel: 'import' as const,
          source: 'cofacts',
          externalId: 'cofacts-src-1',
        },
      };
    }
    const summary = await importRows(ctx.deps, rows());
    expect(summary.accepted).toBe(1);
    const row = await ctx.deps.db
      .selectFrom('reports')
      .select(['source', 'source_kind'])
      .where('external_id', '=', 'cofacts-src-1')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ source: 'cofacts', source_kind: 'partner' });
  });
});
