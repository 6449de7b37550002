import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MIN_ADMIN_TOKEN_LENGTH, type Config } from '../config/index.js';
import { unauthorized } from '../shared/errors.js';
import type { Actor } from './actor.js';

/**
 * The admin bearer token: ADMIN_TOKEN when set; otherwise the one stored in `adminTokenFile`,
 * generated there (32 random bytes, base64url, file mode 0600) on first use. The token itself is
 * never logged; callers log the file path.
 * @returns the token and where it came from.
 */
export function resolveAdminToken(config: Config): {
  token: string;
  source: 'env' | 'file' | 'generated';
} {
  if (config.adminToken !== undefined) return { token: config.adminToken, source: 'env' };
  if (existsSync(config.adminTokenFile)) {
    const stored = readFileSync(config.adminTokenFile, 'utf8').trim();
    if (stored.length >= MIN_ADMIN_TOKEN_LENGTH) return { token: stored, source: 'file' };
  }
  const token = randomBytes(32).toString('base64url');
  mkdirSync(path.dirname(config.adminTokenFile), { recursive: true });
  writeFileSync(config.adminTokenFile, `${token}\n`, { mode: 0o600 });
  chmodSync(config.adminTokenFile, 0o600);
  return { token, source: 'generated' };
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
