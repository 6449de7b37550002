import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { caseNotFound, findCase, getPublicCases, type PublicCase } from '../cases/index.js';

import { redactPersonalData } from '../indicators/index.js';
import { decisionLinkSecretFileSpec, resolveSecret } from '../identity/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { conflict, notFound } from '../shared/errors.js';
import type { Database } from '../store/index.js';
import { enqueue } from '../takedown/index.js';
import { decideInTransaction, type DecisionInput } from './decide.js';
import {
  entityContactOf,
  findDecisionLink,
  insertDecisionLink,
  useUpDecisionLink,
  verifierReportsOf,
} from './verification.repo.js';

import { recordEvent } from '../log/index.js';
const secrets = new WeakMap<ServiceDeps['config'], Buffer>();

/** The signing key of decision links (DECISION_LINK_SECRET, or generated into its file once). */
function signingKey(config: ServiceDeps['config']): Buffer {
  let key = secrets.get(config);
  if (key === undefined) {
    const { secret } = resolveSecret(
      config.workflow.decisionLinkSecret,
      decisionLinkSecretFileSpec(config),
    );
    key = Buffer.from(secret, 'utf8');
    secrets.set(config, key);
  }
  return key;
}

interface LinkClaims {
  /** Link ID (single-use record). */
  j: string;
  /** Case ID. */
  c: string;
  /** Entity the link acts for. */
  e: string;
  /** Expiry, epoch ms. */
  x: number;
}

function sign(key: Buffer, payload: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}

/**
 * Creates a one-click decision link for the verifiers of `entityId` on `caseId`, inside the
 * caller's transaction: `<base64url claims>.<base64url HMAC-SHA256>`, valid for
 * DECISION_LINK_TTL_HOURS and usable once.
 * @returns the token (goes into the e-mailed URL only; never logged).
 */
export async function createDecisionLink(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'clock' | 'config'>,
  caseId: string,
  entityId: string,
): Promise<string> {
  const now = deps.clock.now();
  const claims: LinkClaims = {
    j: randomBytes(12).toString('base64url'),
    c: caseId,
    e: entityId,
    x: now + deps.config.workflow.decisionLinkTtlHours * 3_600_000,
  };
  await insertDecisionLink(trx, {
    id: claims.j,
    caseId,
    entityId,
    expiresAt: isoTime(claims.x),
    createdAt: isoTime(now),
  });
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(signingKey(deps.config), payload)}`;
}

/**
 * When a case is routed to an entity with a contact address and e-mail is configured, queues an
 * e-mail (in the caller's transaction) with a one-click decision link to its verifiers.
 * @returns true when an e-mail was queued.
 */
export async function notifyRoutedEntity(
  trx: Kysely<Database>,
  deps: Pick<ServiceDeps, 'clock' | 'config'>,
  caseId: string,
  entityId: string,
): Promise<boolean> {
  if (deps.config.workflow.smtpUrl === undefined) return false;
  const entity = await entityContactOf(trx, entityId);
  if (entity?.contactEmail == null) return false;
  const row = await findCase(trx, caseId);
  const token = await createDecisionLink(trx, deps, caseId, entityId);
  const url = `${deps.config.workflow.publicBaseUrl}/decide/${token}`;
  await enqueue(trx, {
    kind: 'decision_link_email',
    ref: caseId,
    payload: {
      to: entity.contactEmail,
      subject: `[scamnet] 請確認疑似冒用案件 Please confirm case ${caseId}`,
      text: [
        `${entity.nameZh} 您好：以下內容疑似冒用貴單位或本人，請點選連結確認是否為詐騙。`,
        `A message that may impersonate you was reported. Please confirm whether it is a scam:`,
        '',
        redactPersonalData(row?.summary ?? ''),
        '',
        url,
        '',
        `此連結僅能使用一次，${deps.config.workflow.decisionLinkTtlHours} 小時內有效。This link works once and expires in ${deps.config.workflow.decisionLinkTtlHours} hours.`,
      ].join('\n'),
    },
    at: isoTime(deps.clock.now()),
  });
  return true;
}

function readToken(config: ServiceDeps['config'], token: string, now: number): LinkClaims {
  const invalid = notFound('decision_link_invalid', 'This decision link is not valid.');
  const [payload, signature, extra] = token.split('.');
  if (payload === undefined || signature === undefined || extra !== undefined) throw invalid;
  const expected = Buffer.from(sign(signingKey(config), payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (typeof claims !== 'object' || claims === null) throw invalid;
  const { j, c, e, x } = claims as Record<string, unknown>;
  if (
    typeof j !== 'string' ||
    typeof c !== 'string' ||
    typeof e !== 'string' ||
    typeof x !== 'number'
  )
    throw invalid;
  if (x <= now) throw notFound('decision_link_expired', 'This decision link has expired.');
  return { j, c, e, x };
}

/**
 * What a decision link is about (no sign-in needed: the signed link is the credential).
 * @throws 404 `decision_link_invalid` / `decision_link_expired`; 409 `decision_link_used`.
 */
export async function readDecisionLink(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'config'>,
  token: string,
): Promise<{
  case: PublicCase;
  entityId: string;
  entityName: string | null;
  expiresAt: string;
  reports: Array<{
    receivedAt: string;
    url: string | null;
    title: string | null;
    text: string | null;
  }>;
}> {
  const claims = readToken(deps.config, token, deps.clock.now());
  const link = await findDecisionLink(deps.db, claims.j);
  if (link === undefined)
    throw notFound('decision_link_invalid', 'This decision link is not valid.');
  if (link.used_at !== null)
    throw conflict('decision_link_used', 'This decision link has been used.');
  const [view] = await getPublicCases(deps, [claims.c]);
  if (view === undefined) throw caseNotFound(claims.c);
  const [entity, reports] = await Promise.all([
    entityContactOf(deps.db, claims.e),
    verifierReportsOf(deps.db, [claims.c], 20),
  ]);
  // The link's holder is the routed verifier, outside scamnet: they see what the reports say with
  // the reporters' and victims' personal data masked, never who sent them.
  return {
    case: view,
    entityId: claims.e,
    entityName: entity?.nameZh ?? null,
    expiresAt: link.expires_at,
    reports: reports.map((r) => ({
      receivedAt: r.receivedAt,
      url: r.url,
      title: r.title === null ? null : redactPersonalData(r.title),
      text: r.text === null ? null : redactPersonalData(r.text),
    })),
  };
}

/**
 * Applies a decision through a one-click link, as a verifier of the link's entity, and uses the
 * link up — both in one transaction, so a link can never decide twice.
 * @throws as readDecisionLink, plus decideInTransaction's errors.
 */
export async function useDecisionLink(
  deps: ServiceDeps,
  token: string,
  input: DecisionInput,
): Promise<PublicCase> {
  const now = deps.clock.now();
  const claims = readToken(deps.config, token, now);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await useUpDecisionLink(trx, claims.j, isoTime(now))))
      throw conflict('decision_link_used', 'This decision link has been used.');
    const actor = { role: 'verifier' as const, id: `link:${claims.e}`, entityIds: [claims.e] };
    await decideInTransaction(trx, deps, actor, claims.c, input);
    await recordEvent(trx, {
      type: 'decision_link.used',
      subjectType: 'case',
      subjectId: claims.c,
      actor: actor.id,
      at: isoTime(now),
      data: { linkId: claims.j, decision: input.decision },
    });
  });
  const [view] = await getPublicCases(deps, [claims.c]);
  if (view === undefined) throw caseNotFound(claims.c);
  return view;
}
