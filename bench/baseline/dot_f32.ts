// dot_f32 baseline in plain JS (the cosine scan of unit rows): out[i] = dot product of the probe
// and float32 row i, accumulated in float64 with four partial sums, stored as float32.

/** Scans `gallery` (rows of probe.length float32 values, a multiple of 4) into `out`. */
export function dot_f32_scan(gallery: Float32Array, probe: Float32Array, out: Float32Array): Float32Array {
  const dim = probe.length;
  const count = gallery.length / dim;
  for (let i = 0, at = 0; i < count; i++, at += dim) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let j = 0; j < dim; j += 4) {
      s0 += gallery[at + j]! * probe[j]!;
      s1 += gallery[at + j + 1]! * probe[j + 1]!;
      s2 += gallery[at + j + 2]! * probe[j + 2]!;
      s3 += gallery[at + j + 3]! * probe[j + 3]!;
    }
    out[i] = s0 + s1 + s2 + s3;
  }
  return out;
}
