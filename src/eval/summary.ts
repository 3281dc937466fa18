// Summaries of score samples for reports (docs/EVALUATION.md "Metrics"): error rates at the
// FMR targets, EER, a thinned DET curve and fixed-bin score histograms, all JSON-serialisable.
import { detPoints, equalErrorRate, errorCurve, fnmrAtFmr, meanSd, type FnmrAtFmr, type OperatingPoint } from './metrics.js';

/** The FMR targets every verification summary reports FNMR at. */
export const FMR_TARGETS = [1e-2, 1e-3, 1e-4] as const;

/** Histograms (fractions per bin) of two score samples over common bins. */
export interface ScoreHistogram {
  readonly low: number;
  readonly width: number;
  /** Named series, each a fraction per bin. */
  readonly series: Readonly<Record<string, number[]>>;
}

/** Accuracy figures of one genuine/impostor score sample. */
export interface VerificationSummary {
  readonly genuineCount: number;
  readonly impostorCount: number;
  readonly impostorsExhaustive: boolean;
  readonly genuine: { mean: number; sd: number };
  readonly impostor: { mean: number; sd: number };
  readonly eer: number;
  readonly eerThreshold: number;
  readonly atFmr: readonly FnmrAtFmr[];
  readonly det: readonly OperatingPoint[];
  readonly histogram: ScoreHistogram;
}

/**
 * Histograms of named samples over `bins` equal bins spanning all of them.
 * @example
 * import { scoreHistogram } from 'templock/eval';
 * const h = scoreHistogram({ genuine: genuineScores, impostor: impostorScores }); // h.series.genuine[bin]
 */
export function scoreHistogram(samples: Readonly<Record<string, ArrayLike<number>>>, bins = 60): ScoreHistogram {
  let lo = Infinity, hi = -Infinity;
  for (const x of Object.values(samples)) for (let i = 0; i < x.length; i++) { lo = Math.min(lo, x[i]!); hi = Math.max(hi, x[i]!); }
  const width = hi > lo ? (hi - lo) / bins : 1;
  const series: Record<string, number[]> = {};
  for (const [name, x] of Object.entries(samples)) {
    const h = new Array<number>(bins).fill(0);
    for (let i = 0; i < x.length; i++) h[Math.min(bins - 1, Math.floor((x[i]! - lo) / width))]! += 1 / x.length;
    series[name] = h;
  }
  return { low: lo, width, series };
}

/**
 * Summarises genuine and impostor similarity scores.
 * @example
 * import { summariseVerification } from 'templock/eval';
 * const s = summariseVerification(genuineScores, impostorScores, false); // s.eer, s.atFmr
 */
export function summariseVerification(genuine: Float64Array, impostor: Float64Array, impostorsExhaustive: boolean): VerificationSummary {
  const c = errorCurve(genuine, impostor);
  const e = equalErrorRate(c);
  return {
    genuineCount: genuine.length, impostorCount: impostor.length, impostorsExhaustive,
    genuine: meanSd(genuine), impostor: meanSd(impostor),
    eer: e.eer, eerThreshold: e.threshold,
    atFmr: FMR_TARGETS.map((f) => fnmrAtFmr(c, f)),
    det: detPoints(c),
    histogram: scoreHistogram({ genuine, impostor }),
  };
}

/** The summary's figure at FMR `target` (one of FMR_TARGETS). */
export function atFmr(s: VerificationSummary, target: number): FnmrAtFmr {
  return s.atFmr.find((a) => a.targetFmr === target)!;
}
