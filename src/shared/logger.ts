import { destination, pino, type Logger } from 'pino';

export type { Logger };

/**
 * The process logger (pino, JSON lines on stderr so stdout stays free for CLI output).
 * Authorization headers and cookies are redacted: secrets are never logged.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination(2),
  );
}
