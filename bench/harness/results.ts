// The figures of a run as data: what a suite process reports per workload, and the ratios
// (to the plain-JS baseline, to the native ceiling, to the read bandwidth) derived from them.

export interface ImplFigure {
  readonly variant: string;
  readonly medianMs: number;
  /** Interquartile range of the samples. */
  readonly q1Ms: number;
  readonly q3Ms: number;
  readonly firstMs: number;
  readonly samples: number;
  /** Set when this variant's output differs from the first variant's. */
  readonly mismatch?: boolean;
}

export interface WorkloadFigures {
  readonly suite: string;
  readonly name: string;
  readonly bytes?: number;
  readonly items?: number;
  readonly itemUnit?: string;
  readonly impls: readonly ImplFigure[];
  /** Variants that could not run here, with the reason (a peer library that did not install). */
  readonly unavailable?: readonly { readonly variant: string; readonly reason: string }[];
}

/** One suite process's report. */
export interface SuiteReport {
  readonly suite: string;
  readonly backend?: string;
  readonly workloads: readonly WorkloadFigures[];
  readonly error?: string;
  /** Why the suite did not run (an optional package is not installed). */
  readonly skipped?: string;
}

export interface DerivedFigure extends ImplFigure {
  /** First call / median: how much slower the first call is than the warm median. */
  readonly firstOverMedian: number;
  readonly gbPerS?: number;
  readonly itemsPerS?: number;
  readonly xBaseline?: number;
  readonly xNative?: number;
  readonly pctBandwidth?: number;
  /** With --repeat: the number of runs of the suite behind this figure (absent for one run). */
  readonly runs?: number;
  /** With --repeat: the smallest and largest of the runs' medians and ratios. */
  readonly medianMsRange?: readonly [number, number];
  readonly xBaselineRange?: readonly [number, number];
  readonly xNativeRange?: readonly [number, number];
}

/** The median of values (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b), h = s.length >> 1;
  return s.length % 2 === 1 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

const range = (values: readonly number[]): readonly [number, number] => [Math.min(...values), Math.max(...values)];

/**
 * One figure per variant from several runs of the same workload (ratios derived within each run,
 * where the variants shared the machine's state): the median over the runs of every median,
 * quartile, first call, throughput and ratio, and the range over the runs of the medians and
 * ratios. A variant that disagreed in any run is marked as a mismatch.
 */
export function combineRuns(runs: readonly (readonly DerivedFigure[])[]): DerivedFigure[] {
  if (runs.length === 1) return [...runs[0]!];
  const variants = [...new Set(runs.flatMap((r) => r.map((f) => f.variant)))];
  return variants.map((variant) => {
    const fs = runs.map((r) => r.find((f) => f.variant === variant)).filter((f): f is DerivedFigure => f !== undefined);
    const med = (pick: (f: DerivedFigure) => number | undefined) => {
      const v = fs.map(pick).filter((x): x is number => x !== undefined);
      return v.length > 0 ? median(v) : undefined;
    };
    const rangeOf = (pick: (f: DerivedFigure) => number | undefined) => {
      const v = fs.map(pick).filter((x): x is number => x !== undefined);
      return v.length > 0 ? range(v) : undefined;
    };
    const medianMs = med((f) => f.medianMs)!, firstMs = med((f) => f.firstMs)!;
    const xBaselineRange = rangeOf((f) => f.xBaseline), xNativeRange = rangeOf((f) => f.xNative);
    return {
      variant,
      medianMs, q1Ms: med((f) => f.q1Ms)!, q3Ms: med((f) => f.q3Ms)!, firstMs,
      samples: fs.reduce((n, f) => n + f.samples, 0),
      ...(fs.some((f) => f.mismatch) ? { mismatch: true } : {}),
      firstOverMedian: firstMs / medianMs,
      gbPerS: med((f) => f.gbPerS), itemsPerS: med((f) => f.itemsPerS),
      xBaseline: med((f) => f.xBaseline), xNative: med((f) => f.xNative), pctBandwidth: med((f) => f.pctBandwidth),
      runs: fs.length,
      medianMsRange: range(fs.map((f) => f.medianMs)),
      ...(xBaselineRange ? { xBaselineRange } : {}),
      ...(xNativeRange ? { xNativeRange } : {}),
    };
  });
}

/** Name of the workload whose native (else baseline) figure is the machine's read bandwidth. */
export const BANDWIDTH_WORKLOAD = 'read_f64 streaming read 256 MiB';

/**
 * Read bandwidth in GB/s: the C figure when there is one, else the JS one; the best of the
 * bandwidth workloads when the run measured it more than once.
 */
export function bandwidthGbPerS(all: readonly WorkloadFigures[]): { gbPerS: number; variant: string } | undefined {
  let best: { gbPerS: number; variant: string } | undefined;
  for (const w of all.filter((x) => x.name === BANDWIDTH_WORKLOAD && x.bytes)) {
    const f = w.impls.find((i) => i.variant === 'native') ?? w.impls.find((i) => i.variant === 'baseline');
    const gbPerS = f ? w.bytes! / (f.medianMs * 1e6) : 0;
    if (f && (!best || gbPerS > best.gbPerS)) best = { gbPerS, variant: f.variant };
  }
  return best;
}

/** Adds throughput and ratios to each implementation of `w`. */
export function derive(w: WorkloadFigures, bandwidth: number | undefined): DerivedFigure[] {
  const base = w.impls.find((i) => i.variant === 'baseline');
  const nat = w.impls.find((i) => i.variant === 'native');
  return w.impls.map((f) => {
    const gbPerS = w.bytes ? w.bytes / (f.medianMs * 1e6) : undefined;
    return {
      ...f,
      firstOverMedian: f.firstMs / f.medianMs,
      gbPerS,
      itemsPerS: w.items ? (w.items * 1000) / f.medianMs : undefined,
      xBaseline: base ? f.medianMs / base.medianMs : undefined,
      xNative: nat ? f.medianMs / nat.medianMs : undefined,
      pctBandwidth: gbPerS !== undefined && bandwidth ? (100 * gbPerS) / bandwidth : undefined,
    };
  });
}
