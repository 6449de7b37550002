/** A source of the current time. Injected everywhere so deadlines and bulletins are testable. */
export interface Clock {
  /** Milliseconds since the Unix epoch (UTC). */
  now(): number;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests. */
export class FakeClock implements Clock {
  #ms: number;

  /** @param start ISO 8601 timestamp or epoch milliseconds. */
  constructor(start: string | number = '2026-01-01T00:00:00Z') {
    this.#ms = typeof start === 'number' ? start : Date.parse(start);
    if (Number.isNaN(this.#ms))
      throw new RangeError(`FakeClock: invalid start time ${String(start)}`);
  }

  now(): number {
    return this.#ms;
  }

  /** Moves the clock forward by `ms` milliseconds (must be >= 0). */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('FakeClock cannot go back in time');
    this.#ms += ms;
  }
}

/** ISO 8601 UTC timestamp (`2026-01-01T00:00:00.000Z`) of epoch milliseconds. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
