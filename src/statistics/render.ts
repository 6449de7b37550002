import {
  BLOCKLIST_ACTIONS,
  BLOCKLIST_ACTION_NAMES,
  platformName,
  type Change,
  type Label,
} from './figures.js';
import { barChartSvg } from './charts.js';
import { writeCsv, type CsvCell, type CsvOptions } from '../shared/csv.js';
import { escapeHtml as h } from './html-escape.js';
import type { Bulletin } from './stats.schemas.js';
import type { TransparencyReport } from './transparency.service.js';

// Standalone pages (`scamnet bulletin --format html`): tables scroll sideways inside their own
// box on a phone instead of breaking words ("fa/ce/bo/ok"), week labels never wrap.
const CSS = `
body{font-family:system-ui,"Noto Sans TC","PingFang TC","Microsoft JhengHei",sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #b3261e}
.scroll{overflow-x:auto;margin:.5rem 0}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;overflow-wrap:normal;word-break:keep-all}
tbody th,thead th{white-space:nowrap}
@media (max-width:30rem){th,td{padding:.2rem .3rem}}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}caption{text-align:left;font-weight:600;padding:.25rem 0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem}
.card{border:1px solid #999;border-radius:.4rem;padding:.6rem}.card strong{font-size:1.5rem;display:block}
.up{color:#8c1d18}.down{color:#1b5e20}.status{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;background:#eee}
.nw{white-space:nowrap}svg{max-width:100%;height:auto}a{color:#0b57d0}
`;

/** A label as "中文 English", the English only when it differs (never "Meta Meta"). */
function bilingual(label: Label): string {
  return label.en === label['zh-TW']
    ? h(label['zh-TW'])
    : `${h(label['zh-TW'])} <span lang="en">${h(label.en)}</span>`;
}

/** A table in a box that scrolls sideways when it is wider than the screen. */
function scrolling(label: string, table: string): string {
  return `<div class="scroll" role="region" tabindex="0" aria-label="${h(label)}">${table}</div>`;
}

/**
 * A bulletin table: its caption (which also names the scrolling box), the header row's cells
 * `head` and the body rows `rows` (HTML), one per line.
 */
function captionedTable(caption: string, head: string, rows: string): string {
  return scrolling(
    caption,
    `<table><caption>${h(caption)}</caption>
<thead><tr>${head}</tr></thead>
<tbody>
${rows}
</tbody></table>`,
  );
}

/** One bulletin row per share (platform or report source): count, share and its change. */
function shareRows(shares: Bulletin['platformShares']): string {
  return shares
    .map(
      (s) =>
        `<tr><th scope="row">${bilingual(s.name)}</th><td class="n">${s.count}</td><td class="n">${h(s.share)}%</td><td class="n">${h(signed(s.shareChange))} pp</td></tr>`,
    )
    .join('\n');
}

