import type { Kysely } from 'kysely';
import {
  analysePersonalData,
  applyRedaction,
  canonicalUrl,
  extractIndicators,
  ipIndicatorValue,
  splitCanonicalUrl,
  matchKey,
  redactPersonalData,
  platformOf,
  registrableDomain,
  reportedSite,
  type Indicator,
  type ReportedSite,
} from '../indicators/index.js';

import {
  countCaseReport,
  findCase,
  getPublicCases,
  insertCase,
  knownScamsOf,
  recordImportedDecision,
  type KnownScam,
  type PublicCase,
} from '../cases/index.js';
import { blobStoreOf, insertBlob, type BlobStore } from '../evidence/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { AppError, badRequest, conflict, forbidden } from '../shared/errors.js';
import { newCaseId, newReportId } from '../shared/ids.js';
import {
  checkUnicodeText,
  codePointLength,
  hasVisibleContent,
  nfkcLength,
} from '../shared/text.js';
import { retryOnConflict, type Database } from '../store/index.js';
import {
  findNearDuplicateCase,
  nearDuplicateForm,
  nearDuplicateSignature,
  storeNearDuplicate,
  textFingerprint,
  routeToOwnParty,
  triageCase,
  type NearDuplicateLink,
  type NearDuplicateSignature,
  type Replacement,
} from '../triage/index.js';
import { indexCaseTerms } from '../search/index.js';
import { decideInTransaction, notifyRoutedEntity } from '../verification/index.js';
import { actorLabel, type Actor } from '../policy/index.js';
import {
  attachReport,
  findCaseIdByKeys,
  findReportByExternalId,
  holdCaseCounts,
  lockKeys,
  releaseCaseCounts,
  type IndicatorWrite,
} from './intake.repo.js';
import { clipSummary, indicatorId, PUBLIC_FORM_VERSION } from './public-text.js';
import {
  parseContact,
  screenshotTypeOf,
  type ReporterContact,
  type ScreenshotType,
} from './report-attachments.js';

import type { IndicatorType, Platform } from '../vocabulary/index.js';
import { recordEvent } from '../log/index.js';
import { documentTerms } from '../shared/search-terms.js';
import type { Channel, ScamType, SourceKind } from '../vocabulary/index.js';
/**
 * Limits on one report, in Unicode code points, enforced here and advertised in the HTTP schema.
 * `textChars` and `titleChars` hold for the text as typed and again after NFKC normalisation,
 * which is what fingerprints, near-duplicate shingles, search terms and triage work on: NFKC can
 * make one character eighteen (U+FDFA), so a 20,000-character text of them was 360,000 characters
 * of work. With both limits, and at most `textIndicators` indicators taken from a text, every
 * intake step is linear in at most 20,000 (text) + 500 (title) normalised characters plus a
 * bounded number of indicators. The bound, measured by bench/hostile-input.ts (longest
 * event-loop block while one report is taken and triaged, SQLite, the worst of its hostile
 * inputs): 42 ms (defanged links), 2.3× plain text of the same length measured in the same run
 * (18 ms), on the 2-core development machine; 100–200 ms when other work loads it, still within
 * about 2–6× plain text. Expanding characters stay under 2×.
 * Before these limits a single report blocked the event loop for minutes.
 */
export const REPORT_LIMITS = {
  urlChars: 4096,
  textChars: 20_000,
  titleChars: 500,
  /**
   * Distinct indicators taken from one text (extractIndicators' `maxIndicators`): each costs
   * canonicalisation, a stored row, a merge key and a lock; a scam message names a handful, and
   * a text of 2,000 distinct links held the event loop for most of a second.
   */
  textIndicators: 100,
} as const;

/**
 * Refuses a report field longer than `limit` code points as typed or after NFKC.
 * @throws AppError 413 `<field>_too_long` (details: field, limit, length after NFKC).
 */
