/**
 * The platforms' own names, the same in every language: each catalog's `platform` spreads them
 * and adds the names it translates (a website, other).
 */
export const PLATFORM_BRANDS = {
  facebook: 'Facebook',
  instagram: 'Instagram',
  threads: 'Threads',
  messenger: 'Messenger',
  meta_audience_network: 'Meta Audience Network',
  line: 'LINE',
  google: 'Google',
  youtube: 'YouTube',
  tiktok: 'TikTok',
} as const;
