import type { LightMyRequestResponse } from 'fastify';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  adminHeaders,
  apiKeyFor,
  createUser,
  loginAs,
  testDialects,
  useTestApp,
  useTestNode,
} from '../harness.js';
import { JPEG, SVG, solidPng, WEBP } from './images.js';
import { integrateLog } from '../../src/log/index.js';
import { postReport } from '../factories.js';

/** Largest screenshot in this suite, bytes (REPORT_SCREENSHOT_MAX_BYTES). */
const MAX_BYTES = 4096;

interface FilePart {
  name?: string;
  bytes: Buffer;
  filename: string;
  type: string;
}

/** A multipart/form-data body as a browser's FormData encodes it (undici's encoder). */
async function multipart(
  fields: Record<string, string>,
  files: FilePart[] = [],
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files) {
    form.append(
      file.name ?? 'screenshot',
      new Blob([new Uint8Array(file.bytes)], { type: file.type }),
      file.filename,
    );
  }
  const encoded = new Request('http://scamnet.test/', { method: 'POST', body: form });
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type') ?? '' },
  };
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Expects `res` refused (400) with the error `code`, naming `field` when one is given. */
function expectRefused(res: LightMyRequestResponse, code: string, field?: string): void {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.json().error).toMatchObject(
    field === undefined ? { code } : { code, details: { field } },
  );
}

