import { describe, expect, it } from 'vitest';
import {
  POSTBACK,
  knownCaseMessage,
  lineLanguageOf,
  parsePostback,
  reportedMessage,
  unknownMessage,
} from './messages.js';

describe('the LINE bot’s language', () => {
  it.each([
    ['en', 'en'],
    ['en-US', 'en'],
    ['zh-TW', 'zh-TW'],
    ['ja', 'zh-TW'],
    ['eng-x', 'zh-TW'],
    [null, 'zh-TW'],
    [undefined, 'zh-TW'],
  ])('is English for an en profile and zh-TW otherwise: %j → %s', (profile, language) => {
    expect(lineLanguageOf(profile)).toBe(language);
  });
});

describe('postback data', () => {
  it('reads back what the bot writes, and nothing else', () => {
    expect(parsePostback(POSTBACK.report('ABC123'))).toEqual({ kind: 'report', offerId: 'ABC123' });
    expect(parsePostback(POSTBACK.follow('C7K2M9QX4TR'))).toEqual({
      kind: 'follow',
      caseId: 'C7K2M9QX4TR',
    });
    for (const data of ['', 'report:', 'report:a b', 'follow:../x', 'follow:C1;drop', 'other:1']) {
      expect(parsePostback(data), data).toBeUndefined();
    }
    expect(parsePostback(`follow:${'A'.repeat(33)}`)).toBeUndefined();
  });
});

describe('the bot’s messages', () => {
  it('fit LINE’s limits: quick-reply labels ≤ 20 characters, postback data ≤ 300', () => {
    const messages = [
      unknownMessage('zh-TW', 'A'.repeat(20)),
      unknownMessage('en', 'A'.repeat(20)),
      reportedMessage('zh-TW', 'C'.repeat(32), 'https://scamnet.example/cases/C'),
      reportedMessage('en', 'C'.repeat(32), null),
    ];
    for (const message of messages) {
      for (const item of message.quickReply?.items ?? []) {
        const action = item.action;
        expect(action?.label?.length ?? 0).toBeLessThanOrEqual(20);
        if (action?.type === 'postback') expect(action.data?.length ?? 0).toBeLessThanOrEqual(300);
      }
    }
  });

  it('state a known case’s label, colour, reports and link, without a link when there is none', () => {
    const facts = {
      caseId: 'C1',
      label: { 'zh-TW': '高風險訊息', en: 'High risk' },
      colour: 'yellow' as const,
      reportCount: 3,
      others: 0,
      link: null,
    };
    expect(knownCaseMessage('zh-TW', facts).text).toBe(
      '🟡 高風險訊息（黃色）\n案件 C1：已有 3 則通報。',
    );
    expect(knownCaseMessage('en', { ...facts, others: 2 }).text).toBe(
      '🟡 High risk (yellow)\nCase C1: 3 reports.\n2 more matching case(s) on the site.',
    );
  });

  it('offer to tell the outcome of a case being checked, and say the outcome of a decided one', () => {
    const open = reportedMessage('zh-TW', 'C1', null);
    expect(open.quickReply?.items?.map((i) => i.action?.label)).toEqual(['結案時通知我']);
    const label = { 'zh-TW': '詐騙訊息，尚未通知平台', en: 'Scam — platform not yet told' };
    const decided = reportedMessage('zh-TW', 'C1', 'https://scamnet.example/cases/C1', label);
    expect(decided.quickReply).toBeUndefined();
    expect(decided.text).toBe(
      '謝謝！已收到你的通報（案件 C1）。\n這個案件已有結果：詐騙訊息，尚未通知平台。\nhttps://scamnet.example/cases/C1',
    );
    expect(reportedMessage('en', 'C1', null, label).text).toContain(
      'This case is already decided: Scam — platform not yet told.',
    );
  });

  it('say a link that reported messages only quote is not known as a site, not that nobody reported it', () => {
    expect(unknownMessage('zh-TW', 'O1').text).toContain('查無紀錄：目前還沒有人通報這則內容。');
    const quoted = unknownMessage('zh-TW', 'O1', 3).text ?? '';
    expect(quoted).toContain('此網站本身尚無紀錄');
    expect(quoted).toContain('3 則通報的訊息中被提及');
    expect(quoted).not.toContain('還沒有人通報這則內容');
    expect(unknownMessage('en', 'O1', 1).text).toContain('This site itself is not known');
  });
});
