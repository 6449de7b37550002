/**
 * Capturing a case's URLs through the API and the service on every dialect, against a loopback
 * server this test starts (CAPTURE_ALLOW_LOOPBACK on, its port allowed): stored record, blobs,
 * audit event and log leaf; permissions; refusals with the switch off; takedown re-checks.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureCase, recheckUrl } from '../../src/evidence/index.js';
import { fromHex } from '../../src/log/merkle.js';
import type { Dialect } from '../../src/store/index.js';
import {
  adminHeaders,
  buildTestApp,
  testDialects,
  listenOnLoopback,
  type LoopbackServer,
} from '../harness.js';

import { HAS_BROWSER } from '../browser.js';

import {
  getInclusionProof,
  getSignedTreeHead,
  integrateLog,
  leafHash,
  listEvents,
  verifyInclusion,
} from '../../src/log/index.js';
import { adminRequest, postReport } from '../factories.js';
const PAGE = '<html><head><title>飆股老師 LINE 群組</title></head><body>加入</body></html>';

describe.each(testDialects())('evidence capture on %s', (dialect: Dialect) => {
  let server: LoopbackServer;
  let port = 0;
  let hits = 0;
  let ctx: Awaited<ReturnType<typeof buildTestApp>>;
  let caseId = '';

  beforeAll(async () => {
    server = await listenOnLoopback((req, res) => {
      hits += 1;
      if (req.url === '/go') {
        res.writeHead(302, { location: '/landing' });
        res.end();
        return;
      }
      if (req.url === '/removed') {
        res.writeHead(410, { 'content-type': 'text/html' });
        res.end('<title>Gone</title>');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    });
    ({ port } = server);
    ctx = await buildTestApp(dialect, {
      env: { CAPTURE_ALLOW_LOOPBACK: 'true', CAPTURE_ALLOWED_PORTS: `80,443,${port}` },
    });
    const report = await postReport(ctx.app, {
      url: `http://127.0.0.1:${port}/go`,
      platform: 'website',
    });
    expect(report.statusCode).toBe(201);
    caseId = report.json().case.id;
  });
  afterAll(async () => {
    await ctx?.close();
    await server.close();
  });

  it('captures a case over the API and records it in the log', async () => {
    const response = await adminRequest(
      ctx.app,
      'POST',
      `/api/v1/cases/${caseId}/captures`,
      undefined,
      201,
    );
    const [capture] = response.json().captures;
    expect(capture.url).toBe(`http://127.0.0.1:${port}/go`);
    expect(capture.error).toBeNull();
    expect(capture).toMatchObject({
      caseId,
      purpose: 'capture',
      outcome: 'fetched',
      status: 200,
      finalUrl: `http://127.0.0.1:${port}/landing`,
      title: '飆股老師 LINE 群組',
      bodySha256: createHash('sha256').update(PAGE).digest('hex'),
      bodySize: Buffer.byteLength(PAGE),
      actor: 'admin:token',
    });
    expect(capture.hops).toHaveLength(2);

    const blob = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/blobs/${capture.bodySha256}`,
      headers: adminHeaders,
    });
    expect(blob.statusCode).toBe(200);
    expect(blob.body).toBe(PAGE);
    expect(blob.headers['content-disposition']).toMatch(/^attachment/);

    const events = await listEvents(ctx.deps.db, 'evidence', capture.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.seq).toBe(capture.eventSeq);
    expect(events[0]?.data).toMatchObject({ caseId, bodySha256: capture.bodySha256 });

    // Not in the tree until the sequencer has integrated it, and said so.
    await expect(getInclusionProof(ctx.deps, { eventSeq: capture.eventSeq })).rejects.toMatchObject(
      { code: 'leaf_not_yet_integrated' },
    );
    await integrateLog(ctx.deps);
    const sth = await getSignedTreeHead(ctx.deps);
    const proof = await getInclusionProof(ctx.deps, { eventSeq: capture.eventSeq });
    const ok = verifyInclusion(
      proof.leafIndex,
      proof.treeSize,
      fromHex(proof.leafHash) ?? new Uint8Array(),
      proof.proof.map((h) => fromHex(h) ?? new Uint8Array()),
      fromHex(sth.rootHash) ?? new Uint8Array(),
    );
    expect(ok).toBe(true);
    expect(proof.leafHash).not.toBe(Buffer.from(leafHash('x')).toString('hex'));

    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${caseId}/captures`,
      headers: adminHeaders,
    });
    expect(list.json().captures.map((c: { id: string }) => c.id)).toEqual([capture.id]);
    const one = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/captures/${capture.id}`,
      headers: adminHeaders,
    });
    expect(one.json().capture.hops[0].status).toBe(302);
  });

  it('lets only analysts and admins capture or read evidence', async () => {
    const before = hits;
    for (const [method, url] of [
      ['POST', `/api/v1/cases/${caseId}/captures`],
      ['GET', `/api/v1/cases/${caseId}/captures`],
    ] as const) {
      const response = await ctx.app.inject({ method, url });
      expect(response.statusCode, url).toBe(401);
    }
    await expect(
      captureCase(ctx.deps, { role: 'reporter', id: 'user:r' }, caseId),
    ).rejects.toMatchObject({
      status: 403,
    });
    expect(hits).toBe(before);
    await adminRequest(ctx.app, 'POST', '/api/v1/cases/CNOSUCHCASE0/captures', undefined, 404);
  });

  it('refuses loopback when the switch is off, and still records the refusal', async () => {
    const strict = {
      ...ctx.deps,
      config: { ...ctx.config, evidence: { ...ctx.config.evidence, captureAllowLoopback: false } },
    };
    const before = hits;
    const [capture] = await captureCase(strict, { role: 'admin', id: 'admin:token' }, caseId);
    expect(capture?.outcome).toBe('refused');
    expect(capture?.error?.code).toBe('blocked_address');
    expect(capture?.eventSeq).not.toBeNull();
    expect(hits).toBe(before);
  });

  // Without a browser, screenshot.test.ts reports it (or fails with REQUIRE_BROWSER=1).
  it.skipIf(!HAS_BROWSER)(
    'stores a screenshot with its hash when asked',
    async () => {
      const [capture] = await captureCase(ctx.deps, { role: 'analyst', id: 'user:a' }, caseId, {
        screenshot: true,
      });
      expect(capture?.screenshotSha256).toMatch(/^[0-9a-f]{64}$/);
      const blob = await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/blobs/${capture?.screenshotSha256}`,
        headers: adminHeaders,
      });
      expect(blob.headers['content-type']).toBe('image/png');
      expect(createHash('sha256').update(blob.rawPayload).digest('hex')).toBe(
        capture?.screenshotSha256,
      );
    },
    60_000,
  );

  it('re-checks a URL: removed on 410, live on 200, each recorded', async () => {
    const gone = await recheckUrl(ctx.deps, `http://127.0.0.1:${port}/removed`, { caseId });
    expect(gone.observation).toEqual({ state: 'removed', reason: 'http_410' });
    expect(gone.purpose).toBe('recheck');
    const live = await recheckUrl(ctx.deps, `http://127.0.0.1:${port}/landing`);
    expect(live.observation).toEqual({ state: 'live', reason: 'http_200' });
    const events = await listEvents(ctx.deps.db, 'evidence', gone.id);
    expect(events[0]?.type).toBe('evidence.rechecked');
    expect(events[0]?.actor).toBe('system:recheck');
  });
});
