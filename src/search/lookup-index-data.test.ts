import { describe, expect, it } from 'vitest';
import { KeyedCaseIds } from './keyed-case-ids.js';
import { compareCodePoints } from './lookup-index-data.js';

describe('compareCodePoints', () => {
  it('orders as UTF-8 bytes do (SQLite BINARY, PostgreSQL "C"), not as UTF-16 units', () => {
    const words = ['b', 'a', 'ab', '', '\uff5e', '😀', 'Z', '臺', 'a\u0000'];
    const byBytes = [...words].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...words].sort(compareCodePoints)).toEqual(byBytes);
    // UTF-16 order puts the astral 😀 (a surrogate pair) before U+FF5E; UTF-8 after it.
    expect(compareCodePoints('😀', '\uff5e')).toBeGreaterThan(0);
  });
});

describe('KeyedCaseIds', () => {
  it('adds and removes holders of a key, idempotently', () => {
    const map = new KeyedCaseIds();
    map.add('phone\u0000+886912345678', 'C1');
    map.add('phone\u0000+886912345678', 'C1');
    expect([...map.get('phone\u0000+886912345678')]).toEqual(['C1']);
    map.add('phone\u0000+886912345678', 'C2');
    expect([...map.get('phone\u0000+886912345678')].sort()).toEqual(['C1', 'C2']);
    map.delete('phone\u0000+886912345678', 'C1');
    expect([...map.get('phone\u0000+886912345678')]).toEqual(['C2']);
    map.delete('phone\u0000+886912345678', 'C3');
    map.delete('phone\u0000+886912345678', 'C2');
    expect([...map.get('phone\u0000+886912345678')]).toEqual([]);
    expect(map.size).toBe(0);
  });
});
