import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextSerial, serialCompare } from '../../src/blocklist/index.js';

const MAX = 2 ** 32 - 1;
const serial = fc.integer({ min: 0, max: MAX });

describe('SOA serial arithmetic (RFC 1982, SERIAL_BITS = 32)', () => {
  it('orders serials across the wrap and leaves a distance of exactly 2^31 undefined', () => {
    expect(serialCompare(1, 2)).toBe(-1);
    expect(serialCompare(2, 1)).toBe(1);
    expect(serialCompare(7, 7)).toBe(0);
    // 5 follows 4294967290: the serial wrapped past 2^32 − 1.
    expect(serialCompare(5, 4_294_967_290)).toBe(1);
    expect(serialCompare(4_294_967_290, 5)).toBe(-1);
    expect(serialCompare(0, MAX)).toBe(1);
    expect(serialCompare(0, 2 ** 31)).toBeUndefined();
    expect(serialCompare(2 ** 31, 0)).toBeUndefined();
    expect(serialCompare(0, 2 ** 31 - 1)).toBe(-1);
    expect(serialCompare(0, 2 ** 31 + 1)).toBe(1);
    // Plain numeric order gets these wrong.
    expect(serialCompare(100, 3_000_000_000)).toBe(1);
  });

  it('is antisymmetric and agrees with adding less than 2^31 (property)', () => {
    fc.assert(
      fc.property(serial, serial, (a, b) => {
        const ab = serialCompare(a, b);
        const ba = serialCompare(b, a);
        if (ab === undefined) return ba === undefined;
        return ba === -ab || (ab === 0 && ba === 0);
      }),
    );
    fc.assert(
      fc.property(serial, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (a, n) => {
        const b = (a + n) % 2 ** 32;
        return serialCompare(b, a) === 1 && serialCompare(a, b) === -1;
      }),
    );
  });

  it('nextSerial always follows the previous serial, wraps past 2^32 − 1, never gives 0 (property)', () => {
    const now = Date.UTC(2026, 10, 29);
    expect(nextSerial(undefined, now)).toBe(now / 1000);
    expect(nextSerial(MAX, now)).toBe(now / 1000);
    // In 2106 the Unix time passes 2^32: the serial wraps and still follows the previous one.
    const wrapMs = 2 ** 32 * 1000;
    expect(nextSerial(MAX - 5, wrapMs + 5000)).toBe(5);
    expect(nextSerial(MAX, wrapMs)).toBe(1);
    // A serial more than 2^31 "behind" the clock is not jumped over backwards.
    expect(nextSerial(10, (2 ** 31 + 20) * 1000)).toBe(11);
    fc.assert(
      fc.property(
        fc.option(serial, { nil: undefined }),
        fc.integer({ min: 0, max: 2 ** 33 }).map((s) => s * 1000),
        (previous, nowMs) => {
          const next = nextSerial(previous, nowMs);
          return (
            Number.isInteger(next) &&
            next >= 1 &&
            next <= MAX &&
            (previous === undefined || serialCompare(next, previous) === 1)
          );
        },
      ),
    );
  });
});
