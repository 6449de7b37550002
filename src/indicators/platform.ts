import { getDomain } from 'tldts';
import { canonicalUrlParts } from './canonicalize-url.js';

/** Where a piece of reported content lives (DESIGN.md vocabulary). */
export type Platform =
  | 'facebook'
  | 'instagram'
  | 'threads'
  | 'messenger'
  | 'meta_audience_network'
  | 'line'
  | 'google'
  | 'youtube'
  | 'tiktok'
  | 'website'
  | 'other';

/** Every platform, in the order of DESIGN.md. */
export const PLATFORMS: readonly Platform[] = Object.freeze([
  'facebook',
  'instagram',
  'threads',
  'messenger',
  'meta_audience_network',
  'line',
  'google',
  'youtube',
  'tiktok',
  'website',
  'other',
]);

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
