/**
 * The impersonated party's own channel (issue 15): a verifier of an entity reports content that
 * impersonates it; the case is routed to them and they confirm it in the same request.
 */
import { describe, expect, it } from 'vitest';

import { apiKeyFor, testDialects, useTestApp } from '../harness.js';
import {
  HSIEH_CHIN_HO,
  PCHOME,
  createTestEntities,
  decideCaseViaApi,
  postReport,
  reportIdsOfCase,
} from '../factories.js';

describe.each(testDialects())("the impersonated party's own channel on %s", (dialect) => {
  const ctx = useTestApp(dialect);

  const caseRow = (caseId: string) =>
    ctx.deps.db
      .selectFrom('cases')
      .select(['routed_entity_id', 'impersonated_entity_id', 'verdict', 'stage'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();

  it('routes a verifier’s own report to them and confirms it in one step', async () => {
    await createTestEntities(ctx.app, [HSIEH_CHIN_HO, PCHOME]);
    const office = await apiKeyFor(ctx, { role: 'verifier', entityIds: [HSIEH_CHIN_HO.id] });
    const res = await postReport(
      ctx.app,
      {
        text: '謝金河老師帶你投資飆股，加入群組 https://hsieh-own-channel.example.test/join',
        decision: 'fraud',
        note: '本人從未開設投資群組',
      },
      office.headers,
    );
    expect(res.statusCode, res.body).toBe(201);
    const caseId: string = res.json().case.id;
    expect(res.json().case.verdict).toBe('fraud');
    expect(await caseRow(caseId)).toMatchObject({
      routed_entity_id: HSIEH_CHIN_HO.id,
      impersonated_entity_id: HSIEH_CHIN_HO.id,
      verdict: 'fraud',
    });
    const report = await ctx.deps.db
      .selectFrom('reports')
      .select(['source', 'source_kind'])
      .where('case_id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(report).toEqual({ source: `entity:${HSIEH_CHIN_HO.id}`, source_kind: 'public_figure' });
  });

  it('routes content triage did not tie to the entity, and leaves the verdict to later', async () => {
    const office = await apiKeyFor(ctx, { role: 'verifier', entityIds: [PCHOME.id] });
    const res = await postReport(
      ctx.app,
      { url: 'https://pchome-lookalike-own.example.test/sale', entityId: PCHOME.id },
      office.headers,
    );
    expect(res.statusCode, res.body).toBe(201);
    const caseId: string = res.json().case.id;
    expect(await caseRow(caseId)).toMatchObject({
      routed_entity_id: PCHOME.id,
      verdict: 'undecided',
      stage: 'verification',
    });
    // It is in their queue.
    const queue = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/verification/queue',
      headers: office.headers,
    });
    expect(JSON.stringify(queue.json())).toContain(caseId);
  });

  it('lets nobody else route or confirm through a report, and no verifier for another entity', async () => {
    const payload = { url: 'https://own-channel-denied.example.test/', decision: 'fraud' };
    const publicRes = await postReport(ctx.app, payload);
    expect(publicRes.statusCode).toBe(403);
    const analyst = await apiKeyFor(ctx, { role: 'analyst' });
    expect((await postReport(ctx.app, payload, analyst.headers)).statusCode).toBe(403);
    const partner = await apiKeyFor(ctx, {
      role: 'reporter',
      sourceKind: 'partner',
      sourceName: 'own-channel-partner',
    });
    expect(
      (await postReport(ctx.app, { ...payload, entityId: PCHOME.id }, partner.headers)).statusCode,
    ).toBe(403);
    const other = await apiKeyFor(ctx, { role: 'verifier', entityIds: [PCHOME.id] });
    const foreign = await postReport(
      ctx.app,
      { ...payload, entityId: HSIEH_CHIN_HO.id },
      other.headers,
    );
    expect(foreign.statusCode).toBe(403);
    // Nothing of the refused reports was stored.
    const stored = await ctx.deps.db
      .selectFrom('reports')
      .select('id')
      .where('url', '=', payload.url)
      .execute();
    expect(stored).toEqual([]);
  });

  it('never takes over another party’s case: a verifier of another entity reporting the same content only adds a report', async () => {
    const url = 'https://hsieh-takeover.example.test/invest';
    const citizen = await postReport(ctx.app, {
      url,
      text: '謝金河老師帶你投資，保證獲利，加入群組',
    });
    expect(citizen.statusCode, citizen.body).toBe(201);
    const caseId: string = citizen.json().case.id;
    expect(await caseRow(caseId)).toMatchObject({ routed_entity_id: HSIEH_CHIN_HO.id });
    const other = await apiKeyFor(ctx, { role: 'verifier', entityIds: [PCHOME.id] });
    const reports = () =>
      ctx.deps.db.selectFrom('reports').select('id').where('case_id', '=', caseId).execute();

    // Asking to decide (or route) it: refused, nothing stored, the case untouched.
    for (const ask of [{ decision: 'not_fraud' }, { entityId: PCHOME.id }]) {
      const refused = await postReport(ctx.app, { url, ...ask }, other.headers);
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().error.code).toBe('case_routed_elsewhere');
    }
    expect(await reports()).toHaveLength(1);
    // A plain report joins the case as a report, nothing more.
    const plain = await postReport(ctx.app, { url }, other.headers);
    expect(plain.statusCode, plain.body).toBe(201);
    expect(plain.json().case.id).toBe(caseId);
    expect(await reports()).toHaveLength(2);
    expect(await caseRow(caseId)).toMatchObject({
      routed_entity_id: HSIEH_CHIN_HO.id,
      impersonated_entity_id: HSIEH_CHIN_HO.id,
      verdict: 'undecided',
    });
  });

  it('names the report after the entity it is for when a verifier acts for several', async () => {
    const both = await apiKeyFor(ctx, {
      role: 'verifier',
      entityIds: [HSIEH_CHIN_HO.id, PCHOME.id],
    });
    const res = await postReport(
      ctx.app,
      { url: 'https://pchome-second-entity.example.test/deal', entityId: PCHOME.id },
      both.headers,
    );
    expect(res.statusCode, res.body).toBe(201);
    const report = await ctx.deps.db
      .selectFrom('reports')
      .select('source')
      .where('case_id', '=', res.json().case.id)
      .executeTakeFirstOrThrow();
    expect(report.source).toBe(`entity:${PCHOME.id}`);
  });

  it('does not route a decided case again, and refuses a decision on it with nothing stored', async () => {
    const first = await postReport(ctx.app, { url: 'https://own-decided.example.test/' });
    const caseId: string = first.json().case.id;
    await decideCaseViaApi(ctx.app, caseId, 'high_risk');
    const office = await apiKeyFor(ctx, { role: 'verifier', entityIds: [PCHOME.id] });
    const refused = await postReport(
      ctx.app,
      { url: 'https://own-decided.example.test/', decision: 'fraud' },
      office.headers,
    );
    // Triage routed it to the competent agency: not theirs to decide, nothing stored.
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().error.code).toBe('case_routed_elsewhere');
    const before = await caseRow(caseId);
    expect(before.verdict).toBe('high_risk');
    expect(before.routed_entity_id).not.toBe(PCHOME.id);
    expect(await reportIdsOfCase(ctx, caseId)).toHaveLength(1);
    // Without a decision the office's report simply joins the case.
    const joined = await postReport(
      ctx.app,
      { url: 'https://own-decided.example.test/' },
      office.headers,
    );
    expect(joined.statusCode).toBe(201);
    expect(joined.json().case.id).toBe(caseId);
    expect(await caseRow(caseId)).toEqual(before);
  });
});