describe.each(testDialects())('report screenshot and contact on %s', (dialect) => {
  const ctx = useTestApp(dialect, { env: { REPORT_SCREENSHOT_MAX_BYTES: String(MAX_BYTES) } });

  async function postForm(fields: Record<string, string>, files: FilePart[] = []) {
    const { payload, headers } = await multipart(fields, files);
    return ctx.app.inject({ method: 'POST', url: '/api/v1/reports', payload, headers });
  }

  async function rowCounts() {
    const count = async (table: 'reports' | 'cases' | 'evidence_blobs') =>
      Number(
        (
          await ctx.deps.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      reports: await count('reports'),
      cases: await count('cases'),
      blobs: await count('evidence_blobs'),
    };
  }

  async function caseReports(caseId: string, headers: Record<string, string> = adminHeaders) {
    return ctx.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/reports`, headers });
  }

  it('accepts a PNG screenshot with a phone contact: stored by hash, shown to staff only', async () => {
    const png = solidPng(8, 6);
    const res = await postForm(
      {
        url: 'https://upload-one.test/win',
        text: '恭喜中獎，點連結領取',
        platform: 'website',
        channel: 'web',
        contact: '0912-345-678',
        consent: 'on',
      },
      [{ bytes: png, filename: 'shot.png', type: 'image/png' }],
    );
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body.newCase).toBe(true);
    expect(JSON.stringify(body)).not.toContain('912345678');
    expect(JSON.stringify(body)).not.toContain(sha256(png));

    const staff = await caseReports(body.case.id);
    expect(staff.statusCode).toBe(200);
    expect(staff.json().reports).toEqual([
      expect.objectContaining({
        id: body.report.id,
        channel: 'web',
        url: 'https://upload-one.test/win',
        contact: '+886912345678',
        contactType: 'phone',
        screenshotSha256: sha256(png),
      }),
    ]);

    const blob = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/blobs/${sha256(png)}`,
      headers: adminHeaders,
    });
    expect(blob.statusCode).toBe(200);
    expect(blob.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(blob.rawPayload, png)).toBe(0);
    const indexed = await ctx.deps.db
      .selectFrom('evidence_blobs')
      .selectAll()
      .where('sha256', '=', sha256(png))
      .executeTakeFirstOrThrow();
    expect(indexed).toMatchObject({ size: png.length, content_type: 'image/png' });
  });

  it('takes JPEG and WebP by their magic bytes, whatever the client claims', async () => {
    for (const [bytes, type] of [
      [JPEG, 'image/jpeg'],
      [WEBP, 'image/webp'],
    ] as const) {
      const res = await postForm({ text: `screenshot as ${type}`, consent: 'true' }, [
        { bytes, filename: 'shot.bin', type: 'application/octet-stream' },
      ]);
      expect(res.statusCode, res.body).toBe(201);
      const row = await ctx.deps.db
        .selectFrom('evidence_blobs')
        .select('content_type')
        .where('sha256', '=', sha256(bytes))
        .executeTakeFirstOrThrow();
      expect(row.content_type).toBe(type);
    }
  });

  it('refuses an SVG, a GIF or text named .png (screenshot_type) and writes nothing', async () => {
    const before = await rowCounts();
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    for (const bytes of [SVG, gif, Buffer.from('not an image at all')]) {
      const res = await postForm({ url: 'https://wrong-type.test/', consent: 'true' }, [
        { bytes, filename: 'shot.png', type: 'image/png' },
      ]);
      expectRefused(res, 'screenshot_type', 'screenshot');
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a screenshot over REPORT_SCREENSHOT_MAX_BYTES (413 screenshot_too_large)', async () => {
    const before = await rowCounts();
    const big = solidPng(4, 4, [0, 0, 255], MAX_BYTES);
    expect(big.length).toBeGreaterThan(MAX_BYTES);
    const res = await postForm({ url: 'https://too-large.test/', consent: 'true' }, [
      { bytes: big, filename: 'big.png', type: 'image/png' },
    ]);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toMatchObject({
      code: 'screenshot_too_large',
      details: { field: 'screenshot', maxBytes: MAX_BYTES },
    });
    const exact = solidPng(
      4,
      4,
      [0, 0, 255],
      MAX_BYTES - solidPng(4, 4, [0, 0, 255], 1).length + 1,
    );
    expect(exact.length).toBe(MAX_BYTES);
    const fits = await postForm({ url: 'https://just-fits.test/', consent: 'true' }, [
      { bytes: exact, filename: 'fits.png', type: 'image/png' },
    ]);
    expect(fits.statusCode, fits.body).toBe(201);
    const after = await rowCounts();
    expect(after.reports).toBe(before.reports + 1);
  });

  it('refuses a contact that is neither e-mail nor phone (invalid_contact), JSON or form', async () => {
    const before = await rowCounts();
    for (const contact of [
      'call me maybe',
      'someone@',
      'a@b',
      '12',
      'x'.repeat(65) + '@mail.test',
    ]) {
      const json = await postReport(ctx.app, {
        url: 'https://bad-contact.test/',
        contact,
        consent: true,
      });
      expectRefused(json, 'invalid_contact', 'contact');
    }
    const form = await postForm({ text: '假投資', contact: 'not-a-phone', consent: 'true' });
    expect(form.json().error.code).toBe('invalid_contact');
    expect(await rowCounts()).toEqual(before);
  });

  it('needs consent with a contact or a screenshot (consent_required), not without', async () => {
    const before = await rowCounts();
    const noConsent = await postReport(ctx.app, {
      url: 'https://no-consent.test/',
      contact: 'someone@mail.test',
    });
    expectRefused(noConsent, 'consent_required', 'consent');
    const refused = await postForm({ url: 'https://no-consent.test/', consent: 'false' }, [
      { bytes: solidPng(2, 2), filename: 's.png', type: 'image/png' },
    ]);
    expect(refused.json().error.code).toBe('consent_required');
    const odd = await postForm({ url: 'https://no-consent.test/', consent: 'maybe' });
    expectRefused(odd, 'validation_failed', 'consent');
    expect(await rowCounts()).toEqual(before);
    const plain = await postForm({ url: 'https://no-consent.test/', platform: '', contact: '' });
    expect(plain.statusCode, plain.body).toBe(201);
  });

  it('keeps the JSON route as it was, and takes a contact there too', async () => {
    const plain = await postReport(ctx.app, {
      url: 'https://json-still.test/a',
      platform: 'website',
    });
    expect(plain.statusCode).toBe(201);
    expect(plain.json().case).toMatchObject({ platform: 'website', reportCount: 1 });
    const unknown = await postReport(ctx.app, {
      url: 'https://json-still.test/a',
      screenshot: 'aGVsbG8=',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details).toEqual({ field: 'screenshot' });
    const withContact = await postReport(ctx.app, {
      url: 'https://json-still.test/a',
      contact: 'Reporter@Mail.TEST',
      consent: true,
    });
    expect(withContact.statusCode).toBe(201);
    expect(withContact.json().newCase).toBe(false);
    const staff = await caseReports(plain.json().case.id);
    const contacts = staff.json().reports.map((r: { contact: string | null }) => r.contact);
    expect(contacts.sort()).toEqual(['Reporter@mail.test', null]);
  });

  it('bounds the form: one file, named screenshot; known fields; no duplicates', async () => {
    const before = await rowCounts();
    const png = solidPng(2, 2);
    const two = await postForm({ text: 'two files', consent: 'true' }, [
      { bytes: png, filename: 'a.png', type: 'image/png' },
      { bytes: png, filename: 'b.png', type: 'image/png' },
    ]);
    expectRefused(two, 'too_many_files');
    const other = await postForm({ text: 'other file', consent: 'true' }, [
      { name: 'avatar', bytes: png, filename: 'a.png', type: 'image/png' },
    ]);
    expect(other.json().error).toMatchObject({
      code: 'unexpected_file',
      details: { field: 'avatar' },
    });
    const extra = await postForm({ text: 'extra field', reporterName: 'Chen' });
    expectRefused(extra, 'validation_failed', 'reporterName');
    const twice = await postReport(
      ctx.app,
      ['first', 'second']
        .map((v) => `--b0undary\r\nContent-Disposition: form-data; name="text"\r\n\r\n${v}\r\n`)
        .join('')
        .concat('--b0undary--\r\n'),
      { 'content-type': 'multipart/form-data; boundary=b0undary' },
    );
    expectRefused(twice, 'duplicate_field', 'text');
    const broken = await postReport(
      ctx.app,
      '--xyz\r\nContent-Disposition: form-data; name="text"\r\n\r\nno end',
      { 'content-type': 'multipart/form-data; boundary=xyz' },
    );
    expectRefused(broken, 'invalid_multipart');
    expect(await rowCounts()).toEqual(before);
  });

  it('parses multipart only on the report route (others still answer 415)', async () => {
    const { payload, headers } = await multipart({ email: 'a@b.test', password: 'x' });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload,
      headers,
    });
    expect(res.statusCode).toBe(415);
  });

  it('never shows the contact or the screenshot on public routes', async () => {
    const email = 'private.person@mailbox.test';
    const png = solidPng(3, 3, [1, 2, 3]);
    const res = await postForm(
      {
        url: 'https://leak-check.test/invest',
        text: '保證獲利投資群組 LINE ID: leakcheck88',
        contact: email,
        consent: 'yes',
      },
      [{ bytes: png, filename: 'private.png', type: 'image/png' }],
    );
    expect(res.statusCode).toBe(201);
    const caseId: string = res.json().case.id;
    // The log's entries once the sequencer has integrated the report's events.
    await integrateLog(ctx.deps);
    // Each public route with something it must show, so that an empty answer cannot pass.
    const publicUrls: Array<[string, string]> = [
      [`/api/v1/cases/${caseId}`, caseId],
      [`/api/v1/cases/${caseId}/timeline`, 'reported'],
      [`/api/v1/lookup?url=${encodeURIComponent('https://leak-check.test/invest')}`, caseId],
      [`/api/v1/lookup?q=${encodeURIComponent('保證獲利投資群組 LINE ID: leakcheck88')}`, caseId],
      ['/api/v1/search?q=leakcheck88', caseId],
      ['/api/v1/stats?from=2026-11-01&to=2026-11-30', 'reports'],
      ['/api/v1/bulletins/2026-W48', '2026-W48'],
      ['/api/v1/log/entries?start=0&end=100', caseId],
    ];
    for (const [url, expected] of publicUrls) {
      const page = await ctx.app.inject({ method: 'GET', url });
      expect(page.statusCode, url).toBe(200);
      expect(page.body, url).toContain(expected);
      for (const secret of [email, 'private.person', sha256(png), 'private.png']) {
        expect(page.body, `${url} leaks ${secret}`).not.toContain(secret);
      }
    }
    const reporter = await createUser(ctx, { role: 'reporter' });
    const session = await loginAs(ctx, reporter);
    expect((await caseReports(caseId, session.headers)).statusCode).toBe(403);
    const liaison = await apiKeyFor(ctx, { role: 'platform_liaison', platform: 'website' });
    expect((await caseReports(caseId, liaison.headers)).statusCode).toBe(403);
    const anonymous = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${caseId}/reports`,
    });
    expect(anonymous.statusCode).toBe(401);
    const staff = await caseReports(caseId);
    expect(staff.json().reports[0]).toMatchObject({ contact: email, contactType: 'email' });
  });
});

describe.skipIf(process.env.TEST_DATABASE_URL === undefined)(
  'a screenshot on two nodes of one PostgreSQL store',
  () => {
    const ctx = useTestApp('postgres');
    const otherDir = mkdtempSync(path.join(tmpdir(), 'scamnet-node-b-'));
    // Node B has a disk of its own: nothing node A writes to its EVIDENCE_DIR reaches it.
    const other = useTestNode(ctx, { blobDir: otherDir });
    afterAll(async () => {
      rmSync(otherDir, { recursive: true, force: true });
    });

    it('is served by the node that did not receive it, byte for byte', async () => {
      const png = solidPng(9, 7);
      const { payload, headers } = await multipart(
        { url: 'https://two-nodes.test/win', text: '兩個節點都看得到截圖', consent: 'on' },
        [{ bytes: png, filename: 'shot.png', type: 'image/png' }],
      );
      const posted = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload,
        headers,
      });
      expect(posted.statusCode, posted.body).toBe(201);
      const blob = await other.app.inject({
        method: 'GET',
        url: `/api/v1/blobs/${sha256(png)}`,
        headers: adminHeaders,
      });
      expect(blob.statusCode, blob.body).toBe(200);
      expect(blob.headers['content-type']).toBe('image/png');
      expect(Buffer.compare(blob.rawPayload, png)).toBe(0);
      // Stored in the database, not in either node's folder.
      expect(readdirSync(otherDir)).toEqual([]);
      expect(existsSync(ctx.config.evidence.blobDir)).toBe(false);
    });
  },
);
