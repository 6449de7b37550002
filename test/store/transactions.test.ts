import Fastify from 'fastify';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { errorHandler } from '../../src/http/error-handler.js';
import { createTestContext } from '../harness.js';
import { isTransientConflict, retryOnConflict } from '../../src/store/transactions.js';

const conflict = (code: string) => Object.assign(new Error(`conflict ${code}`), { code });

describe('retryOnConflict', () => {
  it('runs a transaction again after a deadlock or serialization failure', async () => {
    for (const code of ['40P01', '40001']) {
      let calls = 0;
      const result = await retryOnConflict(async () => {
        calls += 1;
        if (calls < 3) throw conflict(code);
        return 'done';
      });
      expect(result).toBe('done');
      expect(calls).toBe(3);
    }
  });

  it('gives up after the attempts, and never retries other errors', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls += 1;
        throw conflict('40P01');
      }, 2),
    ).rejects.toThrow('conflict 40P01');
    expect(calls).toBe(2);
    calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls += 1;
        throw conflict('23505'); // unique_violation: a real error, not a conflict
      }),
    ).rejects.toThrow('conflict 23505');
    expect(calls).toBe(1);
    expect(isTransientConflict(null)).toBe(false);
    expect(isTransientConflict(new Error('x'))).toBe(false);
  });

  it('answers an unretried conflict with 503 transaction_conflict and Retry-After', async () => {
    const app = Fastify();
    app.setErrorHandler(errorHandler);
    app.get('/conflict', async () => {
      throw conflict('40P01');
    });
    const response = await app.inject({ url: '/conflict' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('1');
    expect(response.json().error.code).toBe('transaction_conflict');
    await app.close();
  });

  it.skipIf(process.env.TEST_DATABASE_URL === undefined)(
    'recovers from a real PostgreSQL deadlock between two transactions',
    async () => {
      const context = await createTestContext('postgres');
      try {
        const { db } = context.deps;
        await sql`create table deadlock_probe (id integer primary key, v integer not null)`.execute(
          db,
        );
        await sql`insert into deadlock_probe values (1, 0), (2, 0)`.execute(db);
        // Each first attempt locks its first row, waits until the other has too, then asks for
        // the other's row: PostgreSQL aborts one of them with 40P01.
        let ready = 0;
        let release: () => void = () => undefined;
        const bothLocked = new Promise<void>((resolve) => (release = resolve));
        const errors: unknown[] = [];
        let attempts = 0;
        const crossing = (first: number, second: number) => {
          let attempt = 0;
          return retryOnConflict(async () => {
            attempt += 1;
            attempts += 1;
            try {
              await db.transaction().execute(async (trx) => {
                await sql`update deadlock_probe set v = v + 1 where id = ${first}`.execute(trx);
                if (attempt === 1) {
                  ready += 1;
                  if (ready === 2) release();
                  await bothLocked;
                }
                await sql`update deadlock_probe set v = v + 1 where id = ${second}`.execute(trx);
              });
            } catch (error) {
              errors.push(error);
              throw error;
            }
          });
        };
        await Promise.all([crossing(1, 2), crossing(2, 1)]);
        expect(errors.length).toBe(1);
        expect(isTransientConflict(errors[0])).toBe(true);
        expect(attempts).toBe(3);
        const rows = await sql<{
          v: number;
        }>`select v from deadlock_probe order by id`.execute(db);
        // Both transactions committed once each: every row was bumped twice.
        expect(rows.rows.map((r) => Number(r.v))).toEqual([2, 2]);
      } finally {
        await context.close();
      }
    },
  );
});
