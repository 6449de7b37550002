import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NEAR_DUPLICATE_PARAMS,
  bandKeys,
  bestNearDuplicate,
  jaccard,
  minHash,
  nearDuplicateLinkToken,
  nearDuplicateSignature,
  SHORT_LINK_TOKEN,
  shingles,
} from './near-duplicate.js';
import { MemoryClusterer } from './near-duplicate-index.js';

const SCAM = '恭喜您獲得免費限量貼圖一組今天限定趕快點擊下方連結領取不然就沒有了url';

describe('shingles and jaccard', () => {
  it('takes code-point shingles; short texts are one shingle', () => {
    expect([...shingles('abcd', 3)]).toEqual(['abc', 'bcd']);
    expect([...shingles('ab', 3)]).toEqual(['ab']);
    expect(shingles('', 3).size).toBe(0);
    expect([...shingles('😀😀😀x', 3)]).toEqual(['😀😀😀', '😀😀x']);
  });

  it('is a similarity in [0, 1], symmetric, 1 on equal sets', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const sa = shingles(a, 3);
        const sb = shingles(b, 3);
        const j = jaccard(sa, sb);
        expect(j).toBeGreaterThanOrEqual(0);
        expect(j).toBeLessThanOrEqual(1);
        expect(jaccard(sb, sa)).toBe(j);
        expect(jaccard(sa, sa)).toBe(1);
      }),
    );
  });
});

describe('minHash and bands', () => {
  it('is deterministic and has bands × rows values', () => {
    const set = shingles(SCAM, 3);
    const a = minHash(set, 100);
    expect(a).toHaveLength(100);
    expect(minHash(set, 100)).toEqual(a);
    expect(bandKeys(a, 20, 5)).toHaveLength(20);
    expect(bandKeys(a, 20, 5)[0]).toMatch(/^nd3:0:[0-9a-f]{8}$/);
  });

  it('estimates Jaccard similarity (agreement rate close to the exact value)', () => {
    const a = shingles(SCAM, 3);
    const b = shingles(`大家早安${SCAM.slice(0, 30)}`, 3);
    const exact = jaccard(a, b);
    const ma = minHash(a, 512);
    const mb = minHash(b, 512);
    let agree = 0;
    for (let i = 0; i < 512; i++) if (ma[i] === mb[i]) agree += 1;
    expect(Math.abs(agree / 512 - exact)).toBeLessThan(0.1);
  });

  it('never throws and gives one key per band for any text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const signature = nearDuplicateSignature(text, Array.from(text).length);
        if (Array.from(text).length < NEAR_DUPLICATE_PARAMS.minChars) {
          expect(signature).toBeNull();
        } else {
          expect(signature?.bandKeys).toHaveLength(NEAR_DUPLICATE_PARAMS.bands);
        }
      }),
    );
  });
});

describe('nearDuplicateLinkToken', () => {
  it('writes a link as a 4-character token that survives normalisation', () => {
    const token = nearDuplicateLinkToken('example.test/a/very/long/path?id=1', false);
    expect(token).toMatch(/^u[0-9a-f]{3}$/);
    expect(nearDuplicateLinkToken('example.test/a/very/long/path?id=1', false)).toBe(token);
    expect(nearDuplicateLinkToken('example.test/another', false)).not.toBe(token);
    expect(nearDuplicateLinkToken('bit.ly/abc', true)).toBe(SHORT_LINK_TOKEN);
    expect(nearDuplicateLinkToken('reurl.cc/xyz', true)).toBe(SHORT_LINK_TOKEN);
    expect(SHORT_LINK_TOKEN).not.toMatch(/^u[0-9a-f]{3}$/);
  });
});

describe('bestNearDuplicate', () => {
  it('accepts the most similar candidate above the threshold, oldest on ties', () => {
    const candidates = [
      { caseId: 'B', text: SCAM, order: '2' },
      { caseId: 'A', text: SCAM, order: '1' },
      { caseId: 'C', text: '今天天氣很好我們去公園散步吃午餐然後回家休息', order: '0' },
    ];
    expect(bestNearDuplicate(`早安${SCAM}`, candidates)?.caseId).toBe('A');
    expect(bestNearDuplicate('完全不同的一段訊息內容沒有任何關聯性喔', candidates)).toBeNull();
  });

  it('refuses texts below the threshold', () => {
    const half = `${SCAM.slice(0, SCAM.length / 2)}然後我們一起去吃晚餐再看一場電影聊聊最近的生活`;
    const match = bestNearDuplicate(half, [{ caseId: 'A', text: SCAM, order: '1' }]);
    expect(match).toBeNull();
  });
});

describe('MemoryClusterer', () => {
  it('joins exact keys first, then verified near-duplicates, else starts a cluster', () => {
    const clusterer = new MemoryClusterer();
    const sig = (text: string) => nearDuplicateSignature(text, Array.from(text).length);
    expect(clusterer.assign(['text:a'], sig(SCAM), 'c1')).toEqual({
      clusterId: 'c1',
      newCluster: true,
      matchedBy: null,
    });
    expect(clusterer.assign(['text:a'], sig(SCAM), 'c2').matchedBy).toBe('key');
    expect(clusterer.assign(['text:b'], sig(`各位早安${SCAM}感恩`), 'c3')).toEqual({
      clusterId: 'c1',
      newCluster: false,
      matchedBy: 'near_duplicate',
    });
    expect(
      clusterer.assign(['text:c'], sig('另一則完全不同的詐騙訊息要你加入投資群組賺大錢'), 'c4')
        .clusterId,
    ).toBe('c4');
  });

  it('places every message of a stream, each cluster ID being one of the given IDs', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 60 }), { maxLength: 30 }), (texts) => {
        const clusterer = new MemoryClusterer();
        const ids = texts.map((_, i) => `m${i}`);
        const placed = texts.map((text, i) =>
          clusterer.assign([`text:${text}`], nearDuplicateSignature(text, text.length), `m${i}`),
        );
        for (const p of placed) expect(ids).toContain(p.clusterId);
        // Equal texts always share a cluster.
        texts.forEach((t, i) => {
          const j = texts.indexOf(t);
          expect(placed[i]?.clusterId).toBe(placed[j]?.clusterId);
        });
      }),
    );
  });
});
