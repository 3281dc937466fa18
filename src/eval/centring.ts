// The centring protocol (docs/EVALUATION.md "Centring"): the public mean vector of a model is
// fitted on identities disjoint from the evaluated ones, so the reported figures never see a
// mean that was fitted on their own samples.
//   singletons: fit on every identity with a single row (they give no genuine pair anyway) and
//               evaluate the identities with two or more rows;
//   split:      fit on a seeded 25 % of the identities with two or more rows, evaluate the rest;
//   none:       no centring; evaluate every identity with two or more rows;
//   auto:       singletons when they hold at least 2 x dim rows, otherwise split.
// The public vector protect() subtracts is a fraction (the centring strength) of the fitted mean:
// partial centring keeps part of the common direction, which some models' angular geometry needs.
// Identities with a single row are never evaluated; `strict` makes their presence an error
// (for the protocols that do not use them).
import type { EmbeddingSet } from './dataset.js';
import { _rowsByIdentity } from './pairs.js';
import { _EvalRng } from './rng.js';

export const CENTRING_PROTOCOLS = ['auto', 'singletons', 'split', 'none'] as const;
export type CentringProtocol = (typeof CENTRING_PROTOCOLS)[number];

/** The rows that fit the mean and the rows that are evaluated. */
export interface CentringSplit {
  readonly protocol: Exclude<CentringProtocol, 'auto'>;
  /** The fitted mean (undefined for `none`); a system subtracts a fraction of it. */
  readonly mean: Float32Array | undefined;
  readonly fitRows: Uint32Array;
  readonly evalRows: Uint32Array;
  readonly fitIdentities: number;
  readonly evalIdentities: number;
  /** Identities with one row that were not evaluated. */
  readonly singletonIdentities: number;
}

/** Mean (float64 accumulation, rounded to float32) of the given rows. */
export function _meanOf(set: EmbeddingSet, rows: ArrayLike<number>): Float32Array {
  const d = set.dim, acc = new Float64Array(d);
  for (let k = 0; k < rows.length; k++) { const o = rows[k]! * d; for (let i = 0; i < d; i++) acc[i]! += set.vectors[o + i]!; }
  return Float32Array.from(acc, (v) => v / rows.length);
}

/**
 * The public centring vector of a model: `strength` x the mean of `vectors` (n x dim float32,
 * embeddings of people who will not be enrolled), accumulated in float64 and rounded to float32.
 * Pass it as `params.mean` to protect().
 * @example
 * import { centringVector } from 'templock/eval';
 * import { protect, defaultParams, DEFAULT_CENTRING_STRENGTH } from 'templock';
 * const mean = centringVector(background, 512, DEFAULT_CENTRING_STRENGTH.sign);
 * const t = protect(embedding, { ...defaultParams('sign', 512), mean }, key, salt);
 */
export function centringVector(vectors: Float32Array, dim: number, strength = 1): Float32Array {
  if (!Number.isSafeInteger(dim) || dim < 1 || vectors.length % dim !== 0 || vectors.length === 0)
    throw new RangeError(`"vectors" expected a non-empty whole number of rows of ${dim} values, got ${vectors.length} values`);
  if (!(strength > 0 && strength <= 1)) throw new RangeError('"strength" expected a number in (0, 1]');
  const n = vectors.length / dim, acc = new Float64Array(dim);
  for (let r = 0; r < n; r++) for (let i = 0; i < dim; i++) {
    const v = vectors[r * dim + i]!;
    if (!Number.isFinite(v)) throw new RangeError(`"vectors" expected finite values, got a non-finite value in row ${r}`);
    acc[i]! += v;
  }
  return Float32Array.from(acc, (v) => (v / n) * strength);
}

/**
 * Splits `set` by `protocol` (seeded for `split`) into rows that fit the mean and rows evaluated.
 * @example
 * import { centringSplit, readEmbeddings } from 'templock/eval';
 * const { mean, evalRows } = centringSplit(readEmbeddings('data'), 'auto', 1);
 */
export function centringSplit(set: EmbeddingSet, protocol: CentringProtocol, seed: number, strict = false): CentringSplit {
  const by = _rowsByIdentity(set.labels);
  const multi: number[][] = [], single: number[] = [];
  for (const rows of by.values()) if (rows.length >= 2) multi.push(rows); else single.push(rows[0]!);
  const chosen = protocol === 'auto' ? (single.length >= 2 * set.dim ? 'singletons' : 'split') : protocol;
  if (strict && single.length > 0 && chosen !== 'singletons')
    throw new RangeError(`"labels" expected at least 2 samples per identity, got ${single.length} identities with 1 sample (e.g. "${set.identities[set.labels[single[0]!]!]}")`);
  let fit: number[] = [], evalSets = multi;
  if (chosen === 'singletons') fit = single;
  if (chosen === 'split') {
    const rng = new _EvalRng(seed, 'centring-split');
    const order = multi.map((rows) => ({ rows, key: rng.float() })).sort((a, b) => a.key - b.key);
    const nFit = Math.floor(order.length / 4);
    fit = order.slice(0, nFit).flatMap((o) => o.rows);
    evalSets = order.slice(nFit).map((o) => o.rows).sort((a, b) => a[0]! - b[0]!);
  }
  if (evalSets.length < 2) throw new RangeError(`"labels" expected at least 2 evaluated identities with 2 or more samples, got ${evalSets.length}`);
  if (chosen !== 'none' && fit.length === 0) throw new RangeError(`centring "${chosen}" found no rows to fit the mean on`);
  const mean = chosen === 'none' ? undefined : _meanOf(set, fit);
  return {
    protocol: chosen, mean, fitRows: Uint32Array.from(fit), evalRows: Uint32Array.from(evalSets.flat()),
    fitIdentities: chosen === 'singletons' ? single.length : chosen === 'split' ? multi.length - evalSets.length : 0,
    evalIdentities: evalSets.length, singletonIdentities: single.length,
  };
}
