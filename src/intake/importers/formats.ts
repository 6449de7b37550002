import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { canonicalLineId } from '../../indicators/index.js';
import type { ReportInput } from '../intake.service.js';
import { REPORT_LIMITS } from '../intake.service.js';
import { readCofactsLabel } from '../../classifier/index.js';
import {
  csvField as field,
  detectFormat,
  listSourceName,
  mapCsvRecords,
  readCsv,
  readHostList,
  TW165_HEADER_SIGNS,
  type CsvRecord,
} from '../../shared/read-csv.js';
import { parseTaipeiDate } from '../../shared/taipei-dates.js';
import type { ImportFormat, ImportOptions, ImportRow } from './types.js';

import { PLATFORMS } from '../../vocabulary/index.js';
const TW165_ACTOR = 'import:tw165';

/** The JSON Lines report shape `scamnet import` accepts (one object per line). */
export const JsonlReportSchema = Type.Object(
  {
    url: Type.Optional(Type.String({ maxLength: REPORT_LIMITS.urlChars })),
    text: Type.Optional(Type.String({ maxLength: REPORT_LIMITS.textChars })),
    title: Type.Optional(Type.String({ maxLength: REPORT_LIMITS.titleChars })),
    platform: Type.Optional(Type.String({ description: `one of ${PLATFORMS.join(', ')}` })),
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9_.-]+$' })),
    externalId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    receivedAt: Type.Optional(Type.String({ maxLength: 40, description: 'ISO 8601 with a zone' })),
  },
  { additionalProperties: false },
);

async function* readJsonl(file: string, options: ImportOptions): AsyncGenerator<ImportRow> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line += 1;
    const trimmed = raw.replace(/^\uFEFF/, '').trim();
    if (trimmed === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      yield { line, error: 'not valid JSON' };
      continue;
    }
    if (!Value.Check(JsonlReportSchema, value)) {
      const first = Value.Errors(JsonlReportSchema, value).First();
      yield { line, error: `${first?.path || 'line'}: ${first?.message ?? 'invalid'}` };
      continue;
    }
    const platform = PLATFORMS.find((p) => p === value.platform);
    if (value.platform !== undefined && platform === undefined) {
      yield { line, error: `/platform: must be one of ${PLATFORMS.join(', ')}` };
      continue;
    }
    const receivedMs = value.receivedAt === undefined ? undefined : Date.parse(value.receivedAt);
    const zoned = /^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:\d{2})$/i;
    if (
      receivedMs !== undefined &&
      (Number.isNaN(receivedMs) || !zoned.test(value.receivedAt ?? ''))
    ) {
      yield { line, error: '/receivedAt: must be an ISO 8601 time with a zone' };
      continue;
    }
    const receivedAt = receivedMs === undefined ? undefined : new Date(receivedMs).toISOString();
    yield {
      line,
      input: {
        ...value,
        platform,
        receivedAt,
        channel: 'import',
        source: value.source ?? options.source ?? 'import',
      },
    };
  }
}

/** Maps each CSV record to a report, or an error naming the missing field. */
function mapCsv(
  records: AsyncIterable<CsvRecord>,
  toInput: (fields: Record<string, string>) => ReportInput | string,
): AsyncGenerator<ImportRow> {
  return mapCsvRecords(records, (fields, line) => {
    const input = toInput(fields);
    return typeof input === 'string' ? input : { line, input };
  });
}

/** Actor of the decisions the Cofacts format derives from Cofacts' topic labels. */
const COFACTS_ACTOR = 'import:cofacts';

/**
 * Cofacts rumors-ai CSV: `,id,text,label` (CC BY-SA 4.0, 「Cofacts 真的假的」). The label is the
 * topic Cofacts editors gave the message (cofacts-labels.ts), read by the labelling guide of
 * data/classifier/README.md: a rumour, news, health, policy or politics topic, or a label-10
 * message that warns about a scam, is recorded as `not_fraud` with the category in the note
 * (misinformation is not fraud: such a message must never be presented as a scam report); a
 * label-10 message (免費訊息詐騙) is left undecided for a verifier, hinted `windfall`; labels 12,
 * 13 and 14 (meaningless, ads, a bare link) cannot tell, so those messages stay undecided too.
 */
function cofacts(file: string, options: ImportOptions): AsyncGenerator<ImportRow> {
  return mapCsv(readCsv(file), (f) => {
    const text = field(f, 'text');
    const id = field(f, 'id');
    if (text === undefined) return 'text is empty';
    if (id === undefined) return 'id is empty';
    const { reading, category } = readCofactsLabel(field(f, 'label') ?? '', text);
    const input: ReportInput = {
      text,
      channel: 'import',
      source: options.source ?? 'cofacts',
      externalId: id,
    };
    switch (reading) {
      case 'scam':
        return { ...input, scamTypeHint: 'windfall' };
      case 'undecidable':
        return input;
      case 'warning':
        return {
          ...input,
          decision: {
            verdict: 'not_fraud',
            note: `Cofacts 分類「${category ?? ''}」，但內容是提醒民眾的防詐訊息，本身不是詐騙 (Cofacts topic: a warning about a scam, not a scam)`,
            actor: COFACTS_ACTOR,
          },
        };
      case 'not_scam':
        return {
          ...input,
          decision: {
            verdict: 'not_fraud',
            note: `Cofacts 分類「${category ?? ''}」：謠言、新聞或其他主題，不是詐騙 (Cofacts topic: not a scam)`,
            actor: COFACTS_ACTOR,
          },
        };
    }
  });
}

