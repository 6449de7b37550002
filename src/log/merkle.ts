/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree hashing, proofs and their verification.
 * Pure: no I/O. Hashes are 32-byte SHA-256 digests as `Uint8Array`; indices and sizes are
 * non-negative safe integers (leaf indices are 0-based, as in RFC 9162).
 *
 * - leaf hash  `SHA-256(0x00 || leafInput)`               (§2.1.1)
 * - node hash  `SHA-256(0x01 || left || right)`           (§2.1.1)
 * - MTH({})    `SHA-256("")`
 * - inclusion proofs: PATH (§2.1.3.1), verification (§2.1.3.2)
 * - consistency proofs: PROOF/SUBPROOF (§2.1.4.1), verification (§2.1.4.2)
 *
 * Proof generation reads hashes of complete subtrees through a {@link NodeReader}, so a store
 * that keeps every complete subtree (see log.repo.ts) answers any root or proof with O(log n)
 * node reads and O(log n) hashing, whatever the tree size.
 */
import { createHash } from 'node:crypto';

/** Size of every hash in the tree, bytes. */
export const HASH_SIZE = 32;

/** SHA-256 of the empty string: the root of the empty tree (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Uint8Array = createHash('sha256').digest();

/** RFC 9162 leaf hash: `SHA-256(0x00 || leafInput)`. */
export function leafHash(leafInput: Uint8Array | string): Uint8Array {
  const hash = createHash('sha256').update(LEAF_PREFIX);
  if (typeof leafInput === 'string') hash.update(leafInput, 'utf8');
  else hash.update(leafInput);
  return hash.digest();
}

/** RFC 9162 interior node hash: `SHA-256(0x01 || left || right)`. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

const LEAF_PREFIX = new Uint8Array([0]);
const NODE_PREFIX = new Uint8Array([1]);

/**
 * Reads the hash of the complete subtree at `level` (0 = leaves) and `index`, i.e. of leaves
 * `[index·2^level, (index+1)·2^level)`. Must only be asked for subtrees that are complete.
 */
export type NodeReader = (level: number, index: number) => Uint8Array;

/** Largest power of two strictly less than `n` (n ≥ 2). */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function isPowerOfTwo(n: number): boolean {
  if (!Number.isSafeInteger(n) || n <= 0) return false;
  let rest = n;
  while (rest % 2 === 0) rest /= 2;
  return rest === 1;
}

/**
 * MTH(D[start:end]) (RFC 9162 §2.1.1) from complete-subtree hashes. A range that is an aligned
 * power of two is one read; any other range splits at the largest power of two below its size.
 */
export function rangeHash(read: NodeReader, start: number, end: number): Uint8Array {
  const size = end - start;
  if (size <= 0) return EMPTY_ROOT;
  if (isPowerOfTwo(size) && start % size === 0) return read(Math.log2(size), start / size);
  const k = largestPowerOfTwoBelow(size);
  return nodeHash(rangeHash(read, start, start + k), rangeHash(read, start + k, end));
}

/** Merkle tree hash of the first `size` leaves (RFC 9162 §2.1.1). */
export function rootAt(read: NodeReader, size: number): Uint8Array {
  return rangeHash(read, 0, size);
}

function assertIndex(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer (got ${value})`);
  }
}

/**
 * The inclusion proof (audit path) of leaf `index` in the tree of the first `size` leaves:
 * RFC 9162 §2.1.3.1 PATH(m, D[n]), listed from the leaf upward.
 * @throws RangeError unless 0 ≤ index < size.
 */
export function inclusionProof(read: NodeReader, index: number, size: number): Uint8Array[] {
  assertIndex('index', index);
  assertIndex('size', size);
  if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of size ${size}`);
  const path: Uint8Array[] = [];
  // Iterative PATH: descend from the whole range, collecting siblings top-down, then reverse.
  let start = 0;
  let end = size;
  let m = index;
  while (end - start > 1) {
    const k = largestPowerOfTwoBelow(end - start);
    if (m < k) {
      path.push(rangeHash(read, start + k, end));
      end = start + k;
    } else {
      path.push(rangeHash(read, start, start + k));
      start += k;
      m -= k;
    }
  }
  return path.reverse();
}

