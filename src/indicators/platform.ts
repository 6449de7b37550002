import { getDomain } from 'tldts';
import { canonicalUrlParts } from './canonicalize-url.js';
import { canonicalLineId } from './line-id.js';

import type { Platform } from '../vocabulary/index.js';
/** Registrable domains (eTLD+1) that belong wholly to one platform. */
const PLATFORM_BY_DOMAIN: ReadonlyMap<string, Platform> = new Map<string, Platform>([
  ['facebook.com', 'facebook'],
  ['fb.com', 'facebook'],
  ['fb.me', 'facebook'],
  ['fb.watch', 'facebook'],
  ['fb.gg', 'facebook'],
  ['facebook.net', 'facebook'],
  ['fbcdn.net', 'facebook'],
  ['instagram.com', 'instagram'],
  ['instagr.am', 'instagram'],
  ['ig.me', 'instagram'],
  ['cdninstagram.com', 'instagram'],
  ['threads.net', 'threads'],
  ['threads.com', 'threads'],
  ['messenger.com', 'messenger'],
  ['m.me', 'messenger'],
  ['line.me', 'line'],
  ['lin.ee', 'line'],
  ['line-apps.com', 'line'],
  ['line.naver.jp', 'line'],
  ['naver.jp', 'line'],
  ['linebank.com.tw', 'line'],
  ['youtube.com', 'youtube'],
  ['youtu.be', 'youtube'],
  ['youtube-nocookie.com', 'youtube'],
  ['ytimg.com', 'youtube'],
  ['tiktok.com', 'tiktok'],
  ['tiktokv.com', 'tiktok'],
  ['tiktokcdn.com', 'tiktok'],
  ['goo.gl', 'google'],
  ['g.co', 'google'],
  ['forms.gle', 'google'],
  ['blogspot.com', 'google'],
  ['blogger.com', 'google'],
  ['googleusercontent.com', 'google'],
  ['googleadservices.com', 'google'],
  ['googlesyndication.com', 'google'],
  ['doubleclick.net', 'google'],
  ['withgoogle.com', 'google'],
  ['web.app', 'google'],
  ['firebaseapp.com', 'google'],
]);

/**
 * Classifies the platform that carries `url` from its host and path: Facebook (facebook.com,
 * m.facebook.com, fb.me, fb.watch …), Instagram (instagram.com, instagr.am), Threads, Messenger
 * (messenger.com, m.me, facebook.com/messages), Meta Audience Network (an.facebook.com,
 * facebook.com/audiencenetwork), LINE (line.me, liff.line.me, lin.ee), Google (google.* in any
 * country suffix, goo.gl, forms.gle, blogspot.com …), YouTube (youtube.com, youtu.be), TikTok
 * (tiktok.com, vt.tiktok.com …); any other URL with a valid host is `website`. Returns `other` when
 * `url` cannot be parsed as a URL (canonicalUrl returns null). Never throws.
 */
export function platformOf(url: string): Platform {
  const parts = canonicalUrlParts(url);
  if (parts === null) return 'other';
  const { host, path } = parts;
  const domain = getDomain(host, { allowPrivateDomains: false }) ?? host;
  const lowerPath = path.toLowerCase();
  if (domain === 'facebook.com') {
    if (host === 'an.facebook.com' || lowerPath.startsWith('/audiencenetwork')) {
      return 'meta_audience_network';
    }
    if (lowerPath.startsWith('/messages') || host === 'messenger.facebook.com') return 'messenger';
    return 'facebook';
  }
  if (host.endsWith('.blogspot.com') || host === 'blogspot.com') return 'google';
  const known = PLATFORM_BY_DOMAIN.get(domain);
  if (known !== undefined) return known;
  // google.com, google.com.tw, google.co.jp …: the registrable label is `google`.
  if (domain.startsWith('google.')) return 'google';
  return 'website';
}

/** An identifier a platform uses for a piece of content or an account. */
export interface ContentIdentifier {
  /** `ad_id` (an ad library / transparency ID), `post_id`, `video_id`, `account` (a username, page, LINE ID or channel). */
  type: 'ad_id' | 'post_id' | 'video_id' | 'account';
  value: string;
}

/** IDs as platforms write them in URLs; anything else (`..`, spaces, escapes) is not taken. */
const ID = /^[A-Za-z0-9_.~@-]{1,100}$/;

