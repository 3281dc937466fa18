// dot_i8 baseline in plain JS: out[i] = exact integer dot product of the probe and int8 row i,
// four partial sums per row.

/** Scans `gallery` (rows of probe.length int8 values, a multiple of 4) into `out`. */
export function dot_i8_scan(gallery: Int8Array, probe: Int8Array, out: Int32Array): Int32Array {
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
