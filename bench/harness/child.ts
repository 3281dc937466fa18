// One suite in its own process (forked by bench/run.ts): imports the suite file, runs the
// workloads that pass the filters (setup, every impl timed and cross-checked, teardown) and
// sends a SuiteReport to the parent. Large data lives and dies with this process.
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { FULL_TIMING, QUICK_TIMING, firstCall, sampleRound, spread, type FirstCall } from './measure.js';
import { formatTime } from './report.js';
import type { ImplFigure, SuiteReport, WorkloadFigures } from './results.js';
import type { Impl, Suite, Unavailable, Workload } from './suite.js';

/** Arguments the parent passes: suite file, quick flag, filters (all as argv). */
export interface ChildArgs { readonly file: string; readonly quick: boolean; readonly filters: readonly string[] }

function selected(suite: Suite, file: string, w: Workload, filters: readonly string[]): boolean {
  if (filters.length === 0) return true;
  const hay = [suite.name, file, w.name].map((s) => s.toLowerCase());
  return filters.some((f) => hay.some((h) => h.includes(f.toLowerCase())));
}

async function runWorkload(suite: Suite, w: Workload, quick: boolean): Promise<WorkloadFigures> {
  const base = quick ? QUICK_TIMING : FULL_TIMING;
  const timing = quick ? base : { ...base, minSamples: w.minSamples ?? base.minSamples, maxTimeSeconds: w.maxTimeSeconds ?? base.maxTimeSeconds };
  await w.setup?.();
  try {
    const all = await w.impls();
    const impls = all.filter((i): i is Impl => !('unavailable' in i));
    const unavailable = all.filter((i): i is Unavailable => 'unavailable' in i).map((u) => ({ variant: u.variant, reason: u.unavailable }));
    for (const u of unavailable) process.stderr.write(`  ${suite.name} | ${w.name} | ${u.variant}: peer unavailable: ${u.reason}\n`);
    const equal = w.equal ?? isDeepStrictEqual;
    const firsts: FirstCall[] = [];
    for (const impl of impls) {
      await impl.prepare?.();
      firsts.push(await firstCall(impl));
    }
    // Outputs are compared with the first variant that gives one.
    const ref = firsts.findIndex((f) => f.output !== undefined);
    const samples: number[][] = impls.map(() => []);
    for (let round = 0; round < timing.rounds; round++)
      for (const [i, impl] of impls.entries()) {
        await impl.prepare?.();
        samples[i]!.push(...await sampleRound(impl, timing));
      }
    const figures: ImplFigure[] = impls.map((impl, i) => {
      const f = firsts[i]!;
      const mismatch = f.output !== undefined && i !== ref && !equal(firsts[ref]!.output, f.output);
      const s = spread(samples[i]!);
      process.stderr.write(`  ${suite.name} | ${w.name} | ${impl.variant}: ${formatTime(s.medianMs)}${mismatch ? '  MISMATCH' : ''}\n`);
      return { variant: impl.variant, medianMs: s.medianMs, q1Ms: s.q1Ms, q3Ms: s.q3Ms, firstMs: f.firstMs, samples: s.samples, ...(mismatch ? { mismatch } : {}) };
    });
    return { suite: suite.name, name: w.name, bytes: w.bytes, items: w.items, itemUnit: w.itemUnit, impls: figures, ...(unavailable.length ? { unavailable } : {}) };
  } finally {
    await w.teardown?.();
    (globalThis as { gc?: () => void }).gc?.(); // the next workload starts without this one's garbage
  }
}

/** Runs the selected workloads of one suite file in this process. */
export async function runSuiteFile(args: ChildArgs): Promise<SuiteReport> {
  let suite: Suite;
  try {
    suite = (await import(pathToFileURL(args.file).href) as { default: Suite }).default;
  } catch (e) {
    // A suite of an optional part (e.g. SQLite) whose package is not installed is skipped.
    const missing = /Cannot find (?:package|module) '([^']+)'/.exec((e as Error)?.message ?? '');
    if ((e as { code?: string })?.code === 'ERR_MODULE_NOT_FOUND' && missing && !missing[1]!.startsWith('/') && !missing[1]!.startsWith('.'))
      return { suite: basename(args.file, '.bench.ts'), workloads: [], skipped: `needs the package ${missing[1]}` };
    throw e;
  }
  const workloads: WorkloadFigures[] = [];
  try {
    for (const w of suite.workloads)
      if (selected(suite, args.file, w, args.filters)) workloads.push(await runWorkload(suite, w, args.quick));
  } catch (e) {
    return { suite: suite.name, workloads, error: (e as Error)?.stack ?? String(e) };
  }
  return { suite: suite.name, backend: suite.backend?.(), workloads };
}

if (process.send && process.argv[2] === '--suite') {
  const [file, quick, ...filters] = process.argv.slice(3);
  const report = await runSuiteFile({ file: file!, quick: quick === 'quick', filters });
  process.send(report, () => process.exit(0));
}
