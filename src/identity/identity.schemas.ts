import { Type } from '@sinclair/typebox';
import { NullableString } from '../http/index.js';
import { PublicCaseSchema } from '../cases/index.js';
import { PAGE_FIELDS, pagingQuery } from '../http/index.js';

import { MY_REPORTS_LIMIT } from './my-reports.js';
import { MAX_PASSWORD_LENGTH } from './password.js';
import { ACCOUNT_ROLES, MAX_ENTITIES } from './scope.js';

import { PlatformSchema, literalUnion } from '../http/index.js';
import { ROLES, SOURCE_KINDS } from '../vocabulary/index.js';
import { KEY_SOURCE_KINDS } from './report-source.js';
const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);
const RoleSchema = literalUnion(ACCOUNT_ROLES, 'Role of the account or key');
const EntityIdsSchema = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
  maxItems: MAX_ENTITIES,
  description: 'Entity IDs a verifier acts for',
});
const NullablePlatform = Type.Union([PlatformSchema, Type.Null()], {
  description: 'The platform a platform liaison acts for',
});

export const UserProfileSchema = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    displayName: Type.String(),
    role: RoleSchema,
    entityIds: Type.Array(Type.String()),
    platform: NullablePlatform,
  },
  { description: 'A signed-in person' },
);

export const UserAccountSchema = Type.Object(
  {
    ...UserProfileSchema.properties,
    createdAt: DateTime,
    updatedAt: DateTime,
    disabledAt: NullableDateTime,
    lastLoginAt: NullableDateTime,
  },
  { description: 'An account as an admin sees it (never its password)' },
);

export const ApiKeySchema = Type.Object(
  {
    id: Type.String({ description: 'Public part of the key: snk_<id>_…' }),
    name: Type.String(),
    role: RoleSchema,
    entityIds: Type.Array(Type.String()),
    platform: NullablePlatform,
    sourceKind: literalUnion(SOURCE_KINDS, 'The source its reports come from'),
    sourceName: Type.Union([Type.String(), Type.Null()], {
      description: "The source's name; null for citizen",
    }),
    createdBy: Type.String(),
    createdAt: DateTime,
    lastUsedAt: NullableDateTime,
    revokedAt: NullableDateTime,
  },
  { description: 'An API key (never the key itself after creation)' },
);

export const LoginBodySchema = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
);

export const LoginResponseSchema = Type.Object({
  user: UserProfileSchema,
  csrfToken: Type.String({ description: 'Send it as x-csrf-token on POST/PUT/PATCH/DELETE' }),
  expiresAt: DateTime,
});

export const MeResponseSchema = Type.Object({
  actor: Type.Object({
    role: literalUnion(ROLES),
    id: Type.String(),
    entityIds: Type.Array(Type.String()),
    platform: NullablePlatform,
  }),
  via: literalUnion(['session', 'api_key', 'admin_token'] as const),
  user: Type.Union([UserProfileSchema, Type.Null()]),
  csrfToken: NullableString,
});

export const CreateUserBodySchema = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    role: RoleSchema,
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
    password: Type.Optional(
      Type.String({ maxLength: MAX_PASSWORD_LENGTH, description: 'Omit to generate one' }),
    ),
    entityIds: Type.Optional(EntityIdsSchema),
    platform: Type.Optional(NullablePlatform),
  },
  { additionalProperties: false },
);

export const UpdateUserBodySchema = Type.Object(
  {
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
    role: Type.Optional(RoleSchema),
    entityIds: Type.Optional(EntityIdsSchema),
    platform: Type.Optional(NullablePlatform),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const PasswordBodySchema = Type.Object(
  {
    password: Type.Optional(
      Type.String({ maxLength: MAX_PASSWORD_LENGTH, description: 'Omit to generate one' }),
    ),
  },
  { additionalProperties: false },
);

export const ChangePasswordBodySchema = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
    newPassword: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
);

export const UserWithPasswordResponseSchema = Type.Object({
  user: UserAccountSchema,
  generatedPassword: Type.Optional(
    Type.String({ description: 'Only when scamnet generated the password; shown once' }),
  ),
});

export const UserResponseSchema = Type.Object({ user: UserAccountSchema });
export const UsersResponseSchema = Type.Object({ users: Type.Array(UserAccountSchema) });

export const UserParamsSchema = Type.Object({
  id: Type.String({ pattern: '^U[0-9A-HJKMNP-TV-Z]{16}$', description: 'User ID' }),
});

export const CreateApiKeyBodySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: RoleSchema,
    entityIds: Type.Optional(EntityIdsSchema),
    platform: Type.Optional(NullablePlatform),
    sourceKind: Type.Optional(
      Type.Union([literalUnion(KEY_SOURCE_KINDS), Type.Literal('citizen'), Type.Null()], {
        description:
          'For a reporter key: the source its reports come from (never taken from a report ' +
          'body); none or citizen for a citizen client',
      }),
    ),
    sourceName: Type.Optional(
      Type.Union([Type.String({ pattern: '^[a-z0-9_.-]{1,64}$' }), Type.Null()], {
        description:
          "The source's name, required with a source kind; the namespace of its externalIds",
      }),
    ),
  },
  { additionalProperties: false },
);

export const CreatedApiKeyResponseSchema = Type.Object({
  apiKey: ApiKeySchema,
  key: Type.String({ description: 'snk_<id>_<secret>: shown once, stored only hashed' }),
});

export const ApiKeyResponseSchema = Type.Object({ apiKey: ApiKeySchema });
export const ApiKeysResponseSchema = Type.Object({ apiKeys: Type.Array(ApiKeySchema) });

export const ApiKeyParamsSchema = Type.Object({
  id: Type.String({ pattern: '^[0-9a-hjkmnp-tv-z]{10}$', description: 'API key ID' }),
});

export const MyReportsResponseSchema = Type.Object({
  reports: Type.Array(
    Type.Object({
      id: Type.String(),
      receivedAt: DateTime,
      url: NullableString,
      text: NullableString,
      platform: NullableString,
      case: PublicCaseSchema,
    }),
  ),
  ...PAGE_FIELDS,
});

export const MyReportsQuerySchema = Type.Object(
  { ...pagingQuery({ defaultLimit: MY_REPORTS_LIMIT }) },
  { additionalProperties: false },
);
