import { spawnSync } from 'node:child_process';

/**
 * Whether the external programs `names` (named-checkzone, named, unbound, dig, …) are on PATH.
 * When one is missing: with REQUIRE_BIND_TOOLS=1 this throws (CI must have them: `apt-get install
 * bind9 bind9-utils bind9-dnsutils unbound`), otherwise it prints why the suite is skipped and
 * returns false.
 */
export function haveTools(suite: string, names: readonly string[]): boolean {
  const missing = names.filter(
    (name) => spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0,
  );
  if (missing.length === 0) return true;
  const why = `${suite}: ${missing.join(', ')} not installed (apt-get install bind9 bind9-utils bind9-dnsutils unbound)`;
  if (process.env.REQUIRE_BIND_TOOLS === '1') throw new Error(`${why}, and REQUIRE_BIND_TOOLS=1`);
  process.stderr.write(`skipping ${why}\n`);
  return false;
}
