import { createHash, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config/index.js';
import { adminTokenFileSpec, resolveSecret } from './secret-files.js';
import { unauthorized } from '../shared/errors.js';
import type { Actor } from '../policy/index.js';

/**
 * The admin bearer token: ADMIN_TOKEN when set; otherwise the one in `adminTokenFile`,
 * generated on first use (see resolveSecret).
 * @throws ConfigError when ADMIN_TOKEN_FILE cannot be read or holds no token.
 * @returns the token and where it came from.
 */
export function resolveAdminToken(config: Config): {
  token: string;
  source: 'env' | 'file' | 'generated';
} {
  const { secret, source } = resolveSecret(config.adminToken, adminTokenFileSpec(config));
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
