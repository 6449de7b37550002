import { getDomain } from 'tldts';
import {
  canonicalUrlParts,
  formatCanonicalUrl,
  type CanonicalUrlParts,
} from './canonicalize-url.js';

/**
 * Query parameters that only track who shared or clicked a link; removed from match keys.
 * Names are compared case-insensitively; entries ending in `*` are prefixes.
 */
export const TRACKING_PARAMETERS: readonly string[] = Object.freeze([
  'utm_*', // Google Analytics campaign tags (utm_source, utm_medium, utm_campaign, …)
  'fbclid', // Facebook click id
  'gclid', // Google Ads click id
  'gclsrc',
  'dclid', // Google Display & Video 360
  'gbraid', // Google Ads (iOS)
  'wbraid',
  'msclkid', // Microsoft Ads
  'yclid', // Yandex
  'twclid', // X/Twitter
  'ttclid', // TikTok Ads
  'li_fat_id', // LinkedIn
  'igshid', // Instagram share
  'igsh',
  'mibextid', // Facebook mobile share
  'sfnsn', // Facebook mobile share
  'si', // YouTube / Spotify share id
  'fb_action_ids',
  'fb_action_types',
  'fb_ref',
  'fb_source',
  'action_object_map',
  'action_type_map',
  'action_ref_map',
  '__tn__', // Facebook internal navigation
  '__cft__*',
  '__xts__*',
  '_ga', // Google Analytics cross-domain linker
  '_gl',
  'mc_cid', // Mailchimp
  'mc_eid',
  'openexternalbrowser', // LINE: open in the external browser
  'is_from_webapp', // TikTok share
  'sender_device',
  'is_copy_url',
  'share_app_id',
  '_r',
  '_t',
  'ref_src', // X/Twitter
]);

/** Hosts of URL shorteners: their target is only known by resolving them (network; evidence). */
export const SHORTENER_HOSTS: ReadonlySet<string> = new Set([
  'bit.ly',
  'bitly.com',
  'j.mp',
  'reurl.cc',
  'lin.ee',
  't.co',
  'goo.gl',
  'tinyurl.com',
  'ppt.cc',
  'pse.is',
  'is.gd',
  'ow.ly',
  'buff.ly',
  'rebrand.ly',
  'cutt.ly',
  'shorturl.at',
  'tiny.cc',
  't.ly',
  'rb.gy',
  's.id',
  'lihi.cc',
  'lihi1.com',
  'lihi1.cc',
  'lihi2.cc',
  'lihi.one',
  'myppt.cc',
  '0rz.tw',
  'tinyurl.tw',
  'url.cc',
  'files.catbox.moe',
  'shorturl.asia',
  'fb.me',
  'forms.gle',
  'maps.app.goo.gl',
  'vt.tiktok.com',
  'vm.tiktok.com',
  'youtu.be',
  'aka.ms',
  'qrco.de',
  'bit.do',
  'x.co',
]);

/** Result of matchKey. */
export interface MatchKeyResult {
  /** The key reports are merged on: the innermost target's canonical URL without tracking parameters. */
  matchKey: string;
  /** canonicalUrl of the input. */
  canonical: string;
  /** Canonical URLs from the input through each unwrapped redirect, outermost first (≥ 1). */
  chain: string[];
  /** True when the innermost target is a short link (SHORTENER_HOSTS) kept as it is. */
  shortener: boolean;
}

const MAX_UNWRAP = 8;

function isTrackingParameter(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMETERS.some((entry) =>
    entry.endsWith('*') ? lower.startsWith(entry.slice(0, -1)) : lower === entry,
  );
}

