import { removeInvisible } from '../shared/text.js';

import { SCAM_TYPES, type ScamType } from '../vocabulary/index.js';
/**
 * The rule-based classifier's keywords (Traditional Chinese and English, lower case), chosen from
 * the wording of 165 anti-fraud notices and of the Cofacts messages in the demo data. A keyword
 * counts once per text. Order of the record is the tie-break order (earlier wins).
 */
export const SCAM_TYPE_KEYWORDS: Readonly<Record<Exclude<ScamType, 'other'>, readonly string[]>> = {
  investment: [
    '投資',
    '股票',
    '飆股',
    '股市',
    '帶單',
    '老師',
    '獲利',
    '報酬',
    '穩賺',
    '保證',
    '虛擬貨幣',
    '加密貨幣',
    'usdt',
    '比特幣',
    'btc',
    '外匯',
    '期貨',
    '內線',
    '明牌',
    '投顧',
    '分析師',
    '入金',
    '出金',
    '漲停',
    '當沖',
    '理財',
    'investment',
    'crypto',
    'trading',
    'profit',
  ],
  impersonation: [
    '檢察官',
    '警察',
    '法院',
    '地檢署',
    '監理站',
    '監理所',
    '國稅局',
    '退稅',
    '罰單',
    '健保',
    '帳戶凍結',
    '凍結',
    '解除分期',
    '客服',
    '包裹',
    '郵局',
    '海關',
    '驗證',
    '認證',
    '停權',
    '繳費',
    '欠費',
    'etag',
    '逾期',
    'account suspended',
    'verify your account',
  ],
  product_service: [
    '一頁式',
    '貨到付款',
    '限時特價',
    '清倉',
    '折扣',
    '免運',
    '購物',
    '商品',
    '下單',
    '代購',
    '門票',
    '演唱會',
    '團購',
    '優惠',
    'shop',
    'sale',
    'discount',
  ],
  windfall: [
    '中獎',
    '恭喜',
    '抽獎',
    '領取',
    '免費',
    '紅包',
    '補助',
    '津貼',
    '貼圖',
    '贈送',
    '獎金',
    '普發',
    '回饋金',
    '現金券',
    'free',
    'winner',
    'prize',
    'gift',
  ],
  romance: [
    '交友',
    '寂寞',
    '約會',
    '戀愛',
    '網戀',
    '寶貝',
    '軍醫',
    '單身',
    '結婚',
    'dating',
    'lonely',
  ],
  job: [
    '高薪',
    '兼職',
    '在家工作',
    '日領',
    '日薪',
    '打工',
    '徵才',
    '輕鬆賺',
    '刷單',
    '按讚',
    '零經驗',
    '工作機會',
    '求職',
    'part-time',
    'job offer',
  ],
  money_mule: [
    '提供帳戶',
    '出租帳戶',
    '收購帳戶',
    '租借帳戶',
    '代收',
    '車手',
    '提款卡',
    '存摺',
    '簿子',
    '收簿',
  ],
  charity: ['捐款', '善款', '愛心', '救助', '募款', '弱勢', '捐助', '義賣', 'donate', 'charity'],
  extortion: [
    '裸照',
    '不雅',
    '外流',
    '勒索',
    '威脅',
    '贖金',
    '綁架',
    '黑道',
    '私密影片',
    'blackmail',
  ],
};

export interface ScamTypeResult {
  scamType: ScamType;
  /** Keywords of the winning type found in the text (each once). */
  matched: string[];
}

/**
 * Classifies a message into one of the ten scam types by keyword counts: the type with the most
 * distinct keywords found wins, ties go to the earlier type of SCAM_TYPE_KEYWORDS, no keyword at
 * all gives `other`. Text is NFKC-folded, invisible characters removed and lower-cased first.
 * Pure; linear in text length × keyword count. A trained classifier is issue 5's work.
 */
export function classifyScamType(text: string): ScamTypeResult {
  const folded = removeInvisible(text.normalize('NFKC')).toLowerCase();
  let best: ScamTypeResult = { scamType: 'other', matched: [] };
  for (const [type, keywords] of Object.entries(SCAM_TYPE_KEYWORDS)) {
    const matched = keywords.filter((k) => folded.includes(k));
    const scamType = SCAM_TYPES.find((t) => t === type);
    if (scamType !== undefined && matched.length > best.matched.length)
      best = { scamType, matched };
  }
  return best;
}