/**
 * The consistency proof between the trees of the first `first` and `second` leaves:
 * RFC 9162 §2.1.4.1 PROOF(m, D[n]), listed from the smaller tree upward. Empty when
 * `first === second`.
 * @throws RangeError unless 0 < first ≤ second.
 */
export function consistencyProof(read: NodeReader, first: number, second: number): Uint8Array[] {
  assertIndex('first', first);
  assertIndex('second', second);
  if (first === 0 || first > second) {
    throw new RangeError(`no consistency proof from size ${first} to size ${second}`);
  }
  const proof: Uint8Array[] = [];
  // SUBPROOF(m, D[start:end], b), unrolled; siblings are collected top-down, then reversed.
  let start = 0;
  let end = second;
  let m = first;
  let complete = true;
  while (m !== end - start) {
    const k = largestPowerOfTwoBelow(end - start);
    if (m <= k) {
      proof.push(rangeHash(read, start + k, end));
      end = start + k;
    } else {
      proof.push(rangeHash(read, start, start + k));
      start += k;
      m -= k;
      complete = false;
    }
  }
  if (!complete) proof.push(rangeHash(read, start, end));
  return proof.reverse();
}

function equalHashes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

function allHashesValid(hashes: readonly Uint8Array[]): boolean {
  return hashes.every((h) => h.length === HASH_SIZE);
}

const isOdd = (n: number): boolean => n % 2 === 1;
const half = (n: number): number => Math.floor(n / 2);

/**
 * Recomputes the root from an inclusion proof: RFC 9162 §2.1.3.2 steps 1–4.
 * @returns the root, or `undefined` when the proof is malformed for `index`/`size`.
 */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array | undefined {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0) return undefined;
  if (index >= size) return undefined;
  if (leaf.length !== HASH_SIZE || !allHashesValid(proof)) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : undefined;
}

/**
 * Verifies that leaf hash `leaf` is at `index` in the tree of `size` leaves with root `root`:
 * RFC 9162 §2.1.3.2. Every hash must be 32 bytes.
 * @returns true only when the proof is valid.
 */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (root.length !== HASH_SIZE) return false;
  const computed = rootFromInclusionProof(index, size, leaf, proof);
  return computed !== undefined && equalHashes(computed, root);
}

/**
 * Verifies that the tree of `second` leaves with root `secondRoot` extends the tree of `first`
 * leaves with root `firstRoot`: RFC 9162 §2.1.4.2, with the transparency-dev/merkle policy for
 * the edge cases: `first === 0` fails (even 0 → 0), `first > second` fails, `first === second`
 * needs an empty proof and byte-equal roots. Otherwise every hash must be 32 bytes.
 * @returns true only when the proof is valid.
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second)) return false;
  if (first <= 0 || first > second) return false;
  // Equal sizes prove nothing beyond the roots being the same bytes (transparency-dev policy).
  if (first === second) return proof.length === 0 && equalHashes(firstRoot, secondRoot);
  if (firstRoot.length !== HASH_SIZE || secondRoot.length !== HASH_SIZE) return false;
  if (!allHashesValid(proof)) return false;
  // 1. An empty proof fails.
  if (proof.length === 0) return false;
  // 2. When `first` is an exact power of two, its root is the first node of the path.
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  // 3–4.
  let fn = first - 1;
  let sn = second - 1;
  while (isOdd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  // 5.
  const [head, ...rest] = path;
  if (head === undefined) return false;
  let fr = head;
  let sr = head;
  // 6.
  for (const c of rest) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!isOdd(fn)) {
        while (!isOdd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  // 7.
  return equalHashes(fr, firstRoot) && equalHashes(sr, secondRoot) && sn === 0;
}

/**
 * The compact range of a tree of `size` leaves: the roots of its maximal complete subtrees, left
 * to right, one per set bit of `size` (largest first). Appending a leaf updates it in O(log n)
 * and it alone gives the current root; the log keeps it beside the tree size.
 */
export interface Frontier {
  readonly size: number;
  /** Hashes of the complete subtrees covering `[0, size)`, largest (leftmost) first. */
  readonly hashes: readonly Uint8Array[];
}

