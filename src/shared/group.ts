/**
 * Groups `[key, value]` pairs into a list of values per key, in the order the pairs come; into
 * `groups` when given (to gather several batches into one map), else a new map.
 */
export function groupPairs<K, V>(
  pairs: Iterable<readonly [K, V]>,
  groups: Map<K, V[]> = new Map<K, V[]>(),
): Map<K, V[]> {
  for (const [key, value] of pairs) {
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [value]);
    else list.push(value);
  }
  return groups;
}
