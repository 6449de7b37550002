/**
 * Evidence capture as a capability: analysts capture a case's URLs; takedown monitoring
 * re-checks one URL. Each capture's body and screenshot go to the blob store, the record to
 * `evidence_captures`, and an `evidence.captured` event (with a hash of the full record) to the
 * audit trail, in one transaction; the log's sequencer appends the event to the Merkle log after
 * commit (within LOG_SEQUENCE_MS). Network work happens before it.
 */
import { createHash } from 'node:crypto';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { notFound } from '../shared/errors.js';
import { randomBase32 } from '../shared/ids.js';
import type { CaptureOutcome } from '../vocabulary/index.js';
import { DatabaseBlobStore, FileBlobStore, type BlobStore } from './blob-store.js';
import { canonicalJson } from '../log/index.js';
import {
  captureUrl,
  type CaptureHop,
  type CaptureOptions,
  type CaptureResult,
  type Resolver,
} from './capture.js';
import {
  capturesOfCase,
  caseExists,
  casesHoldingBlob,
  findBlob,
  findCapture,
  insertBlob,
  insertCapture,
  reportedUrlsOf,
  routedEntitiesOf,
  setCaptureEventSeq,
  type CaptureRow,
} from './capture.repo.js';
import { recordEvent } from '../log/index.js';
import { outboundPolicyOf } from './outbound.js';
import { classifyCapture, type Observation } from './recheck.js';
import { takeScreenshot } from './screenshot.js';

import { authorize, actorLabel } from '../policy/index.js';
import type { Actor } from '../policy/index.js';
/** A stored capture as the API shows it to analysts. */
export interface CaptureView {
  id: string;
  caseId: string | null;
  purpose: 'capture' | 'recheck';
  url: string;
  finalUrl: string | null;
  outcome: CaptureOutcome;
  error: { code: string; message: string } | null;
  status: number | null;
  contentType: string | null;
  bodySha256: string | null;
  bodySize: number | null;
  bodyTruncated: boolean;
  title: string | null;
  screenshotSha256: string | null;
  hops: CaptureHop[];
  observation: Observation | null;
  actor: string;
  startedAt: string;
  completedAt: string;
  /** The audit event recording it; its log inclusion proof is at /api/v1/log/proof/inclusion?event=… */
  eventSeq: number | null;
}

/** Test and CLI hooks: an injected resolver, blob store or screenshot switch. */
export interface CaptureRunOptions {
  readonly resolver?: Resolver;
  readonly blobStore?: BlobStore;
  /** Overrides CAPTURE_SCREENSHOTS. */
  readonly screenshot?: boolean;
}

/** The capture policy (the outbound policy, outboundPolicyOf) and limits from config. */
export function captureOptionsOf(
  deps: Pick<ServiceDeps, 'config' | 'clock'>,
  resolver?: Resolver,
): CaptureOptions {
  const e = deps.config.evidence;
  return {
    ...outboundPolicyOf(deps.config, resolver),
    maxRedirects: e.captureMaxRedirects,
    maxBytes: e.captureMaxBytes,
    timeoutMs: e.captureTimeoutMs,
    userAgent: e.captureUserAgent,
    now: () => deps.clock.now(),
  };
}

/**
 * The blob store of a node: on PostgreSQL the database (every node reads what any stored; blobs of
 * older versions still read from EVIDENCE_DIR), on SQLite the files in EVIDENCE_DIR.
 */
export function blobStoreOf(deps: Pick<ServiceDeps, 'config' | 'db' | 'dialect'>): BlobStore {
  const files = new FileBlobStore(deps.config.evidence.blobDir);
  return deps.dialect === 'postgres' ? new DatabaseBlobStore(deps.db, files) : files;
}

/**
 * The URLs of a case exactly as reported (the canonical indicator form drops ports and more, and
 * capture must fetch what people were sent), oldest report first, without repeats.
 * Read-only over intake's tables: cases records its events through evidence, so importing the
 * cases capability here would make an import cycle.
 * @throws AppError 404 `case_not_found`.
 */
async function reportedUrls(deps: ServiceDeps, caseId: string): Promise<string[]> {
  if (!(await caseExists(deps.db, caseId))) {
    throw notFound('case_not_found', `No case with ID ${caseId}.`);
  }
  return [...new Set(await reportedUrlsOf(deps.db, caseId))];
}

function present(row: CaptureRow): CaptureView {
  const parsedHops: unknown = JSON.parse(row.hops);
  return {
    id: row.id,
    caseId: row.case_id,
    purpose: row.purpose === 'recheck' ? 'recheck' : 'capture',
    url: row.url,
    finalUrl: row.final_url,
    outcome: row.outcome === 'fetched' || row.outcome === 'refused' ? row.outcome : 'failed',
    error:
      row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    status: row.status_code === null ? null : Number(row.status_code),
    contentType: row.content_type,
    bodySha256: row.body_sha256,
    bodySize: row.body_size === null ? null : Number(row.body_size),
    bodyTruncated: Number(row.body_truncated) === 1,
    title: row.title,
    screenshotSha256: row.screenshot_sha256,
    hops: Array.isArray(parsedHops) ? parsedHops : [],
    observation:
      row.observed_state === 'live' ||
      row.observed_state === 'removed' ||
      row.observed_state === 'unknown'
        ? { state: row.observed_state, reason: row.observed_reason ?? '' }
        : null,
    actor: row.actor,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    eventSeq: row.event_seq === null ? null : Number(row.event_seq),
  };
}

