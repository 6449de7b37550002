/**
 * Values bound in one `IN (…)` list, or rows written by one statement, at most: well within
 * SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.
 */
export const IN_LIST_SIZE = 500;

/** `items` cut into consecutive slices of `size` (the last may be shorter); none when empty. */
export function chunksOf<T>(items: readonly T[], size: number = IN_LIST_SIZE): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Runs `read` on each slice of `keys` (chunksOf, `size` keys at a time), one after another, and
 * concatenates what the calls return in order: a query over a key list of any length.
 */
export async function readInChunks<K, R>(
  keys: readonly K[],
  read: (chunk: K[]) => Promise<readonly R[]>,
  size: number = IN_LIST_SIZE,
): Promise<R[]> {
  const out: R[] = [];
  // Row by row: spreading a chunk's rows as arguments overflows the stack above ~150,000.
  for (const chunk of chunksOf(keys, size)) for (const row of await read(chunk)) out.push(row);
  return out;
}