function checkFieldLength(field: 'text' | 'title', value: string, limit: number): void {
  if (codePointLength(value) <= limit && nfkcLength(value) <= limit) return;
  throw new AppError(
    413,
    `${field}_too_long`,
    `The ${field} is too long: at most ${limit} characters, counted as typed and after Unicode ` +
      'NFKC normalisation (where one character such as ﷺ can become up to 18).',
    { details: { field, limit, normalizedLength: nfkcLength(value) } },
  );
}

/** Characters of the text or title kept as the public summary of a new case. */
const SUMMARY_CHARS = 280;

/** A decision that a structured source carries with its rows (e.g. 165's confirmed lists). */
export interface ImportedDecision {
  verdict: 'fraud' | 'high_risk' | 'not_fraud';
  note: string;
  actor: string;
  /** When the content was observed removed (e.g. DNS suspension date), ISO 8601. */
  removedAt?: string;
}

/** One report as it enters intake (validated for shape at the edge). */
export interface ReportInput {
  url?: string | undefined;
  text?: string | undefined;
  title?: string | undefined;
  platform?: Platform | undefined;
  channel: Channel;
  /** `citizen` for citizens; the source's name otherwise (an API key's source, an importer's). */
  source: string;
  /**
   * Who sent it (SOURCE_KINDS), from the credential, never from a request body; default
   * `partner` for the `import` channel (file imports) and `citizen` otherwise.
   */
  sourceKind?: SourceKind | undefined;
  /** ISO 8601; defaults to the clock's now. */
  receivedAt?: string | undefined;
  /** The source's own ID of the report, making re-imports idempotent. */
  externalId?: string | undefined;
  /** Indicators that are themselves the reported content (e.g. a LINE ID on 165's list). */
  subjects?: ReadonlyArray<{ type: IndicatorType; value: string }> | undefined;
  decision?: ImportedDecision | undefined;
  /** The signed-in reporter's user ID; stored, never shown on public routes. */
  reporterUserId?: string | undefined;
  /** The scam type a structured source implies (used when the text does not say). */
  scamTypeHint?: ScamType | undefined;
}

/** The source kind a report is stored with: its own, else by channel (imports are partners'). */
export function sourceKindOf(input: Pick<ReportInput, 'sourceKind' | 'channel'>): SourceKind {
  return input.sourceKind ?? (input.channel === 'import' ? 'partner' : 'citizen');
}

/** Who a new case's history says made it: the public, an import, or a named source. */
function caseCreator(input: ReportInput): string {
  const kind = sourceKindOf(input);
  if (kind === 'citizen') return 'public';
  if (input.channel === 'import') return `import:${input.source}`;
  return `source:${kind}:${input.source}`;
}

/** A report after canonicalisation: what intake stores and how it finds its case. */
export interface PreparedReport {
  input: ReportInput;
  canonicalUrl: string | null;
  indicators: IndicatorWrite[];
  /** Merge keys: `url:<match key>`, `text:<fingerprint>`, `<type>:<value>` for subjects. */
  keys: string[];
  platform: Platform;
  summary: string | null;
  /**
   * The text, title and summary as public pages show them: personal data redacted by the public
   * policy of findPersonalData (indicators/personal-data.ts), the reporter's own contact included.
   */
  publicText: string | null;
  publicTitle: string | null;
  publicSummary: string | null;
  /**
   * The text in near-duplicate form (normalised, every short link as one token) and the number of its
   * code points that are not URLs; null without text.
   */
  nearText: { text: string; contentChars: number } | null;
  /** The text's MinHash/LSH signature, or null (no text, or too short to match other than exactly). */
  nearDuplicate: NearDuplicateSignature | null;
  /** The follow-up contacts the public form was redacted of (PrepareOptions.ownContacts). */
  ownContacts: readonly string[];
  /** Search index terms of the text, title and indicators (search/search-terms.ts). */
  searchTerms: string[];
}

