// Integer random projections shared by IoM-GRP and sign projection (SPEC.md §4.1, §4.3):
// row r of an R x d matrix of centred-binomial weights, dotted with the canonical vector.
// |dot| <= ||w|| * ||v|| < 2^25 for d <= 4096, so the sums are exact in int32 and float64.

/** dot(W[row], v) for the row-major R x d weight matrix W. */
export function _projectRow(W: Int8Array, row: number, v: Int16Array): number {
  const d = v.length;
  const base = row * d;
  let s = 0;
  for (let i = 0; i < d; i++) s += W[base + i]! * v[i]!;
  return s;
}