/** First-path-segment names that are Facebook/Instagram/YouTube sections, not accounts. */
const RESERVED_SEGMENTS: ReadonlySet<string> = new Set([
  'ads',
  'groups',
  'watch',
  'reel',
  'reels',
  'photo',
  'photo.php',
  'permalink.php',
  'story.php',
  'profile.php',
  'events',
  'marketplace',
  'pages',
  'share',
  'sharer',
  'sharer.php',
  'p',
  'tv',
  'stories',
  'explore',
  'shorts',
  'results',
  'channel',
  'c',
  'user',
  'playlist',
  'embed',
  'l.php',
  'login',
  'hashtag',
  'video',
]);

function queryValue(query: string | null, name: string): string | undefined {
  if (query === null) return undefined;
  for (const pair of query.split('&')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at) === name) {
      const value = pair.slice(at + 1);
      return ID.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/**
 * The platform identifiers a URL names, for a takedown notice: Facebook ad library
 * (`/ads/library/?id=`, `/ads/archive/render_ad/?id=`) → `ad_id`; Facebook posts
 * (`story_fbid=`, `/…/posts/…`, `/groups/…/permalink/…`, `fbid=`), Instagram `/p/…`, Threads
 * `/@…/post/…` → `post_id`; Facebook `/watch/?v=`, `/reel/…`, `/…/videos/…`, Instagram `/reel/…`,
 * TikTok `/@…/video/…`, YouTube `watch?v=`, `youtu.be/…`, `/shorts/…` → `video_id`; accounts:
 * Facebook `profile.php?id=` or `/<page>`, Instagram/Threads/TikTok/YouTube `/@…` or `/<name>`,
 * YouTube `/channel/…`, LINE `line.me/ti/p/~id`, `line.me/R/ti/p/@id`; Google Ads
 * Transparency `/advertiser/AR…/creative/CR…` → `account` and `ad_id`. Only for URLs that
 * platformOf assigns to that platform; `[]` for anything else. Pure; never throws.
 */
export function contentIdentifiers(url: string): ContentIdentifier[] {
  const parts = canonicalUrlParts(url);
  if (parts === null) return [];
  const platform = platformOf(url);
  const segments = parts.path.split('/').filter((s) => s !== '');
  const [first = '', second = '', third = '', fourth = ''] = segments;
  const out: ContentIdentifier[] = [];
  const add = (type: ContentIdentifier['type'], value: string | undefined) => {
    if (value !== undefined && ID.test(value) && !out.some((i) => i.type === type))
      out.push({ type, value });
  };
  const account = (name: string) => {
    if (name !== '' && !RESERVED_SEGMENTS.has(name.toLowerCase())) add('account', name);
  };
  switch (platform) {
    case 'facebook':
    case 'meta_audience_network':
      if (first === 'ads') add('ad_id', queryValue(parts.query, 'id'));
      add('post_id', queryValue(parts.query, 'story_fbid'));
      add('post_id', queryValue(parts.query, 'fbid'));
      if (second === 'posts' || (first === 'groups' && third === 'permalink')) {
        add('post_id', first === 'groups' ? fourth : third);
      }
      if (first === 'watch') add('video_id', queryValue(parts.query, 'v'));
      if (first === 'reel') add('video_id', second);
      if (second === 'videos') add('video_id', third);
      if (first === 'profile.php') add('account', queryValue(parts.query, 'id'));
      else if (first === 'groups') add('account', second);
      else account(first);
      break;
    case 'instagram':
      if (first === 'p') add('post_id', second);
      else if (first === 'reel' || first === 'reels') add('video_id', second);
      else account(first);
      break;
    case 'threads':
      if (second === 'post') add('post_id', third);
      account(first);
      break;
    case 'tiktok':
      if (second === 'video') add('video_id', third);
      if (first.startsWith('@')) account(first);
      break;
    case 'youtube':
      add('video_id', queryValue(parts.query, 'v'));
      if (parts.host === 'youtu.be') add('video_id', first);
      if (first === 'shorts') add('video_id', second);
      if (first === 'channel') add('account', second);
      else if (first.startsWith('@')) account(first);
      break;
    case 'line': {
      // line.me/ti/p/~id, line.me/R/ti/p/@id (the `@` may come percent-encoded).
      const p = first.toLowerCase() === 'r' ? segments.slice(1) : segments;
      if (p[0] === 'ti' && p[1] === 'p' && p[2] !== undefined) {
        const id = canonicalLineId(decodeURIComponentSafe(p[2]));
        if (id !== null) add('account', id);
      }
      break;
    }
    case 'google':
      if (first === 'advertiser') {
        add('account', second);
        if (third === 'creative') add('ad_id', fourth);
      }
      break;
    default:
      break;
  }
  return out;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
