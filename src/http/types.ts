import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Authenticator } from '../identity/index.js';
import type { ServiceDeps } from '../shared/deps.js';

/** The Fastify instance with TypeBox typing, as route modules receive it. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What route modules need besides the app: the service deps and the authenticator. */
export interface RouteContext {
  readonly deps: ServiceDeps;
  /** Resolves credentials: `actorOf(request)` for every route; `authenticate(header)` admin token only. */
  readonly auth: Authenticator;
}
