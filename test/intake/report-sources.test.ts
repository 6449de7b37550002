/**
 * Where reports come from (issue 15): the source kind and name come from the credential an API
 * key was issued for, never from the request body; keys are issued for a source through the
 * admin API and checked; file imports are `partner`.
 */
import { describe, expect, it } from 'vitest';

import { adminHeaders, apiKeyFor, testDialects, useTestApp } from '../harness.js';
import { submitReportViaApi } from '../factories.js';

describe.each(testDialects())('report sources on %s', (dialect) => {
  const ctx = useTestApp(dialect);

  const storedSource = (reportId: string) =>
    ctx.deps.db
      .selectFrom('reports')
      .select(['source', 'source_kind'])
      .where('id', '=', reportId)
      .executeTakeFirstOrThrow();

  it('stores a partner key’s report as the partner’s, whatever the body says', async () => {
    const partner = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'partner',
      sourceName: 'whoscall',
    });
    const sent = await submitReportViaApi(
      ctx.app,
      { url: 'https://partner-source.example.test/a', channel: 'api' },
      partner.headers,
    );
    expect(await storedSource(sent.report.id)).toEqual({
      source: 'whoscall',
      source_kind: 'partner',
    });
  });

  it('refuses a source kind or name in a public report body', async () => {
    for (const extra of [{ sourceKind: 'agency' }, { source: 'whoscall' }, { sourceName: 'x' }]) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: { url: 'https://body-source.example.test/', ...extra },
      });
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
    }
    const plain = await submitReportViaApi(ctx.app, { url: 'https://body-source.example.test/' });
    expect(await storedSource(plain.report.id)).toEqual({
      source: 'citizen',
      source_kind: 'citizen',
    });
  });

  it('stores a key without a source and a verifier as their kinds', async () => {
    const citizenKey = await apiKeyFor(ctx, { role: 'reporter' });
    const viaKey = await submitReportViaApi(
      ctx.app,
      { url: 'https://citizen-key.example.test/' },
      citizenKey.headers,
    );
    expect(await storedSource(viaKey.report.id)).toEqual({
      source: 'citizen',
      source_kind: 'citizen',
    });
    const verifier = await apiKeyFor(ctx, { role: 'verifier', entityIds: ['E-SRC'] });
    const own = await submitReportViaApi(
      ctx.app,
      { url: 'https://verifier-own.example.test/' },
      verifier.headers,
    );
    expect(await storedSource(own.report.id)).toEqual({
      source: 'entity:E-SRC',
      source_kind: 'public_figure',
    });
  });

  it('issues keys for a source through the admin API and checks the source', async () => {
    const create = (payload: Record<string, unknown>) =>
      ctx.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: adminHeaders, payload });
    const ok = await create({
      name: 'Taipei City',
      role: 'reporter',
      sourceKind: 'local_government',
      sourceName: 'taipei-city',
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().apiKey).toMatchObject({
      sourceKind: 'local_government',
      sourceName: 'taipei-city',
    });
    const plain = await create({ name: 'plain', role: 'analyst' });
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
      const res = await create({ name: 'k', ...payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.code, JSON.stringify(payload)).toBe(code);
    }
  });
});
