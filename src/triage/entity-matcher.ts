import { removeInvisible } from '../shared/text.js';
import { AhoCorasickAutomaton } from './aho-corasick.js';

/** What the matcher needs of an entity. */
export interface MatchableEntity {
  id: string;
  kind: string;
  names: readonly string[];
}

export interface EntityMatch {
  entityId: string;
  kind: string;
  /** The names of the entity found in the text. */
  names: string[];
  /** Total characters of text covered by its names (the ranking key). */
  weight: number;
}

function fold(text: string): string {
  return removeInvisible(text.normalize('NFKC')).toLowerCase();
}

/** Names shorter than this are ignored: two-letter Latin aliases match too much by accident. */
const MIN_LATIN_NAME = 3;

/**
 * Finds impersonated entities in a message with one Aho–Corasick automaton over every name and
 * alias of every entity (aho-corasick.ts, over UTF-16 code units), so the cost does not grow with
 * the number of aliases. Matching is on NFKC-folded, lower-cased text with invisible characters
 * removed. Build once per entity-registry version; `match` is pure and linear in the folded text
 * (plus the hits; each position ends at most as many names as are suffixes of one another).
 */
export class EntityMatcher {
  readonly #automaton: AhoCorasickAutomaton | undefined;
  readonly #owners: Array<{
    entityId: string;
    kind: string;
    name: string;
    latin: boolean;
  }> = [];

  constructor(entities: readonly MatchableEntity[]) {
    const patterns: string[] = [];
    for (const entity of entities) {
      for (const name of new Set(entity.names.map(fold))) {
        const isLatin = /^[\x20-\x7e]+$/.test(name);
        if (name.trim() === '' || (isLatin && name.length < MIN_LATIN_NAME)) continue;
        patterns.push(name);
        this.#owners.push({ entityId: entity.id, kind: entity.kind, name, latin: isLatin });
      }
    }
    this.#automaton = patterns.length === 0 ? undefined : new AhoCorasickAutomaton(patterns);
  }

  /**
   * Entities named in `text`, the most prominent first (most characters covered, then most
   * distinct names, then ID). Latin names must stand as whole words.
   */
  match(text: string): EntityMatch[] {
    if (this.#automaton === undefined) return [];
    const folded = fold(text);
    const found = new Map<string, EntityMatch>();
    for (const hit of this.#automaton.search(folded)) {
      const owner = this.#owners[hit.patternIndex];
      if (owner === undefined) continue;
      if (owner.latin) {
        const before = folded[hit.start - 1] ?? ' ';
        const after = folded[hit.end] ?? ' ';
        if (/[a-z0-9]/.test(before) || /[a-z0-9]/.test(after)) continue;
      }
      const entry = found.get(owner.entityId) ?? {
        entityId: owner.entityId,
        kind: owner.kind,
        names: [],
        weight: 0,
      };
      if (!entry.names.includes(owner.name)) entry.names.push(owner.name);
      entry.weight += hit.end - hit.start;
      found.set(owner.entityId, entry);
    }
    return [...found.values()].sort(
      (a, b) =>
        b.weight - a.weight ||
        b.names.length - a.names.length ||
        a.entityId.localeCompare(b.entityId),
    );
  }
}
