// Timing of one implementation: its first call alone (performance.now), then sampling by the
// `benchmark` package in rounds (all variants of a workload take turns, so a neighbour's load
// on a shared machine spreads over all of them); the figure is the median of the pooled
// per-op samples, with the interquartile range as its spread.
import Benchmark from 'benchmark';
import type { Impl } from './suite.js';

/** Timing options of a run: --quick shortens them for development. */
export interface TimingOptions {
  readonly minSamples: number;
  readonly maxTimeSeconds: number;
  /** Turns each variant gets; samples and time are split between them. */
  readonly rounds: number;
}

export const FULL_TIMING: TimingOptions = { minSamples: 6, maxTimeSeconds: 3, rounds: 3 };
export const QUICK_TIMING: TimingOptions = { minSamples: 2, maxTimeSeconds: 0.3, rounds: 1 };

/** The first call of an implementation. */
export interface FirstCall {
  readonly firstMs: number;
  /** Its return value, mapped by impl.output. */
  readonly output: unknown;
}

/** Summary of pooled per-op samples. */
export interface Spread {
  readonly medianMs: number;
  readonly q1Ms: number;
  readonly q3Ms: number;
  readonly samples: number;
}

let sink: unknown; // keeps every result reachable, so no call is optimised away

/** The q-quantile (0..1) of values, linear between order statistics. */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const lo = Math.floor(at);
  return lo + 1 < s.length ? s[lo]! + (s[lo + 1]! - s[lo]!) * (at - lo) : s[lo]!;
}

export function spread(samplesMs: readonly number[]): Spread {
  return { medianMs: quantile(samplesMs, 0.5), q1Ms: quantile(samplesMs, 0.25), q3Ms: quantile(samplesMs, 0.75), samples: samplesMs.length };
}

function runBenchmark(impl: Impl, minSamples: number, maxTimeSeconds: number): Promise<Benchmark> {
  return new Promise((resolve, reject) => {
    const options: Benchmark.Options = {
      minSamples,
      maxTime: maxTimeSeconds,
      onComplete: () => (bench.error ? reject(bench.error) : resolve(bench)),
      onError: () => reject(bench.error),
    };
    const bench = impl.async
      ? new Benchmark(impl.variant, {
          ...options,
          defer: true,
          fn: (deferred: Benchmark.Deferred) => {
            (impl.fn() as Promise<unknown>).then((v) => { sink = v; deferred.resolve(); }, reject);
          },
        })
      : new Benchmark(impl.variant, () => { sink = impl.fn(); }, options);
    bench.run({ async: impl.async ?? false });
  });
}

/** Times the first call of `impl` on its own (per op) and maps its result. */
export async function firstCall(impl: Impl): Promise<FirstCall> {
  const t0 = performance.now();
  const first = impl.async ? await impl.fn() : impl.fn();
  const firstMs = (performance.now() - t0) / (impl.opsPerCall ?? 1);
  sink = first;
  return { firstMs, output: impl.output ? impl.output(first) : first };
}

/** One round of sampling of `impl`: per-op times in ms. */
export async function sampleRound(impl: Impl, timing: TimingOptions): Promise<number[]> {
  const bench = await runBenchmark(impl, Math.max(1, Math.ceil(timing.minSamples / timing.rounds)), timing.maxTimeSeconds / timing.rounds);
  const perOp = 1000 / (impl.opsPerCall ?? 1);
  return bench.stats.sample.map((s) => s * perOp);
}
