/**
 * Screenshots in Debian's Chromium through playwright-core, every browser request answered by
 * the SSRF-checked capture (a loopback server this test starts; loopback allowed for it).
 * Without Chromium the suite is skipped with a printed reason, or fails when REQUIRE_BROWSER=1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptureOptions } from '../../src/evidence/capture.js';
import { takeScreenshot } from '../../src/evidence/screenshot.js';
import { CHROMIUM, HAS_BROWSER, reportMissingBrowser } from '../browser.js';
import { listenOnLoopback, type LoopbackServer } from '../harness.js';

reportMissingBrowser('screenshots');

const PNG_SIGNATURE = '89504e470d0a1a0a';

describe.skipIf(!HAS_BROWSER)('screenshots', () => {
  let server: LoopbackServer;
  let port = 0;
  const requests: string[] = [];
  beforeAll(async () => {
    server = await listenOnLoopback((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/') {
        res.writeHead(302, { location: '/page' });
        res.end();
        return;
      }
      if (req.url === '/style.css') {
        res.writeHead(200, { 'content-type': 'text/css' });
        res.end('body { background: #c00; }');
        return;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<html><head><link rel="stylesheet" href="/style.css"><title>假投資</title></head>' +
          '<body><h1>保證獲利</h1><img src="http://10.0.0.1/pixel.png"></body></html>',
      );
    });
    ({ port } = server);
  });
  afterAll(async () => {
    await server.close();
  });

  it('renders the page through the capture policy and returns a PNG', async () => {
    const capture: CaptureOptions = {
      allowLoopback: true,
      allowedPorts: [port],
      maxRedirects: 5,
      maxBytes: 1_048_576,
      timeoutMs: 20_000,
      userAgent: 'scamnet-test',
    };
    const png = await takeScreenshot(`http://127.0.0.1:${port}/`, {
      chromiumPath: CHROMIUM,
      capture,
      width: 400,
      height: 300,
    });
    expect(png.subarray(0, 8).toString('hex')).toBe(PNG_SIGNATURE);
    expect(png.readUInt32BE(16)).toBe(400);
    // The redirect and the stylesheet went through capture; the private image was refused.
    expect(requests).toEqual(expect.arrayContaining(['/', '/page', '/style.css']));
  }, 60_000);
});
