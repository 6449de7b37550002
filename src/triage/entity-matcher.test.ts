import { describe, expect, it } from 'vitest';
import { EntityMatcher } from './entity-matcher.js';

const matcher = new EntityMatcher([
  { id: 'jensen-huang', kind: 'public_figure', names: ['黃仁勳', 'Jensen Huang', 'JH'] },
  { id: 'prophet-quote', kind: 'company', names: ['صلى الله عليه وسلم'] },
  { id: 'apart', kind: 'company', names: ['アパート'] },
]);

describe('EntityMatcher', () => {
  it('matches names in NFKC-folded, lower-cased text, Latin names as whole words only', () => {
    expect(matcher.match('JENSEN HUANG 推薦飆股，黃仁勳 親自帶單').map((m) => m.entityId)).toEqual([
      'jensen-huang',
    ]);
    expect(matcher.match('xjensen huangx 與 JH 無關')).toEqual([]);
    // U+FDFA and U+3300 are single characters whose NFKC forms are the names.
    expect(matcher.match('\ufdfa').map((m) => m.entityId)).toEqual(['prophet-quote']);
    expect(matcher.match('\u3300 出租').map((m) => m.entityId)).toEqual(['apart']);
  });

  it('ranks by characters covered and counts every occurrence of a long expanding text', () => {
    const [first, second] = matcher.match('\ufdfa'.repeat(1_000) + '黃仁勳');
    expect(first).toMatchObject({ entityId: 'prophet-quote', weight: 18_000 });
    expect(second).toMatchObject({ entityId: 'jensen-huang', weight: 3, names: ['黃仁勳'] });
  });
});
