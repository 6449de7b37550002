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

/** Type guard for platform strings (DESIGN.md vocabulary). */
export function isPlatform(value: string): value is Platform {
  return (PLATFORMS as readonly string[]).includes(value);
}
