import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Dialect } from '../../src/store/index.js';
import { buildTestApp, type TestApp } from '../harness.js';

/** A real SMTP server on loopback (smtp-server) that keeps every message it accepts. */
export interface ReceivedMail {
  to: string[];
  subject: string;
  /** The Message-ID header, as written (`<…>`). */
  messageId: string;
  text: string;
  attachments: Array<{ filename: string; content: string }>;
}

export async function startSmtp(): Promise<{
  url: string;
  messages: ReceivedMail[];
  close: () => Promise<void>;
}> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            messages.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: mail.subject ?? '',
              messageId: mail.messageId ?? '',
              text: mail.text ?? '',
              attachments: mail.attachments.map((a) => ({
                filename: a.filename ?? '',
                content: a.content.toString('utf8'),
              })),
            });
            callback();
          })
          .catch((error: unknown) =>
            callback(error instanceof Error ? error : new Error(String(error))),
          );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A webhook receiver on loopback that records requests and answers with the queued statuses (then 200). */
export async function startWebhook(): Promise<{
  url: string;
  requests: Array<{ headers: IncomingHttpHeaders; body: string }>;
  statuses: number[];
  close: () => Promise<void>;
}> {
  const requests: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const statuses: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/xarf`,
    requests,
    statuses,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A reported site on loopback for takedown monitoring: every path serves the same live scam page
 * (200) until the path is added to `removed`, then 404 "Not found". `env` lets the app capture and
 * re-check it: takedown re-checks on, loopback captures allowed on its port, a re-check every
 * 60 minutes for 48 hours.
 */
export async function startContentSite(): Promise<{
  port: number;
  removed: Set<string>;
  env: Record<string, string>;
  close: () => Promise<void>;
}> {
  const removed = new Set<string>();
  const server = createServer((req, res) => {
    const gone = removed.has(req.url ?? '');
    res.statusCode = gone ? 404 : 200;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(gone ? '<title>Not found</title>' : '<title>限時飆股</title><p>加入群組</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    removed,
    env: {
      TAKEDOWN_RECHECKS: 'true',
      CAPTURE_ALLOW_LOOPBACK: 'true',
      CAPTURE_ALLOWED_PORTS: String(port),
      RECHECK_INTERVAL_MINUTES: '60',
      RECHECK_DURATION_HOURS: '48',
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The app of a delivery suite with its loopback SMTP server and platform webhook. */
export interface DeliveryApp {
  ctx: TestApp;
  smtp: Awaited<ReturnType<typeof startSmtp>>;
  webhook: Awaited<ReturnType<typeof startWebhook>>;
  /** Closes the app, then the two servers. */
  close: () => Promise<void>;
}

/**
 * Starts a loopback SMTP server and webhook receiver and a test app that delivers to them:
 * SMTP_URL points at the server, the outbound guard lets webhooks reach the receiver's loopback
 * port, and the sweep runs only when a test calls it. `env` adds to or overrides those settings.
 */
export async function startDeliveryApp(
  dialect: Dialect,
  env: Record<string, string> = {},
): Promise<DeliveryApp> {
  const smtp = await startSmtp();
  const webhook = await startWebhook();
  const ctx = await buildTestApp(dialect, {
    env: {
      SMTP_URL: smtp.url,
      SWEEP_INTERVAL_SECONDS: '0',
      // Webhooks go through the outbound guard: let it reach this test's loopback receiver.
      CAPTURE_ALLOW_LOOPBACK: 'true',
      CAPTURE_ALLOWED_PORTS: `80,443,${new URL(webhook.url).port}`,
      ...env,
    },
  });
  return {
    ctx,
    smtp,
    webhook,
    close: async () => {
      await ctx.close();
      await smtp.close();
      await webhook.close();
    },
  };
}

export { xarfValidator } from '../xarf-validator.js';
