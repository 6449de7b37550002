/**
 * What the LINE bot says, in zh-TW (the default) and English. Pure: the bot's service picks the
 * language and fills in the facts. LINE limits: a text message ≤ 5,000 characters, a quick reply
 * label ≤ 20, postback data ≤ 300.
 */
import type { messagingApi } from '@line/bot-sdk';
import type { StatusColour } from '../vocabulary/index.js';

export type LineLanguage = 'zh-TW' | 'en';

/** English for a profile language starting with `en` (`en`, `en-US`…), else zh-TW. */
export function lineLanguageOf(profileLanguage: string | null | undefined): LineLanguage {
  return /^en\b/i.test(profileLanguage ?? '') ? 'en' : 'zh-TW';
}

/** Postback data of "report this" (offer ID) and "tell me when this case is decided" (case ID). */
export const POSTBACK = {
  report: (offerId: string) => `report:${offerId}`,
  follow: (caseId: string) => `follow:${caseId}`,
} as const;

/** A postback's data read back, or undefined for anything else. */
export function parsePostback(
  data: string,
): { kind: 'report'; offerId: string } | { kind: 'follow'; caseId: string } | undefined {
  const report = /^report:([A-Za-z0-9]{1,40})$/.exec(data);
  if (report?.[1] !== undefined) return { kind: 'report', offerId: report[1] };
  const follow = /^follow:([A-Za-z0-9]{1,32})$/.exec(data);
  if (follow?.[1] !== undefined) return { kind: 'follow', caseId: follow[1] };
  return undefined;
}

const COLOUR: Record<StatusColour, { emoji: string; 'zh-TW': string; en: string }> = {
  red: { emoji: '🔴', 'zh-TW': '紅色', en: 'red' },
  yellow: { emoji: '🟡', 'zh-TW': '黃色', en: 'yellow' },
  grey: { emoji: '⚪', 'zh-TW': '灰色', en: 'grey' },
  green: { emoji: '🟢', 'zh-TW': '綠色', en: 'green' },
};

function text(
  body: string,
  quickReply?: messagingApi.QuickReplyItem[] | undefined,
): messagingApi.TextMessage {
  return {
    type: 'text',
    text: body,
    ...(quickReply === undefined ? {} : { quickReply: { items: quickReply } }),
  };
}

function postbackItem(
  label: string,
  data: string,
  displayText: string,
): messagingApi.QuickReplyItem {
  return { type: 'action', action: { type: 'postback', label, data, displayText } };
}

/** The quick reply that reports what the user sent (offer `offerId`). */
function reportItem(lang: LineLanguage, offerId: string): messagingApi.QuickReplyItem {
  return lang === 'en'
    ? postbackItem('Report it', POSTBACK.report(offerId), 'Report it')
    : postbackItem('我要通報', POSTBACK.report(offerId), '我要通報');
}

/** The facts of a known case the answer gives. */
export interface KnownCaseFacts {
  caseId: string;
  label: { 'zh-TW': string; en: string };
  colour: StatusColour;
  reportCount: number;
  /** Other matching cases besides this one. */
  others: number;
  /** The case page, or null when PUBLIC_BASE_URL names this machine only. */
  link: string | null;
}

/** A check that found a case: its public label and colour, its reports and its page. */
export function knownCaseMessage(
  lang: LineLanguage,
  facts: KnownCaseFacts,
  offerId?: string,
): messagingApi.TextMessage {
  const colour = COLOUR[facts.colour];
  const lines =
    lang === 'en'
      ? [
          `${colour.emoji} ${facts.label.en} (${colour.en})`,
          `Case ${facts.caseId}: ${facts.reportCount} report${facts.reportCount === 1 ? '' : 's'}.`,
          ...(facts.others > 0 ? [`${facts.others} more matching case(s) on the site.`] : []),
          ...(facts.link === null ? [] : [facts.link]),
        ]
      : [
          `${colour.emoji} ${facts.label['zh-TW']}（${colour['zh-TW']}）`,
          `案件 ${facts.caseId}：已有 ${facts.reportCount} 則通報。`,
          ...(facts.others > 0 ? [`另有 ${facts.others} 件相符案件，請見網站。`] : []),
          ...(facts.link === null ? [] : [facts.link]),
        ];
  return text(lines.join('\n'), offerId === undefined ? undefined : [reportItem(lang, offerId)]);
}

