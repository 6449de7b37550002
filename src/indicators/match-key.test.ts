import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchKey } from './match-key.js';

/**
 * One test per `[input, key]` pair, named by `title` (`%s` the input): matchKey(input) gives
 * `key`, through a chain of `chainLength` URLs.
 */
function itKeys(title: string, pairs: [string, string][], chainLength: number): void {
  it.each(pairs)(title, (input, key) => {
    const result = matchKey(input);
    expect(result?.matchKey).toBe(key);
    expect(result?.chain).toHaveLength(chainLength);
  });
}

describe('matchKey', () => {
  it('unwraps l.facebook.com/l.php?u= and strips tracking parameters', () => {
    const result = matchKey(
      'https://l.facebook.com/l.php?u=https%3A%2F%2Fevil.example%2Fa%3Fx%3D1%26utm_source%3Dfb%26fbclid%3Dabc&h=AT123',
    );
    expect(result?.matchKey).toBe('https://evil.example/a?x=1');
    expect(result?.chain).toEqual([
      'https://l.facebook.com/l.php?u=https://evil.example/a?x=1&utm_source=fb&fbclid=abc&h=AT123',
      'https://evil.example/a?x=1&utm_source=fb&fbclid=abc',
    ]);
    expect(result?.shortener).toBe(false);
  });
  itKeys(
    'unwraps %s',
    [
      ['https://lm.facebook.com/l.php?u=http%3A%2F%2Fscam.example%2F&h=x', 'http://scam.example/'],
      ['https://www.google.com/url?q=https://x.example/?gclid=1&sa=D', 'https://x.example/'],
      ['https://www.google.com.tw/url?url=https%3A%2F%2Fy.example%2Fp&sa=t', 'https://y.example/p'],
      ['https://www.youtube.com/redirect?q=https%3A%2F%2Fz.example%2F&v=1', 'https://z.example/'],
      [
        'https://line.me/R/msg/text/?%E9%A0%98%E5%8F%96%20https%3A%2F%2Fscam.example%2Fa',
        'https://scam.example/a',
      ],
      [
        'https://line.me/R/share?text=%E9%BB%9E%20https%3A%2F%2Fs.example%2Fb',
        'https://s.example/b',
      ],
      [
        'https://social-plugins.line.me/lineit/share?url=https%3A%2F%2Ft.example%2F',
        'https://t.example/',
      ],
      ['https://www.google.com/amp/s/news.example/a.html', 'https://news.example/a.html'],
      [
        'https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fo.example%2F&data=1',
        'https://o.example/',
      ],
      ['https://www.facebook.com/flx/warn/?u=https%3A%2F%2Fw.example%2F&h=1', 'https://w.example/'],
    ],
    2,
  );
  it('unwraps nested wrappers and records the whole chain', () => {
    const inner = encodeURIComponent('https://www.google.com/url?q=https%3A%2F%2Fdeep.example%2F');
    const result = matchKey(`https://l.facebook.com/l.php?u=${inner}`);
    expect(result?.matchKey).toBe('https://deep.example/');
    expect(result?.chain).toHaveLength(3);
  });
  it.each([
    ['https://bit.ly/354wFdB', true],
    ['https://reurl.cc/yaxa', true],
    ['https://lin.ee/9V1Huo7', true],
    ['https://t.co/abc', true],
    ['https://goo.gl/kTBxQJ', true],
    ['https://www.youtube.com/redirect?q=https%3A%2F%2Fbit.ly%2Fabc', true],
    ['https://udn.com/news/story/7326/3090928', false],
  ])('flags short links: %s → %s', (input, shortener) => {
    const result = matchKey(input);
    expect(result?.shortener).toBe(shortener);
  });
  it('keeps short links as they are (no resolution)', () => {
    expect(matchKey('http://bit.ly/354wFdB')?.matchKey).toBe('http://bit.ly/354wFdB');
  });
  itKeys(
    'removes tracking parameters: %s',
    [
      [
        'https://tw.appledaily.com/new/realtime/20190118/1503254/?utm_source=line&utm_medium=messenger&utm_campaign=twad_article_share&utm_content=share_link',
        'https://tw.appledaily.com/new/realtime/20190118/1503254/',
      ],
      [
        'https://today.line.me/TW/article/VJE6py?utm_source=lineshare',
        'https://today.line.me/TW/article/VJE6py',
      ],
      [
        'https://today.line.me/TW/article/d19d?openExternalBrowser=1',
        'https://today.line.me/TW/article/d19d',
      ],
      ['https://x.example/a?utm_source=1&id=2&fbclid=3', 'https://x.example/a?id=2'],
      ['https://www.instagram.com/p/abc/?igshid=xyz', 'https://www.instagram.com/p/abc/'],
      ['https://youtu.be/abc?si=xyz', 'https://youtu.be/abc'],
      ['https://www.facebook.com/share/p/1?mibextid=abc', 'https://www.facebook.com/share/p/1'],
      ['https://x.example/?gclid=1', 'https://x.example/'],
    ],
    1,
  );
  it('gives null without a valid host', () => {
    expect(matchKey('not a url')).toBeNull();
    expect(matchKey('')).toBeNull();
  });
  it('keeps a wrapper whose target is not a URL', () => {
    const result = matchKey('https://l.facebook.com/l.php?u=nothing');
    expect(result?.matchKey).toBe('https://l.facebook.com/l.php?u=nothing');
    expect(result?.chain).toHaveLength(1);
  });
  it('never throws, and the matchKey is canonical (fast-check)', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const result = matchKey(input);
        if (result !== null) expect(result.chain[0]).toBe(result.canonical);
      }),
      { numRuns: 2000 },
    );
  });
});
