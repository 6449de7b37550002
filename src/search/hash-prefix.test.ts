import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  WARN_STATUSES,
  applyUpdate,
  diffLists,
  hashProbesOf,
  listChecksum,
  parsePrefix,
  prefixBase64Url,
  prefixBytes,
  prefixesFromBytes,
  privateCheckProbes,
  sortedDistinct,
} from './hash-prefix.js';

describe('hash prefixes', () => {
  it('reads exactly the canonical base64url of 4 bytes', () => {
    expect(parsePrefix('AAAAAA')).toBe(0);
    expect(parsePrefix('_____w')).toBe(0xffffffff);
    expect(parsePrefix('_____w==')).toBe(0xffffffff);
    for (const bad of [
      '',
      'AAAAA',
      'AAAAAAA',
      'AAAAAB',
      '+/+/+w',
      'AAAA=A',
      'AAAAAA=',
      ' AAAAAA',
    ]) {
      expect(parsePrefix(bad), bad).toBeNull();
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (prefix) => {
        expect(parsePrefix(prefixBase64Url(prefix))).toBe(prefix);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (text) => {
        const prefix = parsePrefix(text);
        if (prefix !== null) expect(prefixBase64Url(prefix)).toBe(text.replace(/==$/, ''));
      }),
    );
  });

  it('checksums the concatenated big-endian prefixes (README worked example)', () => {
    const sorted = sortedDistinct([0x01020304, 0x00000001, 0x01020304]);
    expect([...sorted]).toEqual([1, 0x01020304]);
    expect(prefixBytes(sorted).toString('hex')).toBe('0000000101020304');
    expect(listChecksum(sorted)).toBe(
      createHash('sha256').update(Buffer.from('0000000101020304', 'hex')).digest('base64'),
    );
    expect([...prefixesFromBytes(prefixBytes(sorted))]).toEqual([...sorted]);
    expect(() => prefixesFromBytes(new Uint8Array(3))).toThrow(RangeError);
  });

  it('diffs two lists into an update that turns the first into the second', () => {
    const list = fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 60 });
    fc.assert(
      fc.property(list, list, (a, b) => {
        const before = sortedDistinct(a);
        const after = sortedDistinct(b);
        const update = diffLists(before, after);
        expect([...applyUpdate(before, update)]).toEqual([...after]);
        expect(update.removalIndices).toEqual([...update.removalIndices].sort((x, y) => x - y));
      }),
    );
  });

  it('refuses an update that does not fit the copy', () => {
    const before = Uint32Array.from([1, 5, 9]);
    const none = new Uint32Array(0);
    expect(() => applyUpdate(before, { additions: none, removalIndices: [3] })).toThrow(RangeError);
    expect(() => applyUpdate(before, { additions: none, removalIndices: [1, 1] })).toThrow(
      RangeError,
    );
    expect(() => applyUpdate(before, { additions: none, removalIndices: [2, 1] })).toThrow(
      RangeError,
    );
    expect(() =>
      applyUpdate(before, { additions: Uint32Array.from([5]), removalIndices: [] }),
    ).toThrow(RangeError);
    expect(() =>
      applyUpdate(before, { additions: Uint32Array.from([7, 6]), removalIndices: [] }),
    ).toThrow(RangeError);
    expect([
      ...applyUpdate(before, { additions: Uint32Array.from([5, 6]), removalIndices: [1] }),
    ]).toEqual([1, 5, 6, 9]);
  });

  it('warns about decided scams and high risk only', () => {
    expect([...WARN_STATUSES].sort()).toEqual(
      [
        'high_risk',
        'fraud_confirmed',
        'fraud_notified',
        'fraud_removed',
        'site_confirmed',
        'block_proposed',
        'blocked',
        'block_appealed',
        'block_lifted',
      ].sort(),
    );
  });
});

describe('what a private check hashes', () => {
  it('hashes the Safe Browsing expressions of a URL, without scheme', () => {
    const { kind, probes } = privateCheckProbes('https://a.b.example.com.tw/1/2.html?x=1', 'TW');
    expect(kind).toBe('url');
    const inputs = hashProbesOf(probes).map((p) => p.input);
    expect(inputs).toContain('a.b.example.com.tw/1/2.html?x=1');
    expect(inputs).toContain('example.com.tw/');
    expect(inputs).toContain('b.example.com.tw/1/');
    expect(inputs.every((i) => !i.includes('://'))).toBe(true);
    for (const probe of hashProbesOf(probes)) {
      expect(probe.list).toBe('urls');
      expect(probe.fullHash.toString('hex')).toBe(
        createHash('sha256').update(probe.input).digest('hex'),
      );
      expect(probe.prefix).toBe(probe.fullHash.readUInt32BE(0));
    }
  });

  it('hashes contacts as type:value, a LINE ID with and without @, a bare word as both readings', () => {
    const phone = privateCheckProbes('0912-345-678', 'TW');
    expect(phone.kind).toBe('text');
    expect(hashProbesOf(phone.probes).map((p) => [p.list, p.input])).toEqual([
      ['indicators', 'phone:+886912345678'],
    ]);
    const lineId = hashProbesOf(privateCheckProbes('@Lai659', 'TW').probes).map((p) => p.input);
    expect(lineId).toEqual(['line_id:@lai659', 'line_id:lai659']);
    const text = hashProbesOf(
      privateCheckProbes('加LINE: lai659 或寄信 a.b@example.com.tw', 'TW').probes,
    ).map((p) => p.input);
    expect(text).toEqual(
      expect.arrayContaining(['line_id:lai659', 'line_id:@lai659', 'email:a.b@example.com.tw']),
    );
  });
});
