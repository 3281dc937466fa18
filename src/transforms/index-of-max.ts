// Shared parts of the two Index-of-Max schemes (SPEC.md §4.1–4.2): parameter bounds, the
// payload (one index byte per hash) and the score (fraction of equal indices).

/** Bounds on m, the number of hash functions, for both IoM schemes. */
export const IOM_M_MIN = 16;
export const IOM_M_MAX = 4096;

/** True when each of the m payload bytes is an index below `limit`. */
export function _indicesBelow(payload: Uint8Array, limit: number): boolean {
  for (let i = 0; i < payload.length; i++) if (payload[i]! >= limit) return false;
  return true;
}

/** Fraction of positions where the two index vectors agree. */
export function _equalIndexScore(a: Uint8Array, b: Uint8Array): number {
  let eq = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) eq++;
  return eq / a.length;
}
