// canonical_v1_1.json (conformance v1.1): canonicalisation inputs that single out the summation
// order of SPEC.md §2 step 3. Two large components a, b are followed by 4,094 tiny ones whose
// squares each round away when added to a² + b² left to right, but add up when summed first
// (right to left, or pairwise); a and b are chosen so that b·2^14/‖x‖ lies so close to a
// half-integer that this difference in the norm moves v[1] to the other integer. And one input
// that singles out the "no fused multiply-add" rule of step 3 where a mean is subtracted: 4,094
// centred components c = x - mu with c * c rounding to exactly a tie of the running sum, so that
// the rounded product ties (to even) while the exact product of an FMA rounds up, each step.
import { _roundHalfEven } from '../../src/canonical.js';
import { canonicalChecker } from '../../src/conformance/checkers/canonical.js';
import { f32ToHex } from '../../src/conformance/index.js';
import { envelope, type VectorGenerator } from './_envelope.js';

const NOTES = {
  SummationOrder: 'Only the left-to-right sum of squares of SPEC.md §2 step 3 gives this output: right to left, or pairwise, gives another.',
  NoFma: 'Only a rounded product added with a second rounding (SPEC.md §2 step 3) gives this output: a fused multiply-add gives another.',
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
  return _roundHalfEven((x[1]! / Math.sqrt(order(sq))) * 16384);
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

const U = 2 ** -52;

/** The exact error c * c - fl(c * c) (Dekker's product). */
function squareError(c: number): number {
  const t = 134217729 * c, hi = t - (t - c), lo = c - hi;
  return ((hi * hi - c * c) + 2 * hi * lo) + lo * lo;
}

/**
 * A centred component c = hi + lo (hi, lo float32: the embedding value lo, the mean value -hi)
 * with fl(c * c) = (K + 1/2) 2^-52 exactly and c * c above it, K = 2^36 + 2j even: added to a
 * sum in [1, 2) that is an even multiple of 2^-52, the rounded square ties and rounds to even
 * (the sum gains K ulps, stays even), the exact square rounds up (K + 1).
 */
function tieComponent(): { K: number; hi: number; lo: number } {
  for (let K = 2 ** 36; ; K += 2) {
    const T = (K + 0.5) * U, r = Math.sqrt(T), q = 2 ** (Math.floor(Math.log2(r)) - 47);
    for (const c of [-q, 0, q].map((d) => Math.round(r / q) * q + d)) {
      const hi = Math.fround(c), lo = c - hi;
      if (c * c === T && squareError(c) > 0 && Math.fround(lo) === lo && hi + lo === c) return { K, hi, lo };
    }
  }
}

/** v[last] of the canonical vector of x centred by mu, the sum of squares formed as `step` says. */
function last(x: Float32Array, mu: Float32Array, step: (s: number, c: number) => number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s = step(s, x[i]! - mu[i]!);
  return _roundHalfEven(((x[x.length - 1]! - mu[x.length - 1]!) / Math.sqrt(s)) * 16384);
}

/** fl(c * c + s) with one rounding, exactly (binary expansions as integers). */
function fusedStep(s: number, c: number): number {
  const dv = new DataView(new ArrayBuffer(8));
  const parts = (v: number): [bigint, number] => {
    if (v === 0) return [0n, 0];
    dv.setFloat64(0, v);
    const h = dv.getUint32(0), ex = (h >>> 20) & 0x7ff;
    const m = (BigInt(h & 0xfffff) << 32n) | BigInt(dv.getUint32(4)) | (ex ? 1n << 52n : 0n);
    return [h >>> 31 ? -m : m, (ex || 1) - 1075];
  };
  const [mc, ec] = parts(c), [ms, es] = parts(s);
  const e = Math.min(2 * ec, es);
  return Number(((mc * mc) << BigInt(2 * ec - e)) + (ms << BigInt(es - e))) * 2 ** e;
}

/**
 * x = (a, lo x 4094, z), mu = (0, -hi x 4094, 0): the rounded-product sum gains K ulps per tiny
 * component, the fused one K + 1; a (float32 from 1.0 up) and z (float32 from sqrt(s / 2) up) are
 * the first pair where v[last] = round(z 2^14 / sqrt(s + z^2)) differs between the two sums,
 * screened in closed form and confirmed on the whole vector.
 */
function fmaSeparating(): { x: Float32Array; mu: Float32Array } {
  const { K, hi, lo } = tieComponent();
  const n = D - 2;
  const x = new Float32Array(D).fill(lo), mu = new Float32Array(D).fill(-hi);
  mu[0] = 0;
  mu[D - 1] = 0;
  const fa = new Float32Array(1), ua = new Uint32Array(fa.buffer), fz = new Float32Array(1), uz = new Uint32Array(fz.buffer);
  fa[0] = 1;
  for (let ia = 0; ia < 1_000_000; ia++, ua[0]!++) {
    const a = fa[0]!, sP = a * a + n * K * U, sF = a * a + n * (K + 1) * U;
    fz[0] = Math.fround(Math.sqrt(sP / 2));
    for (let iz = 0; iz < 2000; iz++, uz[0]!++) {
      const z = fz[0]!, rP = (z / Math.sqrt(sP + z * z)) * 16384, rF = (z / Math.sqrt(sF + z * z)) * 16384;
      if (Math.floor(rP + 0.5) === Math.floor(rF + 0.5)) continue;
      x[0] = a;
      x[D - 1] = z;
      if (last(x, mu, (s, c) => s + c * c) !== last(x, mu, fusedStep)) return { x, mu };
    }
  }
  throw new Error('canonical v1.1: no input separating a fused multiply-add found');
}

function fmaGroup(): { type: string; dim: number; mean: string; tests: { comment: string; flags: string[]; embedding: string }[] } {
  const { x, mu } = fmaSeparating();
  return { type: 'CanonicalTest', dim: D, mean: f32ToHex(mu), tests: [
    { comment: 'a, 4094 centred components whose rounded squares tie, z: v[4095] depends on the product being rounded', flags: ['NoFma'], embedding: f32ToHex(x) },
  ] };
}

export const canonicalV11Vectors: VectorGenerator = {
  file: 'canonical_v1_1.json',
  generate: () => envelope(canonicalChecker, {
    algorithm: 'templock canonicalisation v1 (conformance v1.1 additions)',
    notes: NOTES,
    testGroups: [{ type: 'CanonicalTest', dim: D, tests: [
      { comment: 'a, b and 4094 components of 6.6e-9: v[1] depends on the order of the sum of squares', flags: ['SummationOrder'], embedding: f32ToHex(separating()) },
    ] }, fmaGroup()],
  }),
};
