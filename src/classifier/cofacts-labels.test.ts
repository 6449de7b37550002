import { describe, expect, it } from 'vitest';
import { readCofactsLabel } from './cofacts-labels.js';

describe('readCofactsLabel', () => {
  it('reads rumour, news and politics topics as not scams, naming the category', () => {
    expect(readCofactsLabel('3', '耳垂看出心肌梗塞前兆！')).toEqual({
      reading: 'not_scam',
      category: '保健秘訣、食品安全',
    });
    expect(readCofactsLabel('15', '…').reading).toBe('not_scam');
    expect(readCofactsLabel(' 8 ', '…').reading).toBe('not_scam');
  });

  it('reads label 10 as a scam unless the message warns about one', () => {
    expect(readCofactsLabel('10', '只有今天!LINE周年免費貼圖抽獎↓ http://bit.ly/354wFdB')).toEqual({
      reading: 'scam',
      category: '免費訊息詐騙',
    });
    expect(readCofactsLabel('10', '留言就送星巴克兌換券？ 別貪心！小心有陰謀').reading).toBe(
      'warning',
    );
  });

  it('cannot tell from meaningless, ad and bare-link labels, or an unknown label', () => {
    for (const label of ['12', '13', '14', '17', '', 'x']) {
      expect(readCofactsLabel(label, 'https://udn.com/news/story/7323/4244679').reading).toBe(
        'undecidable',
      );
    }
    expect(readCofactsLabel('17', '…').category).toBeNull();
  });
});
