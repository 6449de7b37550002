/** `scamnet webpush keys` (issue 15): a VAPID key pair the configuration accepts and that signs. */
import { createECDH } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { scamnet } from '../cli.js';

describe('scamnet webpush keys', () => {
  it('prints a matching P-256 pair as WEB_PUSH_VAPID_* lines loadConfig accepts, new each time', async () => {
    const first = await scamnet(['webpush', 'keys']);
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines.map((l) => l.split('=')[0])).toEqual([
      'WEB_PUSH_VAPID_PUBLIC_KEY',
      'WEB_PUSH_VAPID_PRIVATE_KEY',
    ]);
    const env = Object.fromEntries(
      lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const publicKey = env.WEB_PUSH_VAPID_PUBLIC_KEY ?? '';
    const privateKey = env.WEB_PUSH_VAPID_PRIVATE_KEY ?? '';
    // The public key is the private key's point (uncompressed, 65 bytes).
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(privateKey, 'base64url'));
    expect(ecdh.getPublicKey().toString('base64url')).toBe(publicKey);
    const config = loadConfig({ ...env, WEB_PUSH_SUBJECT: 'mailto:ops@scamnet.test' });
    expect(config.webPush).toEqual({ publicKey, privateKey, subject: 'mailto:ops@scamnet.test' });
    const second = await scamnet(['webpush', 'keys']);
    expect(second.stdout).not.toBe(first.stdout);
  });

  it('is refused by loadConfig when only part of WEB_PUSH_* is set, or a key is malformed', async () => {
    expect(() => loadConfig({ WEB_PUSH_SUBJECT: 'mailto:ops@scamnet.test' })).toThrow(
      /must be set together/,
    );
    expect(() =>
      loadConfig({
        WEB_PUSH_VAPID_PUBLIC_KEY: 'AAAA',
        WEB_PUSH_VAPID_PRIVATE_KEY: Buffer.alloc(32, 1).toString('base64url'),
        WEB_PUSH_SUBJECT: 'ops@scamnet.test',
      }),
    ).toThrow(/WEB_PUSH_VAPID_PUBLIC_KEY[\s\S]*WEB_PUSH_SUBJECT/);
    expect(loadConfig({}).webPush).toBeNull();
  });
});
