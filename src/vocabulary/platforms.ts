/**
 * Platforms that receive takedown notices (websites are blocked through the blocklist instead),
 * in the order of DESIGN.md.
 */
export const NOTICE_PLATFORMS = [
  'facebook',
  'instagram',
  'threads',
  'messenger',
  'meta_audience_network',
  'line',
  'google',
  'youtube',
  'tiktok',
] as const;
export type NoticePlatform = (typeof NOTICE_PLATFORMS)[number];

/** Where a piece of reported content lives (DESIGN.md vocabulary). */
export type Platform = NoticePlatform | 'website' | 'other';

/** Every platform, in the order of DESIGN.md: the notice platforms, then websites and the rest. */
export const PLATFORMS: readonly Platform[] = Object.freeze([
  ...NOTICE_PLATFORMS,
  'website',
  'other',
]);

/** Type guard: does this platform receive notices? */
export function isNoticePlatform(platform: string): platform is NoticePlatform {
  return (NOTICE_PLATFORMS as readonly string[]).includes(platform);
}

/** Type guard for platform strings (DESIGN.md vocabulary). */
export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}
