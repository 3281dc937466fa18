// Synthetic labelled embeddings for the evaluation suites: a shared component (as real face
// descriptors have), an identity direction and per-sample noise, plus single-sample identities
// that the centring protocol fits the mean on; and sets of unit vectors with no shared component.
import { Seeded } from '../_lib/seeded.js';
import type { EmbeddingSet } from '../../src/eval/index.js';

export function syntheticSet(opts: { dim: number; identities: number; perIdentity: number; singletons: number; noise: number; seed: string }): EmbeddingSet {
  const rng = new Seeded(opts.seed);
  const d = opts.dim;
  const common = rng.unitVector(d);
  const rows: Float32Array[] = [], names: string[] = [];
  const add = (id: number, n: number) => {
    const centre = rng.unitVector(d);
    for (let s = 0; s < n; s++) {
      rows.push(Float32Array.from(centre, (c, i) => 2 * common[i]! + c + opts.noise * rng.gauss()));
      names.push(`id${id}`);
    }
  };
  for (let id = 0; id < opts.identities; id++) add(id, opts.perIdentity);
  for (let s = 0; s < opts.singletons; s++) add(opts.identities + s, 1);
  const vectors = new Float32Array(rows.length * d);
  rows.forEach((r, i) => vectors.set(r, i * d));
  const identities = [...new Set(names)];
  return { name: 'synthetic', dim: d, count: rows.length, vectors, labels: Int32Array.from(names, (n) => identities.indexOf(n)), identities };
}

/**
 * Unit vectors: each identity a random direction, each sample a unit vector at cosine `cos` to
 * it (two samples of one identity are at cosine about cos^2), no shared component.
 */
export function unitSet(opts: { dim: number; identities: number; perIdentity: number; singletons: number; cos: number; seed: string }): EmbeddingSet {
  const rng = new Seeded(opts.seed);
  const d = opts.dim, labels: number[] = [];
  const total = opts.identities * opts.perIdentity + opts.singletons;
  const vectors = new Float32Array(total * d);
  let row = 0;
  for (let id = 0; id < opts.identities + opts.singletons; id++) {
    const centre = rng.unitVector(d);
    for (let s = 0; s < (id < opts.identities ? opts.perIdentity : 1); s++) { vectors.set(rng.perturbed(centre, opts.cos), row++ * d); labels.push(id); }
  }
  const identities = Array.from({ length: opts.identities + opts.singletons }, (_, i) => `id${i}`);
  return { name: `unit${d}`, dim: d, count: total, vectors, labels: Int32Array.from(labels), identities };
}

/** The set as CSV text: identity, then the values. */
export function toCsv(set: EmbeddingSet): string {
  const lines = ['identity,' + Array.from({ length: set.dim }, (_, i) => `v${i}`).join(',')];
  for (let r = 0; r < set.count; r++) lines.push([set.identities[set.labels[r]!]!, ...set.vectors.subarray(r * set.dim, (r + 1) * set.dim)].join(','));
  return lines.join('\n') + '\n';
}
