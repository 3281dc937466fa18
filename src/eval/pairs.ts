// Comparison pairs (docs/EVALUATION.md "Comparisons"): every genuine pair (i < j, same identity)
// and a seeded sample of impostor pairs: rows i != j drawn uniformly and independently, kept when
// their identities differ (sampling with replacement over unordered cross-identity pairs); when
// the requested count reaches the number of cross-identity pairs, all of them are used instead.
import { _EvalRng } from './rng.js';

/** Row-index pairs (a[k], b[k]); a is the enrolled side, b the probe. */
export interface PairList {
  readonly a: Uint32Array;
  readonly b: Uint32Array;
  /** True when every pair of the kind was enumerated (not sampled). */
  readonly exhaustive: boolean;
}

/** Rows of each identity, in row order. */
export function _rowsByIdentity(labels: Int32Array): Map<number, number[]> {
  const by = new Map<number, number[]>();
  labels.forEach((l, i) => {
    const r = by.get(l);
    if (r) r.push(i); else by.set(l, [i]);
  });
  return by;
}

/**
 * Every pair of rows (i < j) with the same label.
 * @example
 * import { genuinePairs } from 'templock/eval';
 * genuinePairs(Int32Array.of(0, 0, 1, 1)).a.length; // 2
 */
export function genuinePairs(labels: Int32Array): PairList {
  const a: number[] = [], b: number[] = [];
  for (const rows of _rowsByIdentity(labels).values())
    for (let x = 0; x < rows.length; x++) for (let y = x + 1; y < rows.length; y++) { a.push(rows[x]!); b.push(rows[y]!); }
  return { a: Uint32Array.from(a), b: Uint32Array.from(b), exhaustive: true };
}

/**
 * Genuine pairs with at most `cap` per identity (a seeded sample of an identity's pairs when it
 * has more), so that a few identities with many samples do not make up the whole distribution.
 * @example
 * import { balancedGenuinePairs } from 'templock/eval';
 * const mated = balancedGenuinePairs(set.labels, 20, 1);
 */
export function balancedGenuinePairs(labels: Int32Array, cap: number, seed: number): PairList {
  const rng = new _EvalRng(seed, 'balanced-genuine');
  const a: number[] = [], b: number[] = [];
  for (const rows of _rowsByIdentity(labels).values()) {
    const all: [number, number][] = [];
    for (let x = 0; x < rows.length; x++) for (let y = x + 1; y < rows.length; y++) all.push([rows[x]!, rows[y]!]);
    for (let k = 0; k < Math.min(cap, all.length); k++) {
      const j = k + rng.int(all.length - k);
      [all[k], all[j]] = [all[j]!, all[k]!];
      a.push(all[k]![0]); b.push(all[k]![1]);
    }
  }
  return { a: Uint32Array.from(a), b: Uint32Array.from(b), exhaustive: false };
}

/**
 * Number of unordered pairs of rows with different labels.
 * @example
 * import { impostorPairTotal } from 'templock/eval';
 * impostorPairTotal(Int32Array.of(0, 0, 1, 1)); // 4
 */
export function impostorPairTotal(labels: Int32Array): number {
  const n = labels.length;
  let same = 0;
  for (const rows of _rowsByIdentity(labels).values()) same += (rows.length * (rows.length - 1)) / 2;
  return (n * (n - 1)) / 2 - same;
}

/**
 * `count` impostor pairs sampled with seed `seed`, or all of them when that is not more.
 * @example
 * import { impostorPairs } from 'templock/eval';
 * const { a, b, exhaustive } = impostorPairs(set.labels, 1_000_000, 1);
 */
export function impostorPairs(labels: Int32Array, count: number, seed: number): PairList {
  const n = labels.length;
  const total = impostorPairTotal(labels);
  if (total === 0) throw new RangeError('"labels" expected at least two identities, got one');
  const a: number[] = [], b: number[] = [];
  if (count >= total) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (labels[i] !== labels[j]) { a.push(i); b.push(j); }
    return { a: Uint32Array.from(a), b: Uint32Array.from(b), exhaustive: true };
  }
  const rng = new _EvalRng(seed, 'impostor-pairs');
  const A = new Uint32Array(count), B = new Uint32Array(count);
  for (let k = 0; k < count;) {
    const i = rng.int(n), j = rng.int(n);
    if (labels[i] === labels[j]) continue;
    A[k] = i; B[k] = j; k++;
  }
  return { a: A, b: B, exhaustive: false };
}
