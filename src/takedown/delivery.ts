import { createHash, createHmac } from 'node:crypto';
import { guardedRequest, outboundPolicyOf, readBody } from '../evidence/index.js';
import { markPartyAsked } from '../cases/index.js';
import { publicLinkBase } from '../config/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { sendMail } from './mailer.js';
import { findPlatformChannel } from './channels.repo.js';
import { deliveryTerms, noticeFacts } from './notice-facts.js';
import { markNoticeDelivered } from './notice-progress.service.js';
import { findNotice, recordDelivery } from './notices.repo.js';
import { noticeStateOf, OPEN_NOTICE_STATES } from './notice-state.js';
import type { OutboxMessage } from './outbox.js';
import { reportIdOf, targetUri, xarfReport } from './xarf.js';

/** `sha256=<hex>`: HMAC-SHA256 of the exact request body with the platform's webhook secret. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/**
 * The idempotency key of a notice delivery: the X-ARF `report_id` (one per notice), `.`, and the
 * first 16 hex digits of the SHA-256 of the report's JSON body: equal exactly when a retry sends
 * the same report. Used as the webhook's `Idempotency-Key` and in the e-mail's Message-ID.
 */
export function idempotencyKeyOf(reportId: string, body: string): string {
  return `${reportId}.${createHash('sha256').update(body, 'utf8').digest('hex').slice(0, 16)}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * Delivers one outbox message: a notice to its platform's webhook (X-ARF v4 JSON body, signed in
 * `X-Scamnet-Signature`, 2xx = delivered) or by e-mail (X-ARF attached), or a prepared e-mail
 * (decision links, escalations). Notice attempts are recorded in `notice_deliveries` whatever the
 * outcome.
 * @throws Error when the attempt failed (the outbox retries with backoff).
 */
export async function deliver(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'config'>,
  message: OutboxMessage,
): Promise<void> {
  const { workflow } = deps.config;
  if (message.kind === 'decision_link_email' || message.kind === 'escalation_email') {
    const to = text(message.payload.to);
    if (workflow.smtpUrl === undefined || to === undefined)
      throw new Error('e-mail is not configured');
    await sendMail(workflow.smtpUrl, workflow.mailFrom, {
      to,
      subject: text(message.payload.subject) ?? 'scamnet',
      text: text(message.payload.text) ?? '',
    });
    if (message.kind === 'decision_link_email') {
      // The party has its link now: only from here may the case say 「已通知本人」.
      const at = isoTime(deps.clock.now());
      await deps.db
        .transaction()
        .execute((trx) => markPartyAsked(trx, message.ref, at, 'system:delivery'));
    }
    return;
  }
  const notice = await findNotice(deps.db, message.ref);
  if (notice === undefined) throw new Error(`notice ${message.ref} not found`);
  if (!OPEN_NOTICE_STATES.includes(noticeStateOf(notice.state))) {
    // Withdrawn or ended while the message waited: a platform is never told of it any more.
    return;
  }
  const nowMs = deps.clock.now();
  // What this delivery states as the deadline is what is recorded if it is the first to succeed.
  const terms = deliveryTerms(deps.config, notice, nowMs);
  const facts = await noticeFacts(deps.db, deps.config, notice, nowMs);
  const channel = await findPlatformChannel(deps.db, notice.platform);
  const record = (
    status: 'delivered' | 'failed',
    responseCode: number | null,
    detail: string | null,
  ) =>
    recordDelivery(deps.db, {
      notice_id: notice.id,
      channel: message.kind === 'notice_webhook' ? 'webhook' : 'email',
      attempt: message.attempt,
      at: isoTime(deps.clock.now()),
      status,
      response_code: responseCode,
      detail,
    });

  /** Records a successful attempt and, if it is the notice's first, its delivery (deadline from now). */
  const delivered = async (
    channel: 'webhook' | 'email',
    responseCode: number | null,
    detail: string | null,
  ): Promise<void> => {
    const at = isoTime(deps.clock.now());
    await deps.db.transaction().execute(async (trx) => {
      await recordDelivery(trx, {
        notice_id: notice.id,
        channel,
        attempt: message.attempt,
        at,
        status: 'delivered',
        response_code: responseCode,
        detail,
      });
      await markNoticeDelivered(trx, deps, {
        noticeId: notice.id,
        channel,
        at,
        deadlineAt: terms.deadlineAt,
      });
    });
  };

  if (!facts.targets.some((t) => targetUri(t) !== null)) {
    // Only a notice from before migration 0016 can get here: never send one pointing nowhere.
    await record('failed', null, 'notice_not_actionable: nothing the platform can act on');
    throw new Error(`notice ${notice.id} names nothing its platform can act on`);
  }
  const report = xarfReport(facts);
  const body = JSON.stringify(report);

  if (message.kind === 'notice_webhook') {
    if (channel?.webhook_url == null || channel.webhook_secret == null) {
      await record('failed', null, 'no webhook configured');
      throw new Error('no webhook configured');
    }
    // Through the guarded client (SSRF policy, pinned address, redirects not followed).
    let response: { status: number; detail: string | null };
    try {
      response = await guardedRequest(
        channel.webhook_url,
        outboundPolicyOf(deps.config),
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-scamnet-signature': webhookSignature(channel.webhook_secret, body),
            'x-scamnet-notice': notice.id,
            'x-scamnet-attempt': String(message.attempt),
            // The same key for every attempt that sends the same body (an sf-string, as
            // draft-ietf-httpapi-idempotency-key-header writes it), so a receiver that got an
            // attempt whose answer was lost can tell the retry is the same request. Until the
            // first delivery the body's deadline moves with each attempt: a new body, a new key.
            'idempotency-key': `"${idempotencyKeyOf(reportIdOf(notice.id), body)}"`,
          },
          body,
          timeoutMs: workflow.webhookTimeoutMs,
        },
        async (answer) => {
          const read = await readBody(answer.body, 2048).catch(() => ({ bytes: new Uint8Array() }));
          const detail = Buffer.from(read.bytes).toString('utf8').slice(0, 500) || null;
          return { status: answer.statusCode, detail };
        },
      );
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      await record('failed', null, detail.slice(0, 500));
      throw new Error(`webhook unreachable: ${detail}`);
    }
    if (response.status < 200 || response.status > 299) {
      await record('failed', response.status, response.detail);
      throw new Error(`webhook answered ${response.status}`);
    }
    await delivered('webhook', response.status, response.detail);
    return;
  }

  const to = text(message.payload.to) ?? channel?.email ?? undefined;
  if (workflow.smtpUrl === undefined || to === undefined) {
    await record('failed', null, 'e-mail is not configured');
    throw new Error('e-mail is not configured');
  }
  const base = publicLinkBase(workflow);
  try {
    const response = await sendMail(workflow.smtpUrl, workflow.mailFrom, {
      to,
      // Attempts that send the same report are one message to the receiver (RFC 5322 Message-ID).
      messageId: `<${idempotencyKeyOf(reportIdOf(notice.id), body)}@scamnet.notice>`,
      subject: `[scamnet] 詐騙內容移除通知 Takedown notice ${notice.id} — ${notice.platform} — deadline ${terms.deadlineAt}`,
      text: [
        `依詐欺犯罪危害防制條例，請於 ${terms.deadlineAt} (UTC) 前移除下列詐騙內容，並回報處理結果。`,
        `Please remove the fraudulent content below by ${terms.deadlineAt} (UTC) and report the outcome.`,
        '',
        `Notice: ${notice.id}`,
        ...facts.targets.flatMap((t) => {
          const uri = targetUri(t);
          return uri === null ? [] : [`Content: ${uri}`];
        }),
        ...(base === null ? [] : [`Case: ${base}/cases/${notice.case_id}`]),
        '',
        'The X-ARF v4 report is attached (xarf.json).',
      ].join('\n'),
      attachments: [
        {
          filename: 'xarf.json',
          content: JSON.stringify(report, null, 2),
          contentType: 'application/json',
        },
      ],
    });
    await delivered('email', Number.parseInt(response, 10) || null, response.slice(0, 500));
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    await record('failed', null, detail.slice(0, 500));
    throw new Error(`e-mail failed: ${detail}`);
  }
}
