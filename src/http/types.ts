import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Actor } from '../policy/index.js';
import type { ServiceDeps } from '../shared/deps.js';

/** The Fastify instance with TypeBox typing, as route modules receive it. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** The parts of a request an authenticator reads (a FastifyRequest has them all). */
export type CredentialRequest = Pick<FastifyRequest, 'method' | 'headers' | 'cookies'>;

/**
 * What routes need to know who is calling: identity's `Authenticator` implements it. Declared
 * here, not imported, so that `http/` stays below the capabilities whose routes use it.
 */
export interface RequestAuthenticator {
  /** The actor of a request (the public when it carries no credential); throws 401 on a bad one. */
  actorOf(request: CredentialRequest): Promise<Actor>;
  /** The actor of an `Authorization` header value alone (the admin token). */
  authenticate(header: string | undefined): Actor;
}

/**
 * What route modules need besides the app: the service deps and the authenticator. `A` is
 * `Authenticator` for the routes that read how a request signed in (identity's).
 */
export interface RouteContext<A extends RequestAuthenticator = RequestAuthenticator> {
  readonly deps: ServiceDeps;
  /** Resolves credentials: `actorOf(request)` for every route; `authenticate(header)` admin token only. */
  readonly auth: A;
}
