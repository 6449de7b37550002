/** The windows the trending lists cover: the last 24 hours or the last 7 days. */
export const TRENDING_WINDOWS = ['24h', '7d'] as const;
export type TrendingWindow = (typeof TRENDING_WINDOWS)[number];

/** Hours in each window. */
export const WINDOW_HOURS: Readonly<Record<TrendingWindow, number>> = { '24h': 24, '7d': 7 * 24 };

/** Cases per list: the default and the most a caller may ask for. */
export const TRENDING_LIMITS = { default: 5, min: 1, max: 20 } as const;
