/**
 * `scamnet check [--private] QUERY`: a client of a running scamnet server. With `--private` it is
 * the privacy-preserving check of README "Private checks" (issue 14, after Google Safe Browsing
 * v5's local-list mode): it keeps a copy of each hash-prefix list in a file, brings it up to date
 * incrementally (verifying the checksum; a mismatch fetches the whole list), hashes the query's
 * links and contacts locally and asks `GET /api/v1/hashes/search` only for the prefixes found in
 * its copy, so the server never sees the link or number. Without `--private` it asks
 * `GET /api/v1/lookup` (the server sees the query).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import type { Command } from 'commander';
import { loadCliConfig } from '../config/index.js';
import { guardedRequest, readBody, type OutboundPolicy } from '../evidence/index.js';
import {
  HASH_LIST_NAMES,
  HashListResponseSchema,
  HashSearchResponseSchema,
  MAX_SEARCH_PREFIXES,
  applyUpdate,
  hasPrefix,
  hashProbesOf,
  listChecksum,
  prefixBase64Url,
  prefixBytes,
  prefixesFromBytes,
  privateCheckProbes,
  toBase64Url,
  warnRank,
  type HashListName,
  type HashListResponse,
  type HashSearchResponse,
} from '../search/index.js';
import { AppError, badRequest } from '../shared/errors.js';
import { STATUS_PRESENTATION, type CaseStatus, type StatusLabel } from '../vocabulary/index.js';
import { printJson, reportCliError } from './run.js';

/** Largest answer read from the server, bytes (a whole list of ~10 M prefixes is ~55 MB). */
const MAX_ANSWER_BYTES = 256 * 1024 * 1024;
/** Time limit of one request, ms. */
const REQUEST_TIMEOUT_MS = 60_000;

const ajv = new Ajv({ strict: false });
const validList = ajv.compile<HashListResponse>(HashListResponseSchema);
const validSearch = ajv.compile<HashSearchResponse>(HashSearchResponseSchema);

/** What `check` prints as its verdict: lookup's fields (search/lookup-verdict.ts). */
interface CheckVerdict {
  outcome: 'on_record' | 'no_record' | 'not_a_check';
  status: CaseStatus | null;
  label: StatusLabel | null;
  colour: string | null;
}

/** A list copy as kept in `<dir>/<name>.json`. */
interface ListCopy {
  name: HashListName;
  version: number;
  checksum: string;
  /** Base64 of the concatenated sorted 4-byte prefixes. */
  prefixes: string;
}

/** How a list copy was brought up to date in this run. */
interface ListSync {
  name: HashListName;
  version: number;
  /** `full`: whole list fetched; `partial`: update applied; `current`: nothing changed. */
  update: 'full' | 'partial' | 'current';
  /** The copy or the update did not match the checksum, so the whole list was fetched. */
  checksumMismatch: boolean;
  prefixes: number;
}

/**
 * GETs `pathAndQuery` from `server` and returns the JSON body when it is `200` and passes
 * `validate`. The server is the one the user chose: loopback is allowed, on its port only.
 * @throws AppError with the server's code and status for a 4xx answer; 502 `server_error` for
 *   a 5xx answer, an unreadable body or a network error.
 */
