import { useMemo } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { PLATFORMS } from './api';
import type { Change } from './api-stats';
import { SCAM_TYPES } from './api-workflow';
import type { Label } from './api-reports';
import { toLanguage, type Language } from './i18n';
import { isOneOf } from './reader';

/** The platform groups of public figures (DESIGN.md), in their order. */
export const PLATFORM_GROUPS = ['meta', 'line', 'google', 'tiktok', 'website', 'other'] as const;

/** An ISO week `YYYY-Www` as its year and week number, or null when it is not one. */
export function parseWeek(week: string): { year: number; week: number } | null {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (m === null) return null;
  const number = Number(m[2]);
  return number >= 1 && number <= 53 ? { year: Number(m[1]), week: number } : null;
}

/** "2026 年第 49 週" / "Week 49 of 2026" for `2026-W49` (the code itself when not a week). */
export function weekLabel(t: TFunction, week: string): string {
  const parsed = parseWeek(week);
  return parsed === null ? week : t('reports.week', parsed);
}

/** A platform group's name (`meta` → Meta, `website` → 詐騙網站); the server's name otherwise. */
export function platformGroupName(
  t: TFunction,
  key: string,
  name: Label,
  language: Language,
): string {
  return isOneOf(PLATFORM_GROUPS, key) ? t(`stats.platformGroup.${key}`) : name[language];
}

/** A scam type's name (`investment` → 金融投資); `unclassified`; the server's name otherwise. */
export function scamTypeName(t: TFunction, key: string, name: Label, language: Language): string {
  if (isOneOf(SCAM_TYPES, key)) return t(`scamType.${key}`);
  if (key === 'unclassified') return t('stats.unclassified');
  return name[language];
}

/** A platform's name (`meta_audience_network` → Meta Audience Network), never its identifier. */
export function platformName(t: TFunction, platform: string): string {
  return isOneOf(PLATFORMS, platform) ? t(`platform.${platform}`) : t('platform.other');
}

/** Percent formats of `language`, to one decimal at most: plain, and signed (for a change). */
export function percentFormats(language: Language) {
  const options = { style: 'percent', maximumFractionDigits: 1 } as const;
  return {
    percent: new Intl.NumberFormat(language, options),
    signedPercent: new Intl.NumberFormat(language, { ...options, signDisplay: 'exceptZero' }),
  };
}

/**
 * Number, percent, change and date formats of the report pages in `language`. Dates are local
 * days (YYYY-MM-DD) and shown as such; instants are shown in Taipei time.
 */
export function useReportFormat(language: Language) {
  return useMemo(() => {
    const number = new Intl.NumberFormat(language);
    const decimal = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });
    const signedNumber = new Intl.NumberFormat(language, { signDisplay: 'exceptZero' });
    const signedDecimal = new Intl.NumberFormat(language, {
      maximumFractionDigits: 1,
      signDisplay: 'exceptZero',
    });
    const { percent, signedPercent } = percentFormats(language);
    const day = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' });
    const instant = new Intl.DateTimeFormat(language, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Asia/Taipei',
    });
    return {
      number: (n: number) => number.format(n),
      decimal: (n: number) => decimal.format(n),
      /** A share already in percent (12.5 → "12.5%"). */
      percent: (n: number) => percent.format(n / 100),
      /** The change of a figure against the previous period: "+3 (+12.5%)", "0", "+2 (—)". */
      change: (c: Change) => {
        const diff = c.current - c.previous;
        if (diff === 0) return number.format(0);
        const relative =
          c.changePercent === null ? '—' : signedPercent.format(c.changePercent / 100);
        return `${signedNumber.format(diff)} (${relative})`;
      },
      /** Percentage points, signed ("+25"). */
      points: (n: number) => signedDecimal.format(n),
      day: (date: string) => day.format(new Date(`${date}T00:00:00Z`)),
      instant: (iso: string) => instant.format(new Date(iso)),
    };
  }, [language]);
}

/** The formats `useReportFormat` gives. */
export type ReportFormat = ReturnType<typeof useReportFormat>;

/**
 * What a report page renders with: the translation function, the UI language and the report
 * formats (`useReportFormat`) of that language.
 */
export function useReportLanguage() {
  const { t, i18n } = useTranslation();
  const language = toLanguage(i18n.language);
  return { t, language, f: useReportFormat(language) };
}
