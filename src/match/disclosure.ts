// How much of a score a matcher discloses (README "Security model"): exact scores let someone
// who can query the matcher climb back to the enrolled face, so matchers give decisions only by
// default; scores come out only when asked for by name, coarsened unless exact ones are asked for.

/** What a matcher returns beside its decision: nothing, a coarsened score, or the exact score. */
export const SCORE_DISCLOSURES = ['none', 'coarse', 'exact'] as const;
/** One of {@link SCORE_DISCLOSURES}; 'none' is the default everywhere. */
export type ScoreDisclosure = (typeof SCORE_DISCLOSURES)[number];

/** Width of one step of a coarsened score: scores are rounded down to a multiple of 1/10. */
export const COARSE_SCORE_STEP = 0.1;

/**
 * A score in [0, 1] rounded down to a multiple of {@link COARSE_SCORE_STEP} (never above the exact
 * score, so a coarse score above a threshold means the exact one is too).
 * @example
 * import { coarsenScore } from 'templock/match';
 * coarsenScore(0.8671); // 0.8
 */
export function coarsenScore(score: number): number {
  const steps = Math.floor(score * 10 + 1e-9);
  return Math.min(10, Math.max(0, steps)) / 10;
}

/** Asserts a score disclosure option (default 'none'). */
export function _aScoreDisclosure(name: string, value: unknown): ScoreDisclosure {
  if (value === undefined) return 'none';
  if (typeof value !== 'string') throw new TypeError(`"${name}" expected string, got ${value === null ? 'null' : typeof value}`);
  if (!(SCORE_DISCLOSURES as readonly string[]).includes(value)) throw new RangeError(`"${name}" expected one of ${SCORE_DISCLOSURES.join(', ')}`);
  return value as ScoreDisclosure;
}

/** The score as disclosed under `disclosure` (undefined for 'none'). */
export function _disclose(score: number, disclosure: ScoreDisclosure): number | undefined {
  if (disclosure === 'exact') return score;
  if (disclosure === 'coarse') return coarsenScore(score);
  return undefined;
}
