/**
 * A map from a lookup key to the IDs of the cases holding it, compact for the common case of one
 * holder (the ID string itself rather than a one-element Set).
 */
export class KeyedCaseIds {
  readonly #map = new Map<string, string | Set<string>>();

  /** Keys held by at least one case. */
  get size(): number {
    return this.#map.size;
  }

  /** The cases holding `key` (empty when none). */
  get(key: string): Iterable<string> {
    const held = this.#map.get(key);
    if (held === undefined) return [];
    return typeof held === 'string' ? [held] : held;
  }

  /** Records that `caseId` holds `key` (idempotent). */
  add(key: string, caseId: string): void {
    const held = this.#map.get(key);
    if (held === undefined) this.#map.set(key, caseId);
    else if (typeof held === 'string') {
      if (held !== caseId) this.#map.set(key, new Set([held, caseId]));
    } else held.add(caseId);
  }

  /** Forgets that `caseId` holds `key` (idempotent). */
  delete(key: string, caseId: string): void {
    const held = this.#map.get(key);
    if (held === undefined) return;
    if (typeof held === 'string') {
      if (held === caseId) this.#map.delete(key);
      return;
    }
    held.delete(caseId);
    if (held.size === 1) {
      const [only] = held;
      if (only !== undefined) this.#map.set(key, only);
    } else if (held.size === 0) this.#map.delete(key);
  }
}
