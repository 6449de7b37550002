import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/index.js';
import { errorResponses, pageBody, sharedClientLimit, signedInRoute } from '../http/index.js';
import type { App, RouteContext } from '../http/index.js';
import type { Authenticator } from './authenticator.js';
import { forbidden, unauthorized } from '../shared/errors.js';
import type { Actor } from '../policy/index.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.service.js';
import { CSRF_HEADER, SESSION_COOKIE, csrfFailed, csrfMatches } from './credentials.js';
import {
  ApiKeyParamsSchema,
  ApiKeyResponseSchema,
  ApiKeysResponseSchema,
  ChangePasswordBodySchema,
  CreateApiKeyBodySchema,
  CreatedApiKeyResponseSchema,
  CreateUserBodySchema,
  LoginBodySchema,
  LoginResponseSchema,
  MeResponseSchema,
  MyReportsQuerySchema,
  MyReportsResponseSchema,
  PasswordBodySchema,
  UpdateUserBodySchema,
  UserParamsSchema,
  UserResponseSchema,
  UsersResponseSchema,
  UserWithPasswordResponseSchema,
} from './identity.schemas.js';
import { listMyReports } from './my-reports.js';
import { changeOwnPassword, resolveSession, signIn, signOut } from './sessions.service.js';
import {
  createUser,
  getUser,
  listUsers,
  resetPassword,
  setUserDisabled,
  updateUser,
} from './users.service.js';

const ADMIN_ERRORS = errorResponses(400, 401, 403, 404, 409);

/** Cookie attributes of the session cookie: HttpOnly, SameSite=Strict, Path=/, Secure by default. */
function sessionCookie(config: Config, maxAgeSeconds?: number): CookieSerializeOptions {
  return {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: config.cookieSecure,
    ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
  };
}

/** The e-mail address of a sign-in body, lowercased, for the per-address rate limit key. */
/** SHA-256 hex of the e-mail address a sign-in names: rate-limit counters may live in Redis. */
function loginAccountKey(request: FastifyRequest): string {
  return createHash('sha256').update(loginEmailOf(request)).digest('hex');
}

const FIFTEEN_MINUTES = 15 * 60_000;

/**
 * The sign-in limits besides the route's own per (IP, e-mail): per client IP whatever the
 * addresses (password spraying) and per e-mail address from every IP (a distributed guess at one
 * account). Each attempt counts in all three; the first exhausted answers 429 `rate_limited`.
 */
function loginLimits(app: App, config: Config) {
  const { loginPerIpPer15Minutes, loginPerAccountPer15Minutes } = config.rateLimits;
  return [
    ...sharedClientLimit(app, {
      name: 'login-ip',
      max: loginPerIpPer15Minutes,
      windowMs: FIFTEEN_MINUTES,
    }),
    ...sharedClientLimit(app, {
      name: 'login-account',
      max: loginPerAccountPer15Minutes,
      windowMs: FIFTEEN_MINUTES,
      key: loginAccountKey,
    }),
  ];
}

function loginEmailOf(request: FastifyRequest): string {
  const body = request.body;
  if (typeof body === 'object' && body !== null && 'email' in body) {
    const email = body.email;
    if (typeof email === 'string') return email.trim().toLowerCase().slice(0, 254);
  }
  return '';
}

function presentActor(actor: Actor) {
  return {
    role: actor.role,
    id: actor.role === 'public' ? 'public' : actor.id,
    entityIds: actor.role === 'verifier' ? [...actor.entityIds] : [],
    platform: actor.role === 'platform_liaison' ? actor.platform : null,
  };
}

/**
 * Identity routes: web sign-in (`/api/v1/auth/login|logout|me`), a reporter's own reports
 * (`/api/v1/me/reports`), and the admin API for accounts (`/api/v1/users…`) and API keys
 * (`/api/v1/api-keys…`). Permissions are checked in the services.
 */
