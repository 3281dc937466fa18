// Shared inputs of the transform and matching suites: a fixed key and salt, seeded embeddings,
// and the comparable (plain) form of template payloads.
import { randomBytes, randomFloats } from './data.js';

/** The application key and per-application salt every suite uses (fixed: runs are comparable). */
export const BENCH_KEY = randomBytes(32, 101);
export const BENCH_SALT = randomBytes(16, 102);

/** `n` embeddings of dimension `dim` as one Float32Array (row e at e * dim) and as rows. */
export function embeddings(n: number, dim: number, seed: number): { flat: Float32Array; rows: Float32Array[] } {
  const flat = randomFloats(n * dim, seed);
  return { flat, rows: Array.from({ length: n }, (_, e) => flat.subarray(e * dim, (e + 1) * dim)) };
}

/** Payload bytes of templates concatenated, for comparing variants. */
export function payloads(templates: readonly { readonly payload: Uint8Array }[]): Uint8Array {
  const m = templates[0]?.payload.length ?? 0;
  const out = new Uint8Array(templates.length * m);
  templates.forEach((t, i) => out.set(t.payload, i * m));
  return out;
}
