/**
 * The staff console's registry and administration API: entities and routing rules, blocklist
 * entries, accounts and API keys.
 */
import { PLATFORMS, type Platform } from './api';
import {
  ENTITY_KINDS,
  IMPERSONATED_KINDS,
  SOURCE_KINDS,
  type EntityKind,
  type ImpersonatedKind,
  type SourceKind,
} from '../../src/vocabulary/index.js';
import { ACCOUNT_ROLES, type AccountRole } from './api-auth';
import { SCAM_TYPES, type ScamType } from './api-workflow';
import { request } from './http';
import { Reader } from './reader';

const enc = encodeURIComponent;

export { ENTITY_KINDS, IMPERSONATED_KINDS, SOURCE_KINDS };
export type { EntityKind, ImpersonatedKind, SourceKind };

/**
 * The source kinds a reporter key can be issued for (`citizen`: none); a public figure reports
 * with a verifier credential.
 */
export const KEY_SOURCE_KINDS = SOURCE_KINDS.filter((kind) => kind !== 'public_figure');

export interface Entity {
  id: string;
  kind: EntityKind;
  nameZh: string;
  nameEn: string | null;
  aliases: string[];
  domains: string[];
  contactEmail: string | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

function readEntity(r: Reader): Entity {
  return {
    id: r.str('id'),
    kind: r.oneOf('kind', ENTITY_KINDS),
    nameZh: r.str('nameZh'),
    nameEn: r.nstr('nameEn'),
    aliases: r.strs('aliases'),
    domains: r.strs('domains'),
    contactEmail: r.nstr('contactEmail'),
    disabled: r.bool('disabled'),
    createdAt: r.str('createdAt'),
    updatedAt: r.str('updatedAt'),
  };
}

export async function getEntities(signal?: AbortSignal): Promise<Entity[]> {
  return new Reader(await request('/api/v1/entities', { signal }), 'entities').list(
    'entities',
    readEntity,
  );
}

export interface EntityInput {
  kind: EntityKind;
  nameZh: string;
  nameEn?: string;
  aliases?: string[];
  domains?: string[];
  contactEmail?: string;
}

export async function createEntity(input: EntityInput & { id: string }): Promise<Entity> {
  return readEntity(
    new Reader(await request('/api/v1/entities', { method: 'POST', body: input }), 'entity'),
  );
}

export async function updateEntity(
  id: string,
  input: Partial<EntityInput> & { disabled?: boolean },
): Promise<Entity> {
  return readEntity(
    new Reader(
      await request(`/api/v1/entities/${enc(id)}`, { method: 'PATCH', body: input }),
      'entity',
    ),
  );
}

export interface RoutingRule {
  priority: number;
  scamType: ScamType | null;
  impersonatedKind: ImpersonatedKind | null;
  platform: string | null;
  /** `impersonated` (the impersonated entity itself) or an entity ID. */
  target: string;
  enabled: boolean;
  note: string | null;
}

function readRule(r: Reader): RoutingRule & { id: number } {
  return {
    id: r.num('id'),
    priority: r.num('priority'),
    scamType: r.oneOfOr('scamType', SCAM_TYPES, null),
    impersonatedKind: r.oneOfOr('impersonatedKind', IMPERSONATED_KINDS, null),
    platform: r.nstr('platform'),
    target: r.str('target'),
    enabled: r.bool('enabled'),
    note: r.nstr('note'),
  };
}

export async function getRoutingRules(
  signal?: AbortSignal,
): Promise<Array<RoutingRule & { id: number }>> {
  return new Reader(await request('/api/v1/routing-rules', { signal }), 'rules').list(
    'rules',
    readRule,
  );
}

/** Replaces every routing rule (admins). */
export async function saveRoutingRules(
  rules: RoutingRule[],
): Promise<Array<RoutingRule & { id: number }>> {
  return new Reader(
    await request('/api/v1/routing-rules', { method: 'PUT', body: { rules } }),
    'rules',
  ).list('rules', readRule);
}

export interface UserAccount {
  id: string;
  email: string;
  displayName: string;
  role: AccountRole;
  entityIds: string[];
  platform: Platform | null;
  createdAt: string;
  disabledAt: string | null;
  lastLoginAt: string | null;
}

/** The scope an account and an API key share: role, entities (verifiers), platform (liaisons). */
function readScope(r: Reader): Pick<UserAccount, 'role' | 'entityIds' | 'platform'> {
  return {
    role: r.oneOf('role', ACCOUNT_ROLES),
    entityIds: r.strs('entityIds'),
    platform: r.oneOfOr('platform', PLATFORMS, null),
  };
}

function readUser(r: Reader): UserAccount {
  return {
    id: r.str('id'),
    email: r.str('email'),
    displayName: r.str('displayName'),
    ...readScope(r),
    createdAt: r.str('createdAt'),
    disabledAt: r.nstr('disabledAt'),
    lastLoginAt: r.nstr('lastLoginAt'),
  };
}

export async function getUsers(signal?: AbortSignal): Promise<UserAccount[]> {
  return new Reader(await request('/api/v1/users', { signal }), 'users').list('users', readUser);
}

export interface ScopedInput {
  role: AccountRole;
  entityIds?: string[];
  platform?: Platform;
}

/** Creates an account; the generated password comes back once. */
export async function createUserAccount(
  input: ScopedInput & { email: string; displayName?: string },
): Promise<{ user: UserAccount; generatedPassword: string | null }> {
  const body = new Reader(await request('/api/v1/users', { method: 'POST', body: input }), 'user');
  return { user: readUser(body.obj('user')), generatedPassword: body.nstr('generatedPassword') };
}

export async function setUserDisabled(id: string, disabled: boolean): Promise<UserAccount> {
  return readUser(
    new Reader(
      await request(`/api/v1/users/${enc(id)}/${disabled ? 'disable' : 'enable'}`, {
        method: 'POST',
      }),
      'user',
    ).obj('user'),
  );
}

export interface ApiKey {
  id: string;
  name: string;
  role: AccountRole;
  entityIds: string[];
  platform: Platform | null;
  /** The source its reports come from (`citizen` for a key without one). */
  sourceKind: SourceKind;
  sourceName: string | null;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function readApiKey(r: Reader): ApiKey {
  return {
    id: r.str('id'),
    name: r.str('name'),
    ...readScope(r),
    sourceKind: r.oneOfOr('sourceKind', SOURCE_KINDS, 'citizen'),
    sourceName: r.nstr('sourceName'),
    createdBy: r.str('createdBy'),
    createdAt: r.str('createdAt'),
    lastUsedAt: r.nstr('lastUsedAt'),
    revokedAt: r.nstr('revokedAt'),
  };
}

export async function getApiKeys(signal?: AbortSignal): Promise<ApiKey[]> {
  return new Reader(await request('/api/v1/api-keys', { signal }), 'apiKeys').list(
    'apiKeys',
    readApiKey,
  );
}

/** Creates an API key; the key itself is returned only this once. */
export async function createApiKey(
  input: ScopedInput & { name: string; sourceKind?: SourceKind; sourceName?: string },
): Promise<{ apiKey: ApiKey; key: string }> {
  const body = new Reader(
    await request('/api/v1/api-keys', { method: 'POST', body: input }),
    'apiKey',
  );
  return { apiKey: readApiKey(body.obj('apiKey')), key: body.str('key') };
}

export async function revokeApiKey(id: string): Promise<ApiKey> {
  return readApiKey(
    new Reader(
      await request(`/api/v1/api-keys/${enc(id)}/revoke`, { method: 'POST' }),
      'apiKey',
    ).obj('apiKey'),
  );
}