/** The frontier of the empty tree. */
export const EMPTY_FRONTIER: Frontier = { size: 0, hashes: [] };

/** Levels of the subtrees in a frontier of `size` leaves, largest first. */
export function frontierLevels(size: number): number[] {
  const levels: number[] = [];
  for (let level = Math.floor(Math.log2(Math.max(size, 1))) + 1; level >= 0; level -= 1) {
    if (Math.floor(size / 2 ** level) % 2 === 1) levels.push(level);
  }
  return levels;
}

/** A complete subtree that became complete when a leaf was appended. */
export interface NewNode {
  readonly level: number;
  readonly index: number;
  readonly hash: Uint8Array;
}

/**
 * Appends the leaf hash `leaf` to `frontier`.
 * @returns the new frontier and every complete subtree node created by the append (level ≥ 1,
 *   lowest first; on average one per append).
 */
export function appendToFrontier(
  frontier: Frontier,
  leaf: Uint8Array,
): { frontier: Frontier; created: NewNode[] } {
  const hashes = [...frontier.hashes];
  const created: NewNode[] = [];
  let carry = leaf;
  let level = 0;
  let position = frontier.size; // index of the new subtree at `level`
  while (isOdd(position)) {
    const left = hashes.pop();
    if (left === undefined) throw new Error('frontier does not match its size');
    carry = nodeHash(left, carry);
    level += 1;
    position = half(position);
    created.push({ level, index: position, hash: carry });
  }
  hashes.push(carry);
  return { frontier: { size: frontier.size + 1, hashes }, created };
}

/** Root of the tree a frontier describes: its subtrees folded right to left. */
export function frontierRoot(frontier: Frontier): Uint8Array {
  const { hashes } = frontier;
  let root = hashes[hashes.length - 1];
  if (root === undefined) return EMPTY_ROOT;
  for (let i = hashes.length - 2; i >= 0; i -= 1) {
    const left = hashes[i];
    if (left !== undefined) root = nodeHash(left, root);
  }
  return root;
}

/**
 * An in-memory tree keeping every complete subtree: for tests, the audit and benchmarks.
 * Appends are O(1) amortised; roots and proofs at any size are O(log n).
 */
export class MemoryMerkleTree {
  /** levels[L][i] = hash of complete subtree i at level L. */
  readonly #levels: Uint8Array[][] = [[]];
  #frontier: Frontier = EMPTY_FRONTIER;

  /** Number of leaves. */
  get size(): number {
    return this.#frontier.size;
  }

  /** The current frontier (compact range). */
  get frontier(): Frontier {
    return this.#frontier;
  }

  /** Appends a leaf hash; returns its index. */
  appendLeafHash(leaf: Uint8Array): number {
    const index = this.#frontier.size;
    const { frontier, created } = appendToFrontier(this.#frontier, leaf);
    this.#levelAt(0).push(leaf);
    for (const node of created) this.#levelAt(node.level)[node.index] = node.hash;
    this.#frontier = frontier;
    return index;
  }

  /** Hash of a complete subtree (see {@link NodeReader}). @throws RangeError when absent. */
  readonly read: NodeReader = (level, index) => {
    const hash = this.#levels[level]?.[index];
    if (hash === undefined)
      throw new RangeError(`no complete subtree at level ${level} index ${index}`);
    return hash;
  };

  /** Root of the first `size` leaves (default: all). */
  root(size = this.size): Uint8Array {
    if (size > this.size) throw new RangeError(`the tree has only ${this.size} leaves`);
    return rootAt(this.read, size);
  }

  #levelAt(level: number): Uint8Array[] {
    let row = this.#levels[level];
    if (row === undefined) {
      row = [];
      this.#levels[level] = row;
    }
    return row;
  }
}

/** Lowercase hex of a hash. */
export function toHex(hash: Uint8Array): string {
  return Buffer.from(hash).toString('hex');
}

/**
 * Parses lowercase or uppercase hex into bytes.
 * @returns undefined when `hex` is not an even-length hex string.
 */
export function fromHex(hex: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) return undefined;
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
