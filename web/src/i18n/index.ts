import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhTW } from './zh-TW';

/** The UI languages, zh-TW first (the default). */
export const LANGUAGES = ['zh-TW', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'zh-TW';

const STORAGE_KEY = 'scamnet.lang';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zhTW };
  }
}

/** Narrows any language tag to a supported UI language (`en-US` → `en`, unknown → zh-TW). */
export function toLanguage(tag: string | null | undefined): Language {
  if (tag === null || tag === undefined) return DEFAULT_LANGUAGE;
  return tag.toLowerCase().startsWith('en') ? 'en' : DEFAULT_LANGUAGE;
}

function readStoredLanguage(): string | null {
  try {
    return window.localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (private mode, policies): fall back to the default
  }
}

/**
 * The language to start in: `?lang=` in the address (shareable links, tests), then the last choice
 * made on this device, then zh-TW. The browser's language is deliberately not used: the service is
 * Taiwanese and zh-TW first.
 */
function initialLanguage(): Language {
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  if (fromUrl !== null) return toLanguage(fromUrl);
  return toLanguage(readStoredLanguage());
}

function applyToDocument(language: string): void {
  document.documentElement.lang = toLanguage(language);
}

/** Switches the UI language, remembers the choice on this device and updates `<html lang>`. */
export async function changeLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // not remembered; the switch still applies to this page
  }
  await i18next.changeLanguage(language);
}

/** Initialises i18next once, synchronously (resources are bundled). */
export function initI18n(): typeof i18next {
  i18next.on('languageChanged', applyToDocument);
  void i18next.use(initReactI18next).init({
    resources: { 'zh-TW': { translation: zhTW }, en: { translation: en } },
    lng: initialLanguage(),
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    interpolation: { escapeValue: false }, // React escapes every text node
    returnNull: false,
    initAsync: false,
    showSupportNotice: false, // no console message on every page load
  });
  applyToDocument(i18next.language);
  return i18next;
}
