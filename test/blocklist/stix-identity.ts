import { expect } from 'vitest';

/** The versioning properties of a STIX object that the identity checks read. */
export interface VersionedObject {
  type: string;
  id: string;
  created: string;
  modified: string;
  revoked?: boolean;
  valid_from?: string;
  valid_until?: string;
}

/**
 * Asserts the STIX 2.1 identity rules a bundle must keep (STIX 2.1 §3.6 versioning): one object
 * per ID, `modified` not before `created`, `valid_until` after `valid_from` (§4.7).
 */
export function checkStixIdentity(objects: readonly VersionedObject[]): void {
  const ids = objects.map((o) => o.id);
  expect(new Set(ids).size, 'one object per id').toBe(ids.length);
  for (const o of objects) {
    expect(o.modified >= o.created, `${o.id}: modified >= created`).toBe(true);
    if (o.valid_from !== undefined && o.valid_until !== undefined) {
      expect(o.valid_until > o.valid_from, `${o.id}: valid_until > valid_from`).toBe(true);
    }
  }
}

/**
 * Asserts that every object of `later` that `earlier` also has keeps its `created`, has a
 * `modified` not before the earlier one, and that an object revoked earlier is still revoked
 * (STIX 2.1 §3.2: revocation is permanent) or gone.
 */
export function checkStixVersions(
  earlier: readonly VersionedObject[],
  later: readonly VersionedObject[],
): void {
  const before = new Map(earlier.map((o) => [o.id, o]));
  for (const o of later) {
    const old = before.get(o.id);
    if (old === undefined) continue;
    expect(o.created, `${o.id}: created never changes`).toBe(old.created);
    expect(o.modified >= old.modified, `${o.id}: modified never goes back`).toBe(true);
    if (old.revoked === true) expect(o.revoked, `${o.id}: stays revoked`).toBe(true);
    if (o.modified === old.modified) expect(o).toEqual(old);
  }
}
