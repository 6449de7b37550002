/**
 * Content-addressed storage for captured bodies and screenshots: files under EVIDENCE_DIR (the
 * embedded default, one machine) or the store itself (PostgreSQL, where several nodes must read
 * what any of them stored). The interface is small so an object store (S3, GCS, MinIO…) can
 * implement it too; `evidence_blobs` indexes hash, size and content type either way.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../store/index.js';
import {
  blobsWithoutContent,
  findBlobContent,
  hasBlobContent,
  insertBlobContent,
} from './blob-contents.repo.js';

/** A stored blob's identity. */
export interface BlobRef {
  /** Lowercase hex SHA-256 of the bytes: the blob's address. */
  readonly sha256: string;
  /** Bytes. */
  readonly size: number;
}

/**
 * Where blobs live. Implementations must be idempotent (putting the same bytes twice stores them
 * once) and must never return bytes whose SHA-256 differs from the address asked for.
 */
export interface BlobStore {
  /** Stores `bytes` under their SHA-256; returns the address. */
  put(bytes: Uint8Array): Promise<BlobRef>;
  /** The bytes stored under `sha256`, or undefined when absent. @throws Error when corrupt. */
  get(sha256: string): Promise<Uint8Array | undefined>;
  /** True when a blob is stored under `sha256`. */
  has(sha256: string): Promise<boolean>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Lowercase hex SHA-256 of `bytes`. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * A BlobStore on the local filesystem: `<root>/<aa>/<bb>/<sha256>`, written to a temporary file
 * and renamed into place (atomic on one filesystem), file mode 0640. Reads verify the hash.
 */
export class FileBlobStore implements BlobStore {
  readonly #root: string;

  /** @param root folder for the blobs (EVIDENCE_DIR); created on first write. */
  constructor(root: string) {
    this.#root = root;
  }

  #pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new RangeError('a blob address is 64 lowercase hex digits');
    return path.join(this.#root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(bytes: Uint8Array): Promise<BlobRef> {
    const sha256 = sha256Of(bytes);
    const file = this.#pathOf(sha256);
    if (!(await this.has(sha256))) {
      await mkdir(path.dirname(file), { recursive: true });
      const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(temporary, bytes, { mode: 0o640 });
      await rename(temporary, file);
    }
    return { sha256, size: bytes.length };
  }

  async get(sha256: string): Promise<Uint8Array | undefined> {
    const file = this.#pathOf(sha256);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    }
    if (sha256Of(bytes) !== sha256) throw new Error(`blob ${sha256} is corrupt`);
    return bytes;
  }

  async has(sha256: string): Promise<boolean> {
    try {
      return (await stat(this.#pathOf(sha256))).isFile();
    } catch {
      return false;
    }
  }
}

/**
 * A BlobStore in the database (`evidence_blob_contents`), which every node of a PostgreSQL store
 * reads. Blobs that an older version stored as files stay readable through `legacy` (the node's
 * EVIDENCE_DIR); new blobs go to the database only. Reads verify the hash.
 */
export class DatabaseBlobStore implements BlobStore {
  readonly #db: Kysely<Database>;
  readonly #legacy: BlobStore | undefined;

  constructor(db: Kysely<Database>, legacy?: BlobStore) {
    this.#db = db;
    this.#legacy = legacy;
  }

  async put(bytes: Uint8Array): Promise<BlobRef> {
    const sha256 = sha256Of(bytes);
    await insertBlobContent(this.#db, sha256, bytes);
    return { sha256, size: bytes.length };
  }

  async get(sha256: string): Promise<Uint8Array | undefined> {
    if (!SHA256_HEX.test(sha256)) throw new RangeError('a blob address is 64 lowercase hex digits');
    const stored = await findBlobContent(this.#db, sha256);
    if (stored === undefined) return this.#legacy?.get(sha256);
    if (sha256Of(stored) !== sha256) throw new Error(`blob ${sha256} is corrupt`);
    return stored;
  }

  async has(sha256: string): Promise<boolean> {
    return (await hasBlobContent(this.#db, sha256)) || ((await this.#legacy?.has(sha256)) ?? false);
  }
}

/** What importFileBlobs did. */
export interface BlobImportSummary {
  /** Blobs copied from the folder into the database. */
  readonly imported: number;
  /** Indexed blobs in neither the database nor this folder (another node's folder may hold them). */
  readonly missing: number;
  /** Files that cannot be read or whose bytes do not hash to their name: left as they are. */
  readonly corrupt: number;
}

/**
 * Copies into the database (`evidence_blob_contents`) the blobs that versions before migration
 * 0025 stored as files in `blobDir` (a node's EVIDENCE_DIR), so every node of a PostgreSQL store
 * serves them, not only the node that holds the folder. Walks the blob index (`evidence_blobs`)
 * for blobs whose bytes are not in the database yet, `batchSize` addresses at a time and one blob
 * in memory at a time; each file's bytes must hash to its address (FileBlobStore.get) or it is
 * counted corrupt and skipped. Idempotent: a blob already copied (by this node or another) is not
 * read again. The files are left in place (an older node may still read them).
 */
export async function importFileBlobs(
  db: Kysely<Database>,
  blobDir: string,
  options: { batchSize?: number } = {},
): Promise<BlobImportSummary> {
  const batchSize = options.batchSize ?? 100;
  const files = new FileBlobStore(blobDir);
  const summary = { imported: 0, missing: 0, corrupt: 0 };
  let after = '';
  for (;;) {
    const batch = await blobsWithoutContent(db, after, batchSize);
    for (const sha256 of batch) {
      let bytes: Uint8Array | undefined;
      try {
        bytes = await files.get(sha256);
      } catch {
        summary.corrupt += 1;
        continue;
      }
      if (bytes === undefined) {
        summary.missing += 1;
        continue;
      }
      await insertBlobContent(db, sha256, bytes);
      summary.imported += 1;
    }
    const last = batch.at(-1);
    if (last === undefined || batch.length < batchSize) return summary;
    after = last;
  }
}
