import { canonicalUrlParts } from './canonicalize-url.js';

const MAX_HOST_SUFFIX_LABELS = 5;
const MAX_PATH_PREFIXES = 4;

function isIpHost(host: string): boolean {
  return host.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(host);
}

/** Host suffixes to look up: the exact host, then up to 4 suffixes of its last 5 labels, no TLD. */
function lookupHosts(host: string): string[] {
  if (isIpHost(host)) return [host];
  const labels = host.split('.');
  const hosts = [host];
  for (let count = Math.min(MAX_HOST_SUFFIX_LABELS, labels.length); count >= 2; count--) {
    const suffix = labels.slice(labels.length - count).join('.');
    if (!hosts.includes(suffix)) hosts.push(suffix);
  }
  return hosts;
}

/** Paths to look up: exact path with query, exact path, then `/` and up to 3 more directory prefixes. */
function lookupPaths(path: string, query: string | null): string[] {
  const paths: string[] = [];
  const add = (candidate: string): void => {
    if (!paths.includes(candidate)) paths.push(candidate);
  };
  if (query !== null) add(`${path}?${query}`);
  add(path);
  let prefix = '/';
  let from = 1;
  for (let i = 0; i < MAX_PATH_PREFIXES; i++) {
    add(prefix);
    const slash = path.indexOf('/', from);
    if (slash < 0) break;
    prefix = path.slice(0, slash + 1);
    from = slash + 1;
  }
  return paths;
}

/**
 * Returns the Safe Browsing v4 "URLs and Hashing" suffix/prefix expressions of `url`: every
 * combination of up to 5 host suffixes (the exact host plus up to 4 formed from its last 5 labels,
 * never the bare top-level domain; an IP host only as itself) and up to 6 path prefixes (the exact
 * path with and without the query, `/` and up to 3 more directories), so at most 30, written
 * without scheme, e.g. `a.b.c/1/2.html?param=1`. The URL is canonicalised first (canonicalUrl);
 * returns `[]` when it has no valid host. Never throws. The order is host-major but callers should
 * treat the result as a set.
 */
export function lookupExpressions(url: string): string[] {
  const parts = canonicalUrlParts(url);
  if (parts === null) return [];
  const paths = lookupPaths(parts.path, parts.query);
  const expressions: string[] = [];
  for (const host of lookupHosts(parts.host)) {
    for (const path of paths) expressions.push(host + path);
  }
  return expressions;
}
