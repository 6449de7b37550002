/**
 * The secret files of this node (ADMIN_TOKEN_FILE, DECISION_LINK_SECRET_FILE,
 * LOG_SIGNING_KEY_FILE): what each must hold, and the check at start that stops a node whose files
 * are unreadable or corrupt (exit 78) before anything uses them.
 */
import { randomBytes } from 'node:crypto';
import {
  ConfigError,
  MIN_ADMIN_TOKEN_LENGTH,
  MIN_DECISION_LINK_SECRET_LENGTH,
  type Config,
} from '../config/index.js';
import { logKeyFileSpec } from '../log/index.js';
import {
  isTextSecret,
  readSecretFile,
  writeSecretFile,
  type SecretFileSpec,
} from '../shared/secret-file.js';

/** A new random secret: 32 bytes, base64url (43 characters). */
export const randomSecret = (): string => randomBytes(32).toString('base64url');

/** ADMIN_TOKEN_FILE of `config` and what it must hold: a bearer token (no spaces). */
export function adminTokenFileSpec(config: Config): SecretFileSpec {
  return {
    variable: 'ADMIN_TOKEN_FILE',
    file: config.adminTokenFile,
    holds: `a token of at least ${MIN_ADMIN_TOKEN_LENGTH} characters without spaces`,
    accepts: (value) => isTextSecret(value, MIN_ADMIN_TOKEN_LENGTH) && !/\s/u.test(value),
    onRemove: "a new token is generated, or on PostgreSQL the other nodes' one taken",
  };
}

/** DECISION_LINK_SECRET_FILE of `config` and what it must hold. */
export function decisionLinkSecretFileSpec(config: Config): SecretFileSpec {
  return {
    variable: 'DECISION_LINK_SECRET_FILE',
    file: config.workflow.decisionLinkSecretFile,
    holds: `a secret of at least ${MIN_DECISION_LINK_SECRET_LENGTH} characters`,
    accepts: (value) => isTextSecret(value, MIN_DECISION_LINK_SECRET_LENGTH),
    onRemove:
      "a new secret is generated, or on PostgreSQL the other nodes' one taken; decision links sent before stop working",
  };
}

/**
 * A secret from configuration, or else the one stored in the file of `spec`, generated there
 * (randomSecret, file mode 0600) when there is none. Secrets are never logged; callers log the path.
 * @throws ConfigError when the file cannot be read or holds no such secret (see readSecretFile).
 */
export function resolveSecret(
  configured: string | undefined,
  spec: SecretFileSpec,
): { secret: string; source: 'env' | 'file' | 'generated' } {
  if (configured !== undefined) return { secret: configured, source: 'env' };
  const stored = readSecretFile(spec);
  if (stored !== undefined) return { secret: stored, source: 'file' };
  const secret = randomSecret();
  writeSecretFile(spec.file, secret);
  return { secret, source: 'generated' };
}

/**
 * Checks every secret file `config` reads (those whose secret is not configured): each that
 * exists must be readable and hold its kind of secret. Run at start (openDeps) so a corrupt file
 * stops the node before it serves anything.
 * @throws ConfigError with one line per bad file, naming its variable and the fix (never its
 *   contents).
 */
export function checkSecretFiles(config: Config): void {
  const specs: Array<[string | undefined, SecretFileSpec]> = [
    [config.evidence.logSigningKey, logKeyFileSpec(config)],
    [config.workflow.decisionLinkSecret, decisionLinkSecretFileSpec(config)],
    [config.adminToken, adminTokenFileSpec(config)],
  ];
  const problems: string[] = [];
  for (const [configured, spec] of specs) {
    if (configured !== undefined) continue;
    try {
      readSecretFile(spec);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
