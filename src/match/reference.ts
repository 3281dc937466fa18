// The JS reference kernels (README "Matching"): the same names and arguments as the WASM exports,
// over the same kind of memory. They are the fallback when WebAssembly is absent and the oracle
// of the tests; every result is defined here exactly (integer kernels are exact, dot_f32 follows
// the fixed summation order with every step rounded to float32).
import { POPCOUNT8 } from '../bits.js';
import type { KernelSet } from './kernel-set.js';
import type { _Heap } from './memory.js';

const f32 = Math.fround;

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** The JS kernel set over `heap`. */
export function _referenceKernels(heap: _Heap): KernelSet {
  function hamming(a: number, b: number, bytes: number): number {
    if (((a | b) & 3) === 0) {
      const w = heap.i32;
      const wa = a >>> 2, wb = b >>> 2;
      let d = 0;
      for (let i = 0; i < bytes >>> 2; i++) d += popcount32(w[wa + i]! ^ w[wb + i]!);
      return d;
    }
    const u8 = heap.u8;
    let d = 0;
    for (let i = 0; i < bytes; i++) d += POPCOUNT8[u8[a + i]! ^ u8[b + i]!]!;
    return d;
  }

  function unequal(a: number, b: number, n: number): number {
    const u8 = heap.u8;
    let d = 0;
    for (let i = 0; i < n; i++) if (u8[a + i] !== u8[b + i]) d++;
    return d;
  }

  function dotI8(a: number, b: number, n: number): number {
    const i8 = heap.i8;
    let s = 0;
    for (let i = 0; i < n; i++) s += i8[a + i]! * i8[b + i]!;
    return s;
  }

  function dotF32(a: number, b: number, n: number): number {
    const v = heap.f32;
    const pa = a >>> 2, pb = b >>> 2;
    const acc = new Array<number>(16).fill(0);
    const body = n - (n % 16);
    for (let i = 0; i < body; i++) acc[i & 15] = f32(acc[i & 15]! + f32(v[pa + i]! * v[pb + i]!));
    const s = [0, 1, 2, 3].map((l) => f32(f32(acc[l]! + acc[4 + l]!) + f32(acc[8 + l]! + acc[12 + l]!)));
    const r = f32(f32(s[0]! + s[1]!) + f32(s[2]! + s[3]!));
    let t = 0;
    for (let i = body; i < n; i++) t = f32(t + f32(v[pa + i]! * v[pb + i]!));
    return f32(r + t);
  }

  function projectRow(w: number, v: number, dim: number): number {
    const i8 = heap.i8, i16 = heap.i16;
    const pv = v >>> 1;
    let s = 0;
    for (let i = 0; i < dim; i++) s += i8[w + i]! * i16[pv + i]!;
    return s;
  }

  /** Shared selection of topk_*: rows with distance <= maxDist, smallest (distance, row) first. */
  function topk(dist: (row: number) => number, from: number, to: number, k: number, maxDist: number, out: number): number {
    const u32 = heap.u32;
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

  return {
    hamming_u1: hamming,
    equal_u8: (a, b, n) => n - unequal(a, b, n),
    dot_i8: dotI8,
    dot_f32: dotF32,
    cosine_f32(a, b, n) {
      return dotF32(a, b, n) / Math.sqrt(dotF32(a, a, n) * dotF32(b, b, n));
    },
    scan_hamming_u1(probe, base, count, bytes, out) {
      for (let i = 0; i < count; i++) { const d = hamming(probe, base + i * bytes, bytes); heap.u32[(out >>> 2) + i] = d; }
    },
    scan_equal_u8(probe, base, count, n, out) {
      for (let i = 0; i < count; i++) { const e = n - unequal(probe, base + i * n, n); heap.u32[(out >>> 2) + i] = e; }
    },
    scan_dot_i8(probe, base, count, n, out) {
      for (let i = 0; i < count; i++) { const s = dotI8(probe, base + i * n, n); heap.i32[(out >>> 2) + i] = s; }
    },
    scan_dot_f32(probe, base, count, n, out) {
      for (let i = 0; i < count; i++) { const s = dotF32(probe, base + 4 * i * n, n); heap.f32[(out >>> 2) + i] = s; }
    },
    topk_hamming_u1: (probe, base, from, to, bytes, k, maxDist, out) =>
      topk((row) => hamming(probe, base + row * bytes, bytes), from, to, k, maxDist, out),
    topk_equal_u8: (probe, base, from, to, n, k, maxDist, out) =>
      topk((row) => unequal(probe, base + row * n, n), from, to, k, maxDist, out),
    iomgrp_argmax(v, W, dim, m, q, out) {
      const u8 = heap.u8;
      for (let j = 0, row = W; j < m; j++) {
        let best = projectRow(row, v, dim);
        let arg = 0;
        row += dim;
        for (let t = 1; t < q; t++, row += dim) {
          const s = projectRow(row, v, dim);
          if (s > best) { best = s; arg = t; }
        }
        u8[out + j] = arg;
      }
    },
    sign_project(v, W, dim, bits, out) {
      const u8 = heap.u8;
      for (let byte = 0, row = W; byte < bits >>> 3; byte++) {
        let acc = 0;
        for (let b = 0; b < 8; b++, row += dim) if (projectRow(row, v, dim) > 0) acc |= 1 << b;
        u8[out + byte] = acc;
      }
    },
  };
}
