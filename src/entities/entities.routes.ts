import { Type } from '@sinclair/typebox';
import { NullableString } from '../http/index.js';

import { errorResponses, signedInRoute } from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';

import {
  createEntity,
  getEntity,
  listEntities,
  listRoutingRules,
  replaceRoutingRules,
  updateEntity,
} from './entities.service.js';

import { literalUnion } from '../http/index.js';
import { ENTITY_KINDS, IMPERSONATED_KINDS, SCAM_TYPES } from '../vocabulary/index.js';
const NAME = Type.String({ minLength: 1, maxLength: 200 });
const LIST = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 200 });
const EntitySchema = Type.Object({
  id: Type.String(),
  kind: literalUnion(ENTITY_KINDS),
  nameZh: Type.String(),
  nameEn: NullableString,
  aliases: Type.Array(Type.String()),
  domains: Type.Array(Type.String()),
  contactEmail: NullableString,
  disabled: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
const EMAIL = Type.String({ maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' });
const RuleSchema = Type.Object({
  id: Type.Integer(),
  priority: Type.Integer(),
  scamType: NullableString,
  impersonatedKind: NullableString,
  platform: NullableString,
  target: Type.String(),
  enabled: Type.Boolean(),
  note: NullableString,
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** Entity registry (`/api/v1/entities…`) and routing rules (`/api/v1/routing-rules`). */
export function registerEntityRoutes(app: App, { deps, auth }: RouteContext): void {
  app.get(
    '/api/v1/entities',
    signedInRoute('entities', 'The entity registry (staff: all; a verifier: their entities)', {
      response: {
        200: Type.Object({ entities: Type.Array(EntitySchema) }),
        ...errorResponses(401, 403),
      },
    }),
    async (request) => ({ entities: await listEntities(deps, await auth.actorOf(request)) }),
  );
  app.get(
    '/api/v1/entities/:id',
    signedInRoute('entities', 'One entity', {
      params: IdParams,
      response: { 200: EntitySchema, ...errorResponses(401, 403, 404) },
    }),
    async (request) => getEntity(deps, await auth.actorOf(request), request.params.id),
  );
  app.post(
    '/api/v1/entities',
    signedInRoute('entities', 'Add a public figure, company or agency (analysts, admins)', {
      body: Type.Object(
        {
          id: Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]+$' }),
          kind: literalUnion(ENTITY_KINDS),
          nameZh: NAME,
          nameEn: Type.Optional(NAME),
          aliases: Type.Optional(LIST),
          domains: Type.Optional(LIST),
          contactEmail: Type.Optional(EMAIL),
        },
        { additionalProperties: false },
      ),
      response: { 201: EntitySchema, ...errorResponses(400, 401, 403, 409) },
    }),
    async (request, reply) =>
      reply.status(201).send(await createEntity(deps, await auth.actorOf(request), request.body)),
  );
  app.patch(
    '/api/v1/entities/:id',
    signedInRoute('entities', 'Change an entity (analysts, admins)', {
      params: IdParams,
      body: Type.Object(
        {
          kind: Type.Optional(literalUnion(ENTITY_KINDS)),
          nameZh: Type.Optional(NAME),
          nameEn: Type.Optional(NAME),
          aliases: Type.Optional(LIST),
          domains: Type.Optional(LIST),
          contactEmail: Type.Optional(EMAIL),
          disabled: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false },
      ),
      response: { 200: EntitySchema, ...errorResponses(400, 401, 403, 404) },
    }),
    async (request) =>
      updateEntity(deps, await auth.actorOf(request), request.params.id, request.body),
  );
  app.get(
    '/api/v1/routing-rules',
    signedInRoute('entities', 'Routing rules in evaluation order (analysts, admins)', {
      response: {
        200: Type.Object({ rules: Type.Array(RuleSchema) }),
        ...errorResponses(401, 403),
      },
    }),
    async (request) => ({ rules: await listRoutingRules(deps, await auth.actorOf(request)) }),
  );
  app.put(
    '/api/v1/routing-rules',
    signedInRoute('entities', 'Replace the routing rules (admins)', {
      body: Type.Object(
        {
          rules: Type.Array(
            Type.Object(
              {
                priority: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
                scamType: Type.Optional(Type.Union([literalUnion(SCAM_TYPES), Type.Null()])),
                impersonatedKind: Type.Optional(
                  Type.Union([literalUnion(IMPERSONATED_KINDS), Type.Null()]),
                ),
                platform: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
                target: Type.String({ minLength: 1, maxLength: 64 }),
                note: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
                enabled: Type.Optional(Type.Boolean()),
              },
              { additionalProperties: false },
            ),
            { minItems: 1, maxItems: 500 },
          ),
        },
        { additionalProperties: false },
      ),
      response: {
        200: Type.Object({ rules: Type.Array(RuleSchema) }),
        ...errorResponses(400, 401, 403),
      },
    }),
    async (request) => ({
      rules: await replaceRoutingRules(deps, await auth.actorOf(request), request.body.rules),
    }),
  );
}
