/**
 * The topic labels of Cofacts' rumors-ai data set (`label` column of its processed CSVs: the
 * index into rumors-ai's `DEFAULT_CATEGORY_MAPPING`, the categories Cofacts editors give a
 * message) and what each says about fraud. A label is a topic, not a fact-check verdict: it says
 * what a message is about. The reading below is the labelling guide of data/classifier/README.md
 * (rules C1–C3), shared by the classifier's data set and the `cofacts` import format.
 */
export const COFACTS_CATEGORIES: Readonly<Record<string, string>> = {
  '0': '中國影響力',
  '1': '性少數與愛滋病',
  '2': '女權與性別刻板印象',
  '3': '保健秘訣、食品安全',
  '4': '基本人權問題',
  '5': '農林漁牧政策',
  '6': '能源轉型',
  '7': '環境生態保護',
  '8': '優惠措施、新法規、政策宣導',
  '9': '科技、資安、隱私',
  '10': '免費訊息詐騙',
  '11': '有意義但不包含在以上標籤',
  '12': '無意義',
  '13': '廣告',
  '14': '只有網址其他資訊不足',
  '15': '政治、政黨',
  '16': '轉發協尋、捐款捐贈',
};

/** Label 10, 免費訊息詐騙 (free-offer message scams: fake sticker, coupon and gift offers). */
const FREE_OFFER_SCAM = '10';

/**
 * Labels that cannot tell a scam from anything else (12 無意義, 13 廣告 — ads and scam ads alike,
 * 14 只有網址 — a bare link): such a message is neither a scam nor cleared by its label.
 */
const UNDECIDABLE = new Set(['12', '13', '14']);

/** Words of a warning *about* a scam (guide rule C2): such a label-10 message is not itself one. */
const WARNING = /詐騙|小心|注意|提醒|警方|警察局|165|假的|謠言|不要點|勿點|別點/;

/**
 * What a Cofacts label says about fraud (data/classifier/README.md):
 * - `scam` (rule C1): label 10 and the text does not warn about scams;
 * - `warning` (rule C2): label 10, but the text warns about a scam (not itself a scam);
 * - `not_scam` (rule C3): a rumour, news, health, policy, politics, … topic (labels 0–9, 11, 15,
 *   16): misinformation is not fraud;
 * - `undecidable`: labels 12, 13, 14, or a label outside rumors-ai's 0–16.
 */
export type CofactsReading = 'scam' | 'warning' | 'not_scam' | 'undecidable';

/**
 * Reads Cofacts label `label` (as in the CSV, e.g. `"3"`) of a message with text `text`.
 * @returns the reading (see CofactsReading) and the category's name (null for an unknown label).
 */
export function readCofactsLabel(
  label: string,
  text: string,
): { reading: CofactsReading; category: string | null } {
  const key = label.trim();
  const category = COFACTS_CATEGORIES[key] ?? null;
  if (category === null || UNDECIDABLE.has(key)) return { reading: 'undecidable', category };
  if (key === FREE_OFFER_SCAM) {
    return { reading: WARNING.test(text) ? 'warning' : 'scam', category };
  }
  return { reading: 'not_scam', category };
}
