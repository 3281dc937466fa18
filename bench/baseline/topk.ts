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

/** Same ids in the same order and scores equal within `tolerance` (0 = exact). */
export function sameTopK(tolerance: number): (a: unknown, b: unknown) => boolean {
  return (a, b) => {
    const x = a as TopKResult, y = b as TopKResult;
    return x.ids.length === y.ids.length && x.ids.every((id, i) => id === y.ids[i]) &&
      x.scores.every((s, i) => Math.abs(s - y.scores[i]!) <= tolerance);
  };
}
