import { registrableDomain } from '../indicators/index.js';

// The CSV/line readers are a leaf module: importing them directly keeps blocklist ↔ intake acyclic.
import {
  csvField as field,
  detectFormat,
  listSourceName,
  mapCsvRecords,
  readCsv,
  readHostList,
  TW165_HEADER_SIGNS,
} from '../shared/read-csv.js';
import type { ActivationInput, NewEntryInput } from './entry-checks.js';
import type { BlocklistImportRow } from './import.service.js';
import type { LegalBasis, LegalBasisKind } from './blocklist.types.js';

import { parseTaipeiDate, taipeiDateOf } from '../shared/taipei-dates.js';
/**
 * File formats `scamnet blocklist import` reads:
 * - `tw165-dns-suspended`: 165's fake one-page shop sites with DNS-suspension dates
 *   (`編號,一頁式詐騙購物網站,偽冒網址,網域名稱,詐騙網站創立日期,接獲通報日期,停止解析日期`);
 * - `tw165-investment`: 165's weekly fake investment (gambling) sites
 *   (`WEBSITE_NM,WEBURL,CNT,STA_SDATE,STA_EDATE` + a Chinese second header line);
 * - `tw165-suspended-domains`: 165's 「遭停止解析涉詐網站」 (data.gov.tw 176455) with the columns
 *   `民國年月,網域,網站性質,法律依據,聲請單位` (民國年月 `11412` = ROC year 114 = 2025, month 12);
 * - `domains`: one host per line, `#` comments.
 */
export const BLOCKLIST_IMPORT_FORMATS = [
  'tw165-dns-suspended',
  'tw165-investment',
  'tw165-suspended-domains',
  'domains',
] as const;
export type BlocklistImportFormat = (typeof BLOCKLIST_IMPORT_FORMATS)[number];

/** The legal basis given on the command line, applied to every row that has none of its own. */
export interface CommandLineBasis {
  readonly kind: LegalBasisKind;
  readonly reference: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly requestingUnit: string;
}

/** Options of readBlocklistFile. */
export interface BlocklistImportOptions {
  /** Source recorded on each entry (default `tw165` for the 165 formats, the file name otherwise). */
  readonly source?: string | undefined;
  /** When given, rows activate with it (rows that carry their own basis keep theirs). */
  readonly basis?: CommandLineBasis | undefined;
  readonly siteType?: string | undefined;
  /** ISO 8601 expiry for activated rows. */
  readonly expiresAt?: string | undefined;
}

