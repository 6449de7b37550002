import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { registerBlocklistRoutes } from '../blocklist/index.js';
import { registerCaseRoutes, registerTrendingRoutes } from '../cases/index.js';
import { registerEntityRoutes } from '../entities/index.js';
import { registerEvidenceRoutes } from '../evidence/index.js';
import { registerFollowerRoutes } from '../followers/index.js';
import { Authenticator, registerIdentityRoutes } from '../identity/index.js';
import { registerIntakeRoutes } from '../intake/index.js';
import { LineBot, registerLineRoutes } from '../line/index.js';
import {
  LookupIndex,
  registerHashListRoutes,
  registerLookupRoutes,
  registerSearchRoutes,
} from '../search/index.js';
import { registerMergeRoutes } from '../commands/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { checkUnicodeTexts } from '../shared/text.js';
import { registerStatisticsRoutes } from '../statistics/index.js';
import { registerTakedownRoutes } from '../takedown/index.js';
import { registerTriageRoutes } from '../triage/index.js';
import { registerVerificationRoutes } from '../verification/index.js';
import { pingStore } from '../store/index.js';
import { clientErrorHandler, securityHeadersHook, errorHandler } from '../http/index.js';
import { errorResponses } from '../http/index.js';
import type { RouteContext } from '../http/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The in-memory lookup index of this app (null when LOOKUP_INDEX is false). */
    lookupIndex: LookupIndex | null;
    /** The LINE bot of this app (null when LINE_CHANNEL_SECRET/ACCESS_TOKEN are not set). */
    lineBot: LineBot | null;
  }
}

export interface BuildAppOptions {
  readonly deps: ServiceDeps;
  /** The resolved admin bearer token (see resolveAdminToken). */
  readonly adminToken: string;
  /**
   * A lookup index made by the caller, started when the caller chooses (tests, benchmarks);
   * default: one made from `config.lookupIndex` and started at once. Stopped by `app.close()`.
   */
  readonly lookupIndex?: LookupIndex | null;
}

/**
 * Builds the HTTP application (never listens): the JSON API under `/api/v1`, `/healthz`,
 * `/openapi.json` (OpenAPI 3.1 from the route schemas) and the built web UI under `/`. Starts
 * building the lookup index in the background (`app.lookupIndex`; stopped by `app.close()`).
 * Request bodies are limited to `config.bodyLimitBytes`; unknown body fields are rejected.
 */
