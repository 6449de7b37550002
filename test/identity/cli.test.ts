import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';

import { signIn } from '../../src/identity/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { FakeClock } from '../../src/shared/clock.js';
import { createStore } from '../../src/store/index.js';
import { expectDataError, scamnet } from '../cli.js';
import { listEvents } from '../../src/log/index.js';

// Each spawn starts Node with tsx (about a second or two on a busy machine).
const CLI_TIMEOUT_MS = 120_000;

describe('scamnet user and apikey commands', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-id-cli-'));
  const databaseUrl = `sqlite:${path.join(dir, 'cli.db')}`;
  const env = { DATABASE_URL: databaseUrl };

  it(
    'adds accounts (password from stdin or generated once), lists and disables them',
    async () => {
      const added = await scamnet(
        [
          'user',
          'add',
          '--email',
          'Office@President.example',
          '--role',
          'verifier',
          '--name',
          '總統府',
          '--entity',
          'ENT-1',
          '--entity',
          'ENT-2',
          '--password-stdin',
        ],
        env,
        'a long enough password\n',
      );
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);
      const { user } = JSON.parse(added.stdout);
      expect(user).toMatchObject({
        email: 'office@president.example',
        role: 'verifier',
        displayName: '總統府',
        entityIds: ['ENT-1', 'ENT-2'],
      });
      expect(added.stdout).not.toContain('generatedPassword');

      const generated = await scamnet(
        [
          'user',
          'add',
          '--email',
          'liaison@line.example',
          '--role',
          'platform_liaison',
          '--platform',
          'line',
        ],
        env,
      );
      expect(generated.code).toBe(0);
      const password = JSON.parse(generated.stdout).generatedPassword;
      expect(password).toMatch(/^[\w-]{20}$/);
      expect(generated.stderr).toMatch(/shown only this once/);

      const store = createStore(loadConfig({ DATABASE_URL: databaseUrl }).store);
      try {
        const deps = {
          db: store.db,
          dialect: store.dialect,
          clock: new FakeClock(Date.now()),
          config: loadConfig({ DATABASE_URL: databaseUrl }),
          log: createLogger('silent'),
        };
        const signedIn = await signIn(deps, {
          email: 'office@president.example',
          password: 'a long enough password',
        });
        expect(signedIn.user.entityIds).toEqual(['ENT-1', 'ENT-2']);
        await expect(
          signIn(deps, { email: 'liaison@line.example', password }),
        ).resolves.toMatchObject({
          user: { role: 'platform_liaison', platform: 'line' },
        });
        const events = await listEvents(store.db, 'user', user.id);
        expect(events.map((e) => [e.type, e.actor])).toEqual([['user.created', 'admin:cli']]);
      } finally {
        await store.destroy();
      }

      expectDataError(
        await scamnet(
          ['user', 'add', '--email', 'x@example.test', '--role', 'analyst', '--password-stdin'],
          env,
          'short\n',
        ),
        /weak_password/,
      );
      expectDataError(
        await scamnet(['user', 'add', '--email', 'v@example.test', '--role', 'verifier'], env),
        /entity_required/,
      );

      const listed = await scamnet(['user', 'list'], env);
      expect(listed.code).toBe(0);
      const lines = listed.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.map((u) => u.email)).toEqual([
        'office@president.example',
        'liaison@line.example',
      ]);
      expect(listed.stdout).not.toMatch(/scrypt/);

      const disabled = await scamnet(['user', 'disable', 'liaison@line.example'], env);
      expect(disabled.code).toBe(0);
      expect(JSON.parse(disabled.stdout).disabledAt).not.toBeNull();
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'creates (shown once), lists and revokes API keys',
    async () => {
      const created = await scamnet(
        ['apikey', 'create', '--name', 'LINE bot', '--role', 'reporter'],
        env,
      );
      expect(created.code).toBe(0);
      const { apiKey, key } = JSON.parse(created.stdout);
      expect(key).toMatch(new RegExp(`^snk_${apiKey.id}_[0-9a-z]{40}$`));
      expect(created.stderr).toMatch(/shown only this once/);

      const listed = await scamnet(['apikey', 'list'], env);
      expect(listed.code).toBe(0);
      expect(JSON.parse(listed.stdout.trim())).toMatchObject({
        id: apiKey.id,
        name: 'LINE bot',
        revokedAt: null,
      });
      expect(listed.stdout).not.toContain(key);

      const revoked = await scamnet(['apikey', 'revoke', apiKey.id], env);
      expect(revoked.code).toBe(0);
      expect(JSON.parse(revoked.stdout).revokedAt).not.toBeNull();
      expectDataError(await scamnet(['apikey', 'revoke', 'zzzzzzzzzz'], env), /api_key_not_found/);
      expectDataError(
        await scamnet(['apikey', 'create', '--name', 'x', '--role', 'platform_liaison'], env),
        /platform_required/,
      );

      const sourced = await scamnet(
        [
          'apikey',
          'create',
          '--name',
          'Whoscall',
          '--role',
          'reporter',
          '--source-kind',
          'partner',
          '--source-name',
          'whoscall',
        ],
        env,
      );
      expect(sourced.code, sourced.stderr).toBe(0);
      expect(JSON.parse(sourced.stdout).apiKey).toMatchObject({
        sourceKind: 'partner',
        sourceName: 'whoscall',
      });
      expectDataError(
        await scamnet(
          ['apikey', 'create', '--name', 'x', '--role', 'reporter', '--source-kind', 'scanner'],
          env,
        ),
        /source_name_required/,
      );
    },
    CLI_TIMEOUT_MS,
  );
});
