// Integer samplers over the keystream (SPEC.md §3.3–3.5): unbiased rejection sampling,
// partial Fisher–Yates permutations, and the centred-binomial weights of the projections.
import { POPCOUNT8 } from '../bits.js';
import type { _KeyStream } from './keystream.js';

const TWO_32 = 0x1_0000_0000;

/** Uniform integer in [0, n) for 1 <= n <= 2^32, by rejection of the top 2^32 mod n values. */
export function _uniform(ks: _KeyStream, n: number): number {
  const limit = TWO_32 - (TWO_32 % n);
  for (;;) {
    const r = ks.u32();
    if (r < limit) return r % n;
  }
}

/**
 * The first `k` entries of a uniformly random permutation of [0, n), by the forward Fisher–Yates
 * shuffle stopped after k steps: for i = 0..k-1, j = i + uniform(n - i), swap(a[i], a[j]).
 */
export function _partialPermutation(ks: _KeyStream, n: number, k: number, out: Uint16Array, outOffset: number): void {
  const a = new Uint16Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + _uniform(ks, n - i);
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
    out[outOffset + i] = a[i]!;
  }
}

/**
 * `count` centred-binomial weights in [-8, 8] (variance 4): weight t is
 * popcount(b[2t]) - popcount(b[2t+1]) over the next 2*count keystream bytes.
 */
export function _binomialWeights(ks: _KeyStream, count: number): Int8Array {
  const raw = new Uint8Array(2 * count);
  ks.fill(raw);
  const w = new Int8Array(count);
  for (let t = 0, b = 0; t < count; t++, b += 2) w[t] = POPCOUNT8[raw[b]!]! - POPCOUNT8[raw[b + 1]!]!;
  raw.fill(0);
  return w;
}
