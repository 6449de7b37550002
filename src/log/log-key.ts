/**
 * The Ed25519 key (RFC 8032, through node:crypto) that signs the log's tree heads, and the byte
 * form of what it signs: RFC 9162 §4.10 `TreeHeadDataV2`.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import type { Config } from '../config/index.js';
import { readSecretFile, writeSecretFile, type SecretFileSpec } from '../shared/secret-file.js';
import { HASH_SIZE } from './merkle.js';

/** The log's signing key pair and its public identity. */
export interface LogKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The public key as SubjectPublicKeyInfo PEM (RFC 8410). */
  readonly publicKeyPem: string;
  /** Lowercase hex SHA-256 of the SubjectPublicKeyInfo DER (as RFC 6962 log IDs). */
  readonly keyId: string;
}

function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPrivateKey({ key: trimmed, format: 'pem' })
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('the log signing key is not Ed25519');
  return key;
}

/**
 * The key ID (see LogKey.keyId) of the Ed25519 private key `text` (PKCS#8 PEM or base64 DER).
 * @throws Error when it is not an Ed25519 private key.
 */
export function logKeyIdOf(text: string): string {
  return describePublicKey(createPublicKey(parsePrivateKey(text))).keyId;
}

/** A new Ed25519 log signing key as PKCS#8 PEM. */
export function generateLogKeyPem(): string {
  return generateKeyPairSync('ed25519')
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
}

/** The public identity of an Ed25519 public key: PEM and key ID. */
export function describePublicKey(publicKey: KeyObject): { publicKeyPem: string; keyId: string } {
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return {
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    keyId: createHash('sha256').update(der).digest('hex'),
  };
}

/**
 * Parses an Ed25519 public key given as SubjectPublicKeyInfo PEM (as `GET /api/v1/log/key`
 * publishes it). @throws Error when it is not an Ed25519 public key.
 */
export function parsePublicKey(pem: string): KeyObject {
  const key = createPublicKey({ key: pem.trim(), format: 'pem' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
  return key;
}

/** LOG_SIGNING_KEY_FILE of `config` and what it must hold. */
export function logKeyFileSpec(config: Config): SecretFileSpec {
  return {
    variable: 'LOG_SIGNING_KEY_FILE',
    file: config.evidence.logSigningKeyFile,
    holds: 'an Ed25519 private key (PKCS#8 PEM or base64 DER)',
    accepts: (value) => {
      try {
        parsePrivateKey(value);
        return true;
      } catch {
        return false;
      }
    },
    onRemove:
      "a new key is generated, or on PostgreSQL the other nodes' one taken; tree heads signed before verify only with the old public key",
  };
}

const cache = new WeakMap<Config, LogKey>();

/**
 * The log signing key: LOG_SIGNING_KEY when set; otherwise the PKCS#8 PEM in
 * LOG_SIGNING_KEY_FILE, generated there (file mode 0600) on first use. Cached per config. The key
 * material is never logged; callers may log the file path.
 * @throws ConfigError when LOG_SIGNING_KEY_FILE cannot be read or holds no Ed25519 private key.
 */
export function resolveLogKey(config: Config): LogKey {
  const cached = cache.get(config);
  if (cached !== undefined) return cached;
  const { logSigningKey } = config.evidence;
  const stored = logSigningKey ?? readSecretFile(logKeyFileSpec(config));
  let privateKey: KeyObject;
  if (stored !== undefined) {
    privateKey = parsePrivateKey(stored);
  } else {
    privateKey = generateKeyPairSync('ed25519').privateKey;
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    writeSecretFile(config.evidence.logSigningKeyFile, pem, true);
  }
  const publicKey = createPublicKey(privateKey);
  const key: LogKey = { privateKey, publicKey, ...describePublicKey(publicKey) };
  cache.set(config, key);
  return key;
}

/** The fields of a tree head that are signed. */
export interface TreeHeadData {
  /** Milliseconds since the Unix epoch (UTC). */
  readonly timestamp: number;
  readonly treeSize: number;
  readonly rootHash: Uint8Array;
}

/**
 * The TLS presentation-language encoding of RFC 9162 §4.10 `TreeHeadDataV2`, the bytes an STH
 * signature covers: `uint64 timestamp || uint64 tree_size || uint8 32 || root_hash[32] ||
 * uint16 0` (no extensions), 51 bytes in all, big-endian.
 * @throws RangeError for a negative or unsafe size/timestamp or a root that is not 32 bytes.
 */
export function encodeTreeHeadData(head: TreeHeadData): Buffer {
  if (!Number.isSafeInteger(head.timestamp) || head.timestamp < 0) {
    throw new RangeError('timestamp must be a non-negative safe integer');
  }
  if (!Number.isSafeInteger(head.treeSize) || head.treeSize < 0) {
    throw new RangeError('treeSize must be a non-negative safe integer');
  }
  if (head.rootHash.length !== HASH_SIZE) throw new RangeError('rootHash must be 32 bytes');
  const out = Buffer.alloc(8 + 8 + 1 + HASH_SIZE + 2);
  out.writeBigUInt64BE(BigInt(head.timestamp), 0);
  out.writeBigUInt64BE(BigInt(head.treeSize), 8);
  out.writeUInt8(HASH_SIZE, 16);
  Buffer.from(head.rootHash).copy(out, 17);
  out.writeUInt16BE(0, 17 + HASH_SIZE);
  return out;
}

/** Ed25519 signature (RFC 8032, 64 bytes) over encodeTreeHeadData(head). */
export function signTreeHeadData(privateKey: KeyObject, head: TreeHeadData): Buffer {
  return sign(null, encodeTreeHeadData(head), privateKey);
}

/**
 * Verifies an Ed25519 tree-head signature.
 * @returns false for a wrong signature, a malformed head, or a key that is not Ed25519.
 */
export function verifyTreeHeadSignature(
  publicKey: KeyObject,
  head: TreeHeadData,
  signature: Uint8Array,
): boolean {
  if (publicKey.asymmetricKeyType !== 'ed25519' || signature.length !== 64) return false;
  try {
    return verify(null, encodeTreeHeadData(head), publicKey, signature);
  } catch {
    return false;
  }
}
