import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MIN_ADMIN_TOKEN_LENGTH, type Config } from '../config/index.js';
import { unauthorized } from '../shared/errors.js';
import type { Actor } from '../policy/index.js';

/**
 * A secret from configuration, or else the one stored in `file`, generated there (32 random
 * bytes, base64url, file mode 0600) on first use. Secrets are never logged; callers log the path.
 * @param minLength shortest acceptable stored secret; a shorter file is replaced.
 */
export function resolveSecret(
  configured: string | undefined,
  file: string,
  minLength: number,
): { secret: string; source: 'env' | 'file' | 'generated' } {
  if (configured !== undefined) return { secret: configured, source: 'env' };
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= minLength) return { secret: stored, source: 'file' };
  }
  const secret = randomBytes(32).toString('base64url');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { secret, source: 'generated' };
}

/**
 * The admin bearer token: ADMIN_TOKEN when set; otherwise the one in `adminTokenFile`,
 * generated on first use (see resolveSecret).
 * @returns the token and where it came from.
 */
export function resolveAdminToken(config: Config): {
  token: string;
  source: 'env' | 'file' | 'generated';
} {
  const { secret, source } = resolveSecret(
    config.adminToken,
    config.adminTokenFile,
    MIN_ADMIN_TOKEN_LENGTH,
  );
  return { token: secret, source };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Verifies `Authorization: Bearer <token>` headers against one admin token in constant time.
 * Build once per process with the resolved token.
 */
export class AdminTokenAuthenticator {
  readonly #expected: Buffer;

  constructor(token: string) {
    this.#expected = digest(token);
  }

  /**
   * The actor for an Authorization header value.
   * @returns `{ role: 'public' }` when there is no header.
   * @throws AppError 401 `unauthorized` when the header is malformed or the token is wrong.
   */
  authenticate(header: string | undefined): Actor {
    if (header === undefined || header === '') return { role: 'public' };
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1] === undefined) throw unauthorized('Authorization must be "Bearer <token>".');
    if (!timingSafeEqual(digest(match[1]), this.#expected)) throw unauthorized('Invalid token.');
    return { role: 'admin', id: 'admin:token' };
  }
}
