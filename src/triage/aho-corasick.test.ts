import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AhoCorasickAutomaton, type PatternHit } from './aho-corasick.js';

/** Every occurrence of every pattern by indexOf, in the automaton's order. */
function naive(patterns: readonly string[], text: string): PatternHit[] {
  const hits: PatternHit[] = [];
  patterns.forEach((pattern, patternIndex) => {
    if (pattern === '') return;
    for (let at = text.indexOf(pattern); at !== -1; at = text.indexOf(pattern, at + 1)) {
      hits.push({ patternIndex, start: at, end: at + pattern.length });
    }
  });
  return hits.sort(
    (a, b) =>
      a.end - b.end || b.end - b.start - (a.end - a.start) || a.patternIndex - b.patternIndex,
  );
}

function sorted(hits: Iterable<PatternHit>): PatternHit[] {
  return [...hits].sort(
    (a, b) =>
      a.end - b.end || b.end - b.start - (a.end - a.start) || a.patternIndex - b.patternIndex,
  );
}

describe('AhoCorasickAutomaton', () => {
  it('finds overlapping, nested and repeated names in Chinese, Arabic and Latin text', () => {
    const patterns = ['黃仁勳', '仁勳', 'صلى الله', 'he', 'she', 'hers', ''];
    const automaton = new AhoCorasickAutomaton(patterns);
    const text = '冒充黃仁勳 ushers صلى الله عليه';
    const hits = [...automaton.search(text)];
    expect(hits.map((h) => [patterns[h.patternIndex], text.slice(h.start, h.end)])).toEqual([
      ['黃仁勳', '黃仁勳'],
      ['仁勳', '仁勳'],
      ['she', 'she'],
      ['he', 'he'],
      ['hers', 'hers'],
      ['صلى الله', 'صلى الله'],
    ]);
  });

  it('reports exactly what a naive search finds, on any patterns and text', () => {
    // A small alphabet with a surrogate pair and a combining mark, so patterns overlap a lot.
    const unit = fc.constantFrom('a', 'b', 'ab', '臺', '😀', '\u0301', ' ');
    const word = fc.array(unit, { maxLength: 5 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 8 }),
        fc.array(unit, { maxLength: 60 }),
        (patterns, parts) => {
          const text = parts.join('');
          const automaton = new AhoCorasickAutomaton(patterns);
          expect(sorted(automaton.search(text))).toEqual(naive(patterns, text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds the match that ends a long run of near misses', () => {
    // Every position starts a partial match that fails late: the failure links carry it on.
    const automaton = new AhoCorasickAutomaton(['a'.repeat(50) + 'b', 'a'.repeat(49) + 'c']);
    const text = 'a'.repeat(100_000) + 'b';
    const hits = [...automaton.search(text)];
    expect(hits).toEqual([{ patternIndex: 0, start: 100_000 - 50, end: 100_001 }]);
  });
});
