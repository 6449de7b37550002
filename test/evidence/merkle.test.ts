/**
 * RFC 9162 hashing and proofs against the published reference vectors (transparency-dev/merkle,
 * google/certificate-transparency; see fixtures/merkle/NOTICE.md), an independent golden file
 * (fixtures/make-golden-log.py) and properties over random tree sizes.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_ROOT,
  MemoryMerkleTree,
  consistencyProof,
  frontierRoot,
  fromHex,
  inclusionProof,
  leafHash,
  nodeHash,
  toHex,
  verifyConsistency,
  verifyInclusion,
} from '../../src/log/merkle.js';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

interface Vectors {
  hasherVectors: {
    desc: string;
    op: 'emptyRoot' | 'leaf' | 'node';
    inputHex?: string;
    leftHex?: string;
    rightHex?: string;
    expected: string;
  }[];
  leafInputs: string[];
  leafHashes: string[];
  roots: { treeSize: number; root: string }[];
  nodeHashes: { levels: string[][] };
  inclusionProofs: {
    treeSize: number;
    leafIndex: number;
    leafHash: string;
    root: string;
    proof: string[];
  }[];
  consistencyProofs: {
    size1: number;
    size2: number;
    root1: string;
    root2: string;
    proof: string[];
  }[];
}
interface Probes {
  inclusion: {
    leafIdx: number;
    treeSize: number;
    desc: string;
    wantErr: boolean;
    root: string;
    leafHash: string;
    proof: string[];
    file: string;
  }[];
  consistency: {
    size1: number;
    size2: number;
    desc: string;
    wantErr: boolean;
    root1: string;
    root2: string;
    proof: string[];
    file: string;
  }[];
}
interface Derived {
  inclusionProofs: Vectors['inclusionProofs'];
  consistencyProofs: Vectors['consistencyProofs'];
}
interface Golden {
  leafCount: number;
  roots: { treeSize: number; root: string }[];
  inclusionProofs: { leafIndex: number; treeSize: number; leafHash: string; proof: string[] }[];
  consistencyProofs: { first: number; second: number; proof: string[] }[];
}

// The fixtures are our own checked-in files; their shapes are declared above.
const vectors = fixture('merkle/vectors.json') as Vectors;
const probes = fixture('merkle/probes.json') as Probes;
const derived = fixture('merkle/derived_all_proofs.json') as Derived;
const golden = fixture('golden-log.json') as Golden;

/** Hex → bytes; malformed hex in a probe becomes a wrong-length hash, which must be rejected. */
const h = (hex: string): Uint8Array => fromHex(hex) ?? new Uint8Array(1);
const hexAll = (hashes: readonly Uint8Array[]): string[] => hashes.map(toHex);

function referenceTree(): MemoryMerkleTree {
  const tree = new MemoryMerkleTree();
  for (const input of vectors.leafInputs) tree.appendLeafHash(leafHash(h(input)));
  return tree;
}

describe('RFC 9162 hashing (reference vectors)', () => {
  it('matches every hasher vector', () => {
    for (const v of vectors.hasherVectors) {
      const got =
        v.op === 'emptyRoot'
          ? EMPTY_ROOT
          : v.op === 'leaf'
            ? leafHash(h(v.inputHex ?? ''))
            : nodeHash(h(v.leftHex ?? ''), h(v.rightHex ?? ''));
      expect(toHex(got), v.desc).toBe(v.expected);
    }
  });

  it('hashes the 8 reference leaves and every complete subtree', () => {
    const tree = referenceTree();
    expect(vectors.leafInputs.map((input) => toHex(leafHash(h(input))))).toEqual(
      vectors.leafHashes,
    );
    vectors.nodeHashes.levels.forEach((level, l) => {
      level.forEach((hash, i) =>
        expect(toHex(tree.read(l, i)), `level ${l} index ${i}`).toBe(hash),
      );
    });
  });

  it('computes every reference root, from stored nodes and from the frontier', () => {
    const tree = new MemoryMerkleTree();
    for (const { treeSize, root } of vectors.roots) {
      while (tree.size < treeSize) {
        const input = vectors.leafInputs[tree.size];
        if (input === undefined) throw new Error('vector leaf missing');
        tree.appendLeafHash(leafHash(h(input)));
      }
      expect(toHex(tree.root()), `root(${treeSize})`).toBe(root);
      expect(toHex(frontierRoot(tree.frontier)), `frontier root(${treeSize})`).toBe(root);
    }
  });
});

describe('RFC 9162 proofs (reference vectors)', () => {
  const tree = referenceTree();

  it('generates and verifies every published and derived inclusion proof', () => {
    for (const v of [...vectors.inclusionProofs, ...derived.inclusionProofs]) {
      const label = `leaf ${v.leafIndex} of ${v.treeSize}`;
      expect(hexAll(inclusionProof(tree.read, v.leafIndex, v.treeSize)), label).toEqual(v.proof);
      expect(toHex(tree.root(v.treeSize)), label).toBe(v.root);
      expect(
        verifyInclusion(v.leafIndex, v.treeSize, h(v.leafHash), v.proof.map(h), h(v.root)),
        label,
      ).toBe(true);
    }
  });

  it('generates and verifies every published and derived consistency proof', () => {
    for (const v of [...vectors.consistencyProofs, ...derived.consistencyProofs]) {
      const label = `${v.size1} → ${v.size2}`;
      expect(hexAll(consistencyProof(tree.read, v.size1, v.size2)), label).toEqual(v.proof);
      expect(
        verifyConsistency(v.size1, v.size2, h(v.root1), h(v.root2), v.proof.map(h)),
        label,
      ).toBe(true);
    }
  });

  it('agrees with every transparency-dev/merkle probe (valid accepted, corrupted rejected)', () => {
    expect(probes.inclusion.length + probes.consistency.length).toBe(196);
    for (const p of probes.inclusion) {
      const ok = verifyInclusion(p.leafIdx, p.treeSize, h(p.leafHash), p.proof.map(h), h(p.root));
      expect(ok, `${p.file}: ${p.desc}`).toBe(!p.wantErr);
    }
    for (const p of probes.consistency) {
      const ok = verifyConsistency(p.size1, p.size2, h(p.root1), h(p.root2), p.proof.map(h));
      expect(ok, `${p.file}: ${p.desc}`).toBe(!p.wantErr);
    }
  });

  it('refuses to generate proofs outside the tree', () => {
    expect(() => inclusionProof(tree.read, 8, 8)).toThrow(RangeError);
    expect(() => consistencyProof(tree.read, 0, 8)).toThrow(RangeError);
    expect(() => consistencyProof(tree.read, 5, 4)).toThrow(RangeError);
  });
});

