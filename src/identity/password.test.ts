import { describe, expect, it } from 'vitest';
import { assertPasswordAcceptable, hashPassword, verifyPassword } from './password.js';

describe('password hashing (scrypt)', () => {
  it('stores a self-describing scrypt string that verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash and normalises Unicode (NFC)', async () => {
    const a = await hashPassword('密碼密碼密碼密碼密碼密碼é');
    const b = await hashPassword('密碼密碼密碼密碼密碼密碼é');
    expect(a).not.toBe(b);
    expect(await verifyPassword('密碼密碼密碼密碼密碼密碼e\u0301', a)).toBe(true);
  });

  it('never matches a malformed or unbounded stored string', async () => {
    const good = await hashPassword('correct horse battery staple');
    const [, , , , salt, key] = good.split('$');
    for (const stored of [
      '',
      'plain-text-password',
      `argon2$32768$8$1$${salt}$${key}`,
      `scrypt$1000$8$1$${salt}$${key}`,
      `scrypt$${2 ** 24}$8$1$${salt}$${key}`,
      `scrypt$32768$8$1$$${key}`,
      `scrypt$32768$8$1$${salt}$`,
      `scrypt$32768$8$1$${salt}`,
    ]) {
      expect(await verifyPassword('correct horse battery staple', stored), stored).toBe(false);
    }
  });

  it('refuses passwords shorter than 12 characters', () => {
    expect(() => assertPasswordAcceptable('short-pw-11')).toThrow(
      expect.objectContaining({ status: 400, code: 'weak_password' }),
    );
    expect(() => assertPasswordAcceptable('twelve-chars')).not.toThrow();
  });
});
