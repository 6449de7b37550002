import AhoCorasick from 'modern-ahocorasick';
import { removeInvisible } from '../shared/text.js';

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
 * alias of every entity (modern-ahocorasick), so the cost does not grow with the number of
 * aliases. Matching is on NFKC-folded, lower-cased text with invisible characters removed.
 * Build once per entity-registry version; `match` is pure.
 */
export class EntityMatcher {
  readonly #automaton: AhoCorasick | undefined;
  readonly #owners: Array<{ entityId: string; kind: string; name: string }> = [];

  constructor(entities: readonly MatchableEntity[]) {
    const patterns: string[] = [];
    for (const entity of entities) {
      for (const name of new Set(entity.names.map(fold))) {
        const isLatin = /^[\x20-\x7e]+$/.test(name);
        if (name.trim() === '' || (isLatin && name.length < MIN_LATIN_NAME)) continue;
        patterns.push(name);
        this.#owners.push({ entityId: entity.id, kind: entity.kind, name });
      }
    }
    this.#automaton = patterns.length === 0 ? undefined : new AhoCorasick(patterns);
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
      if (/^[\x20-\x7e]+$/.test(owner.name)) {
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