function page(lang: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="${h(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}

/** "+12 (+4.5%)", "−3 (−10%)", "+5 (—)" for a Change. */
export function changeText(change: Change): string {
  const percent = change.changePercent === null ? '—' : `${signed(change.changePercent)}%`;
  return `${signed(change.change)} (${percent})`;
}

function changeCell(change: Change): string {
  const cls = change.change > 0 ? 'up' : change.change < 0 ? 'down' : '';
  return `<td class="n${cls === '' ? '' : ` ${cls}`}">${h(changeText(change))}</td>`;
}

function card(label: string, value: number, change?: Change): string {
  return `<div class="card">${h(label)}<strong>${h(value.toLocaleString('en-US'))}</strong>${
    change === undefined ? '' : `週增減 Week on week: ${h(changeText(change))}`
  }</div>`;
}

/**
 * The bulletin as a standalone HTML file (zh-TW first, English second; `scamnet bulletin
 * --format html`, for archives and mail — the site shows bulletins as pages of the web UI):
 * figures, charts (SVG from ECharts) and the same figures as tables, so it reads fully without
 * JavaScript. Every value that
 * comes from data (keywords, entity names, reminders) is escaped. `links` are the JSON, CSV and
 * Atom addresses shown at the foot, beside a link to the index of bulletins (`/bulletins`).
 * Deterministic for the same bulletin.
 */
export function bulletinHtml(
  bulletin: Bulletin,
  links: { json: string; csv: string; atom: string },
): string {
  const p = bulletin.period;
  const title = `詐騙週快訊 Weekly scam bulletin ${bulletin.week}`;
  const shareHead = (what: string, count: string) =>
    `<th scope="col">${what}</th><th scope="col" class="n">${count}</th><th scope="col" class="n">占比 Share</th><th scope="col" class="n">較上週 vs last week</th>`;
  const types = bulletin.topScamTypes
    .map(
      (s, i) =>
        `<tr><td class="n">${i + 1}</td><th scope="row">${bilingual(s.name)}</th><td class="n">${s.count}</td><td class="n">${h(s.share)}%</td><td class="n">${h(signed(s.shareChange))} pp</td></tr>`,
    )
    .join('\n');
  const keywords = bulletin.hotKeywords
    .map(
      (k, i) =>
        `<tr><td class="n">${i + 1}</td><th scope="row">${h(k.keyword)}</th><td class="n">${k.count}</td><td class="n">${h(k.expected)}</td><td class="n">${h(k.score)}</td></tr>`,
    )
    .join('\n');
  const entities = bulletin.topImpersonated
    .map(
      (e, i) =>
        `<tr><td class="n">${i + 1}</td><th scope="row">${bilingual(e.name)}</th><td class="n">${e.count}</td><td class="n">${e.previousCount}</td></tr>`,
    )
    .join('\n');
  const reminders = bulletin.reminders
    .map((r) => `<p>${h(r).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const empty = (cols: number, text: string) => `<tr><td colspan="${cols}">${h(text)}</td></tr>`;

  const body = `<h1>詐騙週快訊 Weekly scam bulletin <span class="nw">${h(bulletin.week)}</span></h1>
<p><span class="nw">${h(p.startDate)}</span> – <span class="nw">${h(p.endDate)}</span>（${h(p.timeZone)}）
<span class="status">${bulletin.status === 'published' ? `已發布 Published ${h(bulletin.publishedAt ?? '')}` : '草稿 Draft'}</span></p>
<section aria-labelledby="totals"><h2 id="totals">總覽 Overview</h2>
<div class="cards">
${card('累計通報 Reports to date', bulletin.cumulative.reports)}
${card('累計確認詐騙 Confirmed fraud to date', bulletin.cumulative.confirmedFraud)}
${card('本週通報 Reports this week', bulletin.reports.current, bulletin.reports)}
${card('本週確認詐騙 Confirmed fraud this week', bulletin.confirmedFraud.current, bulletin.confirmedFraud)}
</div>
<p>${bulletin.cumulative.since === null ? '' : `自 ${h(bulletin.cumulative.since)} 首件通報起累計 · Counted since the first report on ${h(bulletin.cumulative.since)}.`}</p>
</section>
<section aria-labelledby="platforms"><h2 id="platforms">平台占比 Platforms of confirmed fraud</h2>
${barChartSvg(
  '平台占比 Platform shares (%)',
  bulletin.platformShares.map((s) => ({ label: s.name['zh-TW'], value: s.share })),
  { unit: '%' },
)}
${captionedTable(
  '平台占比 Platform shares',
  shareHead('平台 Platform', '件數 Cases'),
  shareRows(bulletin.platformShares),
)}</section>
${
  bulletin.sourceShares === undefined
    ? ''
    : `<section aria-labelledby="sources"><h2 id="sources">通報來源 Where reports came from</h2>
${captionedTable(
  '通報來源 Report sources',
  shareHead('來源 Source', '件數 Reports'),
  shareRows(bulletin.sourceShares),
)}</section>
`
}<section aria-labelledby="types"><h2 id="types">詐騙樣態前三名 Top scam types</h2>
${
  bulletin.topScamTypes.length === 0
    ? ''
    : barChartSvg(
        '詐騙樣態 Scam types (%)',
        bulletin.topScamTypes.map((s) => ({ label: s.name['zh-TW'], value: s.share })),
        { unit: '%' },
      )
}
${captionedTable(
  '詐騙樣態 Scam types',
  `<th scope="col" class="n">#</th>${shareHead('樣態 Type', '件數 Cases')}`,
  types === '' ? empty(5, '本週無確認詐騙 No confirmed fraud this week') : types,
)}</section>
<section aria-labelledby="keywords"><h2 id="keywords">本週熱門關鍵字 Hot keywords</h2>
<p>較前四週上升最多的詞（結巴斷詞，去除停用詞）· Words that rose most against the previous four weeks (jieba segmentation, stop words removed). Score = (count − expected) / √(expected + 1).</p>
${captionedTable(
  '熱門關鍵字 Hot keywords',
  '<th scope="col" class="n">#</th><th scope="col">關鍵字 Keyword</th><th scope="col" class="n">件數 Cases</th><th scope="col" class="n">預期 Expected</th><th scope="col" class="n">分數 Score</th>',
  keywords === '' ? empty(5, '無 None') : keywords,
)}</section>
<section aria-labelledby="entities"><h2 id="entities">最常被冒用 Most impersonated</h2>
${captionedTable(
  '被冒用者 Impersonated parties',
  '<th scope="col" class="n">#</th><th scope="col">名稱 Name</th><th scope="col" class="n">本週 This week</th><th scope="col" class="n">上週 Last week</th>',
  entities === '' ? empty(4, '無 None') : entities,
)}</section>
<section aria-labelledby="reminders"><h2 id="reminders">防詐提醒 Reminders</h2>
${reminders === '' ? '<p>—</p>' : reminders}
</section>
<footer><p><a href="/bulletins">所有週快訊 All bulletins</a> · <a href="${h(links.json)}">JSON</a> · <a href="${h(links.csv)}">CSV</a> · <a href="${h(links.atom)}">Atom</a></p></footer>`;
  return page('zh-Hant-TW', title, body);
}

/**
 * The bulletin's tables as one CSV (writeCsv: RFC 4180, CRLF, formulas defused; UTF-8 with a
 * byte order mark when `options.bom`), long format:
 * `table,rank,key,name_zh,name_en,value,previous,change,change_percent`. Tables: `summary`,
 * `platform_shares` (value = share %, previous = last week's share, change in points, plus a
 * `platform_cases` row per group), `scam_types`, `hot_keywords` (value = count, previous =
 * expected, change = score), `impersonated`, `reminders`.
 */
export function bulletinCsv(bulletin: Bulletin, options: CsvOptions = {}): string {
  const named = (
    table: string,
    rank: number | null,
    key: string,
    name: Label,
    value: number,
    previous: number,
    change: number,
  ): CsvCell[] => [table, rank, key, name['zh-TW'], name.en, value, previous, change, null];
  // A count with its change against the previous week.
  const counted = (
    table: string,
    rank: number | null,
    key: string,
    name: Label,
    count: number,
    previousCount: number,
  ) => named(table, rank, key, name, count, previousCount, count - previousCount);
  const rows: CsvCell[][] = [
    ['table', 'rank', 'key', 'name_zh', 'name_en', 'value', 'previous', 'change', 'change_percent'],
    [
      'summary',
      null,
      'week',
      bulletin.week,
      `${bulletin.period.startDate}/${bulletin.period.endDate}`,
      null,
      null,
      null,
      null,
    ],
    [
      'summary',
      null,
      'cumulative_reports',
      '累計通報',
      'Reports to date',
      bulletin.cumulative.reports,
      null,
      null,
      null,
    ],
    [
      'summary',
      null,
      'cumulative_confirmed_fraud',
      '累計確認詐騙',
      'Confirmed fraud to date',
      bulletin.cumulative.confirmedFraud,
      null,
      null,
      null,
    ],
    [
      'summary',
      null,
      'reports',
      '本週通報',
      'Reports this week',
      bulletin.reports.current,
      bulletin.reports.previous,
      bulletin.reports.change,
      bulletin.reports.changePercent,
    ],
    [
      'summary',
      null,
      'confirmed_fraud',
      '本週確認詐騙',
      'Confirmed fraud this week',
      bulletin.confirmedFraud.current,
      bulletin.confirmedFraud.previous,
      bulletin.confirmedFraud.change,
      bulletin.confirmedFraud.changePercent,
    ],
  ];
  for (const s of bulletin.platformShares) {
    rows.push(
      named('platform_shares', null, s.key, s.name, s.share, s.previousShare, s.shareChange),
      counted('platform_cases', null, s.key, s.name, s.count, s.previousCount),
    );
  }
  for (const s of bulletin.sourceShares ?? []) {
    rows.push(counted('source_reports', null, s.key, s.name, s.count, s.previousCount));
  }
  bulletin.topScamTypes.forEach((s, i) =>
    rows.push(named('scam_types', i + 1, s.key, s.name, s.share, s.previousShare, s.shareChange)),
  );
  bulletin.hotKeywords.forEach((k, i) =>
    rows.push([
      'hot_keywords',
      i + 1,
      k.keyword,
      k.keyword,
      null,
      k.count,
      k.expected,
      k.score,
      null,
    ]),
  );
  bulletin.topImpersonated.forEach((e, i) =>
    rows.push(counted('impersonated', i + 1, e.entityId, e.name, e.count, e.previousCount)),
  );
  bulletin.reminders.forEach((r, i) =>
    rows.push(['reminders', i + 1, null, r, null, null, null, null, null]),
  );
  return writeCsv(rows, options);
}

/**
 * Atom 1.0 (RFC 4287) feed of published bulletins, newest first. `baseUrl` is the site's origin
 * (e.g. `https://scamnet.example`); entry IDs are the bulletins' page addresses; `updated` is the
 * newest publication time (or 1970-01-01 for an empty feed, for determinism).
 */
export function bulletinsAtom(bulletins: readonly Bulletin[], baseUrl: string): string {
  const updated =
    bulletins
      .map((b) => b.publishedAt ?? '')
      .sort()
      .at(-1) || '1970-01-01T00:00:00.000Z';
  const entries = bulletins
    .map((b) => {
      const link = `${baseUrl}/bulletins/${b.week}`;
      const summary = `${b.period.startDate} – ${b.period.endDate}：本週通報 ${b.reports.current} 件（${changeText(b.reports)}），確認詐騙 ${b.confirmedFraud.current} 件（${changeText(b.confirmedFraud)}）。Reports ${b.reports.current}, confirmed fraud ${b.confirmedFraud.current}.`;
      return `  <entry>
    <id>${h(link)}</id>
    <title>${h(`詐騙週快訊 ${b.week}`)}</title>
    <updated>${h(b.publishedAt ?? updated)}</updated>
    <published>${h(b.publishedAt ?? updated)}</published>
    <link rel="alternate" type="text/html" href="${h(link)}"/>
    <link rel="alternate" type="application/json" href="${h(`${baseUrl}/api/v1/bulletins/${b.week}`)}"/>
    <summary>${h(summary)}</summary>
  </entry>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-Hant-TW">
  <id>${h(`${baseUrl}/api/v1/bulletins/feed.atom`)}</id>
  <title>詐騙週快訊 scamnet weekly scam bulletin</title>
  <updated>${h(updated)}</updated>
  <author><name>scamnet</name></author>
  <link rel="self" type="application/atom+xml" href="${h(`${baseUrl}/api/v1/bulletins/feed.atom`)}"/>
  <link rel="alternate" type="text/html" href="${h(`${baseUrl}/bulletins`)}"/>
${entries}
</feed>
`;
}

/** A plain-text rendering of the bulletin for terminals (`scamnet bulletin`). */
export function bulletinText(bulletin: Bulletin): string {
  const p = bulletin.period;
  const lines = [
    `詐騙週快訊 Weekly scam bulletin ${bulletin.week} (${p.startDate} – ${p.endDate}, ${p.timeZone}) [${bulletin.status}]`,
    '',
    `累計通報 Reports to date: ${bulletin.cumulative.reports}`,
    `累計確認詐騙 Confirmed fraud to date: ${bulletin.cumulative.confirmedFraud}`,
    `本週通報 Reports this week: ${bulletin.reports.current} ${changeText(bulletin.reports)}`,
    `本週確認詐騙 Confirmed fraud this week: ${bulletin.confirmedFraud.current} ${changeText(bulletin.confirmedFraud)}`,
    '',
    '平台占比 Platform shares:',
    ...bulletin.platformShares.map(
      (s) =>
        `  ${s.name['zh-TW']} (${s.name.en}): ${s.count} ${s.share}% (${signed(s.shareChange)} pp)`,
    ),
    '',
    '詐騙樣態前三名 Top scam types:',
    ...bulletin.topScamTypes.map(
      (s, i) =>
        `  ${i + 1}. ${s.name['zh-TW']} (${s.name.en}): ${s.count} ${s.share}% (${signed(s.shareChange)} pp)`,
    ),
    '',
    '熱門關鍵字 Hot keywords:',
    ...bulletin.hotKeywords.map(
      (k, i) => `  ${i + 1}. ${k.keyword} ${k.count} (expected ${k.expected}, score ${k.score})`,
    ),
    '',
    '最常被冒用 Most impersonated:',
    ...bulletin.topImpersonated.map(
      (e, i) => `  ${i + 1}. ${e.name['zh-TW']}: ${e.count} (last week ${e.previousCount})`,
    ),
    '',
    '防詐提醒 Reminders:',
    ...bulletin.reminders.map((r) => `  - ${r}`),
  ];
  return `${lines.join('\n')}\n`;
}

const BASIS_NAMES: Readonly<Record<string, string>> = {
  court_ruling: '法院裁定 Court ruling',
  administrative_disposition: '行政處分 Administrative disposition',
  emergency_order: '緊急命令 Emergency order',
  published_suspension: '機關公告停止解析 Suspension published by the authority',
  none: '尚無法律依據 No legal basis yet',
};

/**
 * The transparency report as a standalone HTML file (`scamnet transparency --format html`; the
 * site shows it as a page of the web UI): period figures, platform groups, scam types,
 * per-platform takedown compliance, blocklist activity by legal basis and appeals. Tables only
 * (no script); everything escaped.
 */
export function transparencyHtml(report: TransparencyReport, csvLink: string): string {
  const s = report.statistics;
  const p = s.period;
  const title = `透明度報告 Transparency report ${p.startDate} – ${p.endDate}`;
  const row = (label: string, c: Change) =>
    `<tr><th scope="row">${h(label)}</th><td class="n">${c.current}</td><td class="n">${c.previous}</td>${changeCell(c)}</tr>`;
  const head = `<thead><tr><th scope="col"></th><th scope="col" class="n">本期 This period</th><th scope="col" class="n">前期 Previous</th><th scope="col" class="n">增減 Change</th></tr></thead>`;
  const body = `<h1>${h(title)}</h1>
<p>${h(p.timeZone)} · ${p.days} 天 days · 前期 previous period ${h(s.previousPeriod.startDate)} – ${h(s.previousPeriod.endDate)}</p>
<section aria-labelledby="t1"><h2 id="t1">通報與確認 Reports and decisions</h2>
${scrolling(
  '通報與確認 Reports and decisions',
  `<table>${head}<tbody>
${row('通報 Reports', s.reports)}
${row('新案件 New cases', s.newCases)}
${row('確認詐騙 Confirmed fraud', s.confirmed.fraud)}
${row('高風險 High risk', s.confirmed.highRisk)}
${row('非詐騙 Not fraud', s.confirmed.notFraud)}
</tbody></table>`,
)}</section>
<section aria-labelledby="t2"><h2 id="t2">平台 Platforms</h2>
${scrolling(
  '平台 Platforms',
  `<table><thead><tr><th scope="col">平台 Platform</th><th scope="col" class="n">通報 Reports</th><th scope="col" class="n">新案件 New cases</th><th scope="col" class="n">詐騙 Fraud</th><th scope="col" class="n">高風險 High risk</th><th scope="col" class="n">非詐騙 Not fraud</th></tr></thead><tbody>
${s.byPlatform.map((g) => `<tr><th scope="row">${bilingual(g.name)}</th><td class="n">${g.reports.current}</td><td class="n">${g.newCases.current}</td><td class="n">${g.fraud.current}</td><td class="n">${g.highRisk.current}</td><td class="n">${g.notFraud.current}</td></tr>`).join('\n')}
</tbody></table>`,
)}</section>
<section aria-labelledby="t3"><h2 id="t3">詐騙樣態 Scam types</h2>
${scrolling(
  '詐騙樣態 Scam types',
  `<table><thead><tr><th scope="col">樣態 Type</th><th scope="col" class="n">詐騙 Fraud</th><th scope="col" class="n">高風險 High risk</th><th scope="col" class="n">非詐騙 Not fraud</th></tr></thead><tbody>
${s.byScamType.map((t) => `<tr><th scope="row">${bilingual(t.name)}</th><td class="n">${t.fraud.current}</td><td class="n">${t.highRisk.current}</td><td class="n">${t.notFraud.current}</td></tr>`).join('\n')}
</tbody></table>`,
)}</section>
<section aria-labelledby="t4"><h2 id="t4">平台下架遵循 Platform takedown compliance</h2>
${scrolling(
  '平台下架遵循 Platform takedown compliance',
  `<table><thead><tr><th scope="col">平台 Platform</th><th scope="col" class="n">通知 Notices</th><th scope="col" class="n">期限內移除 Removed in time</th><th scope="col" class="n">逾期移除 Removed late</th><th scope="col" class="n">逾期 Overdue</th><th scope="col" class="n">拒絕 Rejected</th><th scope="col" class="n">未結 Open</th><th scope="col" class="n">中位數 Median h</th><th scope="col" class="n">P90 h</th><th scope="col" class="n">裁罰 Sanctions</th></tr></thead><tbody>
${s.takedown.map((c) => `<tr><th scope="row">${bilingual(platformName(c.platform))}</th><td class="n">${c.noticesSent}</td><td class="n">${c.removedWithinDeadline}</td><td class="n">${c.removedLate}</td><td class="n">${c.overdue}</td><td class="n">${c.rejected}</td><td class="n">${c.open}</td><td class="n">${h(c.medianHoursToRemoval ?? '—')}</td><td class="n">${h(c.p90HoursToRemoval ?? '—')}</td><td class="n">${c.sanctions}</td></tr>`).join('\n')}
</tbody></table>`,
)}</section>
<section aria-labelledby="t5"><h2 id="t5">封鎖清單 Blocklist activity by legal basis</h2>
${scrolling(
  '封鎖清單 Blocklist activity by legal basis',
  `<table><thead><tr><th scope="col">法律依據 Legal basis</th>${BLOCKLIST_ACTIONS.map((a) => `<th scope="col" class="n">${bilingual(BLOCKLIST_ACTION_NAMES[a])}</th>`).join('')}</tr></thead><tbody>
${report.blocklist.map((b) => `<tr><th scope="row">${h(BASIS_NAMES[b.legalBasis] ?? b.legalBasis)}</th>${BLOCKLIST_ACTIONS.map((a) => `<td class="n">${b.counts[a]}</td>`).join('')}</tr>`).join('\n')}
</tbody></table>`,
)}</section>
<section aria-labelledby="t6"><h2 id="t6">申訴 Appeals</h2>
${scrolling(
  '申訴 Appeals',
  `<table><thead><tr><th scope="col" class="n">提出 Filed</th><th scope="col" class="n">成立（解除）Upheld</th><th scope="col" class="n">駁回（恢復）Rejected</th><th scope="col" class="n">審理中 Pending</th></tr></thead><tbody>
<tr><td class="n">${report.appeals.filed}</td><td class="n">${report.appeals.upheld}</td><td class="n">${report.appeals.rejected}</td><td class="n">${report.appeals.pending}</td></tr>
</tbody></table>`,
)}</section>
<footer><p><a href="${h(csvLink)}">CSV</a></p></footer>`;
  return page('zh-Hant-TW', title, body);
}

/**
 * The transparency report as one CSV (writeCsv: RFC 4180, CRLF, formulas defused; BOM when
 * `options.bom`), long format
 * `table,key,metric,value,previous,change,change_percent`: `summary`, `platform`, `scam_type`,
 * `takedown` (one row per platform and metric), `blocklist` (legal basis × action), `appeals`.
 */
export function transparencyCsv(report: TransparencyReport, options: CsvOptions = {}): string {
  const s = report.statistics;
  const rows: CsvCell[][] = [
    ['table', 'key', 'metric', 'value', 'previous', 'change', 'change_percent'],
    ['period', s.period.startDate, s.period.endDate, s.period.days, null, null, s.period.timeZone],
  ];
  const change = (table: string, key: string, metric: string, c: Change) =>
    rows.push([table, key, metric, c.current, c.previous, c.change, c.changePercent]);
  change('summary', 'all', 'reports', s.reports);
  change('summary', 'all', 'new_cases', s.newCases);
  change('summary', 'all', 'fraud', s.confirmed.fraud);
  change('summary', 'all', 'high_risk', s.confirmed.highRisk);
  change('summary', 'all', 'not_fraud', s.confirmed.notFraud);
  for (const g of s.byPlatform) {
    change('platform', g.group, 'reports', g.reports);
    change('platform', g.group, 'new_cases', g.newCases);
    change('platform', g.group, 'fraud', g.fraud);
    change('platform', g.group, 'high_risk', g.highRisk);
    change('platform', g.group, 'not_fraud', g.notFraud);
  }
  for (const t of s.byScamType) {
    change('scam_type', t.scamType, 'fraud', t.fraud);
    change('scam_type', t.scamType, 'high_risk', t.highRisk);
    change('scam_type', t.scamType, 'not_fraud', t.notFraud);
  }
  for (const c of s.takedown) {
    for (const [metric, value] of [
      ['notices_sent', c.noticesSent],
      ['removed_within_deadline', c.removedWithinDeadline],
      ['removed_late', c.removedLate],
      ['overdue', c.overdue],
      ['rejected', c.rejected],
      ['open', c.open],
      ['median_hours_to_removal', c.medianHoursToRemoval],
      ['p90_hours_to_removal', c.p90HoursToRemoval],
      ['sanctions', c.sanctions],
      ['fine_exposure_min', c.fineExposure.min],
      ['fine_exposure_max', c.fineExposure.max],
    ] as const) {
      rows.push(['takedown', c.platform, metric, value, null, null, null]);
    }
  }
  for (const b of report.blocklist) {
    for (const a of BLOCKLIST_ACTIONS)
      rows.push(['blocklist', b.legalBasis, a, b.counts[a], null, null, null]);
  }
  for (const [metric, value] of Object.entries(report.appeals)) {
    rows.push(['appeals', 'all', metric, value, null, null, null]);
  }
  return writeCsv(rows, options);
}
