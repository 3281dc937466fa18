// Unlinkability metrics of Gomez-Barrero et al., "General framework to evaluate unlinkability in
// biometric template protection systems", IEEE TIFS 13(6), 2018 (docs/EVALUATION.md
// "Unlinkability"). Mated scores compare templates of the same subject from two applications,
// non-mated scores templates of different subjects. With LR(s) = f_m(s) / f_nm(s) and the prior
// ratio omega = p(H_m) / p(H_nm):
//   local  D<->(s) = 2 omega LR(s) / (1 + omega LR(s)) - 1  where omega LR(s) > 1, else 0;
//   global D<->sys = integral of f_m(s) D<->(s) ds.
// The densities are histograms of `bins` equal bins over [min, max] of the pooled scores (the
// last bin closed); a bin with mated but no non-mated scores has D<->(s) = 1.

/** The local measure per bin and the global measure. */
export interface Unlinkability {
  readonly dSys: number;
  /** Largest local D<->(s) over the bins holding mated scores. */
  readonly dMax: number;
  readonly bins: number;
  readonly binLow: number;
  readonly binWidth: number;
  /** Local D<->(s) of each bin. */
  readonly local: Float64Array;
  /** Fraction of mated / non-mated scores in each bin. */
  readonly matedHist: Float64Array;
  readonly nonMatedHist: Float64Array;
  readonly matedCount: number;
  readonly nonMatedCount: number;
}

/**
 * The estimator's floor: D<->sys between two disjoint parts of the non-mated scores (the first
 * `matedCount` of them against the rest), where the true value is 0. A measured D<->sys near
 * the floor is indistinguishable from fully unlinkable at this sample size and bin count.
 * @example
 * import { unlinkabilityFloor } from 'templock/eval';
 * const floor = unlinkabilityFloor(nonMatedScores, matedScores.length);
 */
export function unlinkabilityFloor(nonMated: ArrayLike<number>, matedCount: number, bins = 100): number {
  const n = Math.min(matedCount, Math.floor(nonMated.length / 2));
  const x = Float64Array.from(nonMated);
  return unlinkability(x.subarray(0, n), x.subarray(n), bins).dSys;
}

function histogram(x: ArrayLike<number>, lo: number, width: number, bins: number): Float64Array {
  const h = new Float64Array(bins);
  for (let i = 0; i < x.length; i++) {
    const b = width > 0 ? Math.min(bins - 1, Math.floor((x[i]! - lo) / width)) : 0;
    h[b]! += 1 / x.length;
  }
  return h;
}

/**
 * D<->(s) and D<->sys from mated and non-mated score samples.
 * @example
 * import { unlinkability } from 'templock/eval';
 * const { dSys } = unlinkability(matedScores, nonMatedScores); // 0 = unlinkable, 1 = fully linkable
 */
export function unlinkability(mated: ArrayLike<number>, nonMated: ArrayLike<number>, bins = 100, omega = 1): Unlinkability {
  if (mated.length === 0 || nonMated.length === 0) throw new RangeError(`"scores" expected mated and non-mated scores, got ${mated.length} and ${nonMated.length}`);
  if (!Number.isSafeInteger(bins) || bins < 1) throw new RangeError(`"bins" expected a positive integer, got ${bins}`);
  if (!(omega > 0 && Number.isFinite(omega))) throw new RangeError('"omega" expected a finite positive number');
  let lo = Infinity, hi = -Infinity;
  for (const x of [mated, nonMated]) for (let i = 0; i < x.length; i++) { lo = Math.min(lo, x[i]!); hi = Math.max(hi, x[i]!); }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError('"scores" expected finite values');
  const width = (hi - lo) / bins;
  const hm = histogram(mated, lo, width, bins), hn = histogram(nonMated, lo, width, bins);
  const local = new Float64Array(bins);
  let dSys = 0, dMax = 0;
  for (let b = 0; b < bins; b++) {
    if (hm[b]! === 0) continue;
    const wlr = hn[b]! === 0 ? Infinity : (omega * hm[b]!) / hn[b]!;
    const d = wlr === Infinity ? 1 : wlr > 1 ? (2 * wlr) / (1 + wlr) - 1 : 0;
    local[b] = d;
    dSys += hm[b]! * d;
    dMax = Math.max(dMax, d);
  }
  return { dSys, dMax, bins, binLow: lo, binWidth: width, local, matedHist: hm, nonMatedHist: hn, matedCount: mated.length, nonMatedCount: nonMated.length };
}
