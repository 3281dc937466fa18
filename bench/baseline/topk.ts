// Top-k selection of the JS baselines: the k largest scores, ties won by the lower index, kept
// sorted (score descending, index ascending) -- the rule of bench/native/topk.h.

export class TopK {
  readonly ids: Int32Array;
  readonly scores: Float64Array;
  filled = 0;
  /** The score a candidate must beat once the list is full. */
  floor = -Infinity;
  constructor(readonly k: number) {
    this.ids = new Int32Array(k);
    this.scores = new Float64Array(k);
  }
  /** Inserts (id, score); call only when score > floor. */
  insert(id: number, score: number): void {
    const { ids, scores, k } = this;
    let pos = this.filled < k ? this.filled++ : k - 1;
    while (pos > 0 && scores[pos - 1]! < score) {
      ids[pos] = ids[pos - 1]!;
      scores[pos] = scores[pos - 1]!;
      pos--;
    }
    ids[pos] = id;
    scores[pos] = score;
    if (this.filled === k) this.floor = scores[k - 1]!;
  }
}

/** The comparable form of a top-k list: plain arrays of the filled entries. */
export interface TopKResult { readonly ids: number[]; readonly scores: number[] }

export function topkResult(ids: ArrayLike<number>, scores: ArrayLike<number>, filled: number): TopKResult {
  return { ids: Array.from(ids).slice(0, filled), scores: Array.from(scores).slice(0, filled) };
}

/**
 * Same top-k: with `tolerance` 0, the same ids in the same order with equal scores; above 0 (float
 * scores, rounded differently by each implementation), the same ids, each with the same score
 * within `tolerance`, and the scores rank by rank within it, so only entries whose scores are
 * within rounding of each other may change places.
 */
export function sameTopK(tolerance: number): (a: unknown, b: unknown) => boolean {
  return (a, b) => {
    const x = a as TopKResult, y = b as TopKResult;
    if (x.ids.length !== y.ids.length || !x.scores.every((s, i) => Math.abs(s - y.scores[i]!) <= tolerance)) return false;
    if (tolerance === 0) return x.ids.every((id, i) => id === y.ids[i]);
    const theirs = new Map(y.ids.map((id, i) => [id, y.scores[i]!]));
    return x.ids.every((id, i) => theirs.has(id) && Math.abs(theirs.get(id)! - x.scores[i]!) <= tolerance);
  };
}

/** The k largest of a full scan's scores (ties to the lower row), in the comparable form. */
export function topkOfScores(scores: ArrayLike<number>, k: number): TopKResult {
  const t = new TopK(k);
  for (let i = 0; i < scores.length; i++) if (scores[i]! > t.floor) t.insert(i, scores[i]!);
  return topkResult(t.ids, t.scores, t.filled);
}