/**
 * 165 weekly list of reported fake investment (gambling) sites: `WEBSITE_NM,WEBURL,CNT,
 * STA_SDATE,STA_EDATE` plus a Chinese second header line. The NPA publishes these as fraud sites.
 */
function tw165Investment(file: string, options: ImportOptions): AsyncGenerator<ImportRow> {
  return mapCsv(readCsv(file, 1), (f) => {
    const url = field(f, 'WEBURL');
    const start = field(f, 'STA_SDATE');
    const end = parseTaipeiDate(field(f, 'STA_EDATE') ?? '');
    if (url === undefined) return 'WEBURL is empty';
    if (end === null) return 'STA_EDATE is not a date';
    return {
      url: /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`,
      title: field(f, 'WEBSITE_NM'),
      platform: 'website',
      channel: 'import',
      source: options.source ?? 'tw165',
      receivedAt: end,
      scamTypeHint: 'investment',
      externalId: `investment:${field(f, 'WEBSITE_NM') ?? ''}:${url}:${start ?? ''}`,
      decision: {
        verdict: 'fraud',
        note: '165 反詐騙諮詢專線 民眾通報假投資(博弈)詐騙網站 (data.gov.tw 160055)',
        actor: TW165_ACTOR,
      },
    };
  });
}

/** 165 fraud LINE IDs: `編號,帳號,通報日期`. */
function tw165LineIds(file: string, options: ImportOptions): AsyncGenerator<ImportRow> {
  return mapCsv(readCsv(file), (f) => {
    const raw = field(f, '帳號');
    const serial = field(f, '編號');
    const date = parseTaipeiDate(field(f, '通報日期') ?? '');
    if (raw === undefined) return '帳號 is empty';
    const lineId = canonicalLineId(raw);
    if (lineId === null) return `帳號 "${raw}" is not a LINE ID`;
    if (date === null) return '通報日期 is not a date';
    return {
      title: `LINE ID ${raw}`,
      subjects: [{ type: 'line_id', value: lineId }],
      platform: 'line',
      channel: 'import',
      source: options.source ?? 'tw165',
      receivedAt: date,
      externalId: `line_id:${serial ?? raw}`,
      decision: {
        verdict: 'fraud',
        note: '165 反詐騙諮詢專線 詐騙LINE ID (data.gov.tw 78432)',
        actor: TW165_ACTOR,
      },
    };
  });
}

/** 165 fake one-page shop sites with DNS-suspension dates. */
function tw165DnsSuspended(file: string, options: ImportOptions): AsyncGenerator<ImportRow> {
  return mapCsv(readCsv(file), (f) => {
    const url = field(f, '偽冒網址') ?? field(f, '網域名稱');
    const reported = parseTaipeiDate(field(f, '接獲通報日期') ?? '');
    const suspendedRaw = field(f, '停止解析日期');
    const suspended = suspendedRaw === undefined ? null : parseTaipeiDate(suspendedRaw);
    if (url === undefined) return '偽冒網址 is empty';
    if (reported === null) return '接獲通報日期 is not a date';
    return {
      url: /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `http://${url}`,
      title: field(f, '一頁式詐騙購物網站'),
      platform: 'website',
      channel: 'import',
      source: options.source ?? 'tw165',
      receivedAt: reported,
      scamTypeHint: 'product_service',
      externalId: `dns_suspended:${field(f, '編號') ?? url}`,
      decision: {
        verdict: 'fraud',
        note: '165 一頁式詐騙購物網站，已停止解析 (DNS suspended)',
        actor: TW165_ACTOR,
        ...(suspended === null ? {} : { removedAt: suspended }),
      },
    };
  });
}

/** A plain list of hostnames, one per line; `#` starts a comment. */
async function* domainList(file: string, options: ImportOptions): AsyncGenerator<ImportRow> {
  const source = options.source ?? listSourceName(file);
  for await (const { line, host } of readHostList(file)) {
    if (/[\s/]/.test(host) || !host.includes('.')) {
      yield { line, error: `"${host}" is not a hostname` };
      continue;
    }
    yield {
      line,
      input: {
        url: `http://${host}/`,
        platform: 'website',
        channel: 'import',
        source,
        externalId: `domain:${host}`,
        ...(options.verdict === undefined
          ? {}
          : {
              decision: {
                verdict: options.verdict,
                note: options.note ?? `listed in ${source}`,
                actor: `import:${source}`,
              },
            }),
      },
    };
  }
}

/** Reads `file` in `format` as a stream of rows. */
export function readImportFile(
  file: string,
  format: ImportFormat,
  options: ImportOptions = {},
): AsyncGenerator<ImportRow> {
  return READERS[format](file, options);
}

const READERS: Readonly<
  Record<ImportFormat, (file: string, options: ImportOptions) => AsyncGenerator<ImportRow>>
> = {
  jsonl: readJsonl,
  cofacts,
  'tw165-investment': tw165Investment,
  'tw165-line-ids': tw165LineIds,
  'tw165-dns-suspended': tw165DnsSuspended,
  domains: domainList,
};

/**
 * Guesses the format from the file's first line: the header of each known CSV, a JSON object, or
 * else a domain list. Reads at most 4 KiB.
 */
export function detectImportFormat(file: string): Promise<ImportFormat> {
  return detectFormat<ImportFormat>(
    file,
    [
      ['jsonl', (first) => first.startsWith('{')],
      ['tw165-investment', TW165_HEADER_SIGNS.investment],
      ['tw165-dns-suspended', TW165_HEADER_SIGNS.dnsSuspended],
      ['tw165-line-ids', (first) => first.includes('帳號') && first.includes('通報日期')],
      ['cofacts', (first) => /^,?id,text/.test(first)],
    ],
    'domains',
  );
}
