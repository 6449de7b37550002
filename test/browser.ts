/**
 * The browser the browser suites drive: Debian's Chromium (or CHROMIUM_PATH), never one that
 * playwright downloads. Without it a suite is skipped with a printed reason, or fails when
 * REQUIRE_BROWSER=1 (as in CI).
 */
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

/** The Chromium executable: CHROMIUM_PATH, else Debian's `/usr/bin/chromium`. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether CHROMIUM exists; use with `describe.skipIf(!HAS_BROWSER)`. */
export const HAS_BROWSER = existsSync(CHROMIUM);

const REQUIRE_BROWSER = process.env.REQUIRE_BROWSER === '1';

const skipReason = `Chromium not found at ${CHROMIUM} (install Debian's "chromium" package or set CHROMIUM_PATH)`;

/**
 * Prints why a browser suite is skipped, or registers a failing test when REQUIRE_BROWSER=1 and
 * there is no browser. Call at module level, beside `describe.skipIf(!HAS_BROWSER)(suite, …)`.
 */
export function reportMissingBrowser(suite: string): void {
  if (HAS_BROWSER) return;
  if (!REQUIRE_BROWSER) {
    console.warn(`[browser] skipping "${suite}": ${skipReason}.`);
    return;
  }
  describe(suite, () => {
    it('has a browser to run in (REQUIRE_BROWSER=1)', () => {
      throw new Error(`REQUIRE_BROWSER=1 but ${skipReason}.`);
    });
  });
}
