// cosine_f32 baseline in plain JS: dot and squared norm of float32 rows accumulated in float64
// (two partial sums each), cosine = dot / sqrt(|probe|^2 |row|^2).
import { TopK } from './topk.js';

/** Top-k rows of `gallery` (rows of probe.length values, an even number) by cosine with `probe`. */
export function cosine_f32_topk(gallery: Float32Array, probe: Float32Array, k: number): TopK {
  const dim = probe.length;
  const count = gallery.length / dim;
  let pn = 0;
  for (let j = 0; j < dim; j++) pn += probe[j]! * probe[j]!;
  const top = new TopK(k);
  for (let i = 0, at = 0; i < count; i++, at += dim) {
    let d0 = 0, d1 = 0, n0 = 0, n1 = 0;
    for (let j = 0; j < dim; j += 2) {
      const g0 = gallery[at + j]!, g1 = gallery[at + j + 1]!;
      d0 += g0 * probe[j]!; n0 += g0 * g0;
      d1 += g1 * probe[j + 1]!; n1 += g1 * g1;
    }
    const n = n0 + n1;
    const s = n > 0 ? (d0 + d1) / Math.sqrt(pn * n) : 0;
    if (s > top.floor) top.insert(i, s);
  }
  return top;
}
