import { afterEach, describe, expect, it } from 'vitest';
import { currentZone, transitionEntry, zoneDiffSince } from '../../src/blocklist/index.js';

import { FakeClock } from '../../src/shared/clock.js';
import { createTestContext, testDialects, type TestContext } from '../harness.js';
import { admin, block } from './entries.js';

/** 2106-02-07T06:27:50Z: 16 seconds before the Unix time passes 2^32 and the serial wraps. */
const BEFORE_WRAP_MS = (2 ** 32 - 16) * 1000;

describe.each(testDialects())(
  'the IXFR journal across an RFC 1982 serial wrap on %s',
  (dialect) => {
    let ctx: TestContext | undefined;
    afterEach(async () => {
      await ctx?.close();
      ctx = undefined;
    });

    it('keeps the latest version, the differences and newer-serial answers right after the serial wraps past 2^32 − 1', async () => {
      const c = await createTestContext(dialect, { clock: new FakeClock(BEFORE_WRAP_MS) });
      ctx = c;
      const first = await block(c, 'before-wrap.com.tw');
      const s1 = (await currentZone(c.deps)).serial;
      expect(s1).toBe(2 ** 32 - 16);
      c.clock.advance(10_000);
      await block(c, 'just-before.com.tw');
      const s2 = (await currentZone(c.deps)).serial;
      expect(s2).toBe(2 ** 32 - 6);
      c.clock.advance(10_000);
      await block(c, 'after-wrap.com.tw');
      const s3 = (await currentZone(c.deps)).serial;
      expect(s3).toBe(4);
      await transitionEntry(c.deps, admin, first.id, 'lift', 'court revoked');
      const zone = await currentZone(c.deps);
      // The latest version is the one written last, not the numerically largest serial.
      expect(zone.serial).toBe(5);
      expect(zone.domains).toEqual(['after-wrap.com.tw', 'just-before.com.tw']);

      expect(await zoneDiffSince(c.deps, s1)).toMatchObject({
        kind: 'incremental',
        fromSerial: s1,
        deleted: ['before-wrap.com.tw'],
        added: ['after-wrap.com.tw', 'just-before.com.tw'],
      });
      expect(await zoneDiffSince(c.deps, s2)).toMatchObject({
        kind: 'incremental',
        deleted: ['before-wrap.com.tw'],
        added: ['after-wrap.com.tw'],
      });
      expect(await zoneDiffSince(c.deps, s3)).toMatchObject({
        kind: 'incremental',
        deleted: ['before-wrap.com.tw'],
        added: [],
      });
      // RFC 1995 §2: the same or a newer serial (RFC 1982) gets one SOA, also when numerically
      // smaller or larger than ours across the wrap.
      for (const client of [5, 6, 2 ** 31 + 4]) {
        expect((await zoneDiffSince(c.deps, client)).kind, String(client)).toBe('up_to_date');
      }
      // Older and unknown, or exactly 2^31 away (undefined order): the whole zone.
      for (const client of [2 ** 32 - 100, 2 ** 31 + 5, 3]) {
        expect((await zoneDiffSince(c.deps, client)).kind, String(client)).toBe('full');
      }
      c.clock.advance(1000);
      await block(c, 'later.com.tw');
      expect((await currentZone(c.deps)).serial).toBe(6);
    });
  },
);
