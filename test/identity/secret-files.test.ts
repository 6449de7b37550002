/**
 * Secret files an operator can break (issue 20): a corrupt or unreadable LOG_SIGNING_KEY_FILE,
 * DECISION_LINK_SECRET_FILE or ADMIN_TOKEN_FILE stops the server and the CLI with exit 78
 * (EX_CONFIG) and one line per file naming its variable and the fix — no stack, no key material.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { checkSecretFiles } from '../../src/identity/index.js';
import { generateLogKeyPem, resolveLogKey } from '../../src/log/index.js';
import { scamnet, spawnServer } from '../cli.js';

/** Text that must never reach the output: it stands for key material. */
const GARBAGE = 'GARBAGE-KEY-MATERIAL-0123456789-not-a-key';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A folder whose three secret files are broken in three ways; the variables naming them. */
function brokenFiles(): { dir: string; env: Record<string, string> } {
  const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-bad-secrets-'));
  dirs.push(dir);
  const logKey = path.join(dir, 'log-signing-key.pem');
  // A PEM frame around garbage: what a truncated copy or the wrong file looks like.
  writeFileSync(logKey, `-----BEGIN PRIVATE KEY-----\n${GARBAGE}\n-----END PRIVATE KEY-----\n`);
  const decisionSecret = path.join(dir, 'decision-link-secret');
  mkdirSync(decisionSecret);
  const adminToken = path.join(dir, 'admin-token');
  writeFileSync(adminToken, `${GARBAGE} with spaces\n`);
  return {
    dir,
    env: {
      DATABASE_URL: `sqlite:${path.join(dir, 'scamnet.db')}`,
      DEMO_DATA: 'false',
      LOG_SIGNING_KEY_FILE: logKey,
      DECISION_LINK_SECRET_FILE: decisionSecret,
      ADMIN_TOKEN_FILE: adminToken,
    },
  };
}

/** Runs the server (`src/main.ts`) until it exits or says it listens. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnServer(env);
    let output = '';
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('Server listening')) child.kill('SIGKILL');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

function expectConfigExit(output: string): void {
  const lines = output.trim().split('\n');
  expect(lines[0]).toMatch(/^(scamnet: )?Invalid configuration:$/);
  expect(lines.slice(1)).toEqual([
    expect.stringMatching(
      /^ {2}- LOG_SIGNING_KEY_FILE \(\S+\) does not hold an Ed25519 private key .*: restore it from a backup, or remove it/,
    ),
    expect.stringMatching(
      /^ {2}- DECISION_LINK_SECRET_FILE \(\S+\) cannot be read \(EISDIR\): make it a file this user can read, or remove it/,
    ),
    expect.stringMatching(
      /^ {2}- ADMIN_TOKEN_FILE \(\S+\) does not hold a token of at least 24 characters without spaces: restore it/,
    ),
  ]);
  expect(output).not.toContain(GARBAGE);
  expect(output).not.toMatch(/^\s+at /m);
}

describe('corrupt secret files', () => {
  it('stop the server with exit 78 and a line per file naming it and the fix', async () => {
    const { env } = brokenFiles();
    const { code, output } = await runServer(env);
    expect(code, output).toBe(78);
    expectConfigExit(output);
  }, 60_000);

  it('stop a CLI command the same way', async () => {
    const { env } = brokenFiles();
    const result = await scamnet(['log', 'sth'], env);
    expect(result.code, result.stderr).toBe(78);
    expectConfigExit(result.stderr);
    expect(result.stdout).toBe('');
  }, 60_000);

  it('are checked only when their secret is not configured', () => {
    const { dir, env } = brokenFiles();
    const configured = loadConfig(
      {
        ...env,
        LOG_SIGNING_KEY: generateLogKeyPem(),
        DECISION_LINK_SECRET: 'd'.repeat(40),
        ADMIN_TOKEN: 'a'.repeat(40),
      },
      dir,
    );
    expect(() => checkSecretFiles(configured)).not.toThrow();
    const error: unknown = (() => {
      try {
        checkSecretFiles(loadConfig(env, dir));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('an empty key file is refused rather than taken for a missing one, and a good one is used', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-secrets-'));
    dirs.push(dir);
    const file = path.join(dir, 'key.pem');
    writeFileSync(file, '\n');
    const config = loadConfig({ LOG_SIGNING_KEY_FILE: file }, dir);
    expect(() => resolveLogKey(config)).toThrow(ConfigError);
    const pem = generateLogKeyPem();
    writeFileSync(file, pem);
    const good = loadConfig({ LOG_SIGNING_KEY_FILE: file }, dir);
    expect(resolveLogKey(good).keyId).toBe(
      resolveLogKey(loadConfig({ LOG_SIGNING_KEY: pem })).keyId,
    );
  });
});