export async function buildApp({ deps, adminToken, ...options }: BuildAppOptions) {
  const { config } = deps;
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    requestTimeout: 30_000,
    // Decision-link tokens travel as a path parameter (~150 characters).
    routerOptions: { maxParamLength: 512 },
    connectionTimeout: 60_000,
    // Router and HTTP-parser refusals answer in the API's error shape, not Fastify's.
    frameworkErrors: errorHandler,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setErrorHandler(errorHandler);
  // After parsing and schema validation, before any handler: a NUL or an unpaired surrogate in any
  // string of the body, query or path is refused alike on both stores (PostgreSQL cannot store
  // NUL; a lone surrogate has no UTF-8 form), so nothing is half-written or answered 500.
  // (A callback hook: it does no I/O, and an async one costs a promise on every request.)
  app.addHook('preHandler', (request, _reply, done) => {
    checkUnicodeTexts(request.params);
    checkUnicodeTexts(request.query);
    checkUnicodeTexts(request.body);
    done();
  });
  // Bodies are JSON and validated strictly (no type coercion, unknown fields refused); query
  // strings and path parameters are text, so numbers and booleans there are coerced.
  const strict = new Ajv({
    removeAdditional: false,
    coerceTypes: false,
    allErrors: false,
    strict: false,
  });
  const coercing = new Ajv({
    removeAdditional: false,
    coerceTypes: 'array',
    allErrors: false,
    strict: false,
  });
  addFormats.default(strict);
  addFormats.default(coercing);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema),
  );
  // JSON only: without this, Fastify's built-in text/plain parser would hand a string to the
  // schema (400) instead of refusing the media type (415).
  app.removeContentTypeParser('text/plain');
  app.addHook(
    'onRequest',
    securityHeadersHook(
      {
        contentSecurityPolicy: {
          directives: {
            'default-src': ["'self'"],
            // blob: for staff viewing report screenshots fetched with their credential.
            'img-src': ["'self'", 'data:', 'blob:'],
            'style-src': ["'self'"],
            // Served over plain HTTP on a LAN this would rewrite every asset to https and blank
            // the page; TLS belongs to the reverse proxy, which can add it.
            'upgrade-insecure-requests': null,
          },
        },
      },
      // JSON answers get the API set; pages and assets Helmet's (options above).
      (route) => route.startsWith('/api/') || route === '/healthz' || route === '/openapi.json',
    ),
  );
  await app.register(fastifyCookie);
  // Every /api/ route is limited per client IP (API_RATE_LIMIT_PER_MINUTE) unless it sets a
  // limit of its own (reports, search, lookup, sign-in, hash lists); pages and assets are not.
  const apiPerMinute = config.rateLimits.apiPerMinute;
  await app.register(fastifyRateLimit, {
    global: apiPerMinute > 0,
    max: apiPerMinute,
    timeWindow: 60_000,
    // By the matched route, not the raw URL: `/%61pi/v1/…` reaches an /api/ route too.
    allowList: (request) => !(request.routeOptions.url ?? '').startsWith('/api/'),
    ...sharedRateLimitStore(config, deps.log, (close) => app.addHook('onClose', close)),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'scamnet API',
        version: '1',
        description: 'Online fraud report & query network: report, look up, decide, block.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'scamnet_session' },
        },
      },
    },
  });

  const context: RouteContext<Authenticator> = { deps, auth: new Authenticator(deps, adminToken) };
  // Built in the background: until it is ready, checks read the store (same answers).
  const lookupIndex = options.lookupIndex !== undefined ? options.lookupIndex : defaultIndex(deps);
  app.addHook('onClose', async () => {
    await lookupIndex?.stop();
  });
  app.decorate('lookupIndex', lookupIndex);
  // Events stored before a restart (or claimed by a node that died) are taken up at start.
  const lineBot = config.line === undefined ? null : new LineBot(deps, { index: lookupIndex });
  app.decorate('lineBot', lineBot);
  app.addHook('onReady', async () => {
    lineBot?.kick();
  });
  app.addHook('onClose', async () => {
    await lineBot?.idle();
  });

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness and store reachability',
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            store: Type.String(),
            lookupIndex: Type.Union(
              [Type.Literal('building'), Type.Literal('ready'), Type.Literal('off')],
              {
                description: 'The in-memory lookup index: checks read the store until it is ready',
              },
            ),
          }),
          // The store did not answer: the error handler's 500 internal_error.
          ...errorResponses(500),
        },
      },
    },
    async () => {
      await pingStore(deps.db);
      const state = lookupIndex?.state ?? 'off';
      return {
        status: 'ok' as const,
        store: deps.dialect,
        lookupIndex: state === 'stopped' ? ('off' as const) : state,
      };
    },
  );
  app.get(
    '/openapi.json',
    {
      schema: {
        tags: ['operations'],
        summary: 'This OpenAPI 3.1 document',
        response: {
          // Unsafe: swagger()'s type also covers Swagger 2.0 documents, which this never is.
          200: Type.Unsafe<object>(
            Type.Object(
              {
                openapi: Type.String(),
                info: Type.Object(
                  { title: Type.String(), version: Type.String() },
                  { additionalProperties: true },
                ),
                paths: Type.Record(Type.String(), Type.Unknown()),
              },
              { additionalProperties: true, description: 'OpenAPI 3.1 document' },
            ),
          ),
        },
      },
    },
    async () => app.swagger(),
  );

  await app.register(async (api) => {
    // A credential that is sent must be valid, on public routes too: a wrong or revoked bearer
    // token answers 401 instead of being served as anonymous (the client would not notice that
    // its key stopped working). Routes that need a role resolve the same memoised credential.
    // (A callback hook: most requests carry no credential, and need no promise.)
    api.addHook('onRequest', (request, _reply, done) => {
      if (request.headers.authorization === undefined) return done();
      context.auth.credentialOf(request).then(() => done(), done);
    });
    const scoped = api.withTypeProvider<TypeBoxTypeProvider>();
    registerIntakeRoutes(scoped, context);
    registerLookupRoutes(scoped, context, lookupIndex);
    registerHashListRoutes(scoped, context);
    registerSearchRoutes(scoped, context);
    registerMergeRoutes(scoped, context);
    registerCaseRoutes(scoped, context);
    registerTrendingRoutes(scoped, context);
    registerBlocklistRoutes(scoped, context);
    registerEvidenceRoutes(scoped, context);
    registerIdentityRoutes(scoped, context);
    registerEntityRoutes(scoped, context);
    registerTriageRoutes(scoped, context);
    registerVerificationRoutes(scoped, context);
    registerTakedownRoutes(scoped, context);
    registerStatisticsRoutes(scoped, context);
    if (lineBot !== null && config.line !== undefined) {
      registerLineRoutes(scoped, lineBot, config.line);
    }
    registerFollowerRoutes(scoped, context);
  });

  const indexHtml = path.join(config.webRoot, 'index.html');
  const hasWeb = existsSync(indexHtml);
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: config.webRoot,
      wildcard: false,
      index: ['index.html'],
    });
  }
  app.setNotFoundHandler(async (request, reply) => {
    const isPage =
      request.method === 'GET' && !request.url.startsWith('/api/') && request.url !== '/api';
    if (isPage && hasWeb) return reply.type('text/html; charset=utf-8').sendFile('index.html');
    return reply.status(404).send({
      error: {
        code: 'route_not_found',
        message: isPage
          ? 'The web UI is not built: run `npm run build`.'
          : `No route ${request.method} ${request.url}.`,
      },
    });
  });
  return app;
}

