/**
 * Secrets every node shares (issue 20): nodes on one store sign tree heads and decision links
 * and check the admin token with the same secrets, or do not start.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDeps } from '../../src/bootstrap.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { generateLogKeyPem, resolveLogKey } from '../../src/log/index.js';
import { scamnet } from '../cli.js';
import { createTestSchema, testDialects, withSchemaLock, withTempDir } from '../harness.js';
import { createStore, migrateToLatest } from '../../src/store/index.js';

const SECRET_FILES = {
  LOG_SIGNING_KEY_FILE: 'log-signing-key.pem',
  DECISION_LINK_SECRET_FILE: 'decision-link-secret',
  ADMIN_TOKEN_FILE: 'admin-token',
} as const;

const dialects = testDialects().filter((d) => d === 'postgres');

describe('secrets on SQLite (one machine)', () => {
  it("stay in each node's files and are not recorded in the store", async () => {
    await withTempDir('scamnet-secrets-sqlite-', async (dir) => {
      const env = {
        DATABASE_URL: `sqlite:${path.join(dir, 'one.db')}`,
        DEMO_DATA: 'false',
        LOG_LEVEL: 'silent',
      };
      const { deps, close } = await openDeps(loadConfig(env, dir));
      const rows = await deps.db.selectFrom('shared_secrets').selectAll().execute();
      await close();
      expect(rows).toEqual([]);
    });
  });
});

describe.each(dialects)('secrets shared by the nodes of one store, on %s', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** A fresh, empty store: its DATABASE_URL (a PostgreSQL schema of its own). */
  async function freshStore(): Promise<string> {
    const url = process.env.TEST_DATABASE_URL ?? '';
    const { schema, databaseUrl, drop } = await createTestSchema();
    cleanups.push(drop);
    // Migrated here, under the lock other suites take to drop their schemas: the nodes below
    // then find nothing to migrate (PostgreSQL DDL can fail while another schema is dropped).
    const store = createStore(
      { dialect: 'postgres', connectionString: url },
      { searchPath: schema },
    );
    try {
      await withSchemaLock('shared', () => migrateToLatest(store.db));
    } finally {
      await store.destroy();
    }
    return databaseUrl;
  }

  /** The environment of a node on `databaseUrl` with its own folder for secret files. */
  function nodeEnv(databaseUrl: string, extra: Record<string, string> = {}) {
    const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-node-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const files = Object.fromEntries(
      Object.entries(SECRET_FILES).map(([variable, name]) => [variable, path.join(dir, name)]),
    ) as Record<keyof typeof SECRET_FILES, string>;
    const env = {
      DATABASE_URL: databaseUrl,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'silent',
      ...files,
      ...extra,
    };
    return { dir, env, files };
  }

  /** Starts a node as the server does (openDeps, writing its secret files) and closes it; the config it ran with. */
  async function start(env: Record<string, string>, dir: string) {
    const config = loadConfig(env, dir);
    // Opening a store migrates it, which reads the catalogue of every schema: under the lock
    // that other suites take to drop theirs ("schema … does not exist" otherwise).
    await withSchemaLock('shared', async () => {
      const { close } = await openDeps(config, { writeSecretFiles: true });
      await close();
    });
    return config;
  }

  const read = (file: string) => readFileSync(file, 'utf8').trim();
  /** The CLI (which opens and migrates the store) under the schema lock, as start() is. */
  const scamnetLocked = (...args: Parameters<typeof scamnet>) =>
    withSchemaLock('shared', () => scamnet(...args));
  /** The store's `shared_secrets` row of the admin token, read through a node of `config`. */
  async function adminTokenRow(config: ReturnType<typeof loadConfig>) {
    return withSchemaLock('shared', async () => {
      const { deps, close } = await openDeps(config);
      try {
        return await deps.db
          .selectFrom('shared_secrets')
          .selectAll()
          .where('name', '=', 'admin_token')
          .executeTakeFirstOrThrow();
      } finally {
        await close();
      }
    });
  }
  const problemsOf = async (run: Promise<unknown>): Promise<readonly string[]> => {
    const error: unknown = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  };

  it('gives a node without secrets the ones the first node generated', async () => {
    const url = await freshStore();
    const a = nodeEnv(url);
    const b = nodeEnv(url);
    const configA = await start(a.env, a.dir);
    const configB = await start(b.env, b.dir);
    for (const variable of Object.keys(SECRET_FILES) as Array<keyof typeof SECRET_FILES>) {
      expect(read(b.files[variable]), variable).toBe(read(a.files[variable]));
      expect(read(a.files[variable]).length, variable).toBeGreaterThanOrEqual(32);
    }
    expect(resolveLogKey(configB).keyId).toBe(resolveLogKey(configA).keyId);
    // Started again, each keeps what it has.
    await start(a.env, a.dir);
    expect(read(a.files.ADMIN_TOKEN_FILE)).toBe(read(b.files.ADMIN_TOKEN_FILE));
  });

  it('refuses to start a node whose secrets contradict the others, naming each and the fix', async () => {
    const url = await freshStore();
    const first = nodeEnv(url);
    await start(first.env, first.dir);

    const otherKey = nodeEnv(url, { LOG_SIGNING_KEY: generateLogKeyPem() });
    expect(await problemsOf(start(otherKey.env, otherKey.dir))).toEqual([
      expect.stringMatching(/^LOG_SIGNING_KEY differs from the one the other nodes/),
    ]);

    const ownFiles = nodeEnv(url);
    writeFileSync(ownFiles.files.ADMIN_TOKEN_FILE, `${'x'.repeat(40)}\n`);
    writeFileSync(ownFiles.files.DECISION_LINK_SECRET_FILE, `${'y'.repeat(40)}\n`);
    const problems = await problemsOf(start(ownFiles.env, ownFiles.dir));
    expect(problems).toEqual([
      expect.stringContaining('DECISION_LINK_SECRET_FILE'),
      expect.stringContaining('ADMIN_TOKEN_FILE'),
    ]);
    expect(problems.join('\n')).toContain('remove the file');
    // Nothing of the refused node's was taken: the first node's secrets still hold.
    const again = nodeEnv(url);
    await start(again.env, again.dir);
    expect(read(again.files.ADMIN_TOKEN_FILE)).toBe(read(first.files.ADMIN_TOKEN_FILE));
  });

  it('keeps a configured secret out of the store and holds every node to it', async () => {
    const url = await freshStore();
    const token = 'configured-admin-token-0123456789abcdef';
    const a = nodeEnv(url, { ADMIN_TOKEN: token });
    const configA = await start(a.env, a.dir);
    const row = await adminTokenRow(configA);
    expect(row.value).toBeNull();
    expect(row.fingerprint).not.toContain(token);

    await start(nodeEnv(url, { ADMIN_TOKEN: token }).env, a.dir);
    // The message says how to change it on purpose.
    const rotated = nodeEnv(url, { ADMIN_TOKEN: `${token}-new` });
    expect((await problemsOf(start(rotated.env, rotated.dir))).join('\n')).toContain(
      "DELETE FROM shared_secrets WHERE name = 'admin_token'",
    );
    const unset = nodeEnv(url);
    expect(await problemsOf(start(unset.env, unset.dir))).toEqual([
      'ADMIN_TOKEN is set on the other nodes of this database: set the same value here.',
    ]);
    const different = nodeEnv(url, { ADMIN_TOKEN: `${token}-other` });
    expect(await problemsOf(start(different.env, different.dir))).toEqual([
      expect.stringMatching(/^ADMIN_TOKEN differs/),
    ]);
  });

  it('fingerprints text secrets with a salt, and upgrades unsalted rows of older versions', async () => {
    const token = 'configured-admin-token-salted-0123456789';
    const sha256 = createHash('sha256').update(token, 'utf8').digest('hex');
    const one = await freshStore();
    const two = await freshStore();
    const a = nodeEnv(one, { ADMIN_TOKEN: token });
    const b = nodeEnv(two, { ADMIN_TOKEN: token });
    const rowA = await adminTokenRow(await start(a.env, a.dir));
    const rowB = await adminTokenRow(await start(b.env, b.dir));
    expect(rowA.fingerprint).toMatch(/^scrypt\$/);
    expect(rowA.fingerprint).not.toContain(sha256);
    // The same token in two stores: two salts, two fingerprints.
    expect(rowB.fingerprint).not.toBe(rowA.fingerprint);

    // A row as version 0024 wrote it: the hex SHA-256 of the token.
    const config = loadConfig(a.env, a.dir);
    await withSchemaLock('shared', async () => {
      const { deps, close } = await openDeps(config);
      await deps.db
        .updateTable('shared_secrets')
        .set({ fingerprint: sha256 })
        .where('name', '=', 'admin_token')
        .execute();
      await close();
    });
    const other = nodeEnv(one, { ADMIN_TOKEN: `${token}-other` });
    expect(await problemsOf(start(other.env, other.dir))).toEqual([
      expect.stringMatching(/^ADMIN_TOKEN differs/),
    ]);
    // The node holding the token starts (adminTokenRow opens it), and the row is salted from then on.
    const upgraded = (await adminTokenRow(config)).fingerprint;
    expect(upgraded).toMatch(/^scrypt\$/);
    expect(await problemsOf(start(other.env, other.dir))).toEqual([
      expect.stringMatching(/^ADMIN_TOKEN differs/),
    ]);
    await start(a.env, a.dir);
    expect((await adminTokenRow(config)).fingerprint).toBe(upgraded);
  });

  it('holds a long secret, and one differing only in Unicode normalisation, to itself', async () => {
    const url = await freshStore();
    // Over the password hasher's 1,024 characters.
    const long = `long-admin-token-${'x'.repeat(2000)}`;
    const a = nodeEnv(url, { ADMIN_TOKEN: long });
    await start(a.env, a.dir);
    await start(nodeEnv(url, { ADMIN_TOKEN: long }).env, a.dir);
    const other = nodeEnv(url, { ADMIN_TOKEN: `${long}y` });
    expect(await problemsOf(start(other.env, other.dir))).toEqual([
      expect.stringMatching(/^ADMIN_TOKEN differs/),
    ]);
    // NFC and NFD spellings of é are different secrets.
    const nfc = await freshStore();
    const composed = 'admin-token-caf\u00e9-0123456789abcdef';
    const b = nodeEnv(nfc, { ADMIN_TOKEN: composed });
    await start(b.env, b.dir);
    const decomposed = nodeEnv(nfc, { ADMIN_TOKEN: composed.normalize('NFD') });
    expect(await problemsOf(start(decomposed.env, decomposed.dir))).toEqual([
      expect.stringMatching(/^ADMIN_TOKEN differs/),
    ]);
  });

  it('forgets a generated value once every node configures it', async () => {
    const url = await freshStore();
    const first = nodeEnv(url);
    await start(first.env, first.dir);
    const token = read(first.files.ADMIN_TOKEN_FILE);
    const configured = nodeEnv(url, { ADMIN_TOKEN: token });
    const config = await start(configured.env, configured.dir);
    const row = await adminTokenRow(config);
    expect(row.value).toBeNull();
  });

  it('the CLI signs with the shared key on another node, and exits 78 with the reason otherwise', async () => {
    const url = await freshStore();
    const a = nodeEnv(url);
    const b = nodeEnv(url);
    const headA = await scamnetLocked(['log', 'sth'], a.env);
    const headB = await scamnetLocked(['log', 'sth'], b.env);
    expect(headA.code, headA.stderr).toBe(0);
    expect(headB.code, headB.stderr).toBe(0);
    expect(JSON.parse(headB.stdout).keyId).toBe(JSON.parse(headA.stdout).keyId);
    const refused = await scamnetLocked(['log', 'sth'], {
      ...b.env,
      LOG_SIGNING_KEY: generateLogKeyPem(),
    });
    expect(refused.code).toBe(78);
    expect(refused.stderr).toMatch(/LOG_SIGNING_KEY differs from the one the other nodes/);
    expect(refused.stderr).not.toMatch(/BEGIN PRIVATE KEY/);
  }, 60_000);

  it('the CLI takes the shared secrets from the store and leaves no file holding them', async () => {
    const url = await freshStore();
    const server = nodeEnv(url);
    const config = await start(server.env, server.dir);
    const serverKeyId = resolveLogKey(config).keyId;
    // A command run from an empty folder with the default *_FILE paths (var/… under it).
    const cwd = mkdtempSync(path.join(tmpdir(), 'scamnet-cli-cwd-'));
    cleanups.push(async () => rmSync(cwd, { recursive: true, force: true }));
    const env = { DATABASE_URL: url, DEMO_DATA: 'false', LOG_LEVEL: 'silent' };
    const head = await scamnetLocked(['log', 'sth'], env, '', cwd);
    expect(head.code, head.stderr).toBe(0);
    expect(JSON.parse(head.stdout).keyId).toBe(serverKeyId);
    expect(readdirSync(cwd, { recursive: true })).toEqual([]);
    // Nor does a first command on a fresh store, which generates them.
    const fresh = await freshStore();
    const first = await scamnetLocked(['log', 'sth'], { ...env, DATABASE_URL: fresh }, '', cwd);
    expect(first.code, first.stderr).toBe(0);
    expect(readdirSync(cwd, { recursive: true })).toEqual([]);
    // …and a server started later takes them from the store.
    const later = nodeEnv(fresh);
    expect(resolveLogKey(await start(later.env, later.dir)).keyId).toBe(
      JSON.parse(first.stdout).keyId,
    );
  }, 60_000);
});
