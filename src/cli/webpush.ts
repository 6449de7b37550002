import type { Command } from 'commander';
import { generateVapidKeys } from '../followers/index.js';

/**
 * `scamnet webpush keys`: prints a new VAPID key pair (RFC 8292) as the two environment lines
 * WEB_PUSH_VAPID_PUBLIC_KEY and WEB_PUSH_VAPID_PRIVATE_KEY. Needs no store. Every node of one
 * deployment must share the pair: browsers subscribed with its public key.
 */
export function registerWebPushCommand(program: Command): void {
  const webpush = program
    .command('webpush')
    .description('Web Push to followers of a case: VAPID keys');
  webpush
    .command('keys')
    .description('print a new VAPID key pair as WEB_PUSH_VAPID_* lines for the environment')
    .action(() => {
      const keys = generateVapidKeys();
      process.stdout.write(
        `WEB_PUSH_VAPID_PUBLIC_KEY=${keys.publicKey}\nWEB_PUSH_VAPID_PRIVATE_KEY=${keys.privateKey}\n`,
      );
    });
}