async function runCapture(
  deps: ServiceDeps,
  url: string,
  options: CaptureRunOptions,
): Promise<{
  result: CaptureResult;
  screenshot: Buffer | null;
  startedAt: string;
  completedAt: string;
}> {
  const startedAt = isoTime(deps.clock.now());
  const captureOptions = captureOptionsOf(deps, options.resolver);
  const result = await captureUrl(url, captureOptions);
  let screenshot: Buffer | null = null;
  const wantShot = options.screenshot ?? deps.config.evidence.captureScreenshots;
  if (wantShot && result.outcome === 'fetched' && result.finalUrl !== null) {
    try {
      screenshot = await takeScreenshot(result.finalUrl, {
        chromiumPath: deps.config.evidence.chromiumPath,
        capture: captureOptions,
      });
    } catch (error) {
      deps.log.warn({ err: error, url: result.finalUrl }, 'screenshot failed');
    }
  }
  return { result, screenshot, startedAt, completedAt: isoTime(deps.clock.now()) };
}

/**
 * Stores one capture (blobs, row, audit event + log leaf) and returns it.
 * `actor` is the recorded actor label.
 */
async function storeCapture(
  deps: ServiceDeps,
  input: {
    caseId: string | null;
    purpose: 'capture' | 'recheck';
    actor: string;
    run: Awaited<ReturnType<typeof runCapture>>;
    observation: Observation | null;
    blobStore: BlobStore;
  },
): Promise<CaptureView> {
  const { result, screenshot, startedAt, completedAt } = input.run;
  const id = `E${randomBase32(16)}`;
  const body = result.body === null ? null : await input.blobStore.put(result.body);
  const shot = screenshot === null ? null : await input.blobStore.put(screenshot);
  const record = {
    id,
    caseId: input.caseId,
    purpose: input.purpose,
    url: result.url,
    finalUrl: result.finalUrl,
    outcome: result.outcome,
    error: result.error,
    status: result.status,
    contentType: result.contentType,
    bodySha256: result.bodySha256,
    bodySize: body?.size ?? null,
    bodyTruncated: result.bodyTruncated,
    title: result.title,
    screenshotSha256: shot?.sha256 ?? null,
    hops: result.hops,
    observation: input.observation,
    actor: input.actor,
    startedAt,
    completedAt,
  };
  const recordSha256 = createHash('sha256').update(canonicalJson(record), 'utf8').digest('hex');
  await deps.db.transaction().execute(async (trx) => {
    const blobs = [
      ...(body === null
        ? []
        : [{ ref: body, type: result.contentType ?? 'application/octet-stream' }]),
      ...(shot === null ? [] : [{ ref: shot, type: 'image/png' }]),
    ];
    for (const blob of blobs) {
      await insertBlob(trx, {
        sha256: blob.ref.sha256,
        size: blob.ref.size,
        contentType: blob.type,
        createdAt: completedAt,
      });
    }
    await insertCapture(trx, {
      id,
      case_id: input.caseId,
      purpose: input.purpose,
      url: result.url,
      final_url: result.finalUrl,
      outcome: result.outcome,
      error_code: result.error?.code ?? null,
      error_message: result.error?.message ?? null,
      status_code: result.status,
      content_type: result.contentType,
      body_sha256: result.bodySha256,
      body_size: body?.size ?? null,
      body_truncated: result.bodyTruncated ? 1 : 0,
      title: result.title,
      screenshot_sha256: shot?.sha256 ?? null,
      hops: JSON.stringify(result.hops),
      observed_state: input.observation?.state ?? null,
      observed_reason: input.observation?.reason ?? null,
      actor: input.actor,
      started_at: startedAt,
      completed_at: completedAt,
      event_seq: null,
    });
    // What the public log commits to: the outcome and hashes, and the hash of the whole record
    // (headers included) so the stored record can be proven unaltered without publishing it.
    const seq = await recordEvent(trx, {
      type: input.purpose === 'recheck' ? 'evidence.rechecked' : 'evidence.captured',
      subjectType: 'evidence',
      subjectId: id,
      actor: input.actor,
      at: completedAt,
      data: {
        caseId: input.caseId,
        url: result.url,
        finalUrl: result.finalUrl,
        outcome: result.outcome,
        errorCode: result.error?.code ?? null,
        status: result.status,
        bodySha256: result.bodySha256,
        bodySize: body?.size ?? null,
        screenshotSha256: shot?.sha256 ?? null,
        hops: result.hops.map((h) => ({ url: h.url, status: h.status, address: h.address })),
        observation: input.observation,
        recordSha256,
      },
    });
    await setCaptureEventSeq(trx, id, seq);
  });
  return getCaptureById(deps, id);
}

