import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, MIN_ADMIN_TOKEN_LENGTH, type Config } from '../config/index.js';
import { generateLogKeyPem, logKeyIdOf } from '../log/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import {
  clearSharedSecretValue,
  findSharedSecret,
  recordSharedSecretIfAbsent,
} from './shared-secrets.repo.js';

/** A secret every node of one store must hold the same. */
interface SharedSecretSpec {
  /** Its row in `shared_secrets`. */
  name: 'log_signing_key' | 'decision_link_secret' | 'admin_token';
  /** The variables that set it and its file. */
  variable: string;
  fileVariable: string;
  configured: string | undefined;
  file: string;
  /** Shortest value the file may hold (a shorter one is not a secret of ours). */
  minLength: number;
  fingerprint: (value: string) => string;
  generate: () => string;
}

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');
const randomSecret = (): string => randomBytes(32).toString('base64url');

/** The shared secrets of `config`, in the order they are checked. */
function specsOf(config: Config): SharedSecretSpec[] {
  return [
    {
      name: 'log_signing_key',
      variable: 'LOG_SIGNING_KEY',
      fileVariable: 'LOG_SIGNING_KEY_FILE',
      configured: config.evidence.logSigningKey,
      file: config.evidence.logSigningKeyFile,
      minLength: 1,
      fingerprint: logKeyIdOf,
      generate: generateLogKeyPem,
    },
    {
      name: 'decision_link_secret',
      variable: 'DECISION_LINK_SECRET',
      fileVariable: 'DECISION_LINK_SECRET_FILE',
      configured: config.workflow.decisionLinkSecret,
      file: config.workflow.decisionLinkSecretFile,
      minLength: 32,
      fingerprint: sha256,
      generate: randomSecret,
    },
    {
      name: 'admin_token',
      variable: 'ADMIN_TOKEN',
      fileVariable: 'ADMIN_TOKEN_FILE',
      configured: config.adminToken,
      file: config.adminTokenFile,
      minLength: MIN_ADMIN_TOKEN_LENGTH,
      fingerprint: sha256,
      generate: randomSecret,
    },
  ];
}

/** The secret in `file`, or undefined when there is none (missing, or too short to be one). */
function readSecretFile(file: string, minLength: number): string | undefined {
  if (!existsSync(file)) return undefined;
  const stored = readFileSync(file, 'utf8').trim();
  return stored.length >= minLength ? stored : undefined;
}

function writeSecretFile(file: string, value: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * On PostgreSQL, makes every node of one store hold the same secrets (issue 20: a node that signs tree heads,
 * decision links or checks the admin token with its own secret contradicts the others). For the
 * log signing key, the decision-link secret and the admin token, against `shared_secrets`:
 * - configured (LOG_SIGNING_KEY, …): the store keeps its fingerprint, never the value; the first
 *   node records it, and a node configured with another one does not start;
 * - not configured: the first node records the secret in its file (generating one when the file
 *   has none) in the store, value included; every other node writes that value into its own file
 *   (mode 0600), where the rest of the code reads it. A node whose file holds another secret, or
 *   that has none configured while the others configure one, does not start.
 * Run at start, before anything reads a secret (bootstrap.ts openDeps). Secrets are never logged.
 * @throws ConfigError naming each secret this node holds differently, and how to fix it.
 */
export async function shareSecrets(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock' | 'config'>,
): Promise<void> {
  // SQLite is one machine: its secrets stay in the files beside the database, as before.
  if (deps.dialect !== 'postgres') return;
  const problems: string[] = [];
  for (const spec of specsOf(deps.config)) {
    const problem = await shareSecret(deps, spec);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length > 0) throw new ConfigError(problems);
}

/** How an operator changes a shared secret on purpose: the row records the old one. */
function rotation(spec: SharedSecretSpec): string {
  return `to change it, stop every node, set the new one and run: DELETE FROM shared_secrets WHERE name = '${spec.name}'`;
}

async function shareSecret(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  spec: SharedSecretSpec,
): Promise<string | undefined> {
  const local = spec.configured ?? readSecretFile(spec.file, spec.minLength);
  const generated = local === undefined;
  const own = local ?? spec.generate();
  const fingerprint = spec.fingerprint(own);
  let shared = await findSharedSecret(deps.db, spec.name);
  if (shared === undefined) {
    // The first node: its secret becomes everyone's (a generated one travels with its value).
    await recordSharedSecretIfAbsent(deps.db, {
      name: spec.name,
      fingerprint,
      value: spec.configured === undefined ? own : null,
      created_at: isoTime(deps.clock.now()),
    });
    shared = await findSharedSecret(deps.db, spec.name);
  }
  if (shared !== undefined && shared.fingerprint === fingerprint && spec.configured !== undefined) {
    // Configured now on every node: the store keeps the fingerprint only.
    if (shared.value !== null) await clearSharedSecretValue(deps.db, spec.name);
    return undefined;
  }
  if (shared === undefined || shared.fingerprint === fingerprint) {
    if (spec.configured === undefined && generated) {
      writeSecretFile(spec.file, own);
    }
    return undefined;
  }
  if (spec.configured !== undefined) {
    return `${spec.variable} differs from the one the other nodes of this database use: set the same value on every node (${rotation(spec)}).`;
  }
  if (shared.value === null) {
    return `${spec.variable} is set on the other nodes of this database: set the same value here.`;
  }
  if (!generated) {
    return `${spec.fileVariable} (${spec.file}) holds another secret than the other nodes of this database use: remove the file to take theirs, or set ${spec.variable} to theirs.`;
  }
  // This node had none: it takes the one the others use.
  writeSecretFile(spec.file, shared.value);
  return undefined;
}
