import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError, type Config } from '../config/index.js';
import { generateLogKeyPem, logKeyFileSpec, logKeyIdOf } from '../log/index.js';
import { isoTime } from '../shared/clock.js';
import type { ServiceDeps } from '../shared/deps.js';
import { readSecretFile, writeSecretFile, type SecretFileSpec } from '../shared/secret-file.js';
import { hashPassword, verifyPassword } from './password.js';
import { adminTokenFileSpec, decisionLinkSecretFileSpec, randomSecret } from './secret-files.js';
import {
  clearSharedSecretValue,
  findSharedSecret,
  recordSharedSecretIfAbsent,
  replaceSharedSecretFingerprint,
} from './shared-secrets.repo.js';

/** A secret every node of one store must hold the same. */
interface SharedSecretSpec {
  /** Its row in `shared_secrets`. */
  name: 'log_signing_key' | 'decision_link_secret' | 'admin_token';
  /** The variable that sets it. */
  variable: string;
  configured: string | undefined;
  /** Its file and what the file must hold. */
  file: SecretFileSpec;
  /** How the store tells the secret again without holding it. */
  fingerprint: Fingerprint;
  generate: () => string;
}

/** A fingerprint kind: made for a value, checked against a stored one. */
interface Fingerprint {
  make: (value: string) => Promise<string>;
  matches: (stored: string, value: string) => Promise<boolean>;
  /** Whether `stored` is of an older kind, to be replaced by `make` once it matched. */
  outdated: (stored: string) => boolean;
}

/**
 * The log key's fingerprint is its key ID (the SHA-256 of its public key): public anyway (`GET
 * /api/v1/log/key`), and it reveals nothing of the private key.
 */
const LOG_KEY_ID: Fingerprint = {
  make: async (value) => logKeyIdOf(value),
  matches: async (stored, value) => stored === logKeyIdOf(value),
  outdated: () => false,
};

/**
 * Secrets that are text (the admin token, the decision-link secret) are fingerprinted with salted
 * scrypt of their SHA-256 (hashPassword: a random salt per row, so a stolen table is no table of unsalted hashes to
 * look tokens up in, and each guess costs scrypt). Rows written by versions before it hold the
 * hex SHA-256 of the value: they still match, and are replaced once they did.
 */
const SALTED_SCRYPT: Fingerprint = {
  // Of the value's SHA-256 (hex), not of the value: the password hasher normalises to NFC and
  // refuses over 1,024 characters, and a secret must match only itself, at any length.
  make: (value) => hashPassword(sha256Hex(value)),
  matches: async (stored, value) => {
    if (stored.startsWith('scrypt$')) return verifyPassword(sha256Hex(value), stored);
    const legacy = createHash('sha256').update(value, 'utf8').digest();
    const given = Buffer.from(stored, 'hex');
    return given.length === legacy.length && timingSafeEqual(given, legacy);
  },
  outdated: (stored) => !stored.startsWith('scrypt$'),
};

/** Hex SHA-256 of `value` (UTF-8). */
function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** The shared secrets of `config`, in the order they are checked. */
function specsOf(config: Config): SharedSecretSpec[] {
  return [
    {
      name: 'log_signing_key',
      variable: 'LOG_SIGNING_KEY',
      configured: config.evidence.logSigningKey,
      file: logKeyFileSpec(config),
      fingerprint: LOG_KEY_ID,
      generate: generateLogKeyPem,
    },
    {
      name: 'decision_link_secret',
      variable: 'DECISION_LINK_SECRET',
      configured: config.workflow.decisionLinkSecret,
      file: decisionLinkSecretFileSpec(config),
      fingerprint: SALTED_SCRYPT,
      generate: randomSecret,
    },
    {
      name: 'admin_token',
      variable: 'ADMIN_TOKEN',
      configured: config.adminToken,
      file: adminTokenFileSpec(config),
      fingerprint: SALTED_SCRYPT,
      generate: randomSecret,
    },
  ];
}

/** The shared secrets as this node holds them, after shareSecrets. */
export interface SharedSecretValues {
  readonly logSigningKey: string;
  readonly decisionLinkSecret: string;
  readonly adminToken: string;
}

const VALUE_KEYS = {
  log_signing_key: 'logSigningKey',
  decision_link_secret: 'decisionLinkSecret',
  admin_token: 'adminToken',
} as const satisfies Record<SharedSecretSpec['name'], keyof SharedSecretValues>;

