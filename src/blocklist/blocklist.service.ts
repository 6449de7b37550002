import type { ServiceDeps } from '../shared/deps.js';
import { confirmedWebsiteDomains } from './blocklist.repo.js';
import { siteWideRefusal } from './protection.js';

/**
 * The plain domain blocklist: the registrable domain (PSL eTLD+1) of every confirmed-fraud
 * website, sorted, one per entry. Platforms, link shorteners and protected domains are never
 * listed (see siteWideRefusal), even when a scam website's text links to them: blocking them
 * would block everyone's legitimate use. (The legal-basis-gated RPZ zone is a separate feed.)
 */
export async function blocklistDomains(deps: Pick<ServiceDeps, 'db'>): Promise<string[]> {
  const domains = await confirmedWebsiteDomains(deps.db);
  return domains.filter((domain) => siteWideRefusal(domain) === null);
}
