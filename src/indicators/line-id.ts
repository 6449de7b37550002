import { removeInvisible } from '../shared/text.js';
import { foldWidth } from './normalize-text.js';

/**
 * LINE IDs: personal IDs are 4–20 of `a–z 0–9 . _ -`; official-account IDs are `@` plus 2–20
 * of the same (basic IDs such as `@123abcde`, premium IDs such as `@cofacts`).
 */
const PERSONAL_ID = /^[a-z0-9._-]{4,20}$/;
const OFFICIAL_ID = /^@[a-z0-9._-]{2,20}$/;

/**
 * Canonicalises a LINE ID as written (`@ABC123`, `~abc_123`, `ａｂｃ１２３`, `%40abc`): invisible
 * characters removed, full-width folded, a leading `~` (line.me/ti/p/~id) dropped, lower-cased;
 * a leading `@` (official account) is kept. Returns `null` when the result is not a valid LINE
 * ID (see PERSONAL_ID / OFFICIAL_ID above). Never throws.
 */
export function canonicalLineId(raw: string): string | null {
  let id = foldWidth(removeInvisible(raw)).trim().toLowerCase();
  if (id.startsWith('%40')) id = '@' + id.slice(3);
  if (id.startsWith('~')) id = id.slice(1);
  if (id.startsWith('@')) return OFFICIAL_ID.test(id) ? id : null;
  return PERSONAL_ID.test(id) && /[a-z0-9]/.test(id) ? id : null;
}

/**
 * The LINE IDs a canonical LINE ID may be written as when people look it up or report it: the ID
 * itself and the same name with or without the leading `@`, when that is a valid ID too
 * (`@lai659` ↔ `lai659`). People put `@` before personal IDs (加LINE @lai659) and leave it off
 * official accounts, so a match on either form is the same account for a warning. The ID itself
 * comes first. Pure; never throws.
 * @param canonical a value canonicalLineId returned.
 */
export function lineIdVariants(canonical: string): string[] {
  const other = canonical.startsWith('@') ? canonical.slice(1) : `@${canonical}`;
  const valid = canonicalLineId(other) === other;
  return valid ? [canonical, other] : [canonical];
}
