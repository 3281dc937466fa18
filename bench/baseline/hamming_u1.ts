// hamming_u1 baseline in plain JS: packed-bit templates read as 32-bit words, SWAR popcount,
// similarity = bits - Hamming distance, top-k as in bench/native/hamming_u1.c.
import { TopK } from './topk.js';

/** Set bits of a 32-bit word. */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/** Hamming distance of rows a[ai..ai+words) and b[bi..bi+words), four words per step. */
export function hamming_u1(a: Uint32Array, ai: number, b: Uint32Array, bi: number, words: number): number {
  let h = 0;
  const body = words - (words & 3);
  for (let j = 0; j < body; j += 4)
    h += popcount32(a[ai + j]! ^ b[bi + j]!) + popcount32(a[ai + j + 1]! ^ b[bi + j + 1]!) +
      popcount32(a[ai + j + 2]! ^ b[bi + j + 2]!) + popcount32(a[ai + j + 3]! ^ b[bi + j + 3]!);
  for (let j = body; j < words; j++) h += popcount32(a[ai + j]! ^ b[bi + j]!);
  return h;
}

/** Top-k rows of `gallery` (rows of probe.length words) by similarity to `probe`. */
export function hamming_u1_topk(gallery: Uint32Array, probe: Uint32Array, k: number): TopK {
  const words = probe.length;
  const bits = words * 32;
  const count = gallery.length / words;
  const top = new TopK(k);
  for (let i = 0, at = 0; i < count; i++, at += words) {
    const s = bits - hamming_u1(gallery, at, probe, 0, words);
    if (s > top.floor) top.insert(i, s);
  }
  return top;
}
