import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLATFORMS, platformOf, type Platform } from './platform.js';

describe('platformOf', () => {
  it.each<[string, Platform]>([
    ['https://www.facebook.com/groups/1035885209777446/permalink/2441885992510687/', 'facebook'],
    ['https://m.facebook.com/story.php?story_fbid=1&id=2', 'facebook'],
    ['https://fb.me/abc', 'facebook'],
    ['https://fb.watch/abc/', 'facebook'],
    ['https://l.facebook.com/l.php?u=https%3A%2F%2Fx.com', 'facebook'],
    ['https://www.instagram.com/p/abc/', 'instagram'],
    ['instagr.am/p/abc', 'instagram'],
    ['https://www.threads.net/@someone', 'threads'],
    ['https://www.threads.com/@someone/post/1', 'threads'],
    ['https://www.messenger.com/t/1', 'messenger'],
    ['https://m.me/page', 'messenger'],
    ['https://www.facebook.com/messages/t/1', 'messenger'],
    ['https://an.facebook.com/ad', 'meta_audience_network'],
    ['https://www.facebook.com/audiencenetwork/', 'meta_audience_network'],
    ['https://line.me/R/ti/p/%40gkr5178r', 'line'],
    ['https://liff.line.me/1645278921-kWRPP32q', 'line'],
    ['https://lin.ee/9V1Huo7', 'line'],
    ['https://today.line.me/TW/article/VJE6py', 'line'],
    ['https://www.google.com/url?q=https://x.com', 'google'],
    ['https://www.google.com.tw/search?q=1', 'google'],
    ['https://goo.gl/kTBxQJ', 'google'],
    ['https://forms.gle/abc', 'google'],
    ['https://someone.blogspot.com/2020/01/a.html', 'google'],
    ['https://www.youtube.com/watch?v=j5Zir5Ij1Mg', 'youtube'],
    ['https://m.youtube.com/watch?v=ksiskxvOGV4', 'youtube'],
    ['https://youtu.be/Z6bhTwh9qRw', 'youtube'],
    ['https://www.tiktok.com/@user/video/1', 'tiktok'],
    ['https://vt.tiktok.com/ZSabc/', 'tiktok'],
    ['https://onlytoppc24.com/ucy9mf2#/login', 'website'],
    ['www.0xdappplus.com', 'website'],
    ['http://195.127.0.11/a', 'website'],
    ['not a url', 'other'],
    ['', 'other'],
  ])('%s → %s', (url, platform) => {
    expect(platformOf(url)).toBe(platform);
  });
  it('always answers one of PLATFORMS (fast-check)', () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        expect(PLATFORMS).toContain(platformOf(input));
      }),
      { numRuns: 1000 },
    );
  });
});