async function getCaptureById(deps: ServiceDeps, id: string): Promise<CaptureView> {
  const row = await findCapture(deps.db, id);
  if (row === undefined) throw notFound('capture_not_found', `No capture with ID ${id}.`);
  return present(row);
}

/**
 * Captures every URL of a case (analysts and admins), one after the other, and records each.
 * @throws AppError 401/403 unless the actor is an analyst or admin; 404 `case_not_found`.
 */
export async function captureCase(
  deps: ServiceDeps,
  actor: Actor,
  caseId: string,
  options: CaptureRunOptions = {},
): Promise<CaptureView[]> {
  authorize(actor, 'evidence.capture');
  const urls = await reportedUrls(deps, caseId);
  const blobStore = options.blobStore ?? blobStoreOf(deps);
  const captures: CaptureView[] = [];
  for (const url of urls) {
    const run = await runCapture(deps, url, options);
    captures.push(
      await storeCapture(deps, {
        caseId,
        purpose: 'capture',
        actor: actorLabel(actor),
        run,
        observation: null,
        blobStore,
      }),
    );
    deps.log.info({ caseId, outcome: run.result.outcome }, 'evidence captured');
  }
  return captures;
}

/**
 * Re-checks one URL for takedown monitoring (a system step, actor `system:recheck` unless
 * given): captures it, decides live/removed/unknown (classifyCapture) and records both.
 */
export async function recheckUrl(
  deps: ServiceDeps,
  url: string,
  input: { caseId?: string | null; actor?: string } & CaptureRunOptions = {},
): Promise<CaptureView> {
  const run = await runCapture(deps, url, { ...input, screenshot: input.screenshot ?? false });
  return storeCapture(deps, {
    caseId: input.caseId ?? null,
    purpose: 'recheck',
    actor: input.actor ?? 'system:recheck',
    run,
    observation: classifyCapture(run.result),
    blobStore: input.blobStore ?? blobStoreOf(deps),
  });
}

/**
 * Who may read a case's evidence: analysts and admins any case; a verifier the cases routed to
 * their entities (so they decide on what the page showed), answered with 404 otherwise.
 * @throws AppError 401/403 for other roles; 404 `case_not_found`.
 */
async function assertCanReadEvidence(
  deps: ServiceDeps,
  actor: Actor,
  caseIds: readonly (string | null)[],
): Promise<void> {
  authorize(actor, 'evidence.read');
  if (actor.role !== 'verifier') return;
  const ids = caseIds.filter((id): id is string => id !== null);
  const routed = ids.length === 0 ? [] : await routedEntitiesOf(deps.db, ids);
  if (!routed.some((entityId) => entityId !== null && actor.entityIds.includes(entityId))) {
    throw notFound('case_not_found', 'No such case among the cases routed to you.');
  }
}

/**
 * The captures of a case, oldest first (analysts, admins, and the verifiers it is routed to).
 * @throws AppError 401/403; 404 `case_not_found`.
 */
export async function listCaseCaptures(
  deps: ServiceDeps,
  actor: Actor,
  caseId: string,
): Promise<CaptureView[]> {
  await assertCanReadEvidence(deps, actor, [caseId]);
  await reportedUrls(deps, caseId);
  return (await capturesOfCase(deps.db, caseId)).map(present);
}

/**
 * One capture (analysts, admins, and the verifiers its case is routed to).
 * @throws AppError 401/403; 404 `capture_not_found`.
 */
export async function getCapture(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
): Promise<CaptureView> {
  authorize(actor, 'evidence.read');
  const capture = await getCaptureById(deps, id);
  await assertCanReadEvidence(deps, actor, [capture.caseId]).catch(() => {
    throw notFound('capture_not_found', `No capture ${id}.`);
  });
  return capture;
}

/**
 * A stored blob with its content type (analysts, admins, and the verifiers of a case whose
 * capture holds it). @throws AppError 401/403; 404 `blob_not_found`.
 */
export async function getBlob(
  deps: ServiceDeps,
  actor: Actor,
  sha256: string,
  blobStore: BlobStore = blobStoreOf(deps),
): Promise<{ bytes: Uint8Array; contentType: string }> {
  authorize(actor, 'evidence.read');
  if (actor.role === 'verifier') {
    const holders = await casesHoldingBlob(deps.db, sha256);
    await assertCanReadEvidence(deps, actor, holders).catch(() => {
      throw notFound('blob_not_found', `No blob ${sha256}.`);
    });
  }
  const row = await findBlob(deps.db, sha256);
  const bytes = row === undefined ? undefined : await blobStore.get(sha256);
  if (row === undefined || bytes === undefined)
    throw notFound('blob_not_found', `No blob ${sha256}.`);
  return { bytes, contentType: row.content_type };
}
