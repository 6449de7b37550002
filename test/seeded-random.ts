import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * A seeded pseudo-random source of numbers in [0, 1) (xoroshiro128+, from pure-rand): the same
 * sequence on every run of one seed, so generated histories, questions and bench data can be
 * replayed. Not for anything secret.
 */
export function seededRandom(seed: number): () => number {
  const generator = xoroshiro128plus(seed);
  return () => uniformFloat64(generator);
}
