/**
 * The public report pages — the bulletins, a week's bulletin and the transparency report — are
 * pages of the web UI (site header, navigation, language switch), so the server answers their
 * addresses with the web UI's HTML and status 200: never a raw JSON error (`/transparency` used to
 * answer 400 `validation_failed` without `?year=`) nor a second, server-rendered page without the
 * site's navigation. Their data comes from the JSON API (tested in bulletin.test.ts).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../harness.js';

const INDEX_HTML = '<!doctype html><html lang="zh-TW"><div id="root"></div></html>\n';

describe('public report pages', () => {
  let webRoot = '';
  let ctx: Awaited<ReturnType<typeof buildTestApp>>;

  beforeAll(async () => {
    webRoot = await mkdtemp(path.join(tmpdir(), 'scamnet-web-'));
    await writeFile(path.join(webRoot, 'index.html'), INDEX_HTML);
    ctx = await buildTestApp('sqlite', { env: { WEB_ROOT: webRoot } });
  });

  afterAll(async () => {
    await ctx?.close();
    await rm(webRoot, { recursive: true, force: true });
  });

  it.each([
    '/transparency',
    '/transparency/2026',
    '/transparency?year=2025',
    '/bulletins',
    '/bulletins/2026-W47',
  ])('%s is the web UI page (200, HTML)', async (url) => {
    const res = await ctx.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe(INDEX_HTML);
  });
});
