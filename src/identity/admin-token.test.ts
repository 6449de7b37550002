import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { AdminTokenAuthenticator, resolveAdminToken } from './admin-token.js';

describe('resolveAdminToken', () => {
  it('generates a token into a 0600 file once and reuses it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scamnet-token-'));
    const config = loadConfig({}, dir);
    const first = resolveAdminToken(config);
    expect(first.source).toBe('generated');
    expect(first.token.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(config.adminTokenFile, 'utf8').trim()).toBe(first.token);
    expect(statSync(config.adminTokenFile).mode & 0o777).toBe(0o600);
    expect(resolveAdminToken(config)).toEqual({ token: first.token, source: 'file' });
  });

  it('prefers ADMIN_TOKEN', () => {
    const config = loadConfig({ ADMIN_TOKEN: 'x'.repeat(30) }, '/nonexistent');
    expect(resolveAdminToken(config)).toEqual({ token: 'x'.repeat(30), source: 'env' });
  });
});

describe('AdminTokenAuthenticator', () => {
  const auth = new AdminTokenAuthenticator('the-right-token-of-enough-length');
  it('accepts the right bearer token and treats no header as the public', () => {
    expect(auth.authenticate('Bearer the-right-token-of-enough-length')).toEqual({
      role: 'admin',
      id: 'admin:token',
    });
    expect(auth.authenticate(undefined)).toEqual({ role: 'public' });
  });

  it('rejects a wrong or malformed credential with 401', () => {
    for (const header of [
      'Bearer wrong',
      'the-right-token-of-enough-length',
      'Basic dXNlcjpwYXNz',
      'Bearer ',
    ]) {
      expect(() => auth.authenticate(header), header).toThrow(
        expect.objectContaining({ status: 401, code: 'unauthorized' }),
      );
    }
  });
});