/** Decodes one `application/x-www-form-urlencoded` component; `null` when it is not valid. */
function decodeComponent(text: string): string | null {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** The raw query of `input` (as written, before canonicalisation), without `?` and fragment. */
function rawQuery(input: string): string {
  const withoutFragment = input.split('#', 1)[0] ?? '';
  const at = withoutFragment.indexOf('?');
  return at < 0 ? '' : withoutFragment.slice(at + 1);
}

function queryParameter(input: string, names: readonly string[]): string | null {
  for (const pair of rawQuery(input).split('&')) {
    const equals = pair.indexOf('=');
    const name = decodeComponent(equals < 0 ? pair : pair.slice(0, equals));
    if (name !== null && names.includes(name.toLowerCase()) && equals >= 0) {
      return decodeComponent(pair.slice(equals + 1));
    }
  }
  return null;
}

/** First http(s) URL inside a shared text (`line.me/R/msg/text/?…`). */
function firstUrlIn(text: string): string | null {
  const match = /https?:\/\/[^\s<>"'，。「」]+/i.exec(text);
  return match === null ? null : match[0];
}

/**
 * The target of a known redirect wrapper, as written (still raw), or `null` when `parts` is not a
 * wrapper. `input` is the raw URL whose canonical parts are `parts`.
 */
function unwrapTarget(parts: CanonicalUrlParts, input: string): string | null {
  const { host, path } = parts;
  const domain = getDomain(host) ?? host;
  if (
    /^(?:l|lm|m\.l)\.facebook\.com$/.test(host) ||
    host === 'l.messenger.com' ||
    host === 'l.instagram.com' ||
    host === 'l.threads.net' ||
    host === 'l.threads.com'
  ) {
    return queryParameter(input, ['u']);
  }
  if (domain === 'facebook.com' && path.startsWith('/flx/warn'))
    return queryParameter(input, ['u']);
  if (domain.startsWith('google.') && path === '/url') return queryParameter(input, ['q', 'url']);
  if (domain.startsWith('google.') && path.startsWith('/amp/s/')) {
    return (
      'https://' + path.slice('/amp/s/'.length) + (parts.query === null ? '' : `?${parts.query}`)
    );
  }
  if (domain === 'youtube.com' && path === '/redirect') return queryParameter(input, ['q']);
  if (host === 'line.me' && /^\/(?:r\/)?msg\/text\/?$/i.test(path)) {
    const text = decodeComponent(rawQuery(input));
    return text === null ? null : firstUrlIn(text);
  }
  if (host === 'line.me' && /^\/r\/share\/?$/i.test(path)) {
    const text = queryParameter(input, ['text']);
    return text === null ? null : firstUrlIn(text);
  }
  if (host === 'social-plugins.line.me' && path.startsWith('/lineit/share')) {
    return queryParameter(input, ['url']);
  }
  if (host.endsWith('.safelinks.protection.outlook.com')) return queryParameter(input, ['url']);
  if (domain === 'vk.com' && path === '/away.php') return queryParameter(input, ['to']);
  if (host === 't.umblr.com' && path === '/redirect') return queryParameter(input, ['z']);
  if (domain === 'slack-redir.net') return queryParameter(input, ['url']);
  return null;
}

function withoutTracking(parts: CanonicalUrlParts): CanonicalUrlParts {
  if (parts.query === null) return parts;
  const kept = parts.query
    .split('&')
    .filter((pair) => pair !== '' && !isTrackingParameter(pair.split('=', 1)[0] ?? ''));
  return { ...parts, query: kept.length === 0 ? null : kept.join('&') };
}

/**
 * Computes the key on which reports of the same link are merged. The input is canonicalised
 * (canonicalUrl); known redirect wrappers are unwrapped, repeatedly (at most 8 levels):
 * `l.facebook.com/l.php?u=`, `lm.facebook.com`, `l.messenger.com`, `l.instagram.com`,
 * `l.threads.net`, `facebook.com/flx/warn/?u=`, `google.<suffix>/url?q=` or `url=`, `google.<suffix>/amp/s/…`,
 * `youtube.com/redirect?q=`, LINE share links (`line.me/R/msg/text/?…`, `line.me/R/share?text=`,
 * `social-plugins.line.me/lineit/share?url=`), Outlook Safe Links, `vk.com/away.php`,
 * `t.umblr.com/redirect`, `slack-redir.net`. Then the tracking parameters in TRACKING_PARAMETERS
 * are removed from the innermost target (and an emptied query with its `?`), giving `matchKey`.
 * Short links (SHORTENER_HOSTS: bit.ly, reurl.cc, lin.ee, t.co, …) are kept as they are and
 * flagged; resolving them needs the network and belongs to evidence capture.
 *
 * Returns `null` when `input` has no valid host. Never throws.
 */
export function matchKey(input: string): MatchKeyResult | null {
  try {
    let parts = canonicalUrlParts(input);
    if (parts === null) return null;
    const canonical = formatCanonicalUrl(parts);
    const chain = [canonical];
    let raw = input.trim();
    for (let depth = 0; depth < MAX_UNWRAP; depth++) {
      const target = unwrapTarget(parts, raw);
      if (target === null) break;
      const targetParts = canonicalUrlParts(target);
      if (targetParts === null) break;
      parts = targetParts;
      raw = target.trim();
      chain.push(formatCanonicalUrl(parts));
    }
    return {
      matchKey: formatCanonicalUrl(withoutTracking(parts)),
      canonical,
      chain,
      shortener: SHORTENER_HOSTS.has(parts.host),
    };
  } catch {
    return null;
  }
}
