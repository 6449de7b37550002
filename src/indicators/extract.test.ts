import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractIndicators } from './extract.js';
import { canonicalUrl } from './canonicalize-url.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

import { INDICATOR_TYPES, type IndicatorType } from '../vocabulary/index.js';
type Expected = Array<[IndicatorType, string]>;
interface Case {
  /** Which bullet of issue 3 (or which real data set) the case covers. */
  topic: string;
  text: string;
  expected: Expected;
}

const ZWSP = '\u200b';
const ZWJ = '\u200d';
const RLO = '\u202e';
const PDF = '\u202c';
const WJ = '\u2060';
const BOM = '\ufeff';

function cases(topic: string, rows: Array<[string, Expected]>): Case[] {
  return rows.map(([text, expected]) => ({ topic, text, expected }));
}

const TABLE: Case[] = [
  ...cases('url with scheme', [
    ['https://example.com/a', [['url', 'https://example.com/a']]],
    ['HTTP://Example.COM', [['url', 'http://example.com/']]],
    ['see http://example.com/a?b=1&c=2 now', [['url', 'http://example.com/a?b=1&c=2']]],
    ['https://example.com/a#frag', [['url', 'https://example.com/a']]],
    ['http://195.127.0.11/uploads/a', [['url', 'http://195.127.0.11/uploads/a']]],
    ['https://example.com:8443/x', [['url', 'https://example.com/x']]],
    ['ftp://files.example.com/a.zip', [['url', 'ftp://files.example.com/a.zip']]],
    [
      'two: https://a.example.com/1 and https://b.example.com/2',
      [
        ['url', 'https://a.example.com/1'],
        ['url', 'https://b.example.com/2'],
      ],
    ],
    ['dup https://x.example/a https://x.example/a', [['url', 'https://x.example/a']]],
    ['http:// alone', []],
    ['https://', []],
    [
      'https://en.wikipedia.org/wiki/Foo_(bar)',
      [['url', 'https://en.wikipedia.org/wiki/Foo_(bar)']],
    ],
    ['(see https://x.example/a)', [['url', 'https://x.example/a']]],
    ['<https://x.example/a>', [['url', 'https://x.example/a']]],
    ['"https://x.example/a"', [['url', 'https://x.example/a']]],
    ["'https://x.example/a'", [['url', 'https://x.example/a']]],
    ['https://x.example/a.', [['url', 'https://x.example/a']]],
    ['https://x.example/a?!', [['url', 'https://x.example/a']]],
  ]),
  ...cases('scheme-less url and bare domain', [
    ['www.x.com/a', [['url', 'http://www.x.com/a']]],
    ['x.com.tw/a', [['url', 'http://x.com.tw/a']]],
    ['bit.ly/abc', [['url', 'http://bit.ly/abc']]],
    ['reurl.cc/yaxa', [['url', 'http://reurl.cc/yaxa']]],
    ['lin.ee/9V1Huo7', [['url', 'http://lin.ee/9V1Huo7']]],
    ['example.com:8080', [['url', 'http://example.com/']]],
    ['example.com:8080/admin', [['url', 'http://example.com/admin']]],
    ['x.com?a=1', [['url', 'http://x.com/?a=1']]],
    ['1.2.3.4/login', [['url', 'http://1.2.3.4/login']]],
    ['1.2.3.4:8080/', [['url', 'http://1.2.3.4/']]],
    ['ctbcbank.com', [['domain', 'ctbcbank.com']]],
    ['www.ctbcbank.com', [['domain', 'www.ctbcbank.com']]],
    ['WWW.Example.COM', [['domain', 'www.example.com']]],
    ['gov-tw.cc', [['domain', 'gov-tw.cc']]],
    ['xn--85x722f.xn--55qx5d.cn', [['domain', 'xn--85x722f.xn--55qx5d.cn']]],
    ['sub.example.co.uk', [['domain', 'sub.example.co.uk']]],
    ['foo.blogspot.com', [['domain', 'foo.blogspot.com']]],
    [
      '網站 abc.top 和 def.xyz',
      [
        ['domain', 'abc.top'],
        ['domain', 'def.xyz'],
      ],
    ],
    ['Google.Com', [['domain', 'google.com']]],
    ['site: example.com.', [['domain', 'example.com']]],
  ]),
  ...cases('not a domain (false positives)', [
    ['file.txt', []],
    ['setup.py', []],
    ['archive.zip and movie.mov', []],
    ['README.md', []],
    ['version 1.2.3', []],
    ['v2.0.1-beta', []],
    ['Node.js and Vue.js', []],
    ['Hi there.How are you', []],
    ['e.g. this', []],
    ['3.14159', []],
    ['com.tw', []],
    ['gov.tw', []],
    ['a.b', []],
    ['image.png 和 report.pdf', []],
    ['192.168.0.1', []],
  ]),
  ...cases('defanged', [
    ['hxxp://evil.com/a', [['url', 'http://evil.com/a']]],
    ['hxxps://evil.com/a', [['url', 'https://evil.com/a']]],
    ['HXXPS://evil.com/a', [['url', 'https://evil.com/a']]],
    ['evil[.]com', [['domain', 'evil.com']]],
    ['evil(.)com', [['domain', 'evil.com']]],
    ['evil{.}com', [['domain', 'evil.com']]],
    ['evil[dot]com', [['domain', 'evil.com']]],
    ['evil [dot] com', [['domain', 'evil.com']]],
    ['http[:]//evil.com/a', [['url', 'http://evil.com/a']]],
    ['hxxps[:]//evil[.]com/login', [['url', 'https://evil.com/login']]],
    ['www[.]evil[.]com/path', [['url', 'http://www.evil.com/path']]],
    ['hxxp://1[.]2[.]3[.]4/x', [['url', 'http://1.2.3.4/x']]],
    ['mail: bad[@]evil[.]com', [['domain', 'evil.com']]],
  ]),
  ...cases('full-width forms', [
    ['ｈｔｔｐｓ：／／ｅｘａｍｐｌｅ．ｃｏｍ／ａｂｃ', [['url', 'https://example.com/abc']]],
    ['ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ', [['domain', 'www.example.com']]],
    ['example。com', [['domain', 'example.com']]],
    ['請上 example．com．tw／a 查詢', [['url', 'http://example.com.tw/a']]],
    ['https://example｡com/a', [['url', 'https://example.com/a']]],
    ['電話：０９１２－３４５－６７８', [['phone', '+886912345678']]],
    ['ＬＩＮＥ：ａｂｃ１２３', [['line_id', 'abc123']]],
    ['ｂｉｔ．ｌｙ／ＡＢＣ', [['url', 'http://bit.ly/ABC']]],
  ]),
  ...cases('zero-width and bidi characters', [
    [`https://exa${ZWSP}mple.com/a`, [['url', 'https://example.com/a']]],
    [`https://example.com/a${ZWJ}b`, [['url', 'https://example.com/ab']]],
    [`ev${ZWSP}il.c${ZWSP}om`, [['domain', 'evil.com']]],
    [`${RLO}evil.com${PDF}`, [['domain', 'evil.com']]],
    [`LINE：@ab${WJ}c123`, [['line_id', '@abc123']]],
    [`0912${ZWSP}345${ZWSP}678`, [['phone', '+886912345678']]],
    [`${BOM}https://x.example/a`, [['url', 'https://x.example/a']]],
    [`h${ZWSP}t${ZWSP}t${ZWSP}p${ZWSP}s://x.example/a`, [['url', 'https://x.example/a']]],
  ]),
  ...cases('glued to Chinese text and punctuation', [
    ['請點擊https://x.com/a，立即領取', [['url', 'https://x.com/a']]],
    ['「https://x.com」', [['url', 'https://x.com/']]],
    ['『https://x.com/a』', [['url', 'https://x.com/a']]],
    [
      '【https://health.ettoday.net/news/1160856?from=line_et_health】',
      [['url', 'https://health.ettoday.net/news/1160856?from=line_et_health']],
    ],
    ['網址：https://x.com/a。謝謝', [['url', 'https://x.com/a']]],
    ['網址:https://x.com/a！', [['url', 'https://x.com/a']]],
    ['（https://x.com/a）', [['url', 'https://x.com/a']]],
    ['到www.x.com/a看看', [['url', 'http://www.x.com/a']]],
    ['請上官網ctbcbank.com查詢', [['domain', 'ctbcbank.com']]],
    ['點此https://x.com/a↓↓', [['url', 'https://x.com/a']]],
    ['▶http://bit.ly/2HjBTb1 次更', [['url', 'http://bit.ly/2HjBTb1']]],
    ['連結→http://goo.gl/FzlJTV,3', [['url', 'http://goo.gl/FzlJTV,3']]],
    [
      'https://x.com/a；https://y.com/b',
      [
        ['url', 'https://x.com/a'],
        ['url', 'https://y.com/b'],
      ],
    ],
    ['領取>>http://pse.im/5MVKW', [['url', 'http://pse.im/5MVKW']]],
    ['👉 https://x.com/a 👈', [['url', 'https://x.com/a']]],
    [
      '網址https://x.com/a、https://y.com/b',
      [
        ['url', 'https://x.com/a'],
        ['url', 'https://y.com/b'],
      ],
    ],
  ]),
  ...cases('LINE', [
    [
      'line.me/ti/p/~myid',
      [
        ['url', 'http://line.me/ti/p/~myid'],
        ['line_id', 'myid'],
      ],
    ],
    [
      'https://line.me/R/ti/p/@abc123',
      [
        ['url', 'https://line.me/R/ti/p/@abc123'],
        ['line_id', '@abc123'],
      ],
    ],
    [
      'http://line.me/R/ti/p/%40gkr5178r',
      [
        ['url', 'http://line.me/R/ti/p/@gkr5178r'],
        ['line_id', '@gkr5178r'],
      ],
    ],
    ['https://line.me/ti/p/4s2T5k7Ab', [['url', 'https://line.me/ti/p/4s2T5k7Ab']]],
    ['https://lin.ee/xxxx', [['url', 'https://lin.ee/xxxx']]],
    [
      'https://page.line.me/cofacts',
      [
        ['url', 'https://page.line.me/cofacts'],
        ['line_id', '@cofacts'],
      ],
    ],
    ['加LINE：@abc123', [['line_id', '@abc123']]],
    ['LINE ID: abc_123', [['line_id', 'abc_123']]],
    ['賴：abc123', [['line_id', 'abc123']]],
    ['加賴 ： yugg166', [['line_id', 'yugg166']]],
    ['line id：Danie09', [['line_id', 'danie09']]],
    ['Line:0912345678', [['line_id', '0912345678']]],
    ['加我LINE abc123', [['line_id', 'abc123']]],
    ['LINE帳號：jo_84.7', [['line_id', 'jo_84.7']]],
    ['LINE@ 帳號', []],
    ['加 LINE 好友', []],
    ['LINE group chat', []],
    ['賴清德說', []],
    ['賴 2023', []],
    ['LINE APP', []],
    [
      'LINE: https://line.me/ti/p/~abcd',
      [
        ['url', 'https://line.me/ti/p/~abcd'],
        ['line_id', 'abcd'],
      ],
    ],
  ]),
  ...cases('Taiwan phone numbers', [
    ['0912-345-678', [['phone', '+886912345678']]],
    ['0912 345 678', [['phone', '+886912345678']]],
    ['0912345678', [['phone', '+886912345678']]],
    ['+886 912 345 678', [['phone', '+886912345678']]],
    ['+886-912-345-678', [['phone', '+886912345678']]],
    ['+886912345678', [['phone', '+886912345678']]],
    ['(02)2345-6789', [['phone', '+886223456789']]],
    ['（02）2345-6789', [['phone', '+886223456789']]],
    ['02-2345-6789', [['phone', '+886223456789']]],
    ['02 2345 6789', [['phone', '+886223456789']]],
    ['07-3550524', [['phone', '+88673550524']]],
    ['請撥0800-000-123', [['phone', '+886800000123']]],
    [
      '0912-345-678 0987-654-321',
      [
        ['phone', '+886912345678'],
        ['phone', '+886987654321'],
      ],
    ],
    ['電話:0912345678。', [['phone', '+886912345678']]],
    ['2023-05-07', []],
    ['12345678', []],
    ['價格 1,000,000 元', []],
    ['0912', []],
    ['訂單編號 A0912345678', []],
  ]),
  ...cases('international call prefixes and national numbers (issue 19)', [
    ['009-886-912345678', [['phone', '+886912345678']]],
    ['005-886-912345678', [['phone', '+886912345678']]],
    ['006-886-912345678', [['phone', '+886912345678']]],
    ['007-886-912345678', [['phone', '+886912345678']]],
    ['002 886 912 345 678', [['phone', '+886912345678']]],
    ['002-1-212-555-1234', [['phone', '+12125551234']]],
    // A bank code, then an account that is no number with its country code: still an account.
    ['007-12345678901', [['bank_account', '007-12345678901']]],
    ['009-12345678901234', [['bank_account', '009-12345678901234']]],
    // Written nationally, a TW number needs its trunk 0 (libphonenumber's VALID leniency).
    ['912345678', []],
    ['2023-05-07', []],
    ['2024.01.02', []],
  ]),
  ...cases('email', [
    ['mail me: foo.bar@example.com', [['email', 'foo.bar@example.com']]],
    ['Foo.Bar@Example.COM!', [['email', 'foo.bar@example.com']]],
    ['客服信箱service@ctbcbank.com查詢', [['email', 'service@ctbcbank.com']]],
    ['a+tag@sub.example.com.tw', [['email', 'a+tag@sub.example.com.tw']]],
    ['not@an-email', []],
    ['user@file.txt', []],
  ]),
  ...cases('crypto addresses', [
    [
      'USDT(TRC20): TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      [['crypto_address', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t']],
    ],
    [
      'ETH 0x52908400098527886E0F7030069857D2E4169EE7',
      [['crypto_address', '0x52908400098527886e0f7030069857d2e4169ee7']],
    ],
    [
      'BTC:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
      [['crypto_address', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa']],
    ],
    [
      '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy',
      [['crypto_address', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy']],
    ],
    [
      '錢包bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq轉帳',
      [['crypto_address', 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq']],
    ],
    ['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u', []],
    ['1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', []],
    ['0x1234abcd', []],
  ]),
  ...cases('Taiwan bank accounts', [
    ['匯款至(822)123456789012', [['bank_account', '822-123456789012']]],
    ['（808）1234-5678-9012', [['bank_account', '808-123456789012']]],
    ['822-1234567890123', [['bank_account', '822-1234567890123']]],
    ['銀行代碼：808 帳號：1234-5678-9012', [['bank_account', '808-123456789012']]],
    ['中國信託 帳號：123456789012', [['bank_account', '822-123456789012']]],
    ['郵局帳號：00012345678901', [['bank_account', '700-00012345678901']]],
    ['999-1234567890', []],
    ['帳號：123456789012', []],
  ]),
  ...cases('real messages: Cofacts (CC BY-SA 4.0, 「Cofacts 真的假的」)', [
    [
      'https://youtu.be/Z6bhTwh9qRw\n耳垂看出心肌梗塞前兆！',
      [['url', 'https://youtu.be/Z6bhTwh9qRw']],
    ],
    ['只有今天!LINE周年免費貼圖抽獎↓\nhttp://bit.ly/354wFdB', [['url', 'http://bit.ly/354wFdB']]],
    [
      '【連結分享】火速加入詩肯LINE好友，秒拿獎↓↓\nhttp://line.me/R/ti/p/%40gkr5178r',
      [
        ['url', 'http://line.me/R/ti/p/@gkr5178r'],
        ['line_id', '@gkr5178r'],
      ],
    ],
    [
      '慶祝台鐵130週年活動 搭配7-ELEVEN活動可以領取7-ELEVEN百元禮卷(全省門市皆可使用)趕快加入\n\nhttps://line.me/R/ti/p/%40shc4771i',
      [
        ['url', 'https://line.me/R/ti/p/@shc4771i'],
        ['line_id', '@shc4771i'],
      ],
    ],
    ['有意者添加客服諮詢：\nLINE :  ccc555800\n微信：ccc555800\n\n', [['line_id', 'ccc555800']]],
    ['有興趣了解直接加\n\nLINE:ci20051129\n\n幫朋友轉發，打擾！', [['line_id', 'ci20051129']]],
    ['有興趣瞭解加 賴 ： yugg166\n        微信：yugg119', [['line_id', 'yugg166']]],
    ['0902457247這是詐騙集團的不要受騙，她還叫我姑姑喔', [['phone', '+886902457247']]],
    ['請致電(02)2886-8888轉1810預約。導覽參加人數每梯次以20人為限', [['phone', '+886228868888']]],
    ['電話:07-3550524\n\n說明：高雄市民可以免費領3盆花/草', [['phone', '+88673550524']]],
    ['高雄第二監獄6月1日要上班\n07-6156013，自行連絡', [['phone', '+88676156013']]],
    [
      '(傳真：04-23116050／電話：04-23116080)',
      [
        ['phone', '+886423116050'],
        ['phone', '+886423116080'],
      ],
    ],
    [
      '我要發一個生活市集大紅包給你 http://s.buy123.com.tw/B/9jat ，要快因為是限量的！',
      [['url', 'http://s.buy123.com.tw/B/9jat']],
    ],
    [
      '最愛媽咪！感恩母親節！星巴克拿鐵咖啡兌換活動開跑囉，領取活動只到今天↓↓↓\nhttps://reurl.cc/yaxa',
      [['url', 'https://reurl.cc/yaxa']],
    ],
    [
      '(train)甚麼！！捷運又出貼圖了？\n(2 hearts)就是現在！趕快下載！免費的唷！\nbit.ly/2F443qn',
      [['url', 'http://bit.ly/2F443qn']],
    ],
    ['臭跩貓愛嗆人貼圖下載▶http://bit.ly/2HjBTb1 \n次更無極限', [['url', 'http://bit.ly/2HjBTb1']]],
    ['(立即入手熊大主題：https://lin.ee/9V1Huo7', [['url', 'https://lin.ee/9V1Huo7']]],
    [
      '*Adidas is giving away 5000 Free Pair of Shoes* Get your free shoes at : http://www.adîdas.com/free-shoes/  .',
      [['url', 'http://www.xn--addas-6sa.com/free-shoes/']],
    ],
    [
      'iPhone難賣　日媒爆鴻海鄭州廠10月來已裁5萬人 https://tw.appledaily.com/new/realtime/20190118/1503254/?utm_source=line&utm_medium=messenger',
      [
        [
          'url',
          'https://tw.appledaily.com/new/realtime/20190118/1503254/?utm_source=line&utm_medium=messenger',
        ],
      ],
    ],
    [
      '(震驚了！) ....【快來看】│這篇文不錯分享給你看 http://ezp9.com/p67786.asp    \n   \n (love) http://goo.gl/QvnuIH \n (2 hearts)加 LINE 好友 ✔ 收藏最新文章',
      [
        ['url', 'http://ezp9.com/p67786.asp'],
        ['url', 'http://goo.gl/QvnuIH'],
      ],
    ],
    [
      'LINE免費貼圖超人氣貓爪抓 -有抓真好-動態貼圖只有一天!限時下載▼                              http://t.cn/EztjpFt',
      [['url', 'http://t.cn/EztjpFt']],
    ],
    [
      '我分享了【視頻 - YouTube】, 快來看吧！ @小米瀏覽器 | https://m.youtube.com/watch?feature=youtu.be&v=ksiskxvOGV4',
      [['url', 'https://m.youtube.com/watch?feature=youtu.be&v=ksiskxvOGV4']],
    ],
    ['福利熊的傳奇藝界人生(全螢幕有聲動態)\nline://shop/detail/7770\n', []],
    ['君宴至十月底週一至週四午晚餐兩人同行一人免費晚餐799加一成須提前一天預約24222282', []],
    ['82454598.     82459919\n0989128158', [['phone', '+886989128158']]],
    [
      '加入LINE帳號可領加油券？中油澄清：是假的:https://m.cnyes.com/news/id/4048051?utm_source=line&utm_medium=share&utm_campaign=4048051',
      [
        [
          'url',
          'https://m.cnyes.com/news/id/4048051?utm_source=line&utm_medium=share&utm_campaign=4048051',
        ],
      ],
    ],
    ['LINE系統提醒您，您目前已登入LINE PC。\n"登入中的裝置: XIN_FEIYA"', []],
    ['在觀看蘋果這段視頻時，這是4D技術，第一次在line 出現。', []],
    [
      '欸欸走拉走啦~我加入就拿到高鐵的免費旅遊票耶\n\nhttps://line.me/R/ti/p/%40mca5398q',
      [
        ['url', 'https://line.me/R/ti/p/@mca5398q'],
        ['line_id', '@mca5398q'],
      ],
    ],
  ]),
  ...cases('real data: Taiwan 165 (內政部警政署 165 反詐騙諮詢專線, OGDL-Taiwan v1.0)', [
    ['www.0xdappplus.com', [['domain', 'www.0xdappplus.com']]],
    ['ww.chdwtw.com', [['domain', 'ww.chdwtw.com']]],
    ['wind.vns168.net', [['domain', 'wind.vns168.net']]],
    ['www.securities2022.club', [['domain', 'www.securities2022.club']]],
    ['crypto5138.apexcoins.club', [['domain', 'crypto5138.apexcoins.club']]],
    ['https://onlytoppc24.com/ucy9mf2#/login', [['url', 'https://onlytoppc24.com/ucy9mf2']]],
    ['http://sharefunpc24.com/bcew9vc#/login', [['url', 'http://sharefunpc24.com/bcew9vc']]],
    [
      'https://rkeos.top/item/JZHMK/22105.html?fbclid=IwAR1tdc2pIwCerwTWnQUxpdoaZ1lni9VVFH1eFv0WnRBUAlVx4THCMFa2t-U',
      [
        [
          'url',
          'https://rkeos.top/item/JZHMK/22105.html?fbclid=IwAR1tdc2pIwCerwTWnQUxpdoaZ1lni9VVFH1eFv0WnRBUAlVx4THCMFa2t-U',
        ],
      ],
    ],
    ['請聯繫衛生福利部(02)8590-6666或撥打165反詐騙諮詢專線查證', [['phone', '+886285906666']]],
    [
      '再次提醒民眾，臺北捷運粉絲團正確網址為https://www.facebook.com/metro.taipei，只要搜尋@metro.taipei，即可找到本公司',
      [['url', 'https://www.facebook.com/metro.taipei']],
    ],
    [
      '99(外縣市02-27208889)或瀏覽臺北捷運公司網站(http://www.metro.taipei/)。',
      [
        ['phone', '+886227208889'],
        ['url', 'http://www.metro.taipei/'],
      ],
    ],
    [
      '歡迎民眾撥打該署傳繳通知查證服務專線：(02)2633-1266（組員：顏子麟）查明',
      [['phone', '+886226331266']],
    ],
    ['內容為「看到這電話號碼 0918715002 千萬不要接」', [['phone', '+886918715002']]],
    ['要求用LINE ID、電話號碼加好友，都是假的！', []],
    ['認清警政署官方LINE@，有藍色盾牌才是真的。', []],
    ['LINE ID：wlzy6688', [['line_id', 'wlzy6688']]],
    ['加LINE：@787cczcj', [['line_id', '@787cczcj']]],
  ]),
  ...cases('mixed messages, order and deduplication', [
    [
      '【投資群】加LINE：@abc123 或撥0912-345-678，入金USDT TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t 網站 https://invest.example.top/r?id=9',
      [
        ['line_id', '@abc123'],
        ['phone', '+886912345678'],
        ['crypto_address', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'],
        ['url', 'https://invest.example.top/r?id=9'],
      ],
    ],
    ['evil.com 與 EVIL.COM 與 evil[.]com', [['domain', 'evil.com']]],
    ['0912-345-678 / +886 912 345 678', [['phone', '+886912345678']]],
    ['', []],
    ['沒有任何指標的訊息。', []],
  ]),
  ...cases('bare IPv4 address (issue 19)', [
    ['連線到 203.0.113.45 下載', [['ip', '203.0.113.45']]],
    ['伺服器IP:203.0.113.45。', [['ip', '203.0.113.45']]],
    ['203.0.113[.]45', [['ip', '203.0.113.45']]],
    ['203[.]0[.]113[.]45', [['ip', '203.0.113.45']]],
    ['8.8.8.8 and 8.8.8.8', [['ip', '8.8.8.8']]],
    ['http://203.0.113.45/login', [['url', 'http://203.0.113.45/login']]],
    ['203.0.113.45/login', [['url', 'http://203.0.113.45/login']]],
    ['203.0.113.45:8080', [['url', 'http://203.0.113.45/']]],
    ['admin@203.0.113.45', []],
    ['version 1.2.3.4', []],
    ['v1.2.3.4', []],
    ['版本 1.0.0.1 已更新', []],
    ['1.2.3.4.5', []],
    ['10.0.19041.1', []],
    ['2024.01.02', []],
    ['01.2.3.4', []],
    ['256.1.1.1', []],
    ['127.0.0.1 0.0.0.0 255.255.255.255 224.0.0.1', []],
    ['192.168.1.1 10.0.0.1 172.16.0.1 100.64.0.1 169.254.169.254', []],
  ]),
  ...cases('glued and doubled schemes (issue 19)', [
    ['http://http://t.cn/XXXXXXX', [['url', 'http://t.cn/XXXXXXX']]],
    [
      'https://t.cn/AAAAAAAhttp://t.cn/BBBBBBB',
      [
        ['url', 'https://t.cn/AAAAAAA'],
        ['url', 'http://t.cn/BBBBBBB'],
      ],
    ],
    [
      'http://a.example/x,https://b.example/y',
      [
        ['url', 'http://a.example/x'],
        ['url', 'https://b.example/y'],
      ],
    ],
    ['點此http://t.cn/A1', [['url', 'http://t.cn/A1']]],
    [
      't.cn/AAAAAAAhttp://t.cn/BBBBBBB',
      [
        ['url', 'http://t.cn/AAAAAAA'],
        ['url', 'http://t.cn/BBBBBBB'],
      ],
    ],
    [
      '203.0.113.45/aa,https://t.cn/B',
      [
        ['url', 'http://203.0.113.45/aa'],
        ['url', 'https://t.cn/B'],
      ],
    ],
    [
      'https://r.example/go?url=http://evil.example/a',
      [['url', 'https://r.example/go?url=http://evil.example/a']],
    ],
    [
      'https://web.archive.org/web/2020/http://evil.example/',
      [['url', 'https://web.archive.org/web/2020/http:/evil.example/']],
    ],
  ]),
];

describe('extractIndicators: table of cases', () => {
  it('has at least 150 cases', () => expect(TABLE.length).toBeGreaterThanOrEqual(150));
  it.each(TABLE.map((c) => [c.topic, c.text, c] as const))('%s: %j', (_topic, text, c) => {
    const found = extractIndicators(text);
    expect(found.map((indicator) => [indicator.type, indicator.value])).toEqual(c.expected);
    for (const indicator of found) {
      expect(text.slice(indicator.start, indicator.end)).toBe(indicator.raw);
      expect(indicator.raw.length).toBeGreaterThan(0);
    }
  });
});

describe('extractIndicators: raw spans', () => {
  it('reports the raw span as written, invisible characters and defanging included', () => {
    const text = `請點擊hxxps://exa${ZWSP}mple[.]com/a，立即`;
    const [url] = extractIndicators(text);
    expect(url).toEqual({
      type: 'url',
      value: 'https://example.com/a',
      raw: `hxxps://exa${ZWSP}mple[.]com/a`,
      start: 3,
      end: 3 + `hxxps://exa${ZWSP}mple[.]com/a`.length,
    });
  });
  it('keeps UTF-16 offsets past astral characters', () => {
    const text = '😀😀 https://x.example/a';
    const [url] = extractIndicators(text);
    expect(url?.start).toBe(5);
    expect(url?.raw).toBe('https://x.example/a');
  });
  it('gives a LINE URL and its LINE ID the same span', () => {
    const [url, id] = extractIndicators('加 https://line.me/R/ti/p/@abc123');
    expect(url?.type).toBe('url');
    expect(id?.type).toBe('line_id');
    expect(id?.start).toBe(url?.start);
    expect(id?.end).toBe(url?.end);
  });
  it('reads national phone numbers in the region given', () => {
    expect(extractIndicators('call 020 7946 0958', { defaultRegion: 'GB' })).toEqual([
      { type: 'phone', value: '+442079460958', raw: '020 7946 0958', start: 5, end: 18 },
    ]);
  });
  it('reads numbers by the region’s own numbering plan, trunk prefix or not (issue 19)', () => {
    expect(extractIndicators('513000001 513000002', { defaultRegion: 'PL' })).toEqual([
      { type: 'phone', value: '+48513000001', raw: '513000001', start: 0, end: 9 },
      { type: 'phone', value: '+48513000002', raw: '513000002', start: 10, end: 19 },
    ]);
    expect(extractIndicators('513000001 513000002')).toEqual([]);
    expect(
      extractIndicators('call (212) 555-1234', { defaultRegion: 'US' }).map((i) => i.value),
    ).toEqual(['+12125551234']);
  });
});

describe('extractIndicators: bare IPv4 addresses and glued links (fast-check, issue 19)', () => {
  const publicAddress = fc
    .tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.nat(255))
    .map((octets) => octets.join('.'))
    .filter((address) => !/^(?:10|127|0)\.|^192\.168\.|^172\.(?:1[6-9]|2\d|3[01])\./.test(address))
    .filter((address) => !/^100\.(?:6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.|^169\.254\./.test(address));
  const around = fc.constantFrom(
    ['', ''],
    ['IP：', '。'],
    ['連到 ', ' 下載'],
    ['(', ')'],
    ['「', '」'],
  );
  const defang = fc.constantFrom('.', '[.]', '(.)', '{.}', '[dot]');

  it('finds every public address, plain or defanged, once, as `ip`', () => {
    fc.assert(
      fc.property(publicAddress, around, defang, (address, [before, after], dot) => {
        const written = address.split('.').join(dot);
        const text = `${before}${written}${after} ${address}`;
        expect(extractIndicators(text).map((i) => [i.type, i.value])).toEqual([['ip', address]]);
      }),
      { numRuns: 1000 },
    );
  });

  it('takes an address inside a URL as the URL only', () => {
    fc.assert(
      fc.property(publicAddress, fc.constantFrom('http://', 'https://', ''), (address, scheme) => {
        const found = extractIndicators(`看 ${scheme}${address}/a?b=1 吧`);
        expect(found.map((i) => [i.type, i.value])).toEqual([
          ['url', `${scheme === '' ? 'http://' : scheme}${address}/a?b=1`],
        ]);
      }),
      { numRuns: 500 },
    );
  });

  const path = fc.stringMatching(/^[A-Za-z0-9]{1,12}$/);
  it('a new scheme starts a new URL; a doubled one is one URL', () => {
    fc.assert(
      fc.property(
        path,
        path,
        fc.constantFrom('http://', 'https://', 'HTTP://'),
        (first, second, scheme) => {
          const glued = `https://t.cn/${first}${scheme}u.nu/${second}`;
          expect(extractIndicators(glued).map((i) => i.value)).toEqual([
            `https://t.cn/${first}`,
            `${scheme.toLowerCase()}u.nu/${second}`,
          ]);
          const schemeless = `t.cn/${first}${scheme}u.nu/${second}`;
          expect(extractIndicators(schemeless).map((i) => i.value)).toEqual([
            `http://t.cn/${first}`,
            `${scheme.toLowerCase()}u.nu/${second}`,
          ]);
          const doubled = `http://${scheme}t.cn/${second}`;
          expect(extractIndicators(doubled).map((i) => i.value)).toEqual([
            `${scheme.toLowerCase()}t.cn/${second}`,
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('extractIndicators: phone numbers by numbering plan (fast-check, issue 19)', () => {
  /** Valid TW mobile numbers (09 + 8 digits) as libphonenumber-js validates them. */
  const twMobile = fc
    .integer({ min: 10_000_000, max: 99_999_999 })
    .map((n) => `9${String(n).slice(0, 8)}`)
    .filter((national) => parsePhoneNumberFromString(national, 'TW')?.isValid() === true);

  it('a TW international call prefix and a valid number is that phone, not a bank account', () => {
    fc.assert(
      fc.property(
        twMobile,
        fc.constantFrom('002', '005', '006', '007', '009', '019'),
        fc.constantFrom('-', ' ', ''),
        fc.boolean(),
        (national, prefix, separator, parenthesised) => {
          // `(009)886…` is how a bank code is written too: the valid number decides.
          const dialled = parenthesised ? `(${prefix})` : `${prefix}${separator || '-'}`;
          const text = `匯款前請撥 ${dialled}886${separator}${national} 確認`;
          expect(extractIndicators(text).map((i) => [i.type, i.value])).toEqual([
            ['phone', `+886${national}`],
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });

  /** Valid PL numbers (nine digits, no trunk prefix), as libphonenumber-js validates them. */
  const plNumber = fc
    .integer({ min: 100_000_000, max: 999_999_999 })
    .map(String)
    .filter((national) => parsePhoneNumberFromString(national, 'PL')?.isValid() === true);

  it('numbers of a region without a trunk prefix are found as written, each one', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(plNumber, { minLength: 1, maxLength: 5 }),
        fc.constantFrom(' ', ', ', ' i '),
        (numbers, separator) => {
          const found = extractIndicators(numbers.join(separator), { defaultRegion: 'PL' });
          expect(found.map((i) => i.value)).toEqual(numbers.map((n) => `+48${n}`));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('extractIndicators: properties (fast-check)', () => {
  const pieces = fc.constantFrom(
    '.',
    '/',
    ':',
    '1',
    '0',
    '9',
    '[',
    ']',
    '(',
    ')',
    '@',
    '-',
    '_',
    '~',
    '?',
    '=',
    '&',
    '%',
    ZWSP,
    RLO,
    '。',
    '．',
    '：',
    '／',
    'ｈ',
    'a',
    'x',
    'com',
    'tw',
    'http',
    'hxxp',
    'https://',
    'www.',
    'line',
    'LINE：',
    '賴',
    '0912',
    '+886',
    ' ',
    '\n',
    '，',
    '「',
    '」',
    'T',
    '0x',
    'bc1',
    '(822)',
    '帳號',
    '[.]',
    '[dot]',
    '😀',
  );
  const messages = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 200 }),
    fc.array(pieces, { maxLength: 80 }).map((parts) => parts.join('')),
  );

  it('never throws, and every indicator is well formed', () => {
    fc.assert(
      fc.property(messages, (text) => {
        const found = extractIndicators(text);
        const keys = new Set<string>();
        let previous = 0;
        for (const indicator of found) {
          expect(INDICATOR_TYPES).toContain(indicator.type);
          expect(text.slice(indicator.start, indicator.end)).toBe(indicator.raw);
          expect(indicator.start).toBeGreaterThanOrEqual(previous);
          previous = indicator.start;
          const key = `${indicator.type} ${indicator.value}`;
          expect(keys.has(key)).toBe(false);
          keys.add(key);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('finishes on 100 KiB adversarial strings (runs of dots, slashes, digits, brackets, zero-width)', () => {
    const size = 100 * 1024;
    const adversarial = [
      '.'.repeat(size),
      '/'.repeat(size),
      '1'.repeat(size),
      '['.repeat(size),
      ZWSP.repeat(size),
      'a.'.repeat(size / 2),
      'a-'.repeat(size / 2),
      '1.'.repeat(size / 2),
      '0912-'.repeat(size / 5),
      'http://'.repeat(size / 7),
      'a@'.repeat(size / 2),
      '[.]'.repeat(size / 3),
      `a${ZWSP}.`.repeat(size / 3),
      'LINE:'.repeat(size / 5),
      ('a'.repeat(60) + '.').repeat(size / 61),
      'https://x.com/' + '('.repeat(size),
      'x.com/' + ')'.repeat(size),
      // Blank runs after `LINE`: three adjacent `[ \t]*` made this cubic (1,000 blanks: 4.7 s).
      'LINE' + ' '.repeat(size),
      'LINE ID' + ' '.repeat(size / 2) + '：' + '\t'.repeat(size / 2),
      ('line' + ' '.repeat(1000)).repeat(size / 1004),
    ];
    for (const text of adversarial) {
      expect(Array.isArray(extractIndicators(text))).toBe(true);
    }
  });

  it('a long run of real domains is extracted in full', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `s${i}.example.com`).join(' ');
    expect(extractIndicators(text)).toHaveLength(5000);
  });

  it('reads a LINE ID after blanks around the ID word, the separator and the @', () => {
    for (const text of ['LINE  ID \t:  @ abc123', 'line\t帳號 是 abc123', '加LINE   abc123']) {
      expect(
        extractIndicators(text).filter((i) => i.type === 'line_id'),
        text,
      ).toEqual([expect.objectContaining({ raw: text.includes('@') ? '@ abc123' : 'abc123' })]);
    }
  });

  it('stops at maxIndicators distinct indicators, the first kinds and places first', () => {
    const domains = Array.from({ length: 300 }, (_, i) => `s${i}.example.com`).join(' ');
    const found = extractIndicators(domains, { maxIndicators: 100 });
    expect(found.map((i) => i.value)).toEqual(
      Array.from({ length: 100 }, (_, i) => `s${i}.example.com`),
    );
    const phones = Array.from({ length: 300 }, (_, i) => `09${String(12_000_000 + i)}`).join(' ');
    expect(extractIndicators(phones, { maxIndicators: 10 })).toHaveLength(10);
    // Repeats count once: a repeated link does not crowd out the numbers after it.
    const repeated = `${'https://bit.ly/abc '.repeat(30)} 0912-345-678`;
    expect(extractIndicators(repeated, { maxIndicators: 10 }).map((i) => i.type)).toEqual([
      'url',
      'phone',
    ]);
  });

  it('spends a bounded number of canonicalisations on candidates that never become indicators', () => {
    // 2,000 phone-shaped runs that libphonenumber refuses, then a real number: with a budget of
    // WORK_PER_INDICATOR × 5 candidates, the search stops before reaching it.
    const text = `${'0100-000-000 號 '.repeat(2_000)}電話 0912-345-678`;
    expect(extractIndicators(text)).toContainEqual(expect.objectContaining({ type: 'phone' }));
    expect(extractIndicators(text, { maxIndicators: 5 })).toEqual([]);
  });
});

/**
 * Every code point the JavaScript engine's Unicode data marks Default_Ignorable_Code_Point (the
 * property itself, not a list of ours), plus U+FFF9–U+FFFB, which must all be inert (issue 19).
 */
const IGNORABLE_CODE_POINTS: string[] = (() => {
  const property = /^\p{Default_Ignorable_Code_Point}$/u;
  const out: string[] = ['\uFFF9', '\uFFFA', '\uFFFB'];
  for (let code = 0; code <= 0x10ffff; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const char = String.fromCodePoint(code);
    if (property.test(char)) out.push(char);
  }
  return out;
})();

describe('extractIndicators: every default-ignorable code point is inert (issue 19)', () => {
  it('takes the property from the engine: tag characters, CGJ, variation selectors, Hangul fillers', () => {
    const codes = new Set(IGNORABLE_CODE_POINTS.map((c) => c.codePointAt(0)));
    for (const code of [0xe0020, 0xe007f, 0xe0041, 0x034f, 0xfe0f, 0xe0100, 0x115f, 0x1160]) {
      expect(codes.has(code)).toBe(true);
    }
    for (const code of [0x3164, 0xffa0, 0xfff9, 0xfffa, 0xfffb, 0x2062, 0x200b, 0x180e]) {
      expect(codes.has(code)).toBe(true);
    }
    expect(IGNORABLE_CODE_POINTS.length).toBeGreaterThan(4000);
  });

  const SAMPLES = [
    '請點擊 https://t.cn/AbC123?x=1 立即領取，或撥 0912-345-678 加LINE：@abc123',
    'Visit evil-bank.com.tw/login or mail help@evil.example, server 203.0.113.45',
    '匯款至 (822)123456789012 USDT TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
  ];
  const plain = SAMPLES.map((text) => extractIndicators(text).map((i) => [i.type, i.value]));

  it('each one, inside every indicator of the samples, changes nothing', () => {
    for (const char of IGNORABLE_CODE_POINTS) {
      SAMPLES.forEach((text, n) => {
        const found = extractIndicators(text);
        // One copy inside each indicator, one character after its start.
        let written = text;
        for (const indicator of [...found].reverse()) {
          const at = indicator.start + 1;
          written = written.slice(0, at) + char + written.slice(at);
        }
        const again = extractIndicators(written);
        expect(again.map((i) => [i.type, i.value])).toEqual(plain[n]);
        for (const indicator of again) {
          expect(written.slice(indicator.start, indicator.end)).toBe(indicator.raw);
        }
      });
    }
  });

  it('any of them, anywhere and any number of times, changes nothing (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.nat(SAMPLES.length - 1),
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...IGNORABLE_CODE_POINTS)), { maxLength: 12 }),
        (n, insertions) => {
          let written = SAMPLES[n] ?? '';
          for (const [position, char] of insertions) {
            // Between two UTF-16 units of one character would make a lone surrogate: not text.
            const chars = Array.from(written);
            const at = position % (chars.length + 1);
            written = [...chars.slice(0, at), char, ...chars.slice(at)].join('');
          }
          expect(extractIndicators(written).map((i) => [i.type, i.value])).toEqual(plain[n]);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('canonicalUrl ignores them too', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...IGNORABLE_CODE_POINTS),
        fc.constantFrom('https://t.cn/AbC123', 'http://例え.jp/a', 'evil.example/x?y=1'),
        fc.nat(),
        (char, url, position) => {
          const chars = Array.from(url);
          const at = position % (chars.length + 1);
          const written = [...chars.slice(0, at), char, ...chars.slice(at)].join('');
          expect(canonicalUrl(written)).toBe(canonicalUrl(url));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