function hostOf(value: string): string | undefined {
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`).hostname;
  } catch {
    return undefined;
  }
}

function activationFrom(options: BlocklistImportOptions): ActivationInput | undefined {
  const basis = options.basis;
  if (basis === undefined) return undefined;
  return {
    legalBasis: { kind: basis.kind, reference: basis.reference, date: basis.date },
    requestingUnit: basis.requestingUnit,
    expiresAt: options.expiresAt,
  };
}

function row(
  line: number,
  entry: NewEntryInput,
  options: BlocklistImportOptions,
): BlocklistImportRow {
  const activation = activationFrom(options);
  return activation === undefined ? { line, entry } : { line, entry, activation };
}

/**
 * The publisher of the 165 open data, as its attribution names it (data/demo/NOTICE.md): the
 * requesting unit of the suspensions its DNS-suspended list publishes.
 */
export const TW165_PUBLISHER = '內政部警政署 165 反詐騙諮詢專線';

/**
 * 165's one-page shop sites with their 停止解析 (DNS-suspension) dates. The list is the
 * publisher's own statement that each domain's resolution was suspended on that date, and it
 * names no ruling or disposition: a row with a suspension date activates on legal basis
 * `published_suspension` (reference: the list and the row's 編號; date: the suspension date as
 * published), requested by TW165_PUBLISHER, effective on the suspension date (Asia/Taipei
 * midnight). A legal basis given on the command line replaces it, as for the other formats; a
 * row without a suspension date imports as `proposed`.
 */
function dnsSuspended(
  file: string,
  options: BlocklistImportOptions,
): AsyncGenerator<BlocklistImportRow> {
  return mapCsvRecords(readCsv(file), (fields, line): BlocklistImportRow | string => {
    const url = field(fields, '偽冒網址');
    const domain = field(fields, '網域名稱') ?? (url === undefined ? undefined : hostOf(url));
    if (domain === undefined) return '網域名稱 and 偽冒網址 are empty';
    const suspended = parseTaipeiDate(field(fields, '停止解析日期') ?? '');
    const suspendedOn = suspended === null ? null : taipeiDateOf(suspended);
    const what = field(fields, '一頁式詐騙購物網站');
    const serial = field(fields, '編號');
    const entry: NewEntryInput = {
      domain,
      siteType: options.siteType ?? '電子商務',
      source: options.source ?? 'tw165',
      externalId: `dns_suspended:${serial ?? domain}`,
      note: [what, suspendedOn === null ? undefined : `165 停止解析 ${suspendedOn}`]
        .filter((s) => s !== undefined)
        .join('; '),
    };
    if (suspended === null || suspendedOn === null || options.basis !== undefined) {
      return row(line, entry, options);
    }
    return {
      line,
      entry: {
        ...entry,
        requestingUnit: TW165_PUBLISHER,
        legalBasis: {
          kind: 'published_suspension',
          reference: `165 開放資料 一頁式詐騙購物網站 停止解析清單 編號 ${serial ?? domain}`,
          date: suspendedOn,
        },
      },
      activation: {
        requestingUnit: TW165_PUBLISHER,
        effectiveAt: suspended,
        expiresAt: options.expiresAt,
      },
    };
  });
}

function investment(
  file: string,
  options: BlocklistImportOptions,
): AsyncGenerator<BlocklistImportRow> {
  return mapCsvRecords(readCsv(file, 1), (fields, line): BlocklistImportRow | string => {
    const url = field(fields, 'WEBURL');
    const host = url === undefined ? undefined : hostOf(url);
    if (host === undefined) return `WEBURL "${url ?? ''}" has no host`;
    // A site of the weekly list is blocked as a whole: its registrable domain (an IP address
    // stays as it is and is refused by the guard by name).
    const domain = registrableDomain(host) ?? host;
    return row(
      line,
      {
        domain,
        siteType: options.siteType ?? '假投資(博弈)',
        source: options.source ?? 'tw165',
        externalId: `investment:${domain}`,
        note: field(fields, 'WEBSITE_NM'),
      },
      options,
    );
  });
}

/**
 * `民國年月` (`11412`, `9912`) → the first day of that month, `YYYY-MM-01`, or null.
 * ROC year + 1911 = Gregorian year.
 */
export function rocYearMonth(value: string): string | null {
  const m = /^(\d{2,3})(\d{2})$/.exec(value.trim());
  if (m === null) return null;
  const year = Number(m[1]) + 1911;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  return `${year}-${String(month).padStart(2, '0')}-01`;
}

function suspendedDomains(
  file: string,
  options: BlocklistImportOptions,
): AsyncGenerator<BlocklistImportRow> {
  return mapCsvRecords(readCsv(file), (fields, line): BlocklistImportRow | string => {
    const domain = field(fields, '網域');
    const month = rocYearMonth(field(fields, '民國年月') ?? '');
    if (domain === undefined) return '網域 is empty';
    if (month === null) return `民國年月 "${field(fields, '民國年月') ?? ''}" is not YYYMM`;
    const law = field(fields, '法律依據');
    const unit = field(fields, '聲請單位');
    const entry: NewEntryInput = {
      domain,
      siteType: field(fields, '網站性質') ?? options.siteType,
      requestingUnit: unit,
      source: options.source ?? 'tw165',
      externalId: `suspended:${month.slice(0, 7)}:${domain.toLowerCase()}`,
    };
    if (law === undefined) return row(line, entry, options);
    // The dataset names the law the suspension rests on (e.g. 詐欺犯罪危害防制條例), not a case
    // number: it is an administrative disposition dated to its month unless the command line
    // says otherwise.
    const basis: LegalBasis = {
      kind: options.basis?.kind ?? 'administrative_disposition',
      reference: options.basis?.reference ?? law,
      date: options.basis?.date ?? month,
    };
    const effective = parseTaipeiDate(month);
    return {
      line,
      entry: { ...entry, legalBasis: basis },
      activation: {
        requestingUnit: unit ?? options.basis?.requestingUnit,
        effectiveAt: effective ?? undefined,
        expiresAt: options.expiresAt,
      },
    };
  });
}

async function* domainList(
  file: string,
  options: BlocklistImportOptions,
): AsyncGenerator<BlocklistImportRow> {
  const source = options.source ?? listSourceName(file);
  for await (const { line, host } of readHostList(file)) {
    yield row(
      line,
      { domain: host, siteType: options.siteType, source, externalId: `domain:${host}` },
      options,
    );
  }
}

/**
 * Reads `file` in `format` as blocklist import rows (see BLOCKLIST_IMPORT_FORMATS). Rows without
 * a legal basis (neither in the row — 165's 法律依據 column or its published suspension date —
 * nor on the command line) import as `proposed`.
 */
export function readBlocklistFile(
  file: string,
  format: BlocklistImportFormat,
  options: BlocklistImportOptions = {},
): AsyncGenerator<BlocklistImportRow> {
  return READERS[format](file, options);
}

const READERS: Readonly<
  Record<
    BlocklistImportFormat,
    (file: string, options: BlocklistImportOptions) => AsyncGenerator<BlocklistImportRow>
  >
> = {
  'tw165-dns-suspended': dnsSuspended,
  'tw165-investment': investment,
  'tw165-suspended-domains': suspendedDomains,
  domains: domainList,
};

/** Guesses the format from the first line (at most 4 KiB read): the 165 headers, else `domains`. */
export function detectBlocklistFormat(file: string): Promise<BlocklistImportFormat> {
  return detectFormat<BlocklistImportFormat>(
    file,
    [
      ['tw165-dns-suspended', TW165_HEADER_SIGNS.dnsSuspended],
      ['tw165-investment', TW165_HEADER_SIGNS.investment],
      ['tw165-suspended-domains', (first) => first.startsWith('民國年月')],
    ],
    'domains',
  );
}
