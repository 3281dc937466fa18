// dot_i8 baseline in plain JS: exact integer dot products of int8 rows, four partial sums.
import { TopK } from './topk.js';

/** Top-k rows of `gallery` (rows of probe.length int8 values, a multiple of 4) by dot with `probe`. */
export function dot_i8_topk(gallery: Int8Array, probe: Int8Array, k: number): TopK {
  const dim = probe.length;
  const count = gallery.length / dim;
  const top = new TopK(k);
  for (let i = 0, at = 0; i < count; i++, at += dim) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < dim; j += 4) {
      s0 += gallery[at + j]! * probe[j]!;
      s1 += gallery[at + j + 1]! * probe[j + 1]!;
      s2 += gallery[at + j + 2]! * probe[j + 2]!;
      s3 += gallery[at + j + 3]! * probe[j + 3]!;
    }
    const s = s0 + s1 + s2 + s3;
    if (s > top.floor) top.insert(i, s);
  }
  return top;
}