/**
 * On PostgreSQL, makes every node of one store hold the same secrets (issue 20: a node that signs tree heads,
 * decision links or checks the admin token with its own secret contradicts the others). For the
 * log signing key, the decision-link secret and the admin token, against `shared_secrets`:
 * - configured (LOG_SIGNING_KEY, …): the store keeps its fingerprint, never the value; the first
 *   node records it, and a node configured with another one does not start;
 * - not configured: the first node records the secret in its file (generating one when the file
 *   has none) in the store, value included; every other node takes that value. A node whose file
 *   holds another secret, or that has none configured while the others configure one, does not
 *   start.
 * Secret files are only read, unless `options.writeFiles` (the server: an operator reads the
 * admin token there): then a secret this node did not have is written into its file (mode 0600).
 * CLI commands write none (issue 20: a command run anywhere must not leave secrets behind).
 * Run at start, before anything reads a secret (bootstrap.ts openDeps). Secrets are never logged.
 * @returns the values this node must use (give them to the code through its config), or
 *   undefined on SQLite, whose secrets stay in the files beside the database.
 * @throws ConfigError naming each secret this node holds differently, and how to fix it.
 */
export async function shareSecrets(
  deps: Pick<ServiceDeps, 'db' | 'dialect' | 'clock' | 'config'>,
  options: { writeFiles: boolean },
): Promise<SharedSecretValues | undefined> {
  if (deps.dialect !== 'postgres') return undefined;
  const problems: string[] = [];
  const values: Partial<Record<keyof SharedSecretValues, string>> = {};
  for (const spec of specsOf(deps.config)) {
    const outcome = await shareSecret(deps, spec, options.writeFiles);
    if (outcome.problem !== undefined) problems.push(outcome.problem);
    else values[VALUE_KEYS[spec.name]] = outcome.value;
  }
  const { logSigningKey, decisionLinkSecret, adminToken } = values;
  if (
    problems.length > 0 ||
    logSigningKey === undefined ||
    decisionLinkSecret === undefined ||
    adminToken === undefined
  ) {
    throw new ConfigError(problems);
  }
  return { logSigningKey, decisionLinkSecret, adminToken };
}

/** How an operator changes a shared secret on purpose: the row records the old one. */
function rotation(spec: SharedSecretSpec): string {
  return `to change it, stop every node, set the new one and run: DELETE FROM shared_secrets WHERE name = '${spec.name}'`;
}

type Outcome = { problem: string; value?: undefined } | { problem?: undefined; value: string };

async function shareSecret(
  deps: Pick<ServiceDeps, 'db' | 'clock'>,
  spec: SharedSecretSpec,
  writeFiles: boolean,
): Promise<Outcome> {
  const local = spec.configured ?? readSecretFile(spec.file);
  const generated = local === undefined;
  const own = local ?? spec.generate();
  let shared = await findSharedSecret(deps.db, spec.name);
  if (shared === undefined) {
    // The first node: its secret becomes everyone's (a generated one travels with its value).
    await recordSharedSecretIfAbsent(deps.db, {
      name: spec.name,
      fingerprint: await spec.fingerprint.make(own),
      value: spec.configured === undefined ? own : null,
      created_at: isoTime(deps.clock.now()),
    });
    shared = await findSharedSecret(deps.db, spec.name);
  }
  const same = shared !== undefined && (await spec.fingerprint.matches(shared.fingerprint, own));
  if (shared !== undefined && same && spec.fingerprint.outdated(shared.fingerprint)) {
    await replaceSharedSecretFingerprint(deps.db, {
      name: spec.name,
      from: shared.fingerprint,
      to: await spec.fingerprint.make(own),
    });
  }
  if (shared !== undefined && same && spec.configured !== undefined) {
    // Configured now on every node: the store keeps the fingerprint only.
    if (shared.value !== null) await clearSharedSecretValue(deps.db, spec.name);
    return { value: own };
  }
  if (shared === undefined || same) {
    if (generated && writeFiles) writeSecretFile(spec.file.file, own);
    return { value: own };
  }
  if (spec.configured !== undefined) {
    return {
      problem: `${spec.variable} differs from the one the other nodes of this database use: set the same value on every node (${rotation(spec)}).`,
    };
  }
  if (shared.value === null) {
    return {
      problem: `${spec.variable} is set on the other nodes of this database: set the same value here.`,
    };
  }
  if (!generated) {
    return {
      problem: `${spec.file.variable} (${spec.file.file}) holds another secret than the other nodes of this database use: remove the file to take theirs, or set ${spec.variable} to theirs.`,
    };
  }
  // This node had none: it takes the one the others use.
  if (writeFiles) writeSecretFile(spec.file.file, shared.value);
  return { value: shared.value };
}
