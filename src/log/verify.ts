/**
 * Offline verification of what the log publishes, without trusting the server: signed tree heads
 * (Ed25519, RFC 8032, over RFC 9162 TreeHeadDataV2), inclusion proofs (RFC 9162 §2.1.3.2),
 * consistency proofs (§2.1.4.2) and log entries (RFC 9162 leaf hash of the RFC 8785 leaf input).
 * Pure apart from node:crypto; `scamnet log verify` is its command-line front end.
 */
import type { KeyObject } from 'node:crypto';
import { describePublicKey, verifyTreeHeadSignature } from './log-key.js';
import type {
  ConsistencyProofJson,
  InclusionProofJson,
  LogEntryJson,
  SignedTreeHeadJson,
} from './log.schemas.js';
import { fromHex, leafHash, toHex, verifyConsistency, verifyInclusion } from './merkle.js';

/** One verification step and its result. */
export interface VerificationCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What to verify; every given item is checked, tree heads first. */
export interface OfflineVerification {
  /** The log's Ed25519 public key (as published at `GET /api/v1/log/key`). */
  readonly publicKey: KeyObject;
  /** Signed tree heads the verifier holds (e.g. saved earlier from `GET /api/v1/log/sth`). */
  readonly treeHeads?: readonly SignedTreeHeadJson[];
  readonly inclusion?: InclusionProofJson;
  /** The entry the inclusion proof is about; its leaf input is hashed and compared. */
  readonly entry?: LogEntryJson;
  readonly consistency?: ConsistencyProofJson;
}

const hash = (hex: string): Uint8Array => fromHex(hex) ?? new Uint8Array(0);

/**
 * Checks one signed tree head: its key ID is the given key's and its Ed25519 signature over
 * TreeHeadDataV2 (timestamp, size, root) is valid; `signedAt` must be the same instant.
 */
export function checkTreeHead(publicKey: KeyObject, sth: SignedTreeHeadJson): VerificationCheck {
  const name = `signed tree head of size ${sth.treeSize}`;
  const { keyId } = describePublicKey(publicKey);
  if (sth.keyId !== keyId) {
    return { name, ok: false, detail: `signed by key ${sth.keyId}, not by ${keyId}` };
  }
  if (Date.parse(sth.signedAt) !== sth.timestamp) {
    return { name, ok: false, detail: 'signedAt and timestamp disagree' };
  }
  const ok = verifyTreeHeadSignature(
    publicKey,
    { timestamp: sth.timestamp, treeSize: sth.treeSize, rootHash: hash(sth.rootHash) },
    hash(sth.signature),
  );
  return {
    name,
    ok,
    detail: ok
      ? `root ${sth.rootHash} at ${sth.signedAt}, Ed25519 signature valid`
      : 'the Ed25519 signature does not match the tree head',
  };
}

/**
 * Verifies everything in `input`. Tree heads embedded in the proofs are used as well as the ones
 * given; a proof whose tree size has no valid signed head fails (a root nobody signed proves
 * nothing).
 * @returns every check with its result; all must be ok for the whole to hold.
 */
export function verifyOffline(input: OfflineVerification): VerificationCheck[] {
  const checks: VerificationCheck[] = [];
  const trusted = new Map<number, SignedTreeHeadJson>();
  const heads = [
    ...(input.treeHeads ?? []),
    ...(input.inclusion?.signedTreeHead ? [input.inclusion.signedTreeHead] : []),
    ...(input.consistency?.firstTreeHead ? [input.consistency.firstTreeHead] : []),
    ...(input.consistency?.secondTreeHead ? [input.consistency.secondTreeHead] : []),
  ];
  const seen = new Set<string>();
  for (const sth of heads) {
    const id = `${sth.treeSize}:${sth.rootHash}:${sth.signature}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const check = checkTreeHead(input.publicKey, sth);
    checks.push(check);
    if (!check.ok) continue;
    const other = trusted.get(sth.treeSize);
    if (other !== undefined && other.rootHash !== sth.rootHash) {
      checks.push({
        name: `tree size ${sth.treeSize}`,
        ok: false,
        detail: `two validly signed heads with different roots (${other.rootHash}, ${sth.rootHash}): the log forked`,
      });
    }
    trusted.set(sth.treeSize, sth);
  }

  if (input.entry !== undefined) {
    const computed = toHex(leafHash(input.entry.leafInput));
    checks.push({
      name: `entry ${input.entry.leafIndex}`,
      ok: computed === input.entry.leafHash,
      detail:
        computed === input.entry.leafHash
          ? `leaf hash ${computed} = SHA-256(0x00 || leafInput)`
          : `SHA-256(0x00 || leafInput) is ${computed}, not ${input.entry.leafHash}`,
    });
    if (input.inclusion !== undefined) {
      const same =
        input.inclusion.leafHash === computed &&
        input.inclusion.leafIndex === input.entry.leafIndex;
      checks.push({
        name: `entry ${input.entry.leafIndex} is the proven leaf`,
        ok: same,
        detail: same
          ? 'the proof is about this entry'
          : 'the proof is about another leaf (index or hash differ)',
      });
    }
  }

  if (input.inclusion !== undefined) {
    const p = input.inclusion;
    const name = `inclusion of leaf ${p.leafIndex} in tree of size ${p.treeSize}`;
    const sth = trusted.get(p.treeSize);
    if (sth === undefined) {
      checks.push({ name, ok: false, detail: `no valid signed tree head of size ${p.treeSize}` });
    } else {
      const ok = verifyInclusion(
        p.leafIndex,
        p.treeSize,
        hash(p.leafHash),
        p.proof.map(hash),
        hash(sth.rootHash),
      );
      checks.push({
        name,
        ok,
        detail: ok
          ? `the audit path leads to the signed root ${sth.rootHash}`
          : 'the audit path does not lead to the signed root (RFC 9162 §2.1.3.2)',
      });
    }
  }

  if (input.consistency !== undefined) {
    const p = input.consistency;
    const name = `consistency of tree size ${p.first} with ${p.second}`;
    const a = trusted.get(p.first);
    const b = trusted.get(p.second);
    if (a === undefined || b === undefined) {
      const missing = a === undefined ? p.first : p.second;
      checks.push({ name, ok: false, detail: `no valid signed tree head of size ${missing}` });
    } else {
      const ok = verifyConsistency(
        p.first,
        p.second,
        hash(a.rootHash),
        hash(b.rootHash),
        p.proof.map(hash),
      );
      checks.push({
        name,
        ok,
        detail: ok
          ? 'the larger tree extends the smaller one: no entry was changed or removed'
          : 'the proof does not show the larger tree extends the smaller (RFC 9162 §2.1.4.2)',
      });
    }
  }
  return checks;
}
