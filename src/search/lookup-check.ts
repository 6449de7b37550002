import type { ServiceDeps } from '../shared/deps.js';
import { badRequest } from '../shared/errors.js';
import type { LookupIndex } from './lookup-index.js';
import { sqlLookupSource, type LookupSource } from './lookup-source.js';
import { lookupText, lookupUrl, type LookupResult } from './lookup.service.js';

/**
 * The one check behind both methods: exactly one of `url` and `q`, answered from the lookup
 * index (and its answer cache) when it is ready, else from the store (the same answer). The
 * lookup API and the LINE bot answer with it.
 * @param index the in-memory lookup index (null: the store answers).
 * @throws AppError 400 `validation_failed` for neither or both, and lookupUrl's and
 *   lookupText's errors (`invalid_url`, `query_too_long`).
 */
export async function checkLookup(
  deps: ServiceDeps,
  index: LookupIndex | null,
  input: { url?: string | undefined; q?: string | undefined },
): Promise<LookupResult> {
  const { url, q } = input;
  if (url !== undefined && q !== undefined) {
    throw badRequest('validation_failed', 'Give either url or q, not both.', 'q');
  }
  if (url === undefined && q === undefined) {
    throw badRequest('validation_failed', 'Give url or q.', 'url');
  }
  const compute = (source: LookupSource) =>
    url !== undefined ? lookupUrl(deps, url, source) : lookupText(deps, q ?? '', source);
  const key = url !== undefined ? `url\u0000${url}` : `q\u0000${q ?? ''}`;
  return (await index?.answer(key, compute)) ?? compute(sqlLookupSource(deps));
}
