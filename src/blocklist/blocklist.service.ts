import { matchKey, platformOf } from '../indicators/index.js';
import type { ServiceDeps } from '../shared/deps.js';
import { confirmedWebsiteDomains } from './blocklist.repo.js';

/**
 * The plain domain blocklist: the registrable domain (PSL eTLD+1) of every confirmed-fraud
 * website, sorted, one per entry. A domain that belongs to a platform (facebook.com, line.me, …)
 * or a link shortener is never listed, even when a scam website's text links to it: blocking it
 * would block everyone's legitimate use. (The legal-basis-gated RPZ zone is a separate feed.)
 */
export async function blocklistDomains(deps: Pick<ServiceDeps, 'db'>): Promise<string[]> {
  const domains = await confirmedWebsiteDomains(deps.db);
  return domains.filter((domain) => {
    const url = `http://${domain}/`;
    return platformOf(url) === 'website' && matchKey(url)?.shortener !== true;
  });
}