async function getJson<T>(
  server: URL,
  pathAndQuery: string,
  validate: ValidateFunction<T>,
): Promise<T> {
  const url = new URL(pathAndQuery, server);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const policy: OutboundPolicy = { allowLoopback: true, allowedPorts: [port] };
  let answer: { status: number; text: string };
  try {
    answer = await guardedRequest(
      url,
      policy,
      { method: 'GET', headers: { accept: 'application/json' }, timeoutMs: REQUEST_TIMEOUT_MS },
      async (response) => {
        const { bytes } = await readBody(response.body, MAX_ANSWER_BYTES);
        return { status: response.statusCode, text: Buffer.from(bytes).toString('utf8') };
      },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(502, 'server_error', `${url.origin} did not answer: ${reason}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    throw new AppError(502, 'server_error', `${url.pathname} answered ${answer.status}, not JSON.`);
  }
  if (answer.status !== 200) {
    const error = typeof body === 'object' && body !== null ? Reflect.get(body, 'error') : null;
    const code: unknown =
      typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : null;
    const message: unknown =
      typeof error === 'object' && error !== null ? Reflect.get(error, 'message') : null;
    throw new AppError(
      answer.status >= 500 ? 502 : answer.status,
      typeof code === 'string' ? code : 'server_error',
      typeof message === 'string' ? message : `${url.pathname} answered ${answer.status}.`,
    );
  }
  if (!validate(body)) {
    throw new AppError(502, 'server_error', `${url.pathname} answered an unexpected shape.`);
  }
  return body;
}

function copyFile(dir: string, name: HashListName): string {
  return path.join(dir, `${name}.json`);
}

/** The kept copy of list `name`, or null when there is none or it does not match its checksum. */
function readCopy(
  dir: string,
  name: HashListName,
): { version: number; prefixes: Uint32Array } | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(copyFile(dir, name), 'utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const version: unknown = Reflect.get(parsed, 'version');
  const checksum: unknown = Reflect.get(parsed, 'checksum');
  const encoded: unknown = Reflect.get(parsed, 'prefixes');
  if (typeof version !== 'number' || typeof checksum !== 'string' || typeof encoded !== 'string') {
    return null;
  }
  try {
    const prefixes = prefixesFromBytes(Buffer.from(encoded, 'base64'));
    return listChecksum(prefixes) === checksum ? { version, prefixes } : null;
  } catch {
    return null;
  }
}

/** Writes the copy of a list (to a temporary file first, so a crash never leaves half a copy). */
function writeCopy(dir: string, name: HashListName, version: number, prefixes: Uint32Array): void {
  mkdirSync(dir, { recursive: true });
  const copy: ListCopy = {
    name,
    version,
    checksum: listChecksum(prefixes),
    prefixes: prefixBytes(prefixes).toString('base64'),
  };
  const file = copyFile(dir, name);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(copy)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** The prefixes of an answer applied to `copy` (null: it cannot be applied, or its checksum differs). */
function applied(copy: Uint32Array | null, answer: HashListResponse): Uint32Array | null {
  try {
    const additions = prefixesFromBytes(Buffer.from(answer.additions, 'base64'));
    const next = answer.partial
      ? copy === null
        ? null
        : applyUpdate(copy, { additions, removalIndices: answer.removalIndices })
      : additions;
    return next !== null && listChecksum(next) === answer.checksum ? next : null;
  } catch {
    return null;
  }
}

/**
 * Brings the copy of list `name` in `dir` up to date from `server`: an update of its version,
 * or the whole list when there is no copy; when the result does not match the checksum, the
 * whole list again.
 * @throws AppError 502 `list_checksum_mismatch` when even the whole list does not match.
 */
async function syncList(
  server: URL,
  dir: string,
  name: HashListName,
): Promise<{ sync: ListSync; prefixes: Uint32Array }> {
  const copy = readCopy(dir, name);
  const query = copy === null ? '' : `?version=${copy.version}`;
  const answer = await getJson(server, `/api/v1/hash-lists/${name}${query}`, validList);
  let next = applied(copy?.prefixes ?? null, answer);
  let update: ListSync['update'] = !answer.partial
    ? 'full'
    : answer.additions === '' && answer.removalIndices.length === 0
      ? 'current'
      : 'partial';
  let version = answer.version;
  const checksumMismatch = next === null;
  if (next === null) {
    const whole = await getJson(server, `/api/v1/hash-lists/${name}`, validList);
    next = applied(null, whole);
    if (next === null) {
      throw new AppError(
        502,
        'list_checksum_mismatch',
        `The whole ${name} list does not match its checksum.`,
      );
    }
    update = 'full';
    version = whole.version;
  }
  writeCopy(dir, name, version, next);
  return {
    sync: { name, version, update, checksumMismatch, prefixes: next.length },
    prefixes: next,
  };
}

/** The private check of `query` (see the module comment). */
async function privateCheck(
  server: URL,
  dir: string,
  query: string,
  region: Parameters<typeof privateCheckProbes>[1],
) {
  const { kind, probes } = privateCheckProbes(query, region);
  const hashed = hashProbesOf(probes);
  const lists: ListSync[] = [];
  const copies = new Map<HashListName, Uint32Array>();
  // Every list, whatever the query: which lists a client updates says nothing about it.
  for (const name of HASH_LIST_NAMES) {
    const { sync, prefixes } = await syncList(server, dir, name);
    lists.push(sync);
    copies.set(name, prefixes);
  }
  const hits = hashed.filter((p) => hasPrefix(copies.get(p.list) ?? new Uint32Array(0), p.prefix));
  const prefixes = [...new Set(hits.map((p) => p.prefix))].map(prefixBase64Url);
  const found: HashSearchResponse['fullHashes'] = [];
  for (let i = 0; i < prefixes.length; i += MAX_SEARCH_PREFIXES) {
    const batch = prefixes.slice(i, i + MAX_SEARCH_PREFIXES).join(',');
    found.push(
      ...(await getJson(server, `/api/v1/hashes/search?prefixes=${batch}`, validSearch)).fullHashes,
    );
  }
  const byHash = new Map(found.map((h) => [h.fullHash, h]));
  const matches = hits.flatMap((p) => {
    const entry = byHash.get(toBase64Url(p.fullHash));
    return entry === undefined ? [] : [{ kind: entry.kind, input: p.input, status: entry.status }];
  });
  const [worst] = [...matches].sort((a, b) => warnRank(a.status) - warnRank(b.status));
  const verdict: CheckVerdict =
    worst === undefined
      ? {
          outcome: probes.length > 0 ? 'no_record' : 'not_a_check',
          status: null,
          label: null,
          colour: null,
        }
      : {
          outcome: 'on_record',
          status: worst.status,
          label: STATUS_PRESENTATION[worst.status].label,
          colour: STATUS_PRESENTATION[worst.status].colour,
        };
  return {
    mode: 'private' as const,
    query: { kind, indicators: probes },
    verdict,
    matches,
    lists,
    prefixesSent: prefixes.length,
  };
}

const LookupAnswerSchema = {
  type: 'object',
  required: ['verdict'],
  properties: {
    verdict: {
      type: 'object',
      required: ['outcome', 'status', 'label', 'colour'],
    },
  },
} as const;
/** The part of a lookup answer `check` prints (its whole shape is the server's OpenAPI). */
const validLookup = ajv.compile<{ verdict: CheckVerdict }>(LookupAnswerSchema);

/**
 * Registers `scamnet check [--private] [--server URL] [--lists DIR] QUERY`. Prints JSON: the
 * verdict (lookup's `outcome`, `status`, `label`, `colour`) and, for a private check, the
 * matches, the lists' versions and how they were updated, and how many prefixes were sent.
 * Exit status 0 whether or not the query is known; 65 for a refused query, 1 when the server
 * cannot be reached or answers wrongly.
 */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description(
      'check a URL, phone number, LINE ID or message with a scamnet server (--private: send only hash prefixes)',
    )
    .argument('<query>', 'a URL (http:// or https://), a phone number, a LINE ID or a message')
    .option('--private', 'keep local hash-prefix lists and send the server only 4-byte prefixes')
    .option('--server <url>', 'the scamnet server (default http://127.0.0.1:PORT)')
    .option('--lists <dir>', 'folder of the local hash-list copies', 'var/hash-lists')
    .action(
      async (query: string, options: { private?: boolean; server?: string; lists: string }) => {
        try {
          const config = loadCliConfig();
          let server: URL;
          try {
            server = new URL(options.server ?? `http://127.0.0.1:${config.port}`);
          } catch {
            throw badRequest('usage', 'The server must be an absolute http(s) URL.', 'server');
          }
          if (query.trim() === '')
            throw badRequest('usage', 'Give a URL, phone number, LINE ID or message.');
          if (options.private === true) {
            const result = await privateCheck(
              server,
              path.resolve(options.lists),
              query,
              config.defaultRegion,
            );
            printJson(result, { pretty: true });
            return;
          }
          const { kind } = privateCheckProbes(query, config.defaultRegion);
          const param = kind === 'url' ? 'url' : 'q';
          const answer = await getJson(
            server,
            `/api/v1/lookup?${param}=${encodeURIComponent(query)}`,
            validLookup,
          );
          process.stdout.write(
            `${JSON.stringify({ mode: 'public', verdict: answer.verdict }, null, 2)}\n`,
          );
        } catch (error) {
          reportCliError(error);
        }
      },
    );
}
