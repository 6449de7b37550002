/**
 * `GET /api/v1/blobs/:sha256` (issue 9 follow-up): report screenshots (PNG, JPEG, WebP) are served
 * with their own media type so the staff UI can show them as images; everything else stored in
 * the blob store (captured HTML bodies, an SVG, a type with parameters) goes out as opaque bytes.
 * Every blob keeps `nosniff`, a sandbox CSP and `attachment`. The app's own CSP lets images come
 * from `blob:` URLs (the UI's object URLs for fetched screenshots).
 */
import { describe, expect, it } from 'vitest';
import { FileBlobStore } from '../../src/evidence/index.js';
import { adminHeaders, apiKeyFor, testDialects, useTestApp } from '../harness.js';
import { JPEG, solidPng, WEBP } from '../intake/images.js';

describe.each(testDialects())('blob route media types on %s', (dialect) => {
  const ctx = useTestApp(dialect);

  /** Stores `bytes` as the evidence store does and indexes them under `contentType`. */
  async function storeBlob(bytes: Buffer, contentType: string): Promise<string> {
    const ref = await new FileBlobStore(ctx.config.evidence.blobDir).put(bytes);
    await ctx.deps.db
      .insertInto('evidence_blobs')
      .values({
        sha256: ref.sha256,
        size: ref.size,
        content_type: contentType,
        created_at: new Date(ctx.clock.now()).toISOString(),
      })
      .execute();
    return ref.sha256;
  }

  async function getBlob(sha256: string, headers: Record<string, string> = adminHeaders) {
    return ctx.app.inject({ method: 'GET', url: `/api/v1/blobs/${sha256}`, headers });
  }

  it.each([
    ['image/png', solidPng(3, 2), 'image/png'],
    ['image/jpeg', JPEG, 'image/jpeg'],
    ['image/webp', WEBP, 'image/webp'],
    ['IMAGE/JPEG; q=1', Buffer.concat([JPEG, Buffer.from([1])]), 'image/jpeg'],
    [
      'text/html; charset=utf-8',
      Buffer.from('<script>alert(1)</script>'),
      'application/octet-stream',
    ],
    [
      'image/svg+xml',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      'application/octet-stream',
    ],
    [
      'image/gif',
      Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'),
      'application/octet-stream',
    ],
    ['', Buffer.from('no type recorded'), 'application/octet-stream'],
  ])(
    'stored as %j is served as its image type or as opaque bytes',
    async (stored, bytes, served) => {
      const sha256 = await storeBlob(bytes, stored);
      const res = await getBlob(sha256);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(served);
      expect(Buffer.compare(res.rawPayload, bytes)).toBe(0);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${sha256}"`);
    },
  );

  it('serves images to staff only (anonymous 401, reporter key 403)', async () => {
    const sha256 = await storeBlob(solidPng(5, 5, [1, 2, 3]), 'image/png');
    expect((await getBlob(sha256, {})).statusCode).toBe(401);
    const reporter = await apiKeyFor(ctx, { role: 'reporter' });
    expect((await getBlob(sha256, reporter.headers)).statusCode).toBe(403);
    const analyst = await apiKeyFor(ctx, { role: 'analyst' });
    const res = await getBlob(sha256, analyst.headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
  });

  it("lets the app's pages show images from blob: URLs, and nothing wider", async () => {
    // A page's headers (API answers carry the API set, whose CSP allows nothing).
    const res = await ctx.app.inject({ method: 'GET', url: '/cases/no-such-case' });
    const csp = String(res.headers['content-security-policy']);
    const imgSrc = csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('img-src'));
    expect(imgSrc?.split(/\s+/).sort()).toEqual(["'self'", 'blob:', 'data:', 'img-src']);
    expect(csp).toContain("default-src 'self'");
  });
});
