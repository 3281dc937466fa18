// Timing of one implementation: its first call alone (performance.now), then the `benchmark`
// package's sampling; the figure is the median of the per-op sample times.
import Benchmark from 'benchmark';
import type { Impl } from './suite.js';

/** Timing options of a run: --quick shortens them for development. */
export interface TimingOptions { readonly minSamples: number; readonly maxTimeSeconds: number }

export const FULL_TIMING: TimingOptions = { minSamples: 5, maxTimeSeconds: 3 };
export const QUICK_TIMING: TimingOptions = { minSamples: 2, maxTimeSeconds: 0.3 };

/** What was measured for one implementation. */
export interface Timing {
  readonly medianMs: number;
  readonly firstMs: number;
  readonly samples: number;
  readonly rmePercent: number;
  /** The first call's return value, mapped by impl.output. */
  readonly output: unknown;
}

let sink: unknown; // keeps every result reachable, so no call is optimised away

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

function runBenchmark(impl: Impl, timing: TimingOptions): Promise<Benchmark> {
  return new Promise((resolve, reject) => {
    const options: Benchmark.Options = {
      minSamples: timing.minSamples,
      maxTime: timing.maxTimeSeconds,
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

/** Times `impl`: its first call on its own, then sampled; all times per op (opsPerCall). */
export async function measure(impl: Impl, timing: TimingOptions): Promise<Timing> {
  const ops = impl.opsPerCall ?? 1;
  const t0 = performance.now();
  const first = impl.async ? await impl.fn() : impl.fn();
  const firstMs = (performance.now() - t0) / ops;
  const output = impl.output ? impl.output(first) : first;
  sink = first;
  const bench = await runBenchmark(impl, timing);
  const sample = bench.stats.sample;
  return { medianMs: (median(sample) * 1000) / ops, firstMs, samples: sample.length, rmePercent: bench.stats.rme, output };
}