/** What a citizen may add to a report as it arrives (public API only; imports carry none). */
export interface ReportAttachments {
  /** An e-mail address or phone number for follow-up, as typed; blank means none. */
  contact?: string | undefined;
  /** The reporter agreed to the use of the contact and screenshot for this report. */
  consent?: boolean | undefined;
  /** The screenshot file's bytes (checked: PNG, JPEG or WebP, at most REPORT_SCREENSHOT_MAX_BYTES). */
  screenshot?: Uint8Array | undefined;
}

/** Attachments after checking, as intake stores them with the report. */
export interface StoredAttachments {
  contact: ReporterContact | undefined;
  screenshot: { sha256: string; size: number; contentType: ScreenshotType } | undefined;
}

export interface IntakeResult {
  reportId: string;
  caseId: string;
  newCase: boolean;
  receivedAt: string;
  /** True when this external report was imported before (nothing written). */
  duplicate: boolean;
}

/**
 * Stricter than Safe Browsing canonicalisation (which is lenient by design, for matching): a URL a
 * person reports must parse as a WHATWG URL (scheme added when missing) with an http(s) scheme,
 * a valid port, and a host that is an IP address or LDH labels (Unicode names are converted by
 * the URL parser).
 */
function isWebAddress(raw: string): boolean {
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `http://${raw}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  const host = parsed.hostname;
  if (/^\[[0-9a-f:.]+\]$/i.test(host) || /^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return true;
  return /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}\.?$/i.test(host);
}

function urlIndicator(matchKeyValue: string, personal = false): IndicatorWrite {
  return {
    id: indicatorId('url', matchKeyValue),
    type: 'url',
    value: matchKeyValue,
    expression: matchKeyValue.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''),
    registrableDomain: registrableDomain(matchKeyValue),
    personal,
  };
}

function plainIndicator(type: IndicatorType, value: string, personal = false): IndicatorWrite {
  if (type === 'url') return urlIndicator(value, personal);
  const isDomain = type === 'domain';
  return {
    id: indicatorId(type, value),
    type,
    value,
    expression: isDomain ? `${value}/` : null,
    registrableDomain: isDomain ? registrableDomain(value) : null,
    personal,
  };
}

/** The first occurrence of each indicator, as extractIndicators gives without `allOccurrences`. */
function firstOccurrences(occurrences: readonly Indicator[]): Indicator[] {
  const seen = new Set<string>();
  return occurrences.filter((i) => {
    const key = `${i.type}\u0000${i.value}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Options of prepareReport. */
export interface PrepareOptions extends Pick<ServiceDeps['config'], 'defaultRegion'> {
  /**
   * The reporter's follow-up contact (e-mail or E.164 phone), redacted wherever the report's text
   * or title gives it and never a public indicator.
   */
  ownContacts?: readonly string[] | undefined;
}

/**
 * Canonicalises a report: the submitted URL (Safe Browsing canonical form and match key), the
 * indicators found in its text, the merge keys and the platform, and its public form: text,
 * title and summary with personal data redacted, and which of its indicators it gives only as
 * personal data (analysePersonalData, public policy; the submitted URL and subjects are never
 * personal). Pure; no store access. Linear in
 * the text, which is at most REPORT_LIMITS.textChars code points before and after NFKC.
 * @throws AppError 400 `invalid_characters` when a field holds NUL or an unpaired surrogate;
 *   400 `no_visible_content` when the text has only invisible characters (Unicode
 *   Default_Ignorable_Code_Point, white space, controls, format characters) and nothing else was
 *   given; 400 `url_or_text_required` when there is neither URL, text nor subject;
 *   400 `invalid_url` when `url` does not parse to a URL with a host; 413 `text_too_long` /
 *   `title_too_long` beyond REPORT_LIMITS (as typed or after NFKC).
 */
export function prepareReport(input: ReportInput, options: PrepareOptions): PreparedReport {
  for (const [field, value] of [
    ['url', input.url],
    ['text', input.text],
    ['title', input.title],
    ...(input.subjects ?? []).map((s) => ['subjects', s.value] as const),
  ] as const) {
    if (value !== undefined) checkUnicodeText(field, value);
  }
  const url = input.url?.trim() || undefined;
  // A text of only invisible characters (zero-width, tag characters, variation selectors, …)
  // says nothing: it would make a case of nothing.
  const invisibleOnly = input.text !== undefined && !hasVisibleContent(input.text);
  const text = invisibleOnly ? undefined : input.text?.trim() || undefined;
  const subjects = input.subjects ?? [];
  if (url === undefined && text === undefined && subjects.length === 0) {
    if (invisibleOnly && input.text?.trim() !== '') {
      throw badRequest(
        'no_visible_content',
        'The message has no visible characters after invisible ones are removed.',
        'text',
      );
    }
    throw badRequest('url_or_text_required', 'Give the suspicious URL, the message text, or both.');
  }
  if (text !== undefined) checkFieldLength('text', text, REPORT_LIMITS.textChars);
  const title = input.title?.trim();
  if (title !== undefined) checkFieldLength('title', title, REPORT_LIMITS.titleChars);
  const indicators = new Map<string, IndicatorWrite>();
  const keys = new Set<string>();
  // An indicator given both as personal data and otherwise (another URL with the same match
  // key, the submitted URL) is public.
  const add = (indicator: IndicatorWrite): void => {
    const known = indicators.get(indicator.id);
    indicators.set(indicator.id, {
      ...indicator,
      personal: indicator.personal && (known === undefined || known.personal),
    });
  };
  const redaction = { defaultRegion: options.defaultRegion, ownContacts: options.ownContacts };

  let canonical: string | null = null;
  let site: ReportedSite | null = null;
  let textPlatformUrl: string | undefined;
  if (url !== undefined) {
    site = reportedSite(url, input.platform);
    canonical = canonicalUrl(url);
    if (site === null || canonical === null || !isWebAddress(url)) {
      throw badRequest('invalid_url', 'The URL could not be read as a web address.', 'url');
    }
    add(urlIndicator(site.matchKey));
    keys.add(`url:${site.matchKey}`);
  }
  for (const subject of subjects) {
    const indicator = plainIndicator(subject.type, subject.value);
    add(indicator);
    keys.add(`${indicator.type}:${indicator.value}`);
  }
  let nearText: PreparedReport['nearText'] = null;
  let publicText: string | null = null;
  if (text !== undefined) {
    const replacements: Replacement[] = [];
    const links: NearDuplicateLink[] = [];
    const extraction = {
      defaultRegion: options.defaultRegion,
      maxIndicators: REPORT_LIMITS.textIndicators,
    };
    const occurrences = extractIndicators(text, { ...extraction, allOccurrences: true });
    const analysis = analysePersonalData(text, { ...extraction, ...redaction, occurrences });
    publicText = applyRedaction(text, analysis.spans);
    const personal = new Set(
      analysis.indicators.flatMap((i) =>
        i.personal ? [`${i.indicator.type}\u0000${i.indicator.value}`] : [],
      ),
    );
    for (const found of firstOccurrences(occurrences)) {
      const isPersonal = personal.has(`${found.type}\u0000${found.value}`);
      if (found.type === 'url') {
        const key = matchKey(found.value);
        const value = key?.matchKey ?? found.value;
        replacements.push({ start: found.start, end: found.end, value });
        links.push({
          start: found.start,
          end: found.end,
          matchKey: value,
          shortener: key?.shortener === true,
        });
        add(urlIndicator(value, isPersonal));
        keys.add(`url:${value}`);
        if (platformOf(value) !== 'website') textPlatformUrl ??= value;
      } else {
        add(plainIndicator(found.type, found.value, isPersonal));
      }
    }
    const fingerprint = textFingerprint(text, replacements);
    if (fingerprint !== null) keys.add(fingerprint);
    nearText = nearDuplicateForm(text, links);
  }
  // The platform is the reporter's word, else the reported URL's; a link inside a message only
  // says where the message points, so it sets the platform only when it is a platform's own
  // (a Facebook post, a LINE account), never `website`.
  const platform: Platform =
    input.platform ??
    site?.platform ??
    (textPlatformUrl !== undefined ? platformOf(textPlatformUrl) : undefined) ??
    (subjects.some((s) => s.type === 'line_id') ? 'line' : 'other');
  // A reported website is a scam site as a whole: index its registrable domain so a lookup of any
  // page on it finds the case (the same scope the domain blocklist uses).
  if (site !== null && site.domain !== null) add(plainIndicator('domain', site.domain));
  // A site reported by its address is indexed as that `ip` (public addresses only), as a site
  // reported by name is by its domain.
  const siteIp =
    canonical === null ? null : ipIndicatorValue(splitCanonicalUrl(canonical)?.host ?? '');
  if (siteIp !== null) add(plainIndicator('ip', siteIp));
  const summarySource = text ?? input.title?.trim() ?? null;
  const publicTitle =
    title === undefined || title === ''
      ? null
      : redactPersonalData(title, { ...redaction, policy: 'public' });
  const publicSummarySource = publicText ?? publicTitle;
  const indicatorList = [...indicators.values()];
  return {
    input: { ...input, url, text },
    canonicalUrl: canonical,
    indicators: indicatorList,
    keys: [...keys],
    platform,
    summary:
      summarySource === null || summarySource === '' ? null : summarySource.slice(0, SUMMARY_CHARS),
    publicText,
    publicTitle,
    ownContacts: options.ownContacts ?? [],
    publicSummary:
      publicSummarySource === null || publicSummarySource === ''
        ? null
        : clipSummary(publicSummarySource, SUMMARY_CHARS),
    nearText,
    nearDuplicate:
      nearText === null ? null : nearDuplicateSignature(nearText.text, nearText.contentChars),
    searchTerms: documentTerms(
      [input.title?.trim(), text].filter((t) => t !== undefined && t !== '').join('\n'),
      indicatorList,
    ),
  };
}

/**
 * A stored report read back as intake input and prepared again (`prepareReport`, as an import,
 * with the reporter's follow-up contact when it has one), or null when intake would now refuse
 * it. What re-indexing, merges, splits and the refresh of public forms derive from.
 */
export function prepareStoredReport(
  row: {
    url: string | null;
    text: string | null;
    title: string | null;
    source: string;
    reporterContact?: string | null | undefined;
  },
  options: Pick<ServiceDeps['config'], 'defaultRegion'>,
): PreparedReport | null {
  try {
    return prepareReport(
      {
        url: row.url ?? undefined,
        text: row.text ?? undefined,
        title: row.title ?? undefined,
        channel: 'import',
        source: row.source,
      },
      {
        defaultRegion: options.defaultRegion,
        ownContacts: row.reporterContact == null ? [] : [row.reporterContact],
      },
    );
  } catch {
    return null;
  }
}

/** The new cases whose daily counts withHeldCaseCounts holds back, by transaction handle. */
const heldCases = new WeakMap<object, string[]>();

/**
 * Runs `work` in the caller's transaction `trx` with the daily statistics counts of the new cases
 * that ingestPrepared makes through `trx` held back, and counts them at its end, each once from
 * its rows as they then are (migration 0031), instead of at every insert and update of its case
 * and reports (the triggers of 0013): the same counts once the transaction commits, in far fewer
 * statements. If `work` throws, the caller's transaction must roll back (it holds pending rows).
 * @returns what `work` returns.
 */
export async function withHeldCaseCounts<T>(
  trx: Kysely<Database>,
  work: () => Promise<T>,
): Promise<T> {
  if (heldCases.has(trx)) return work();
  const held: string[] = [];
  heldCases.set(trx, held);
  try {
    const result = await work();
    await releaseCaseCounts(trx, held);
    return result;
  } finally {
    heldCases.delete(trx);
  }
}

/**
 * Stores a prepared report inside the caller's transaction `trx`: joins the oldest case that
 * shares a merge key (same URL match key, same normalised text, same subject indicator), else
 * (when `config.nearDuplicateMerge`) the case of the most similar near-duplicate text found
 * through the LSH bands and verified by Jaccard similarity (triage/near-duplicate.ts), or
 * creates a case; links keys, indicators, near-duplicate bands and search terms, and applies an
 * imported decision to a case that is still undecided (a person's verdict is never overwritten
 * by an import). On PostgreSQL the merge keys and band keys are advisory-locked first, so two
 * concurrent copies of one message serialise and land in one case.
 */
export async function ingestPrepared(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock' | 'config'>,
  preparedReport: PreparedReport,
  attachments?: StoredAttachments,
): Promise<IntakeResult> {
  const contact = attachments?.contact;
  // The public form must be redacted of the reporter's contact: prepare again when it was not.
  const prepared =
    contact === undefined || preparedReport.ownContacts.includes(contact.value)
      ? preparedReport
      : prepareReport(preparedReport.input, {
          defaultRegion: deps.config.defaultRegion,
          ownContacts: [...preparedReport.ownContacts, contact.value],
        });
  const { input } = prepared;
  if (input.externalId !== undefined) {
    const seen = await findReportByExternalId(trx, input.source, input.externalId);
    if (seen !== undefined) {
      return { ...seen, reportId: seen.id, newCase: false, duplicate: true };
    }
  }
  const now = isoTime(deps.clock.now());
  const receivedAt = input.receivedAt ?? now;
  const near = deps.config.nearDuplicateMerge ? prepared.nearDuplicate : null;
  await lockKeys(
    trx,
    deps.dialect,
    near === null ? prepared.keys : [...prepared.keys, ...near.bandKeys],
  );
  let caseId = await findCaseIdByKeys(trx, prepared.keys);
  if (caseId === undefined && near !== null) {
    caseId = (await findNearDuplicateCase(trx, near))?.caseId;
  }
  const newCase = caseId === undefined;
  if (caseId === undefined) {
    caseId = newCaseId();
    const held = heldCases.get(trx);
    if (held !== undefined) {
      await holdCaseCounts(trx, caseId);
      held.push(caseId);
    }
    await insertCase(trx, {
      id: caseId,
      platform: prepared.platform,
      summary: prepared.summary,
      publicSummary: prepared.publicSummary,
      publicFormVersion: PUBLIC_FORM_VERSION,
      source: input.source,
      at: receivedAt,
    });
    await recordEvent(trx, {
      type: 'case.created',
      subjectType: 'case',
      subjectId: caseId,
      actor: caseCreator(input),
      at: now,
      data: {
        platform: prepared.platform,
        source: input.source,
        sourceKind: sourceKindOf(input),
        keys: prepared.keys.length,
      },
    });
  }
  const reportId = newReportId();
  const screenshot = attachments?.screenshot;
  if (screenshot !== undefined) {
    await insertBlob(trx, { ...screenshot, createdAt: now });
  }
  await countCaseReport(
    trx,
    caseId,
    { receivedAt, summary: prepared.summary, publicSummary: prepared.publicSummary },
    now,
  );
  await attachReport(
    trx,
    {
      id: reportId,
      caseId,
      receivedAt,
      source: input.source,
      sourceKind: sourceKindOf(input),
      channel: input.channel,
      platform: input.platform ?? null,
      url: input.url ?? null,
      canonicalUrl: prepared.canonicalUrl,
      text: input.text ?? null,
      title: input.title?.trim() || null,
      publicText: prepared.publicText,
      publicTitle: prepared.publicTitle,
      externalId: input.externalId ?? null,
      reporterUserId: input.reporterUserId ?? null,
      reporterContact: contact?.value ?? null,
      reporterContactType: contact?.type ?? null,
      screenshotSha256: screenshot?.sha256 ?? null,
    },
    prepared.keys,
    prepared.indicators,
  );
  if (near !== null) await storeNearDuplicate(trx, caseId, near, receivedAt);
  await indexCaseTerms(trx, caseId, prepared.searchTerms);
  if (newCase) {
    const triaged = await triageCase(trx, deps, caseId, 'system:triage', {
      text: [input.title, input.text].filter((t) => t !== undefined && t !== '').join('\n'),
      platform: prepared.platform,
      indicators: prepared.indicators,
      reportCount: 1,
      scamTypeHint: input.scamTypeHint,
    });
    if (
      triaged.awaitingVerification &&
      triaged.routedEntityId !== null &&
      input.decision === undefined
    ) {
      await notifyRoutedEntity(trx, deps, caseId, triaged.routedEntityId);
    }
  }
  if (input.decision !== undefined) {
    await recordImportedDecision(trx, caseId, input.decision, receivedAt);
  }
  return { reportId, caseId, newCase, receivedAt, duplicate: false };
}

/**
 * Checks what a citizen added to a report: the contact (e-mail or phone, see parseContact), the
 * screenshot (PNG, JPEG or WebP by its magic bytes, at most `config.reportScreenshotMaxBytes`)
 * and, when either is given, the reporter's consent to their use for this report.
 * @throws AppError 400 `invalid_contact` (field `contact`), 400 `screenshot_type` / 413
 *   `screenshot_too_large` (field `screenshot`), 400 `consent_required` (field `consent`).
 */
export async function checkAttachments(
  deps: Pick<ServiceDeps, 'config'>,
  attachments: ReportAttachments,
): Promise<{ contact: ReporterContact | undefined; screenshotType: ScreenshotType | undefined }> {
  const contact = parseContact(attachments.contact, deps.config.defaultRegion);
  const screenshotType =
    attachments.screenshot === undefined
      ? undefined
      : await screenshotTypeOf(attachments.screenshot, deps.config.reportScreenshotMaxBytes);
  if ((contact !== undefined || screenshotType !== undefined) && attachments.consent !== true) {
    throw badRequest(
      'consent_required',
      'Agree to the use of your contact and screenshot for this report, or leave them out.',
      'consent',
    );
  }
  return { contact, screenshotType };
}

/**
 * Accepts one report (public API, LINE bot, partners) in one transaction and returns the public
 * view of its case. `attachments` (a contact for follow-up, a screenshot) are checked before
 * anything is written; the screenshot's bytes go to the content-addressed evidence blob store
 * (EVIDENCE_DIR) first and its evidence_blobs row commits with the report, so a failed report
 * leaves at most an unreferenced blob file, never a row pointing at nothing.
 * @throws AppError 400 (`url_or_text_required`, `invalid_url`, `invalid_contact`,
 *   `screenshot_type`, `consent_required`), 413 `screenshot_too_large`, `text_too_long`,
 *   `title_too_long` (REPORT_LIMITS, as typed or after NFKC), before anything is written.
 * @param afterIngest runs in the report's transaction once it is stored (ownChannelStep); what
 *   it throws rolls the report back.
 * @returns the report, its case, whether the case is new, and the confirmed scams the case
 *   shares an indicator with (knownScamsOf), so the reporter is told at once.
 */
export async function submitReport(
  deps: ServiceDeps,
  input: ReportInput,
  attachments: ReportAttachments = {},
  blobStore: BlobStore = blobStoreOf(deps),
  afterIngest?: (trx: Kysely<Database>, result: IntakeResult) => Promise<void>,
): Promise<{
  report: { id: string; receivedAt: string };
  case: PublicCase;
  newCase: boolean;
  knownScams: KnownScam[];
}> {
  const prepared = prepareReport(input, deps.config);
  const checked = await checkAttachments(deps, attachments);
  let screenshot: StoredAttachments['screenshot'];
  if (attachments.screenshot !== undefined && checked.screenshotType !== undefined) {
    const ref = await blobStore.put(attachments.screenshot);
    screenshot = { ...ref, contentType: checked.screenshotType };
  }
  const stored: StoredAttachments = { contact: checked.contact, screenshot };
  // PostgreSQL may abort the transaction for a lock conflict (statistics counts): run it again.
  const result = await retryOnConflict(() =>
    deps.db.transaction().execute(async (trx) => {
      const ingested = await ingestPrepared(trx, deps, prepared, stored);
      if (afterIngest !== undefined) await afterIngest(trx, ingested);
      return ingested;
    }),
  );
  const [[view], knownScams] = await Promise.all([
    getPublicCases(deps, [result.caseId]),
    knownScamsOf(deps, result.caseId),
  ]);
  if (view === undefined) throw new Error(`case ${result.caseId} vanished after intake`);
  return {
    report: { id: result.reportId, receivedAt: result.receivedAt },
    case: view,
    newCase: result.newCase,
    knownScams,
  };
}

/** What the impersonated party's verifier may add to their own report. */
export interface OwnChannelInput {
  /** The entity the content impersonates: one of the verifier's (default: see ownChannelStep). */
  entityId?: string | undefined;
  /** Their verdict on it, given in the same step. */
  decision?: 'fraud' | 'high_risk' | 'not_fraud' | undefined;
  /** Kept with the verdict. */
  note?: string | undefined;
}

/**
 * The impersonated party's own channel (issue 15): when a verifier reports content, its case is
 * routed to the verifier's entity (routeToOwnParty: the entity named, else the one triage found
 * impersonated when it is theirs, else their first), and with `decision` they confirm it in the
 * same transaction as the report (decideInTransaction, as from their queue): one action for a
 * celebrity's office. Others may not use these fields.
 * @returns the hook for submitReport, or undefined when there is nothing to do.
 * A report that joins an existing case routed to an entity not theirs is only attached: that case
 * is not re-routed, and asking to route or decide it is refused (the report rolls back).
 * @throws AppError 403 `forbidden` when a non-verifier gives `entityId` or `decision`, or a
 *   verifier names an entity not theirs; the hook throws 409 `case_routed_elsewhere` (above), and
 *   as decideInTransaction (403 when the case could not be routed to them, e.g. decided already;
 *   409 `illegal_transition`).
 */
export function ownChannelStep(
  deps: ServiceDeps,
  actor: Actor,
  input: OwnChannelInput,
): ((trx: Kysely<Database>, result: IntakeResult) => Promise<void>) | undefined {
  const asks = input.entityId !== undefined || input.decision !== undefined;
  if (actor.role !== 'verifier') {
    if (asks) {
      throw forbidden("Only the impersonated party's verifier routes or confirms a report.");
    }
    return undefined;
  }
  if (input.entityId !== undefined && !actor.entityIds.includes(input.entityId)) {
    throw forbidden('You act for other entities.');
  }
  return async (trx, result) => {
    const row = await findCase(trx, result.caseId);
    // The report joined a case another entity's verifiers own: it is attached, not taken over
    // (a verifier of A must not re-route or decide B's case by reporting the same content).
    const routed = row?.routed_entity_id ?? null;
    if (!result.newCase && routed !== null && !actor.entityIds.includes(routed)) {
      if (input.decision !== undefined || input.entityId !== undefined) {
        throw conflict(
          'case_routed_elsewhere',
          `This content is already case ${result.caseId}, which another party verifies: your report was not stored. Report it without entityId or decision to add it to that case.`,
        );
      }
      return;
    }
    const triaged = row?.impersonated_entity_id ?? null;
    const entityId =
      input.entityId ??
      (triaged !== null && actor.entityIds.includes(triaged) ? triaged : actor.entityIds[0]);
    if (entityId === undefined) return;
    await routeToOwnParty(trx, deps, result.caseId, entityId, actorLabel(actor));
    if (input.decision !== undefined) {
      await decideInTransaction(trx, deps, actor, result.caseId, {
        decision: input.decision,
        note: input.note,
      });
    }
  };
}
