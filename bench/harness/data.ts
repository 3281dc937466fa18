// Seeded benchmark data: a fast xorshift128 word generator filling large typed arrays (galleries
// of up to 512 MB in well under a second), and near-duplicates of the probe planted at spread-out
// rows so every top-k has distinct, known winners.

/** Fills `out` with deterministic pseudo-random 32-bit words from `seed`. */
export function fillWords(out: Uint32Array, seed: number): Uint32Array {
  let a = seed | 0 || 1, b = 0x9e3779b9, c = 0x85ebca6b, d = 0xc2b2ae35;
  for (let i = 0; i < out.length; i++) {
    let t = a ^ (a << 11);
    a = b; b = c; c = d;
    d = (d ^ (d >>> 19) ^ t ^ (t >>> 8)) | 0;
    out[i] = d;
  }
  return out;
}

/** `bytes` random bytes (a multiple of 4) as a Uint8Array. */
export function randomBytes(bytes: number, seed: number): Uint8Array {
  return new Uint8Array(fillWords(new Uint32Array(bytes / 4), seed).buffer);
}

/** `n` float32 values uniform in [-1, 1). */
export function randomFloats(n: number, seed: number): Float32Array {
  const w = fillWords(new Uint32Array(n), seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = w[i]! / 2 ** 31 - 1;
  return out;
}

/** Random IoM codes: `n` bytes each below `q` (q a power of two). */
export function randomCodes(n: number, q: number, seed: number): Uint8Array {
  const out = randomBytes(Math.ceil(n / 4) * 4, seed).subarray(0, n);
  for (let i = 0; i < n; i++) out[i]! &= q - 1;
  return out;
}

/**
 * Copies `probe` into `plants` rows of `gallery` (rows of probe.byteLength bytes), each copy with
 * a different number of bytes replaced, so the best matches are planted rows in a known order.
 */
export function plantNearDuplicates(gallery: ArrayBufferView, probe: ArrayBufferView, plants: number): void {
  const row = probe.byteLength;
  const g = new Uint8Array(gallery.buffer, gallery.byteOffset, gallery.byteLength);
  const p = new Uint8Array(probe.buffer, probe.byteOffset, probe.byteLength);
  const count = g.length / row;
  for (let j = 0; j < plants; j++) {
    const at = Math.floor(((j + 0.5) * count) / plants) * row;
    g.set(p, at);
    for (let b = 0; b < j * 2; b++) g[at + ((b * 7 + j) % row)] ^= 0x11;
  }
}

/**
 * Float32 rows of unit length and a unit probe (cosine = dot), uniform directions, with `plants`
 * near duplicates of the probe; `seed` for the rows, `seed + 1` for the probe.
 */
export function unitRows(count: number, dim: number, seed: number, plants: number): { gallery: Float32Array; probe: Float32Array } {
  const gallery = randomFloats(count * dim, seed), probe = randomFloats(dim, seed + 1);
  plantNearDuplicates(gallery, probe, plants);
  for (const v of [probe, ...Array.from({ length: count }, (_, i) => gallery.subarray(i * dim, (i + 1) * dim))]) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += v[j]! * v[j]!;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < dim; j++) v[j]! *= inv;
  }
  return { gallery, probe };
}