/** Nothing on record: offer to report it. */
export function unknownMessage(
  lang: LineLanguage,
  offerId: string,
  mentions = 0,
): messagingApi.TextMessage {
  // `mentions`: reported messages that only quote the checked link (lookup's mentioned_only).
  // Being quoted does not make a site a scam site, nor is it "nobody has reported this".
  const head =
    mentions > 0
      ? lang === 'en'
        ? `This site itself is not known: the link is mentioned in ${mentions} reported message(s), but nobody reported the site. Scam messages often quote news, bank or government sites.`
        : `此網站本身尚無紀錄：這個網址在 ${mentions} 則通報的訊息中被提及，但沒有人通報這個網站本身。詐騙訊息也常引用新聞、銀行或政府網站。`
      : lang === 'en'
        ? 'Not on record: nobody has reported this yet.'
        : '查無紀錄：目前還沒有人通報這則內容。';
  const ask =
    lang === 'en'
      ? 'Not on record does not mean safe. Do you want to report it? (You can send a screenshot too.)'
      : '查無紀錄不代表安全。要通報嗎？（也可以再傳一張截圖）';
  return text(`${head}\n${ask}`, [reportItem(lang, offerId)]);
}

/** Not something to check (a few words, a sticker…): what the bot can check. */
export function helpMessage(lang: LineLanguage): messagingApi.TextMessage {
  return text(
    lang === 'en'
      ? 'Send me a suspicious message (forward it whole), a link, a phone number or a LINE ID and I will check it. A screenshot can be reported with it.'
      : '請把可疑的訊息整則轉傳給我，或傳送網址、電話號碼、LINE ID，我會幫你查詢。也可以附上截圖一起通報。',
  );
}

/** A screenshot was kept: with text waiting, offer to report both; else ask for the text. */
export function screenshotMessage(
  lang: LineLanguage,
  offerId: string,
  hasText: boolean,
): messagingApi.TextMessage {
  if (hasText) {
    return text(
      lang === 'en'
        ? 'Screenshot added. Report the message with it?'
        : '已加入截圖。要連同訊息一起通報嗎？',
      [reportItem(lang, offerId)],
    );
  }
  return text(
    lang === 'en'
      ? 'Got the screenshot. Now send the message text or the link it came with, and I will check them and offer to report them together.'
      : '已收到截圖。請再傳送截圖中的訊息文字或網址，我會查詢並讓你一起通報。',
  );
}

/** The image could not be kept: too large, or not PNG, JPEG or WebP. */
export function imageRefusedMessage(
  lang: LineLanguage,
  reason: 'too_large' | 'type',
  maxBytes: number,
): messagingApi.TextMessage {
  const kib = Math.floor(maxBytes / 1024);
  if (reason === 'too_large') {
    return text(
      lang === 'en'
        ? `That image is too large (at most ${kib} KiB).`
        : `圖片太大了（上限 ${kib} KiB）。`,
    );
  }
  return text(
    lang === 'en' ? 'Please send a PNG, JPEG or WebP image.' : '請傳送 PNG、JPEG 或 WebP 圖片。',
  );
}

/**
 * The report was made: its case, and the offer to be told of the decision while it is being
 * checked; a case already decided says so instead (`decided`: its public label), as there is
 * nothing left to wait for.
 */
export function reportedMessage(
  lang: LineLanguage,
  caseId: string,
  link: string | null,
  decided: { 'zh-TW': string; en: string } | null = null,
): messagingApi.TextMessage {
  const lines =
    lang === 'en'
      ? [`Thank you: your report is in (case ${caseId}).`]
      : [`謝謝！已收到你的通報（案件 ${caseId}）。`];
  if (decided !== null) {
    lines.push(
      lang === 'en'
        ? `This case is already decided: ${decided.en}.`
        : `這個案件已有結果：${decided['zh-TW']}。`,
    );
  }
  if (link !== null) lines.push(link);
  if (decided !== null) return text(lines.join('\n'));
  const follow =
    lang === 'en'
      ? postbackItem(
          'Tell me the outcome',
          POSTBACK.follow(caseId),
          'Tell me when this case is decided',
        )
      : postbackItem('結案時通知我', POSTBACK.follow(caseId), '這個案件有結果時通知我');
  return text(lines.join('\n'), [follow]);
}

/** The report could not be made (what the user sent is gone, empty or refused). */
export function notReportedMessage(lang: LineLanguage): messagingApi.TextMessage {
  return text(
    lang === 'en'
      ? 'Sorry, I could not report that. Please send the message or link again.'
      : '抱歉，無法通報這則內容。請重新傳送訊息或網址。',
  );
}

/** "Tell me when this case is decided" was recorded. */
export function followedMessage(lang: LineLanguage): messagingApi.TextMessage {
  return text(
    lang === 'en'
      ? 'OK: I will tell you when this case is decided.'
      : '好的，這個案件有結果時會通知你。',
  );
}

/** The welcome of a new friend, in both languages. */
export function welcomeMessage(): messagingApi.TextMessage {
  return text(
    [
      '歡迎！把可疑的訊息、網址、電話號碼或 LINE ID 傳給我，我會告訴你是否已被通報為詐騙，也可以直接通報。',
      'Welcome! Send me a suspicious message, link, phone number or LINE ID: I will tell you whether it is a known scam, and you can report it here.',
    ].join('\n\n'),
  );
}
