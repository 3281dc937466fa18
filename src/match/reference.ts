// The JS reference kernels (README "Matching"): the same names and arguments as the WASM exports,
// over the same kind of memory. They are the fallback when WebAssembly is absent and the oracle
// of the tests; every result is defined here exactly (integer kernels are exact, dot_f32 follows
// the fixed summation order with every step rounded to float32). Each kernel takes its typed
// views once per call; the helpers below work on those views.
import { POPCOUNT8 } from '../bits.js';
import { _KeyStream } from '../random/keystream.js';
import { _binomialWeights, _partialPermutation } from '../random/samplers.js';
import type { KernelSet } from './kernel-set.js';
import type { _Heap } from './memory.js';

const f32 = Math.fround;

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Hamming distance of `bytes` bytes at a and b: by 32-bit words when both are 4-aligned. */
function hamming(w: Int32Array, u8: Uint8Array, a: number, b: number, bytes: number): number {
  let d = 0;
  if (((a | b) & 3) === 0) {
    const wa = a >>> 2, wb = b >>> 2, words = bytes >>> 2;
    for (let i = 0; i < words; i++) d += popcount32(w[wa + i]! ^ w[wb + i]!);
  } else {
    for (let i = 0; i < bytes; i++) d += POPCOUNT8[u8[a + i]! ^ u8[b + i]!]!;
  }
  return d;
}

