import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.js';
import { ROLES, type Role } from '../vocabulary/index.js';
import type { Actor } from './actor.js';
import { PERMISSIONS, authorize, can, type Permission } from './permissions.js';

function actorOf(role: Role): Actor {
  switch (role) {
    case 'public':
      return { role };
    case 'verifier':
      return { role, id: 'user:v', entityIds: ['e1'] };
    case 'platform_liaison':
      return { role, id: 'user:p', platform: 'line' };
    default:
      return { role, id: `user:${role}` };
  }
}

function statusOf(thrown: unknown): number | undefined {
  return isAppError(thrown) ? thrown.status : undefined;
}

describe('the policy table', () => {
  const permissions = Object.keys(PERMISSIONS) as Permission[];

  it('grants every permission to exactly its roles, for every role', () => {
    for (const permission of permissions) {
      const holders: readonly Role[] = PERMISSIONS[permission].roles;
      expect(holders.length).toBeGreaterThan(0);
      for (const role of ROLES) {
        const actor = actorOf(role);
        expect(can(actor, permission)).toBe(holders.includes(role));
        let thrown: unknown;
        try {
          authorize(actor, permission);
        } catch (error) {
          thrown = error;
        }
        if (holders.includes(role)) expect(thrown).toBeUndefined();
        else expect(statusOf(thrown)).toBe(role === 'public' ? 401 : 403);
      }
    }
  });

  it('never grants anything to the anonymous public', () => {
    for (const permission of permissions) expect(can(actorOf('public'), permission)).toBe(false);
  });

  it('names the action in a refusal, with an override for actions worded at the call', () => {
    expect(() => authorize(actorOf('reporter'), 'case.merge')).toThrow(
      'A reporter may not merge cases.',
    );
    expect(() => authorize(actorOf('public'), 'notice.read')).toThrow(
      'Sign in or send a bearer token to read takedown notices.',
    );
    expect(() => authorize(actorOf('analyst'), 'user.disable', 'disable users')).toThrow(
      'An analyst may not disable users.',
    );
  });
});
