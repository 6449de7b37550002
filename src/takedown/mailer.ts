import nodemailer, { type Transporter } from 'nodemailer';

/** One e-mail. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
  attachments?: Array<{ filename: string; content: string; contentType: string }>;
  /** RFC 5322 Message-ID (`<id@domain>`); nodemailer makes one up when left out. */
  messageId?: string;
}

const transports = new Map<string, Transporter>();

/**
 * Sends `mail` through the SMTP server at `smtpUrl` (nodemailer; `smtp://` or `smtps://`, with
 * credentials in the URL when needed), from `from`. Connection and greeting time out after 10 s.
 * @returns the server's response line (e.g. `250 OK: queued`).
 * @throws Error when the server refuses or cannot be reached.
 */
export async function sendMail(smtpUrl: string, from: string, mail: Mail): Promise<string> {
  let transport = transports.get(smtpUrl);
  if (transport === undefined) {
    transport = nodemailer.createTransport(smtpUrl, {
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    transports.set(smtpUrl, transport);
  }
  const info = await transport.sendMail({ from, ...mail });
  return String(info.response);
}
