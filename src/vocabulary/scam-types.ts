/** The ten 詐騙樣態 of DESIGN.md, by their API names. */
export const SCAM_TYPES = [
  'product_service',
  'impersonation',
  'investment',
  'windfall',
  'romance',
  'job',
  'money_mule',
  'charity',
  'extortion',
  'other',
] as const;
export type ScamType = (typeof SCAM_TYPES)[number];

/** zh-TW and English names of each scam type, as the reference site shows them. */
export const SCAM_TYPE_NAMES: Readonly<Record<ScamType, { 'zh-TW': string; en: string }>> = {
  product_service: { 'zh-TW': '產品服務', en: 'Products and services' },
  impersonation: { 'zh-TW': '身分冒充', en: 'Impersonation' },
  investment: { 'zh-TW': '金融投資', en: 'Investment' },
  windfall: { 'zh-TW': '意外之財', en: 'Windfall' },
  romance: { 'zh-TW': '愛情交友', en: 'Romance' },
  job: { 'zh-TW': '工作求職', en: 'Jobs' },
  money_mule: { 'zh-TW': '錢騾車手', en: 'Money mules' },
  charity: { 'zh-TW': '慈善捐款', en: 'Charity' },
  extortion: { 'zh-TW': '威脅勒索', en: 'Extortion' },
  other: { 'zh-TW': '其他詐騙', en: 'Other' },
};

/** Type guard for stored scam type strings. */
export function isScamType(value: string): value is ScamType {
  return (SCAM_TYPES as readonly string[]).includes(value);
}