export function registerIdentityRoutes(
  app: App,
  { deps, auth }: RouteContext<Authenticator>,
): void {
  const { config } = deps;
  const loginLimit = config.loginRateLimitPer15Minutes;

  app.post(
    '/api/v1/auth/login',
    {
      config: {
        rateLimit:
          loginLimit > 0
            ? {
                max: loginLimit,
                timeWindow: FIFTEEN_MINUTES,
                hook: 'preHandler',
                // The address is hashed: the counter may live in a shared Redis for 15 minutes.
                keyGenerator: (request) => `login|${request.ip}|${loginAccountKey(request)}`,
              }
            : false,
      },
      preHandler: loginLimits(app, config),
      schema: {
        tags: ['identity'],
        summary: 'Sign in with e-mail and password; sets the session cookie',
        body: LoginBodySchema,
        response: { 200: LoginResponseSchema, ...errorResponses(400, 401, 429, 503) },
      },
    },
    async (request, reply) => {
      const previous = request.cookies[SESSION_COOKIE];
      const result = await signIn(deps, request.body);
      if (previous !== undefined && previous !== '') await signOut(deps, previous);
      void reply
        .header('cache-control', 'no-store')
        .setCookie(
          SESSION_COOKIE,
          result.token,
          sessionCookie(config, config.sessionTtlHours * 3600),
        );
      return { user: result.user, csrfToken: result.csrfToken, expiresAt: result.expiresAt };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags: ['identity'],
        summary: 'End the web session and clear its cookie (always succeeds without one)',
        response: { 204: Type.Null(), ...errorResponses(403) },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token !== undefined && token !== '') {
        const session = await resolveSession(deps, token).catch(() => undefined);
        if (session !== undefined) {
          // A live session is only ended by a page that holds its CSRF token.
          if (!csrfMatches(request.headers[CSRF_HEADER], session.csrfToken)) throw csrfFailed();
          await signOut(deps, token);
        }
      }
      return reply.clearCookie(SESSION_COOKIE, sessionCookie(config)).status(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    signedInRoute('identity', 'Who the request is signed in as (and the session CSRF token)', {
      response: { 200: MeResponseSchema, ...errorResponses(401) },
    }),
    async (request, reply) => {
      const credential = await auth.credentialOf(request);
      if (credential.kind === 'none') throw unauthorized('Not signed in.');
      void reply.header('cache-control', 'no-store');
      const session = credential.kind === 'session' ? credential.session : undefined;
      return {
        actor: presentActor(credential.actor),
        via: credential.kind,
        user: session?.user ?? null,
        csrfToken: session?.csrfToken ?? null,
      };
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      schema: {
        tags: ['identity'],
        summary: 'Change your own password (web session); your other sessions end',
        security: [{ cookieAuth: [] }],
        body: ChangePasswordBodySchema,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const credential = await auth.credentialOf(request);
      if (credential.kind === 'none') throw unauthorized('Sign in to change your password.');
      if (credential.kind !== 'session') {
        throw forbidden('Only a signed-in person can change their password.');
      }
      await changeOwnPassword(deps, credential.session, request.body);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/reports',
    signedInRoute(
      'identity',
      "A signed-in reporter's own reports with their cases' public status, newest first, paged with the total",
      {
        querystring: MyReportsQuerySchema,
        response: { 200: MyReportsResponseSchema, ...errorResponses(400, 401, 403) },
      },
    ),
    async (request) =>
      pageBody('reports', await listMyReports(deps, await auth.actorOf(request), request.query)),
  );

  app.get(
    '/api/v1/users',
    signedInRoute('identity', 'List accounts (admin)', {
      response: { 200: UsersResponseSchema, ...ADMIN_ERRORS },
    }),
    async (request) => ({ users: await listUsers(deps, await auth.actorOf(request)) }),
  );

  app.post(
    '/api/v1/users',
    signedInRoute('identity', 'Create an account (admin); a generated password is returned once', {
      body: CreateUserBodySchema,
      response: { 201: UserWithPasswordResponseSchema, ...ADMIN_ERRORS },
    }),
    async (request, reply) => {
      const result = await createUser(deps, await auth.actorOf(request), request.body);
      return reply.status(201).header('cache-control', 'no-store').send(result);
    },
  );

  app.get(
    '/api/v1/users/:id',
    signedInRoute('identity', 'One account (admin)', {
      params: UserParamsSchema,
      response: { 200: UserResponseSchema, ...ADMIN_ERRORS },
    }),
    async (request) => ({
      user: await getUser(deps, await auth.actorOf(request), request.params.id),
    }),
  );

  app.patch(
    '/api/v1/users/:id',
    signedInRoute('identity', "Change an account's name, role, entities or platform (admin)", {
      params: UserParamsSchema,
      body: UpdateUserBodySchema,
      response: { 200: UserResponseSchema, ...ADMIN_ERRORS },
    }),
    async (request) => ({
      user: await updateUser(deps, await auth.actorOf(request), request.params.id, request.body),
    }),
  );

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/api/v1/users/:id/${action}`,
      signedInRoute(
        'identity',
        disabled
          ? 'Disable an account and end its sessions (admin)'
          : 'Re-enable an account (admin)',
        { params: UserParamsSchema, response: { 200: UserResponseSchema, ...ADMIN_ERRORS } },
      ),
      async (request) => ({
        user: await setUserDisabled(deps, await auth.actorOf(request), request.params.id, disabled),
      }),
    );
  }

  app.post(
    '/api/v1/users/:id/password',
    signedInRoute('identity', "Set an account's password and end its sessions (admin)", {
      params: UserParamsSchema,
      body: PasswordBodySchema,
      response: { 200: UserWithPasswordResponseSchema, ...ADMIN_ERRORS },
    }),
    async (request, reply) => {
      const actor = await auth.actorOf(request);
      const result = await resetPassword(deps, actor, request.params.id, request.body.password);
      return reply.header('cache-control', 'no-store').send(result);
    },
  );

  app.get(
    '/api/v1/api-keys',
    signedInRoute('identity', 'List API keys (admin; never the keys themselves)', {
      response: { 200: ApiKeysResponseSchema, ...ADMIN_ERRORS },
    }),
    async (request) => ({ apiKeys: await listApiKeys(deps, await auth.actorOf(request)) }),
  );

  app.post(
    '/api/v1/api-keys',
    signedInRoute(
      'identity',
      'Create an API key for a machine client (admin); the key is shown once',
      {
        body: CreateApiKeyBodySchema,
        response: { 201: CreatedApiKeyResponseSchema, ...ADMIN_ERRORS },
      },
    ),
    async (request, reply) => {
      const result = await createApiKey(deps, await auth.actorOf(request), request.body);
      return reply.status(201).header('cache-control', 'no-store').send(result);
    },
  );

  app.post(
    '/api/v1/api-keys/:id/revoke',
    signedInRoute('identity', 'Revoke an API key (admin)', {
      params: ApiKeyParamsSchema,
      response: { 200: ApiKeyResponseSchema, ...ADMIN_ERRORS },
    }),
    async (request) => ({
      apiKey: await revokeApiKey(deps, await auth.actorOf(request), request.params.id),
    }),
  );
}
