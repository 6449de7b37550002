import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseText, textFingerprint } from './fingerprint.js';
import { nearDuplicateForm, nearDuplicateSignature } from './near-duplicate.js';

describe('normaliseText', () => {
  it('folds width, case, whitespace, punctuation, symbols and invisible characters', () => {
    expect(normaliseText('ＬＩＮＥ  好友：\u200b@Abc123！！')).toBe('line好友abc123');
    expect(normaliseText('恭喜 獲得「免費」貼圖～')).toBe(normaliseText('恭喜獲得免費貼圖'));
  });

  it('keeps letters, digits and CJK characters that change meaning', () => {
    expect(normaliseText('明天限定')).not.toBe(normaliseText('今天限定'));
    expect(normaliseText('轉帳 3000 元')).not.toBe(normaliseText('轉帳 30000 元'));
  });

  it('replaces the given spans (e.g. URLs by their match keys)', () => {
    const text = '點 https://x.example.com/a?utm_source=fb 領取';
    const start = text.indexOf('https');
    const end = start + 'https://x.example.com/a?utm_source=fb'.length;
    expect(normaliseText(text, [{ start, end, value: 'https://x.example.com/a' }])).toBe(
      normaliseText('點 https://x.example.com/a 領取'),
    );
  });
});

describe('textFingerprint', () => {
  it('is equal for texts that normalise equally and prefixed text:', () => {
    const a = textFingerprint('您的包裹 無法投遞！');
    expect(a).toMatch(/^text:[0-9a-f]{64}$/);
    expect(textFingerprint('您的包裹無法投遞')).toBe(a);
  });

  it('is null when nothing meaningful is left', () => {
    expect(textFingerprint('  ！！ …  \u200b ')).toBeNull();
    expect(textFingerprint('')).toBeNull();
  });
});

/** Latin letters and their Cyrillic or Greek look-alikes (TR39 confusables.txt prototypes). */
const LOOKALIKES: Readonly<Record<string, readonly string[]>> = {
  a: ['\u0430', '\u03b1'],
  c: ['\u0441'],
  e: ['\u0435'],
  i: ['\u0456', '\u03b9'],
  o: ['\u043e', '\u03bf'],
  p: ['\u0440'],
  v: ['\u03bd'],
  x: ['\u0445'],
  y: ['\u0443'],
  A: ['\u0410', '\u0391'],
  B: ['\u0412', '\u0392'],
  E: ['\u0415', '\u0395'],
  H: ['\u041d', '\u0397'],
  K: ['\u041a', '\u039a'],
  M: ['\u041c', '\u039c'],
  O: ['\u041e', '\u039f'],
  P: ['\u0420', '\u03a1'],
  T: ['\u0422', '\u03a4'],
  X: ['\u0425', '\u03a7'],
};

const LATIN_MESSAGES = [
  'Your parcel could not be delivered. Pay the customs fee today to avoid its return.',
  'PayPal: your account access is limited. Verify your identity within 24 hours.',
  'Congratulations! You won a prize. Contact our agent on WhatsApp to claim it.',
];

describe('look-alike letters (issue 19)', () => {
  it('a message written with Cyrillic or Greek look-alikes normalises as its Latin original', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...LATIN_MESSAGES),
        fc.infiniteStream(fc.tuple(fc.boolean(), fc.nat(1))),
        (message, choices) => {
          const iterator = choices[Symbol.iterator]();
          const disguised = Array.from(message, (char) => {
            const [swap, which] = iterator.next().value ?? [false, 0];
            const options = LOOKALIKES[char];
            if (!swap || options === undefined) return char;
            return options[which % options.length] ?? char;
          }).join('');
          expect(normaliseText(disguised)).toBe(normaliseText(message));
          expect(textFingerprint(disguised)).toBe(textFingerprint(message));
          const form = nearDuplicateForm(disguised, []);
          expect(nearDuplicateSignature(form.text, form.contentChars)).toEqual(
            nearDuplicateSignature(normaliseText(message), form.contentChars),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves Chinese text as it is, though confusables.txt maps some of it (一 → ー)', () => {
    expect(normaliseText('一〇工口力')).toBe('一〇工口力');
    // Any text without Greek, Cyrillic, Armenian or Cherokee letters normalises as before
    // (NFKC, invisible characters out, lower case, punctuation out), with no folding at all.
    const cjk = fc.string({
      unit: fc.oneof(
        fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
        fc.integer({ min: 0x3000, max: 0x30ff }).map((c) => String.fromCodePoint(c)),
        fc.constantFrom('a', 'Z', '0', '1', ' ', '，', '！', 'ｈ', '\u200b'),
      ),
      maxLength: 80,
    });
    fc.assert(
      fc.property(cjk, (text) => {
        const unfolded = text
          .normalize('NFKC')
          .replace(/[\p{Default_Ignorable_Code_Point}\uFFF9-\uFFFB]/gu, '')
          .toLowerCase()
          .replace(/[\p{White_Space}\p{P}\p{S}]+/gu, '');
        expect(normaliseText(text)).toBe(unfolded);
      }),
      { numRuns: 1000 },
    );
  });

  it('removes every default-ignorable code point and U+FFF9–U+FFFB', () => {
    const text = '您的包裹\u034f無法\u{E0041}\u{E007F}投遞\uFE0F\u3164\u115F\uFFF9\uFFFA\uFFFB';
    expect(normaliseText(text)).toBe(normaliseText('您的包裹無法投遞'));
  });
});
