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
