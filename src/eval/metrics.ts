// Verification error rates (ISO/IEC 19795-1 terms; docs/EVALUATION.md "Metrics"). Scores are
// similarities: a comparison is a match when score >= threshold. The operating points are the
// distinct observed scores (plus +Infinity, where nothing matches):
//   FMR(t)  = #{impostor >= t} / #impostor,   FNMR(t) = #{genuine < t} / #genuine.
// EER: between the last operating point with FMR > FNMR and the next one, linear interpolation
// of both rates along the segment joining them; the EER is the common value where they cross.
// FNMR at a target FMR: the operating point with the smallest threshold whose FMR <= target
// (no interpolation; the achieved FMR and the threshold are reported with it).

/** One operating point: a threshold and the error rates of accepting scores >= it. */
export interface OperatingPoint { readonly threshold: number; readonly fmr: number; readonly fnmr: number }

/** FMR and FNMR at every distinct score, thresholds ascending (FMR falls, FNMR rises). */
export interface ErrorCurve {
  readonly genuineCount: number;
  readonly impostorCount: number;
  readonly thresholds: Float64Array;
  readonly fmr: Float64Array;
  readonly fnmr: Float64Array;
}

/** The equal error rate and where it lies. */
export interface EerResult {
  readonly eer: number;
  /** Threshold interpolated between the two bracketing operating points. */
  readonly threshold: number;
}

/** FNMR at the smallest threshold whose FMR is at most the target. */
export interface FnmrAtFmr {
  readonly targetFmr: number;
  readonly fnmr: number;
  readonly fmr: number;
  readonly threshold: number;
  /** False when fewer than 1/targetFmr impostor comparisons were made (the figure is not measurable). */
  readonly measurable: boolean;
}

function sortedCopy(x: ArrayLike<number>, name: string): Float64Array {
  const s = Float64Array.from(x);
  for (let i = 0; i < s.length; i++) if (Number.isNaN(s[i]!)) throw new RangeError(`"${name}" expected scores without NaN`);
  return s.sort();
}

/**
 * The FMR/FNMR curve of a genuine and an impostor score sample (similarities).
 * @example
 * import { errorCurve, equalErrorRate } from 'templock/eval';
 * const eer = equalErrorRate(errorCurve([0.9, 0.8], [0.1, 0.85])).eer; // 0.5
 */
export function errorCurve(genuine: ArrayLike<number>, impostor: ArrayLike<number>): ErrorCurve {
  if (genuine.length === 0 || impostor.length === 0) throw new RangeError(`"scores" expected at least one genuine and one impostor score, got ${genuine.length} and ${impostor.length}`);
  const g = sortedCopy(genuine, 'genuine'), im = sortedCopy(impostor, 'impostor');
  const t: number[] = [], fmr: number[] = [], fnmr: number[] = [];
  let i = 0, j = 0;
  while (i < g.length || j < im.length) {
    const s = Math.min(i < g.length ? g[i]! : Infinity, j < im.length ? im[j]! : Infinity);
    t.push(s);
    fnmr.push(i / g.length);
    fmr.push((im.length - j) / im.length);
    while (i < g.length && g[i] === s) i++;
    while (j < im.length && im[j] === s) j++;
  }
  t.push(Infinity); fnmr.push(1); fmr.push(0);
  return { genuineCount: g.length, impostorCount: im.length, thresholds: Float64Array.from(t), fmr: Float64Array.from(fmr), fnmr: Float64Array.from(fnmr) };
}

/**
 * The equal error rate: where the FMR and FNMR curves cross, interpolated linearly between the
 * two operating points that bracket the crossing.
 * @example
 * import { errorCurve, equalErrorRate } from 'templock/eval';
 * const { eer, threshold } = equalErrorRate(errorCurve(genuineScores, impostorScores));
 */
export function equalErrorRate(c: ErrorCurve): EerResult {
  const n = c.thresholds.length;
  let k = 0;
  while (k < n && c.fmr[k]! > c.fnmr[k]!) k++;
  if (k === 0) return { eer: (c.fmr[0]! + c.fnmr[0]!) / 2, threshold: c.thresholds[0]! };
  const d0 = c.fmr[k - 1]! - c.fnmr[k - 1]!, d1 = c.fmr[k]! - c.fnmr[k]!;
  const a = d0 / (d0 - d1);
  const eer = c.fmr[k - 1]! + a * (c.fmr[k]! - c.fmr[k - 1]!);
  const t1 = Number.isFinite(c.thresholds[k]!) ? c.thresholds[k]! : c.thresholds[k - 1]!;
  return { eer, threshold: c.thresholds[k - 1]! + a * (t1 - c.thresholds[k - 1]!) };
}

/**
 * FNMR at the operating point with the smallest threshold whose FMR <= `targetFmr`.
 * @example
 * import { errorCurve, fnmrAtFmr } from 'templock/eval';
 * const { fnmr, threshold } = fnmrAtFmr(errorCurve(genuineScores, impostorScores), 1e-3);
 */
export function fnmrAtFmr(c: ErrorCurve, targetFmr: number): FnmrAtFmr {
  let k = 0;
  while (c.fmr[k]! > targetFmr) k++;
  return { targetFmr, fnmr: c.fnmr[k]!, fmr: c.fmr[k]!, threshold: c.thresholds[k]!, measurable: c.impostorCount * targetFmr >= 1 };
}

/**
 * Fraction of `scores` at or above `threshold` (a false-accept rate when they are non-mated).
 * @example
 * import { acceptRate } from 'templock/eval';
 * acceptRate([0.1, 0.5, 0.9], 0.5); // 2 / 3
 */
export function acceptRate(scores: ArrayLike<number>, threshold: number): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= threshold) n++;
  return scores.length === 0 ? 0 : n / scores.length;
}

/**
 * At most `maxPoints` operating points of the DET curve (FMR, FNMR), chosen evenly on a log
 * scale of FMR; the first and last points with both rates positive are always kept.
 * @example
 * import { detPoints, errorCurve } from 'templock/eval';
 * const det = detPoints(errorCurve(genuineScores, impostorScores)); // [{ threshold, fmr, fnmr }, ...]
 */
export function detPoints(c: ErrorCurve, maxPoints = 300): OperatingPoint[] {
  const all: OperatingPoint[] = [];
  for (let k = 0; k < c.thresholds.length; k++)
    if (c.fmr[k]! > 0 && c.fnmr[k]! > 0) all.push({ threshold: c.thresholds[k]!, fmr: c.fmr[k]!, fnmr: c.fnmr[k]! });
  if (all.length <= maxPoints) return all;
  const lo = Math.log(all[all.length - 1]!.fmr), hi = Math.log(all[0]!.fmr);
  const out: OperatingPoint[] = [all[0]!];
  let next = hi - (hi - lo) / (maxPoints - 1);
  for (const p of all) {
    if (Math.log(p.fmr) <= next) { out.push(p); next = Math.log(p.fmr) - (hi - lo) / (maxPoints - 1); }
  }
  if (out[out.length - 1] !== all[all.length - 1]) out.push(all[all.length - 1]!);
  return out;
}

/**
 * Mean and standard deviation (population) of a score sample.
 * @example
 * import { meanSd } from 'templock/eval';
 * meanSd([1, 3]); // { mean: 2, sd: 1 }
 */
export function meanSd(x: ArrayLike<number>): { mean: number; sd: number } {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  const mean = s / x.length;
  let v = 0;
  for (let i = 0; i < x.length; i++) v += (x[i]! - mean) ** 2;
  return { mean, sd: Math.sqrt(v / x.length) };
}
