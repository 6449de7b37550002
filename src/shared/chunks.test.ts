import { describe, expect, it } from 'vitest';
import { IN_LIST_SIZE, chunksOf, readInChunks } from './chunks.js';

describe('chunksOf', () => {
  it('cuts a list into slices of the size, the last one shorter, and none for an empty list', () => {
    expect(chunksOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunksOf([], 2)).toEqual([]);
    expect(
      chunksOf(Array.from({ length: IN_LIST_SIZE + 1 }, (_, i) => i)).map((c) => c.length),
    ).toEqual([IN_LIST_SIZE, 1]);
  });
});

describe('readInChunks', () => {
  it('reads one slice at a time, in order, and concatenates the answers', async () => {
    const seen: number[][] = [];
    const rows = await readInChunks(
      [1, 2, 3, 4, 5],
      async (chunk) => {
        seen.push(chunk);
        return chunk.map((n) => n * 10);
      },
      2,
    );
    expect(seen).toEqual([[1, 2], [3, 4], [5]]);
    expect(rows).toEqual([10, 20, 30, 40, 50]);
  });

  it('does not call the reader for no keys', async () => {
    let calls = 0;
    const rows = await readInChunks([], async () => {
      calls += 1;
      return [];
    });
    expect(rows).toEqual([]);
    expect(calls).toBe(0);
  });

  it('takes a slice answering more rows than a call may have arguments (every holding of a list)', async () => {
    const rows = await readInChunks(['all'], async () =>
      Array.from({ length: 500_000 }, (_, i) => i),
    );
    expect(rows).toHaveLength(500_000);
    expect(rows[499_999]).toBe(499_999);
  });
});