/** The lookup index `config.lookupIndex` asks for, started (null when switched off). */
function defaultIndex(deps: ServiceDeps): LookupIndex | null {
  const { enabled, pollMs } = deps.config.lookupIndex;
  if (!enabled) return null;
  const index = new LookupIndex(deps, { pollMs });
  index.start();
  return index;
}

/** The application buildApp returns (root instance, pino logger). */
export type ScamnetApp = Awaited<ReturnType<typeof buildApp>>;

/**
 * Where the per-client rate limits are counted: with RATE_LIMIT_REDIS_URL in Redis, shared by
 * every node (the store @fastify/rate-limit documents for several servers), else in this
 * process. A Redis that does not answer within 500 ms lets requests through rather than refusing
 * every client, and `log` warns of it (at most once a minute); the connection closes with the app.
 */
function sharedRateLimitStore(
  config: { rateLimitRedisUrl: string | undefined },
  log: { warn: (fields: object, message: string) => void },
  onClose: (close: () => Promise<void>) => void,
): { redis: Redis; nameSpace: string; skipOnError: boolean } | Record<string, never> {
  if (config.rateLimitRedisUrl === undefined) return {};
  const redis = new Redis(config.rateLimitRedisUrl, {
    connectTimeout: 500,
    commandTimeout: 500,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  });
  // While Redis is unreachable no limit is counted: say so, once a minute, without the URL.
  let warnedAt = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - warnedAt < 60_000) return;
    warnedAt = Date.now();
    log.warn(
      { error: error.message },
      'rate-limit Redis unreachable: per-client limits are not counted',
    );
  });
  onClose(async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
  return { redis, nameSpace: 'scamnet-rate-limit-', skipOnError: true };
}
