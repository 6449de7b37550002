/**
 * Screenshots of captured pages in headless Chromium (playwright-core driving Debian's
 * `chromium`; no browser is ever downloaded). The browser makes no network request of its own:
 * every request it issues (page, redirects, images, scripts) is intercepted and answered by
 * captureUrl with the same SSRF policy and limits; WebSockets are closed unopened, service
 * workers blocked, and a resolver rule makes every name fail inside Chromium itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { captureUrl, type CaptureOptions } from './capture.js';

/** Flags for a quiet, offline, reproducible browser. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Chromium resolves no name itself: anything that escaped interception could not find a host.
  '--host-resolver-rules=MAP * ~NOTFOUND',
  // WebRTC (STUN/TURN over UDP) is not an HTTP request the guarded interception sees: with no
  // proxy, this policy leaves it no UDP path, so a hostile page cannot probe internal addresses.
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
];

/** Most sub-requests one screenshot may make (the rest are aborted). */
const MAX_REQUESTS = 150;

/** Options of one screenshot. */
export interface ScreenshotOptions {
  readonly chromiumPath: string;
  /** The capture policy and limits every browser request goes through. */
  readonly capture: CaptureOptions;
  /** Viewport, CSS pixels (default 1280×800, as a desktop visitor). */
  readonly width?: number;
  readonly height?: number;
}

/**
 * Loads `url` (best the final URL of a capture, so the page's own address is right) in a fresh
 * headless Chromium profile and returns a PNG of the viewport.
 * @throws Error when the browser cannot start or the page does not load within the capture's
 *   time limit.
 */
export async function takeScreenshot(url: string, options: ScreenshotOptions): Promise<Buffer> {
  // Loaded on use: screenshots are optional, and the server must start without playwright-core.
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(path.join(tmpdir(), 'scamnet-shot-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: options.chromiumPath,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    serviceWorkers: 'block',
    acceptDownloads: false,
    javaScriptEnabled: true,
    userAgent: options.capture.userAgent,
    locale: 'zh-TW',
    timezoneId: 'Asia/Taipei',
  });
  try {
    let requests = 0;
    await context.route('**/*', async (route) => {
      requests += 1;
      const target = route.request().url();
      if (requests > MAX_REQUESTS || !/^https?:/i.test(target)) {
        await route.abort('blockedbyclient');
        return;
      }
      // Redirects are followed here, hop by hop under the policy (a fulfilled 3xx would make
      // Chromium fetch the target itself); the browser gets the final response.
      const result = await captureUrl(target, options.capture);
      const hop = result.hops[result.hops.length - 1];
      if (result.outcome !== 'fetched' || hop?.status === null || hop?.status === undefined) {
        await route.abort('addressunreachable');
        return;
      }
      const headers = { ...hop.headers };
      delete headers['content-length'];
      delete headers['transfer-encoding'];
      delete headers['content-encoding'];
      await route.fulfill({
        status: hop.status,
        headers,
        body: result.body === null ? '' : Buffer.from(result.body),
      });
    });
    await context.routeWebSocket(/.*/, (socket) => socket.close());
    // A new page: the persistent context's first tab predates the routes.
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: options.capture.timeoutMs });
    return await page.screenshot({ type: 'png', timeout: options.capture.timeoutMs });
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
}
