/**
 * A loopback Web Push service for tests: it checks each request as a real push service would
 * (RFC 8292 VAPID: the `Authorization: vapid t=<JWT>, k=<key>` header, an ES256 signature by that
 * key over the JWT, `aud` the endpoint's origin, `exp` in the next 24 hours) and decrypts the
 * payload as the browser would (RFC 8291 over RFC 8188 `aes128gcm`) with the subscription's
 * private key. Written here with node:crypto only, independently of the `web-push` library the
 * app uses, so that a wrong key, signature or encryption fails.
 */
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  hkdfSync,
  randomBytes,
  verify,
  type ECDH,
} from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A browser's side of one subscription: the keys it made and would decrypt with. */
export interface TestSubscriber {
  readonly ecdh: ECDH;
  readonly auth: Buffer;
  /** PushSubscription.toJSON() of it, at `endpoint`. */
  json(endpoint: string): { endpoint: string; keys: { p256dh: string; auth: string } };
}

/** A new subscriber key pair (P-256) and auth secret (16 bytes), as a browser makes them. */
export function newSubscriber(): TestSubscriber {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    json: (endpoint) => ({
      endpoint,
      keys: {
        p256dh: ecdh.getPublicKey().toString('base64url'),
        auth: auth.toString('base64url'),
      },
    }),
  };
}

/** The claims of a verified VAPID JWT. */
export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
}

/**
 * Verifies the VAPID `Authorization` header of a request to `endpoint` (RFC 8292 §2–3): scheme
 * `vapid`, a JWT signed ES256 by the key `k`, which must be `expectedKey`; `aud` the origin of
 * `endpoint`; `exp` after `nowSeconds` and at most 24 h after it; `sub` a mailto: or https: URL.
 * @throws Error saying what failed.
 */
export function verifyVapid(
  authorization: string | undefined,
  endpoint: string,
  expectedKey: string,
  nowSeconds = Date.now() / 1000,
): VapidClaims {
  const match = /^vapid t=([A-Za-z0-9_.-]+), ?k=([A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (match === null) throw new Error(`not a vapid Authorization header: ${authorization}`);
  const [, jwt = '', key = ''] = match;
  if (key !== expectedKey) throw new Error('k is not the expected VAPID public key');
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 4)
    throw new Error('k is not an uncompressed P-256 point');
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const [header = '', payload = '', signature = ''] = jwt.split('.');
  const alg: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  if (typeof alg !== 'object' || alg === null || !('alg' in alg) || alg.alg !== 'ES256') {
    throw new Error('JWT alg is not ES256');
  }
  const ok = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`, 'ascii'),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) throw new Error('JWT signature does not verify');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as VapidClaims;
  if (claims.aud !== new URL(endpoint).origin)
    throw new Error(`aud ${claims.aud} is not the origin`);
  if (!(claims.exp > nowSeconds && claims.exp <= nowSeconds + 24 * 3600 + 60)) {
    throw new Error(`exp ${claims.exp} is not within the next 24 hours`);
  }
  if (!/^(mailto:|https:)/.test(claims.sub)) throw new Error('sub is not mailto: or https:');
  return claims;
}

/**
 * Decrypts an `aes128gcm` Web Push body (RFC 8188 §2 header: salt 16 | rs 4 | idlen 1 | keyid,
 * keyid = the sender's ephemeral public key) for `subscriber` (RFC 8291 §3.3–3.4: IKM from ECDH
 * and the auth secret; CEK and nonce from IKM and the salt), one record, padding delimiter 0x02.
 * @throws Error when the key, secret or body is wrong (GCM authentication fails).
 */
export function decryptPayload(body: Buffer, subscriber: TestSubscriber): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20] ?? 0;
  const asPublic = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  if (idlen !== 65 || record.length < 17) throw new Error('malformed aes128gcm header');
  const uaPublic = subscriber.ecdh.getPublicKey();
  const ecdhSecret = subscriber.ecdh.computeSecret(asPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0', 'latin1'), uaPublic, asPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, subscriber.auth, keyInfo, 32));
  const cek = Buffer.from(
    hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0', 'latin1'), 16),
  );
  const nonce = Buffer.from(
    hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0', 'latin1'), 12),
  );
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const plain = Buffer.concat([
    decipher.update(record.subarray(0, record.length - 16)),
    decipher.final(),
  ]);
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end -= 1;
  if (plain[end] !== 2) throw new Error('no last-record padding delimiter');
  return plain.subarray(0, end).toString('utf8');
}

/** One request the push service received, checked and decrypted. */
export interface ReceivedPush {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly claims: VapidClaims;
  /** The decrypted payload, parsed. */
  readonly message: Record<string, unknown>;
}

/** A loopback push service (see the module comment). */
export interface PushService {
  readonly origin: string;
  readonly port: number;
  /** Requests accepted (verified and decrypted), in order. */
  readonly received: ReceivedPush[];
  /** Requests that failed verification or decryption, with why (should stay empty). */
  readonly rejected: string[];
  /** Registers `subscriber` at `path` (e.g. `/push/a`); its endpoint URL. */
  subscribe(path: string, subscriber: TestSubscriber): string;
  /** What to answer at `path` (201 by default): e.g. 410 for a gone subscription. */
  answer(path: string, status: number): void;
  close(): Promise<void>;
}

/** Starts the push service on 127.0.0.1, checking VAPID against `vapidPublicKey`. */
export async function startPushService(vapidPublicKey: string): Promise<PushService> {
  const subscribers = new Map<string, TestSubscriber>();
  const statuses = new Map<string, number>();
  const received: ReceivedPush[] = [];
  const rejected: string[] = [];
  let origin = '';
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      const body = Buffer.concat(chunks);
      const subscriber = subscribers.get(path);
      try {
        if (request.method !== 'POST') throw new Error(`method ${request.method}`);
        if (subscriber === undefined) throw new Error(`no subscription at ${path}`);
        if (request.headers['content-encoding'] !== 'aes128gcm') {
          throw new Error(`content-encoding ${request.headers['content-encoding']}`);
        }
        if (!/^\d+$/.test(String(request.headers.ttl))) throw new Error('no TTL header');
        const claims = verifyVapid(
          request.headers.authorization,
          `${origin}${path}`,
          vapidPublicKey,
        );
        const message: unknown = JSON.parse(decryptPayload(body, subscriber));
        if (typeof message !== 'object' || message === null) throw new Error('payload not JSON');
        received.push({
          path,
          headers: request.headers,
          body,
          claims,
          message: { ...message },
        });
        response.statusCode = statuses.get(path) ?? 201;
      } catch (error) {
        rejected.push(error instanceof Error ? error.message : String(error));
        response.statusCode = 400;
      }
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    port,
    received,
    rejected,
    subscribe: (path, subscriber) => {
      subscribers.set(path, subscriber);
      return `${origin}${path}`;
    },
    answer: (path, status) => statuses.set(path, status),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
