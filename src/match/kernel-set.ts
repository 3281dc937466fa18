// The kernel set (README "Matching"): the functions every backend — WASM SIMD, WASM scalar and the
// JS reference — exports under the same names. Arguments are byte offsets into the instance's
// memory; rows of a gallery are contiguous with a stride of one payload.

/** The backends, fastest first. */
export const BACKENDS = ['wasm-simd', 'wasm-scalar', 'js'] as const;
/** A kernel backend. */
export type Backend = (typeof BACKENDS)[number];

/** The kernels, by name; all pointers are byte offsets into one memory. */
export interface KernelSet {
  /** Hamming distance of two packed bit strings of `bytes` bytes (a multiple of 8). */
  hamming_u1(a: number, b: number, bytes: number): number;
  /** Number of equal bytes of two u8 strings of length n (IoM: score = equal / m). */
  equal_u8(a: number, b: number, n: number): number;
  /** Exact int32 dot product of two int8 vectors of length n. */
  dot_i8(a: number, b: number, n: number): number;
  /** float32 dot product of length n in a fixed order (16 strided partial sums, README "Matching"). */
  dot_f32(a: number, b: number, n: number): number;
  /** dot(a, b) / sqrt(dot(a, a) * dot(b, b)) in float64 from three dot_f32 values. */
  cosine_f32(a: number, b: number, n: number): number;
  /** out[i] (u32) = hamming_u1(probe, base + i * bytes, bytes) for i < count. */
  scan_hamming_u1(probe: number, base: number, count: number, bytes: number, out: number): void;
  /** out[i] (u32) = equal_u8(probe, base + i * n, n) for i < count. */
  scan_equal_u8(probe: number, base: number, count: number, n: number, out: number): void;
  /** out[i] (i32) = dot_i8(probe, base + i * n, n) for i < count. */
  scan_dot_i8(probe: number, base: number, count: number, n: number, out: number): void;
  /** out[i] (f32) = dot_f32(probe, base + 4 * i * n, n) for i < count. */
  scan_dot_f32(probe: number, base: number, count: number, n: number, out: number): void;
  /**
   * The (at most k) rows of [from, to) with the smallest Hamming distance <= maxDist, ordered by
   * (distance, row); writes (row u32, distance u32) pairs at `out` and returns their number.
   */
  topk_hamming_u1(probe: number, base: number, from: number, to: number, bytes: number, k: number, maxDist: number, out: number): number;
  /** As topk_hamming_u1 with distance = n - equal_u8. */
  topk_equal_u8(probe: number, base: number, from: number, to: number, n: number, k: number, maxDist: number, out: number): number;
  /** IoM-GRP: out[j] (u8) = argmax over t < q of dot(W[j*q + t], v), smallest t on ties; v int16[dim], W int8. */
  iomgrp_argmax(v: number, W: number, dim: number, m: number, q: number, out: number): void;
  /** iomgrp_argmax of `count` vectors: v int16[count * dim] contiguous, out (u8) [count * m], out[e * m + j] for vector e. */
  iomgrp_argmax_batch(v: number, W: number, dim: number, m: number, q: number, count: number, out: number): void;
  /** Sign projection: bit l of out (LSB first) = dot(W[l], v) > 0; v int16[dim], W int8[bits * dim]. */
  sign_project(v: number, W: number, dim: number, bits: number, out: number): void;
  /**
   * Material (SPEC.md §3.5): binomial weights first .. first + count - 1 (int8 at out) of the
   * ChaCha20 keystream under the 32-byte stream key at `key`; scratch: 256 bytes.
   */
  binomial_weights(key: number, first: number, count: number, out: number, scratch: number): void;
  /**
   * Material (SPEC.md §3.4, §4.2): `count` partial permutations of [0, n), k entries each (u16 at
   * out, permutation r at out + 2 * r * k), from the start of the keystream under the key at `key`;
   * scratch: 256 + 2 * k + 2 * n bytes.
   */
  partial_permutations(key: number, n: number, k: number, count: number, out: number, scratch: number): void;
  /**
   * iomgrp_argmax with the weights derived as they are used, q rows at a time, under the stream
   * key at `key`: the m * q * dim matrix is never held; scratch: 256 + q * dim bytes.
   */
  iomgrp_argmax_keyed(key: number, v: number, dim: number, m: number, q: number, out: number, scratch: number): void;
  /**
   * Evaluation attacks: out[r] (f32) = dot of the float32 vector x (dim) with int8 weight row r of
   * W, for r < rows, each in dot_f32's order (the weights converted to float32 exactly).
   */
  project_i8_f32(x: number, W: number, dim: number, rows: number, out: number): void;
  /** Evaluation attacks: g[i] (f32, dim) += c[r] * W[r][i] for r = 0 .. rows - 1 in order, each step rounded to float32. */
  backproject_i8_f32(c: number, W: number, dim: number, rows: number, g: number): void;
}

/** The kernel names, in a fixed order. */
export const KERNEL_NAMES = [
  'hamming_u1', 'equal_u8', 'dot_i8', 'dot_f32', 'cosine_f32',
  'scan_hamming_u1', 'scan_equal_u8', 'scan_dot_i8', 'scan_dot_f32',
  'topk_hamming_u1', 'topk_equal_u8', 'iomgrp_argmax', 'iomgrp_argmax_batch', 'sign_project',
  'binomial_weights', 'partial_permutations', 'iomgrp_argmax_keyed', 'project_i8_f32', 'backproject_i8_f32',
] as const satisfies readonly (keyof KernelSet)[];
