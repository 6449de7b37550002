import type { Platform } from '../vocabulary/index.js';

/** Bilingual label, zh-TW first. */
export interface Label {
  readonly 'zh-TW': string;
  readonly en: string;
}

/**
 * The platform groups of public figures (DESIGN.md): Meta (Facebook, Instagram, Threads,
 * Messenger, Audience Network), LINE, Google (Google and YouTube), TikTok, scam websites, other.
 * A platform not listed here counts as `other`.
 */
export const PLATFORM_GROUPS = [
  {
    group: 'meta',
    name: { 'zh-TW': 'Meta', en: 'Meta' },
    platforms: ['facebook', 'instagram', 'threads', 'messenger', 'meta_audience_network'],
  },
  { group: 'line', name: { 'zh-TW': 'LINE', en: 'LINE' }, platforms: ['line'] },
  { group: 'google', name: { 'zh-TW': 'Google', en: 'Google' }, platforms: ['google', 'youtube'] },
  { group: 'tiktok', name: { 'zh-TW': 'TikTok', en: 'TikTok' }, platforms: ['tiktok'] },
  { group: 'website', name: { 'zh-TW': '詐騙網站', en: 'Scam websites' }, platforms: ['website'] },
  { group: 'other', name: { 'zh-TW': '其他', en: 'Other' }, platforms: ['other'] },
] as const satisfies ReadonlyArray<{
  group: string;
  name: Label;
  platforms: readonly string[];
}>;

export type PlatformGroup = (typeof PLATFORM_GROUPS)[number]['group'];

/**
 * What people call each platform in published figures (the web UI's `platform.*` strings say the
 * same): never the stored identifier (`meta_audience_network`).
 */
export const PLATFORM_NAMES: Readonly<Record<Platform, Label>> = {
  facebook: { 'zh-TW': 'Facebook', en: 'Facebook' },
  instagram: { 'zh-TW': 'Instagram', en: 'Instagram' },
  threads: { 'zh-TW': 'Threads', en: 'Threads' },
  messenger: { 'zh-TW': 'Messenger', en: 'Messenger' },
  meta_audience_network: { 'zh-TW': 'Meta Audience Network', en: 'Meta Audience Network' },
  line: { 'zh-TW': 'LINE', en: 'LINE' },
  google: { 'zh-TW': 'Google', en: 'Google' },
  youtube: { 'zh-TW': 'YouTube', en: 'YouTube' },
  tiktok: { 'zh-TW': 'TikTok', en: 'TikTok' },
  website: { 'zh-TW': '網站', en: 'Website' },
  other: { 'zh-TW': '其他', en: 'Other' },
};

/** The display name of a stored platform value; an unknown value counts as 其他 / Other. */
export function platformName(platform: string): Label {
  const known = Object.entries(PLATFORM_NAMES).find(([key]) => key === platform);
  return known === undefined ? PLATFORM_NAMES.other : known[1];
}

/** The group of a platform (`facebook` → `meta`); unknown platforms → `other`. */
export function platformGroupOf(platform: string): PlatformGroup {
  for (const g of PLATFORM_GROUPS) {
    if ((g.platforms as readonly string[]).includes(platform)) return g.group;
  }
  return 'other';
}

/**
 * A figure with its change against the previous period: `change` = current − previous;
 * `changePercent` = change / previous × 100 rounded to one decimal, null when previous is 0.
 */
export interface Change {
  current: number;
  previous: number;
  change: number;
  changePercent: number | null;
}

/** Builds a Change (see the type). */
export function changeOf(current: number, previous: number): Change {
  return {
    current,
    previous,
    change: current - previous,
    changePercent: previous === 0 ? null : round1(((current - previous) / previous) * 100),
  };
}

/** Rounds to one decimal place (half away from zero on the decimal representation). */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** `part / whole` as a percentage with one decimal; 0 when `whole` is 0. */
export function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : round1((part / whole) * 100);
}

/** The blocklist state changes counted per legal basis. */
export const BLOCKLIST_ACTIONS = [
  'proposed',
  'activated',
  'appealed',
  'reinstated',
  'lifted',
  'expired',
] as const;
export type BlocklistAction = (typeof BLOCKLIST_ACTIONS)[number];

/** Names of the blocklist state changes in published figures. */
export const BLOCKLIST_ACTION_NAMES: Readonly<Record<BlocklistAction, Label>> = {
  proposed: { 'zh-TW': '提議封鎖', en: 'Proposed' },
  activated: { 'zh-TW': '啟用封鎖', en: 'Blocked' },
  appealed: { 'zh-TW': '提出申訴', en: 'Appealed' },
  reinstated: { 'zh-TW': '申訴駁回，恢復封鎖', en: 'Reinstated after appeal' },
  lifted: { 'zh-TW': '解除封鎖', en: 'Lifted' },
  expired: { 'zh-TW': '到期', en: 'Expired' },
};
