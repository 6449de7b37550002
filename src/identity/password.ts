import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import pLimit, { type LimitFunction } from 'p-limit';
import { AppError, badRequest } from '../shared/errors.js';

/** Shortest password accepted (NIST SP 800-63B allows 8; staff accounts deserve more). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted: bounds the work one sign-in attempt can cause. */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * scrypt parameters of new hashes: N = 2^15, r = 8, p = 1 (OWASP Password Storage Cheat Sheet's
 * scrypt minimum, ≈32 MiB and tens of milliseconds per hash), 16-byte salt, 32-byte key.
 */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, saltBytes: 16, keyBytes: 32 } as const;

/** Upper bounds on stored parameters, so a tampered row cannot make verification unbounded. */
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

function derive(password: string, salt: Buffer, N: number, r: number, p: number, keyBytes: number) {
  // Node's default maxmem (32 MiB) is exactly 128·N·r at N=2^15, r=8: give scrypt headroom.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyBytes, options, (error, key) => {
      if (error === null) resolve(key);
      else reject(error);
    });
  });
}

/**
 * Throws unless `password` is MIN_PASSWORD_LENGTH to MAX_PASSWORD_LENGTH characters long.
 * @throws AppError 400 `weak_password` naming the field `password`.
 */
export function assertPasswordAcceptable(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw badRequest(
      'weak_password',
      `The password must be at least ${MIN_PASSWORD_LENGTH} characters long.`,
      'password',
    );
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw badRequest(
      'weak_password',
      `The password must be at most ${MAX_PASSWORD_LENGTH} characters long.`,
      'password',
    );
  }
}

/**
 * Hashes a password with scrypt (RFC 7914) from node:crypto into a self-describing string
 * `scrypt$N$r$p$<salt base64url>$<key base64url>`, so parameters can be raised later while old
 * hashes still verify. The password is NFC-normalised first (the same text typed on another
 * keyboard verifies).
 */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, saltBytes, keyBytes } = SCRYPT_PARAMS;
  const salt = randomBytes(saltBytes);
  const key = await derive(password, salt, N, r, p, keyBytes);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * True when `password` matches `stored` (a hashPassword string); the keys are compared in
 * constant time. A malformed or out-of-bounds stored string never matches.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const validParams =
    Number.isInteger(N) &&
    N > 1 &&
    N <= MAX_N &&
    (N & (N - 1)) === 0 &&
    Number.isInteger(r) &&
    r >= 1 &&
    r <= MAX_R &&
    Number.isInteger(p) &&
    p >= 1 &&
    p <= MAX_P;
  if (!validParams || password.length > MAX_PASSWORD_LENGTH) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  if (salt.length === 0 || expected.length < 16) return false;
  const actual = await derive(password, salt, N, r, p, expected.length);
  return timingSafeEqual(actual, expected);
}

/** How many password checks may run at once in this process, and how many may wait. */
export interface PasswordHashingLimits {
  readonly concurrency: number;
  readonly queue: number;
}

const gates = new WeakMap<PasswordHashingLimits, LimitFunction>();

/**
 * Runs `check` (a verifyPassword) under `limits`: at most `concurrency` at once in this process
 * (scrypt takes ≈32 MiB and tens of milliseconds of a thread-pool thread each), at most `queue`
 * waiting, so a flood of sign-ins costs bounded memory and real users wait for at most `queue`
 * hashes. One gate per limits object.
 * @throws AppError 503 `busy` when `queue` checks already wait (nothing is hashed).
 */
export async function withPasswordHashing<T>(
  limits: PasswordHashingLimits,
  check: () => Promise<T>,
): Promise<T> {
  let gate = gates.get(limits);
  if (gate === undefined) {
    gate = pLimit(limits.concurrency);
    gates.set(limits, gate);
  }
  if (gate.activeCount + gate.pendingCount >= limits.concurrency + limits.queue) {
    throw new AppError(503, 'busy', 'Too many sign-ins at once: try again in a few seconds.');
  }
  return gate(check);
}

let decoyHash: Promise<string> | undefined;

/**
 * A hash of a random password, verified against when the e-mail is unknown so that a sign-in
 * with an unknown address costs the same time as one with a wrong password. Computed once.
 */
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  return decoyHash;
}

/** A random password for a new account: 20 base64url characters (120 bits). */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
