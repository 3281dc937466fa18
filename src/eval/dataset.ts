// The labelled embedding set the evaluation reads (docs/EVALUATION.md "Inputs"): N rows of
// `dim` float32 values, row-major, each with an identity index into `identities`.

/** Embeddings with identity labels, as the readers return them. */
export interface EmbeddingSet {
  /** A short name for reports (the folder or file name). */
  readonly name: string;
  readonly dim: number;
  /** Number of rows. */
  readonly count: number;
  /** count x dim float32 values, row-major. */
  readonly vectors: Float32Array;
  /** Identity index (into `identities`) of each row. */
  readonly labels: Int32Array;
  /** Identity names. */
  readonly identities: readonly string[];
}

/** Row `i` of a set as a view. */
export function _row(set: EmbeddingSet, i: number): Float32Array {
  return set.vectors.subarray(i * set.dim, (i + 1) * set.dim);
}

/**
 * Checks the invariants every reader guarantees: sizes agree, every label is a valid identity
 * index, every value is finite (the first bad row is named, never its values).
 * @example
 * import { checkEmbeddingSet } from 'templock/eval';
 * checkEmbeddingSet({ name: 'mine', dim, count, vectors, labels, identities });
 */
export function checkEmbeddingSet(set: EmbeddingSet): EmbeddingSet {
  const { dim, count, vectors, labels, identities } = set;
  if (!Number.isSafeInteger(dim) || dim < 1) throw new RangeError(`"dim" expected a positive integer, got ${dim}`);
  if (vectors.length !== count * dim)
    throw new RangeError(`"embeddings" expected ${count * dim} values (${count} x ${dim}), got ${vectors.length}`);
  if (labels.length !== count) throw new RangeError(`"labels" expected ${count} entries (one per row), got ${labels.length}`);
  for (let i = 0; i < count; i++) {
    const l = labels[i]!;
    if (!(l >= 0 && l < identities.length)) throw new RangeError(`"labels" row ${i} has no identity (label index ${l} of ${identities.length})`);
  }
  for (let i = 0; i < count; i++) {
    for (let k = i * dim; k < (i + 1) * dim; k++)
      if (!Number.isFinite(vectors[k]!)) throw new RangeError(`"embeddings" expected finite values, got a non-finite value in row ${i}`);
  }
  return set;
}

/** Builds a set from rows and string labels (identity order: first appearance). */
export function _fromLabelled(name: string, dim: number, vectors: Float32Array, names: readonly string[]): EmbeddingSet {
  const index = new Map<string, number>();
  const labels = new Int32Array(names.length);
  names.forEach((n, i) => {
    let id = index.get(n);
    if (id === undefined) { id = index.size; index.set(n, id); }
    labels[i] = id;
  });
  return checkEmbeddingSet({ name, dim, count: names.length, vectors, labels, identities: [...index.keys()] });
}
