// Canonicalisation (SPEC.md §2): the one floating-point step. An embedding (float32 values) is
// optionally centred by a public mean, L2-normalised in float64 with a fixed left-to-right
// summation, scaled by 2^14 and rounded half-to-even to int16. Everything after is integer.

/** Scale of the canonical integers: a unit vector maps to integers of magnitude <= 2^14. */
export const CANONICAL_SCALE = 16384;

/** Round half to even of a float64 `v` with |v| < 2^51 (exact: no double rounding). */
export function _roundHalfEven(v: number): number {
  const r = Math.round(v); // halves go toward +Infinity
  return r - v === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}

/**
 * Maps a validated float32 embedding (and optional float32 mean of the same length) to the
 * canonical Int16Array. Throws RangeError when the centred vector is all zero.
 * Every float64 temporary is local; the caller zero-fills `x` and the result.
 */
export function _canonicalise(x: Float32Array, mean?: Float32Array): Int16Array {
  const d = x.length;
  const c = new Float64Array(d);
  for (let i = 0; i < d; i++) c[i] = mean ? x[i]! - mean[i]! : x[i]!;
  let s = 0;
  for (let i = 0; i < d; i++) s += c[i]! * c[i]!;
  if (s === 0) {
    c.fill(0);
    throw new RangeError(mean ? '"embedding" expected a vector different from the mean, got the mean itself' : '"embedding" expected a non-zero vector, got all zeros');
  }
  const n = Math.sqrt(s);
  const out = new Int16Array(d);
  for (let i = 0; i < d; i++) out[i] = _roundHalfEven((c[i]! / n) * CANONICAL_SCALE);
  c.fill(0);
  return out;
}

