// Comparison of two protected templates (SPEC.md §4.4): the scheme's score in [0, 1], only for
// well-formed templates of the same scheme, parameters, key and centring; anything else is
// INCOMPATIBLE (or a TypeError / RangeError for a malformed field). This is the raw score of
// evaluation and audit; a deployed matcher decides with Matcher / Gallery from 'templock/match',
// which disclose no score by default (README "Scores").
import { _assertMatches, _referenceOf } from './match/metric.js';
import type { ProtectedTemplate } from './template.js';
import { _schemeOf } from './transforms/registry.js';
import type { TransformParams } from './transforms/scheme.js';

/** The parameters and both payloads, once every field of a and b is checked and they are comparable. */
function checkedPair(a: ProtectedTemplate, b: ProtectedTemplate): [TransformParams, Uint8Array, Uint8Array] {
  const ref = _referenceOf('a', a);
  return [ref.params, _assertMatches(ref, 'a', a, false), _assertMatches(ref, 'b', b, false)];
}

/**
 * Throws INCOMPATIBLE unless a and b can be compared (same parameters, key id and mean id), and
 * TypeError / RangeError when either is malformed (salt length, payload length or values).
 * @example
 * import { assertComparable } from 'templock';
 * assertComparable(probe, enrolled); // throws TemplockError INCOMPATIBLE for another key
 */
export function assertComparable(a: ProtectedTemplate, b: ProtectedTemplate): void {
  checkedPair(a, b);
}

/**
 * Similarity of two comparable templates in [0, 1]: the fraction of equal indices for IoM, and
 * 1 - Hamming distance / bits for sign projection. The raw score, for evaluation and audit: it is
 * exactly what a score-disclosing matcher would leak, so never return it to whoever presents probes.
 * @example
 * import { compareTemplates } from 'templock';
 * const s = compareTemplates(probe, enrolled); // 1 = identical
 */
export function compareTemplates(a: ProtectedTemplate, b: ProtectedTemplate): number {
  const [params, pa, pb] = checkedPair(a, b);
  return _schemeOf(params).score(pa, pb, params);
}
