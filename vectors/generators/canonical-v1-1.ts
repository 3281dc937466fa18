// canonical_v1_1.json (conformance v1.1): canonicalisation inputs that single out the summation
// order of SPEC.md §2 step 3. Two large components a, b are followed by 4,094 tiny ones whose
// squares each round away when added to a² + b² left to right, but add up when summed first
// (right to left, or pairwise); a and b are chosen so that b·2^14/‖x‖ lies so close to a
// half-integer that this difference in the norm moves v[1] to the other integer.
import { canonicalChecker } from '../../src/conformance/checkers/canonical.js';
import { f32ToHex } from '../../src/conformance/index.js';
import { envelope, type VectorGenerator } from './_envelope.js';

const NOTES = {
  SummationOrder: 'Only the left-to-right sum of squares of SPEC.md §2 step 3 gives this output: right to left, or pairwise, gives another.',
} as const;

const D = 4096;

type Order = (sq: Float64Array) => number;
const leftToRight: Order = (sq) => { let s = 0; for (let i = 0; i < sq.length; i++) s += sq[i]!; return s; };
const rightToLeft: Order = (sq) => { let s = 0; for (let i = sq.length - 1; i >= 0; i--) s += sq[i]!; return s; };
/** Pairwise summation: halves summed separately, runs of at most 8 left to right. */
const pairwise: Order = (sq) => {
  const sum = (from: number, to: number): number => (to - from <= 8 ? leftToRight(sq.subarray(from, to)) : sum(from, from + ((to - from) >> 1)) + sum(from + ((to - from) >> 1), to));
  return sum(0, sq.length);
};

/** v[1] of the canonical vector of x when the squares are summed in `order`. */
function second(x: Float32Array, order: Order): number {
  const sq = Float64Array.from(x, (v) => v * v);
  const u = (x[1]! / Math.sqrt(order(sq))) * 16384;
  const r = Math.round(u);
  return r - u === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}

/**
 * The first input (a over consecutive float32 values from 0.9, b the float32 nearest the
 * boundary) that separates the three orders. Candidates are screened on the two large
 * components alone (the tiny squares vanish left to right, and add up to a constant otherwise)
 * and confirmed on the whole vector.
 */
function separating(): Float32Array {
  const eps = Math.fround(Math.sqrt(0.4 * 2 ** -53));
  const x = new Float32Array(D).fill(eps);
  const tiny = (D - 2) * eps * eps;
  const rho = 7000.5 / 16384;
  const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
  f32[0] = 0.9;
  for (let trial = 0; trial < 100_000_000; trial++, u32[0]!++) {
    const a = f32[0]!;
    const b = Math.fround((a * rho) / Math.sqrt(1 - rho * rho));
    const lr = (b / Math.sqrt(a * a + b * b)) * 16384, other = (b / Math.sqrt(a * a + b * b + tiny)) * 16384;
    if (Math.floor(lr + 0.5) === Math.floor(other + 0.5)) continue;
    x[0] = a;
    x[1] = b;
    const ref = second(x, leftToRight);
    if (ref !== second(x, rightToLeft) && ref !== second(x, pairwise)) return x;
  }
  throw new Error('canonical v1.1: no separating input found');
}

export const canonicalV11Vectors: VectorGenerator = {
  file: 'canonical_v1_1.json',
  generate: () => envelope(canonicalChecker, {
    algorithm: 'templock canonicalisation v1 (conformance v1.1 additions)',
    notes: NOTES,
    testGroups: [{ type: 'CanonicalTest', dim: D, tests: [
      { comment: 'a, b and 4094 components of 6.6e-9: v[1] depends on the order of the sum of squares', flags: ['SummationOrder'], embedding: f32ToHex(separating()) },
    ] }],
  }),
};
