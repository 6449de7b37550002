/**
 * Evidence blobs an older version stored as files (issue 20): on PostgreSQL they are copied into
 * the database, so a second node — whose EVIDENCE_DIR never held them — serves them too. Batched,
 * hash-checked and idempotent.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileBlobStore, importFileBlobs } from '../../src/evidence/index.js';
import { sha256Of } from '../../src/evidence/blob-store.js';
import { adminHeaders, testDialects, useTestApp, useTestNode } from '../harness.js';

// PostgreSQL only (SQLite keeps its blobs in EVIDENCE_DIR); skipped, not empty, without one.
const dialect = 'postgres' as const;

describe.skipIf(!testDialects().includes(dialect))(
  'blobs of an older version, copied into the store, on postgres',
  () => {
    const ctx = useTestApp(dialect);
    const folderB = mkdtempSync(path.join(tmpdir(), 'scamnet-node-b-evidence-'));
    const nodeB = useTestNode(ctx, { blobDir: folderB });
    afterAll(async () => {
      rmSync(folderB, { recursive: true, force: true });
    });

    /** Indexes blob `sha256` as every version does. */
    async function index(sha256: string, size: number): Promise<void> {
      await ctx.deps.db
        .insertInto('evidence_blobs')
        .values({
          sha256,
          size,
          content_type: 'image/png',
          created_at: new Date(ctx.clock.now()).toISOString(),
        })
        .execute();
    }

    it("lets node B serve a blob that was only in node A's folder", async () => {
      const folderA = ctx.config.evidence.blobDir;
      // Two blobs as an older version stored them: a file in A's folder and an index row.
      const olds = [Buffer.from('old screenshot one'), Buffer.from('old screenshot two')];
      const refs = [];
      for (const bytes of olds) {
        const ref = await new FileBlobStore(folderA).put(bytes);
        await index(ref.sha256, ref.size);
        refs.push(ref);
      }
      // A file whose bytes are not what its name says, and a blob no folder here holds.
      const corrupt = sha256Of(Buffer.from('what the file should hold'));
      mkdirSync(path.join(folderA, corrupt.slice(0, 2), corrupt.slice(2, 4)), { recursive: true });
      writeFileSync(
        path.join(folderA, corrupt.slice(0, 2), corrupt.slice(2, 4), corrupt),
        'something else',
      );
      await index(corrupt, 25);
      const elsewhere = sha256Of(Buffer.from('on a third node'));
      await index(elsewhere, 15);

      const get = (sha256: string) =>
        nodeB.app.inject({ method: 'GET', url: `/api/v1/blobs/${sha256}`, headers: adminHeaders });
      for (const ref of refs) expect((await get(ref.sha256)).statusCode).toBe(404);

      // A batch of one address at a time walks the whole index.
      expect(await importFileBlobs(ctx.deps.db, folderA, { batchSize: 1 })).toEqual({
        imported: 2,
        missing: 1,
        corrupt: 1,
      });
      for (const [i, ref] of refs.entries()) {
        const served = await get(ref.sha256);
        expect(served.statusCode, served.body).toBe(200);
        expect(served.rawPayload.equals(olds[i] ?? Buffer.alloc(0))).toBe(true);
      }
      expect((await get(corrupt)).statusCode).not.toBe(200);
      // Again: nothing new to copy, the rest still reported.
      expect(await importFileBlobs(ctx.deps.db, folderA)).toEqual({
        imported: 0,
        missing: 1,
        corrupt: 1,
      });
      const stored = await ctx.deps.db
        .selectFrom('evidence_blob_contents')
        .select('sha256')
        .where('sha256', 'in', [...refs.map((r) => r.sha256), corrupt])
        .execute();
      expect(stored.map((r) => r.sha256).sort()).toEqual(refs.map((r) => r.sha256).sort());
    });
  },
);
