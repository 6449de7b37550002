/**
 * What a check says, in one word:
 * - `on_record`: at least one case matches (the verdict is the most serious of them);
 * - `mentioned_only`: no case matches, but messages mention a link of the query (a mention is not
 *   a record of the site: scam messages quote news sites and banks too);
 * - `no_record`: the query was checked (a link, a contact, or a whole message) and nothing holds it;
 * - `not_a_check`: a few words with nothing to check (no link, contact or message long enough to
 *   compare); a word search (`GET /api/v1/search`) lists cases containing them, which says
 *   nothing about the words.
 */
export const LOOKUP_OUTCOMES = ['on_record', 'mentioned_only', 'no_record', 'not_a_check'] as const;
export type LookupOutcome = (typeof LOOKUP_OUTCOMES)[number];