describe('golden roots and proofs (fixtures/golden-log.json, independent Python implementation)', () => {
  const tree = new MemoryMerkleTree();
  for (let i = 0; i < golden.leafCount; i += 1)
    tree.appendLeafHash(leafHash(`scamnet golden leaf ${i}`));

  it('matches every golden root', () => {
    for (const { treeSize, root } of golden.roots)
      expect(toHex(tree.root(treeSize)), `${treeSize}`).toBe(root);
  });

  it('matches every golden inclusion and consistency proof', () => {
    for (const g of golden.inclusionProofs) {
      expect(toHex(tree.read(0, g.leafIndex))).toBe(g.leafHash);
      expect(
        hexAll(inclusionProof(tree.read, g.leafIndex, g.treeSize)),
        `${g.leafIndex}/${g.treeSize}`,
      ).toEqual(g.proof);
    }
    for (const g of golden.consistencyProofs) {
      expect(
        hexAll(consistencyProof(tree.read, g.first, g.second)),
        `${g.first}→${g.second}`,
      ).toEqual(g.proof);
    }
  });
});

/** Flips one bit of one byte of a copy of `hash`. */
function flip(hash: Uint8Array, byte: number, bit: number): Uint8Array {
  const copy = new Uint8Array(hash);
  copy[byte % copy.length] = (copy[byte % copy.length] ?? 0) ^ (1 << (bit % 8));
  return copy;
}

describe('proof properties over random trees', () => {
  const big = new MemoryMerkleTree();
  for (let i = 0; i < 600; i += 1) big.appendLeafHash(leafHash(`property leaf ${i}`));
  const sizeAndIndex = fc
    .integer({ min: 1, max: 600 })
    .chain((size) => fc.tuple(fc.constant(size), fc.integer({ min: 0, max: size - 1 })));
  const twoSizes = fc
    .integer({ min: 1, max: 600 })
    .chain((second) => fc.tuple(fc.integer({ min: 1, max: second }), fc.constant(second)));

  it('inclusion proofs verify, and fail for a tampered leaf, path, index or root', () => {
    fc.assert(
      fc.property(sizeAndIndex, fc.nat(), fc.nat(), ([size, index], byte, bit) => {
        const leaf = big.read(0, index);
        const proof = inclusionProof(big.read, index, size);
        const root = big.root(size);
        expect(verifyInclusion(index, size, leaf, proof, root)).toBe(true);
        expect(verifyInclusion(index, size, flip(leaf, byte, bit), proof, root)).toBe(false);
        expect(verifyInclusion(index, size, leaf, proof, flip(root, byte, bit))).toBe(false);
        if (proof.length > 0) {
          const at = byte % proof.length;
          const tampered = proof.map((p, i) => (i === at ? flip(p, byte, bit) : p));
          expect(verifyInclusion(index, size, leaf, tampered, root)).toBe(false);
          expect(verifyInclusion(index, size, leaf, proof.slice(1), root)).toBe(false);
        }
        if (size > 1) {
          const otherIndex = (index + 1 + (byte % (size - 1))) % size;
          expect(verifyInclusion(otherIndex, size, leaf, proof, root)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('consistency proofs verify, and fail for a tampered proof or root', () => {
    fc.assert(
      fc.property(twoSizes, fc.nat(), fc.nat(), ([first, second], byte, bit) => {
        const proof = consistencyProof(big.read, first, second);
        const firstRoot = big.root(first);
        const secondRoot = big.root(second);
        expect(verifyConsistency(first, second, firstRoot, secondRoot, proof)).toBe(true);
        expect(
          verifyConsistency(first, second, flip(firstRoot, byte, bit), secondRoot, proof),
        ).toBe(false);
        expect(
          verifyConsistency(first, second, firstRoot, flip(secondRoot, byte, bit), proof),
        ).toBe(false);
        if (proof.length > 0) {
          const at = byte % proof.length;
          const tampered = proof.map((p, i) => (i === at ? flip(p, byte, bit) : p));
          expect(verifyConsistency(first, second, firstRoot, secondRoot, tampered)).toBe(false);
        }
        if (first < second) {
          // A tree that rewrote history: the same second size with one leaf replaced.
          const forged = new MemoryMerkleTree();
          const replaced = byte % first;
          for (let i = 0; i < second; i += 1) {
            forged.appendLeafHash(i === replaced ? leafHash(`forged ${i}`) : big.read(0, i));
          }
          const forgedProof = consistencyProof(forged.read, first, second);
          expect(verifyConsistency(first, second, firstRoot, forged.root(), forgedProof)).toBe(
            false,
          );
        }
      }),
      { numRuns: 200 },
    );
  });
});