/** Bytes that differ among n at a and b: four at a time when both are 4-aligned. */
function unequal(w: Int32Array, u8: Uint8Array, a: number, b: number, n: number): number {
  let d = 0, i = 0;
  if (((a | b) & 3) === 0) {
    // Byte y of x = a ^ b is non-zero exactly when bit 7 of ((y & 0x7f) + 0x7f) | y is set.
    const wa = a >>> 2, wb = b >>> 2, words = n >>> 2;
    for (let j = 0; j < words; j++) {
      const x = w[wa + j]! ^ w[wb + j]!;
      d += popcount32((((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080);
    }
    i = words << 2;
  }
  for (; i < n; i++) if (u8[a + i] !== u8[b + i]) d++;
  return d;
}

function dotI8(i8: Int8Array, a: number, b: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += i8[a + i]! * i8[b + i]!;
  return s;
}

/** dot_f32 in its fixed order; `acc` is 16 floats of scratch. */
function dotF32(v: Float32Array, acc: Float64Array, a: number, b: number, n: number): number {
  return dotFixedOrder(v, a >>> 2, v, b >>> 2, acc, n);
}

/**
 * The float32 dot of x[px ..] and y[py ..] (element indices; y's elements exactly representable
 * in float32) in dot_f32's order: 16 strided partial sums, combined pairwise, then the tail.
 */
function dotFixedOrder(x: Float32Array, px: number, y: ArrayLike<number>, py: number, acc: Float64Array, n: number): number {
  acc.fill(0);
  const body = n - (n % 16);
  for (let i = 0; i < body; i += 16)
    for (let l = 0; l < 16; l++) acc[l] = f32(acc[l]! + f32(x[px + i + l]! * y[py + i + l]!));
  const s0 = f32(f32(acc[0]! + acc[4]!) + f32(acc[8]! + acc[12]!));
  const s1 = f32(f32(acc[1]! + acc[5]!) + f32(acc[9]! + acc[13]!));
  const s2 = f32(f32(acc[2]! + acc[6]!) + f32(acc[10]! + acc[14]!));
  const s3 = f32(f32(acc[3]! + acc[7]!) + f32(acc[11]! + acc[15]!));
  const r = f32(f32(s0 + s1) + f32(s2 + s3));
  let t = 0;
  for (let i = body; i < n; i++) t = f32(t + f32(x[px + i]! * y[py + i]!));
  return f32(r + t);
}

function projectRow(i8: Int8Array, i16: Int16Array, w: number, v: number, dim: number): number {
  const pv = v >>> 1;
  let s = 0;
  for (let i = 0; i < dim; i++) s += i8[w + i]! * i16[pv + i]!;
  return s;
}

/** Top-k selection of topk_*: rows with distance <= maxDist, smallest (distance, row) first. */
function topk(u32: Uint32Array, dist: (row: number) => number, from: number, to: number, k: number, maxDist: number, out: number): number {
  const o = out >>> 2;
  let c = 0;
  let limit = maxDist;
  for (let row = from; row < to; row++) {
    const d = dist(row);
    if (d > limit) continue;
    let i = c < k ? c : k - 1;
    // Earlier rows with an equal distance stay ahead: only strictly larger entries move down.
    while (i > 0 && u32[o + 2 * (i - 1) + 1]! > d) {
      u32[o + 2 * i] = u32[o + 2 * (i - 1)]!;
      u32[o + 2 * i + 1] = u32[o + 2 * (i - 1) + 1]!;
      i--;
    }
    u32[o + 2 * i] = row;
    u32[o + 2 * i + 1] = d;
    if (c < k) c++;
    if (c === k) limit = Math.min(maxDist, u32[o + 2 * (k - 1) + 1]! - 1);
  }
  return c;
}

/** The JS kernel set over `heap`. */
export function _referenceKernels(heap: _Heap): KernelSet {
  const acc = new Float64Array(16);
  const kernels: KernelSet = {
    hamming_u1: (a, b, bytes) => hamming(heap.i32, heap.u8, a, b, bytes),
    equal_u8: (a, b, n) => n - unequal(heap.i32, heap.u8, a, b, n),
    dot_i8: (a, b, n) => dotI8(heap.i8, a, b, n),
    dot_f32: (a, b, n) => dotF32(heap.f32, acc, a, b, n),
    cosine_f32(a, b, n) {
      const v = heap.f32;
      return dotF32(v, acc, a, b, n) / Math.sqrt(dotF32(v, acc, a, a, n) * dotF32(v, acc, b, b, n));
    },
    scan_hamming_u1(probe, base, count, bytes, out) {
      const w = heap.i32, u8 = heap.u8, u32 = heap.u32, o = out >>> 2;
      for (let i = 0; i < count; i++) u32[o + i] = hamming(w, u8, probe, base + i * bytes, bytes);
    },
    scan_equal_u8(probe, base, count, n, out) {
      const w = heap.i32, u8 = heap.u8, u32 = heap.u32, o = out >>> 2;
      for (let i = 0; i < count; i++) u32[o + i] = n - unequal(w, u8, probe, base + i * n, n);
    },
    scan_dot_i8(probe, base, count, n, out) {
      const i8 = heap.i8, i32 = heap.i32, o = out >>> 2;
      for (let i = 0; i < count; i++) i32[o + i] = dotI8(i8, probe, base + i * n, n);
    },
    scan_dot_f32(probe, base, count, n, out) {
      const v = heap.f32, o = out >>> 2;
      for (let i = 0; i < count; i++) v[o + i] = dotF32(v, acc, probe, base + 4 * i * n, n);
    },
    topk_hamming_u1(probe, base, from, to, bytes, k, maxDist, out) {
      const w = heap.i32, u8 = heap.u8;
      return topk(heap.u32, (row) => hamming(w, u8, probe, base + row * bytes, bytes), from, to, k, maxDist, out);
    },
    topk_equal_u8(probe, base, from, to, n, k, maxDist, out) {
      const w = heap.i32, u8 = heap.u8;
      return topk(heap.u32, (row) => unequal(w, u8, probe, base + row * n, n), from, to, k, maxDist, out);
    },
    iomgrp_argmax(v, W, dim, m, q, out) {
      const i8 = heap.i8, i16 = heap.i16, u8 = heap.u8;
      for (let j = 0, row = W; j < m; j++) {
        let best = projectRow(i8, i16, row, v, dim);
        let arg = 0;
        row += dim;
        for (let t = 1; t < q; t++, row += dim) {
          const s = projectRow(i8, i16, row, v, dim);
          if (s > best) { best = s; arg = t; }
        }
        u8[out + j] = arg;
      }
    },
    iomgrp_argmax_batch(v, W, dim, m, q, count, out) {
      for (let e = 0; e < count; e++) kernels.iomgrp_argmax(v + e * 2 * dim, W, dim, m, q, out + e * m);
    },
    sign_project(v, W, dim, bits, out) {
      const i8 = heap.i8, i16 = heap.i16, u8 = heap.u8;
      for (let byte = 0, row = W; byte < bits >>> 3; byte++) {
        let bitsOfByte = 0;
        for (let b = 0; b < 8; b++, row += dim) if (projectRow(i8, i16, row, v, dim) > 0) bitsOfByte |= 1 << b;
        u8[out + byte] = bitsOfByte;
      }
    },
    binomial_weights(key, first, count, out) {
      const ks = new _KeyStream(heap.u8.subarray(key, key + 32), 2 * first);
      const w = _binomialWeights(ks, count);
      ks.wipe();
      heap.i8.set(w, out);
      w.fill(0);
    },
    partial_permutations(key, n, k, count, out) {
      const ks = new _KeyStream(heap.u8.subarray(key, key + 32));
      const P = new Uint16Array(count * k);
      for (let r = 0; r < count; r++) _partialPermutation(ks, n, k, P, r * k);
      ks.wipe();
      heap.i16.set(P, out >>> 1);
      P.fill(0);
    },
    iomgrp_argmax_keyed(key, v, dim, m, q, out, scratch) {
      for (let j = 0; j < m; j++) {
        kernels.binomial_weights(key, j * q * dim, q * dim, scratch + 256, scratch);
        kernels.iomgrp_argmax(v, scratch + 256, dim, 1, q, out + j);
      }
    },
    project_i8_f32(x, W, dim, rows, out) {
      const v = heap.f32, i8 = heap.i8, o = out >>> 2;
      for (let r = 0; r < rows; r++) v[o + r] = dotFixedOrder(v, x >>> 2, i8, W + r * dim, acc, dim);
    },
    backproject_i8_f32(c, W, dim, rows, g) {
      const v = heap.f32, i8 = heap.i8, pc = c >>> 2, pg = g >>> 2;
      for (let r = 0; r < rows; r++) {
        const cr = v[pc + r]!, row = W + r * dim;
        for (let i = 0; i < dim; i++) v[pg + i] = f32(v[pg + i]! + f32(cr * i8[row + i]!));
      }
    },
  };
  return kernels;
}
