import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentIdentifiers, platformOf } from './platform.js';

import { PLATFORMS, type Platform } from '../vocabulary/index.js';
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

describe('contentIdentifiers', () => {
  it.each<[string, Array<[string, string]>]>([
    ['https://www.facebook.com/ads/library/?id=987654321', [['ad_id', '987654321']]],
    [
      'https://m.facebook.com/story.php?story_fbid=382172715453436&id=100009821316902',
      [['post_id', '382172715453436']],
    ],
    [
      'https://www.facebook.com/groups/1609175812705307/permalink/2124863444469872/',
      [
        ['post_id', '2124863444469872'],
        ['account', '1609175812705307'],
      ],
    ],
    ['https://www.facebook.com/watch/?v=1234567890', [['video_id', '1234567890']]],
    ['https://www.facebook.com/profile.php?id=100012345678901', [['account', '100012345678901']]],
    ['https://www.facebook.com/fake.bank.tw', [['account', 'fake.bank.tw']]],
    ['https://www.instagram.com/p/C1a2B3c4D5e/', [['post_id', 'C1a2B3c4D5e']]],
    [
      'https://www.threads.net/@someone/post/C9xYz',
      [
        ['post_id', 'C9xYz'],
        ['account', '@someone'],
      ],
    ],
    [
      'https://www.tiktok.com/@fast.money.daily/video/7412345678901234567',
      [
        ['video_id', '7412345678901234567'],
        ['account', '@fast.money.daily'],
      ],
    ],
    ['https://youtu.be/Z6bhTwh9qRw', [['video_id', 'Z6bhTwh9qRw']]],
    ['https://www.youtube.com/shorts/abcDEF12345', [['video_id', 'abcDEF12345']]],
    ['https://line.me/R/ti/p/%40gkr5178r', [['account', '@gkr5178r']]],
    ['https://line.me/ti/p/~Scam_Agent88', [['account', 'scam_agent88']]],
    [
      'https://adstransparency.google.com/advertiser/AR0123/creative/CR4567',
      [
        ['account', 'AR0123'],
        ['ad_id', 'CR4567'],
      ],
    ],
    ['https://onlytoppc24.com/ucy9mf2', []],
    ['https://www.facebook.com/ads/library/?id=%22%3E', []],
    ['not a url', []],
  ])('%s', (url, expected) => {
    expect(contentIdentifiers(url).map((i) => [i.type, i.value])).toEqual(expected);
  });

  it('never throws and only gives IDs of safe characters (fast-check)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (path, query) => {
        for (const id of contentIdentifiers(`https://www.facebook.com/${path}?${query}`)) {
          expect(id.value).toMatch(/^[A-Za-z0-9_.~@-]{1,100}$/);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
