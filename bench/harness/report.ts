// Presentation of a run: the text table printed by `npm run bench` and the JSON of --json.
import type { MachineInfo } from './machine.js';
import { bandwidthGbPerS, combineRuns, derive, type DerivedFigure, type SuiteReport, type WorkloadFigures } from './results.js';

export interface RunJson {
  readonly date: string;
  readonly machine: MachineInfo;
  readonly node: string;
  readonly backend?: string;
  readonly nativeSkipped?: string;
  /** Peer libraries: version and folder, or why each is unavailable. */
  readonly peers?: Readonly<Record<string, string>>;
  /** Runs of every suite (--repeat; 1 by default). */
  readonly repeat: number;
  readonly bandwidth?: { readonly gbPerS: number; readonly variant: string };
  readonly workloads: readonly {
    readonly suite: string; readonly name: string; readonly bytes?: number; readonly items?: number;
    readonly itemUnit?: string; readonly impls: readonly DerivedFigure[];
    readonly unavailable?: readonly { readonly variant: string; readonly reason: string }[];
  }[];
  readonly errors: readonly { readonly suite: string; readonly error: string }[];
  readonly skippedSuites: readonly { readonly suite: string; readonly reason: string }[];
}

/** Workloads of all runs grouped by suite and name, in the order first seen. */
function groupRuns(all: readonly WorkloadFigures[]): WorkloadFigures[][] {
  const groups = new Map<string, WorkloadFigures[]>();
  for (const w of all) {
    const id = `${w.suite}\u0000${w.name}`;
    groups.set(id, [...(groups.get(id) ?? []), w]);
  }
  return [...groups.values()];
}

/**
 * Everything measured in one invocation, with ratios derived. A workload measured by several runs
 * of its suite (--repeat) gets one row per variant: the median over the runs, with the range.
 */
export function runJson(machine: MachineInfo, reports: readonly SuiteReport[], nativeSkipped: string | undefined, repeat = 1, peers?: Readonly<Record<string, string>>): RunJson {
  const all = reports.flatMap((r) => r.workloads);
  const bandwidth = bandwidthGbPerS(all);
  const round = (v: number | undefined, digits: number) => (v === undefined ? undefined : Number(v.toPrecision(digits)));
  const roundRange = (r: readonly [number, number] | undefined, digits: number) => (r === undefined ? undefined : [round(r[0], digits)!, round(r[1], digits)!] as const);
  return {
    date: new Date().toISOString(),
    machine,
    node: process.version,
    backend: reports.find((r) => r.backend)?.backend,
    nativeSkipped,
    ...(peers ? { peers } : {}),
    repeat,
    bandwidth,
    workloads: groupRuns(all).map((runs) => {
      const w = runs[0]!;
      return {
        suite: w.suite, name: w.name, bytes: w.bytes, items: w.items, itemUnit: w.itemUnit,
        ...(w.unavailable ? { unavailable: w.unavailable } : {}),
        impls: combineRuns(runs.map((r) => derive(r, bandwidth?.gbPerS))).map((f) => ({
          ...f,
          medianMs: round(f.medianMs, 5)!, q1Ms: round(f.q1Ms, 5)!, q3Ms: round(f.q3Ms, 5)!, firstMs: round(f.firstMs, 5)!, firstOverMedian: round(f.firstOverMedian, 3)!,
          gbPerS: round(f.gbPerS, 4), itemsPerS: round(f.itemsPerS, 4),
          xBaseline: round(f.xBaseline, 4), xNative: round(f.xNative, 4), pctBandwidth: round(f.pctBandwidth, 3),
          medianMsRange: roundRange(f.medianMsRange, 5), xBaselineRange: roundRange(f.xBaselineRange, 4), xNativeRange: roundRange(f.xNativeRange, 4),
        })),
      };
    }),
    errors: reports.filter((r) => r.error).map((r) => ({ suite: r.suite, error: r.error! })),
    skippedSuites: [...new Map(reports.filter((r) => r.skipped).map((r) => [r.suite, { suite: r.suite, reason: r.skipped! }])).values()],
  };
}

export function formatTime(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(ms >= 100 ? 1 : 2)} ms`;
  if (ms >= 1e-3) return `${(ms * 1e3).toFixed(2)} us`;
  return `${(ms * 1e6).toFixed(1)} ns`;
}

export function formatRate(perS: number, unit: string): string {
  const [v, p] = perS >= 1e9 ? [perS / 1e9, 'G'] : perS >= 1e6 ? [perS / 1e6, 'M'] : perS >= 1e3 ? [perS / 1e3, 'k'] : [perS, ''];
  return `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${p}${unit}/s`;
}

/** GB/s with two decimals, or two significant digits below 0.1. */
export function formatGb(gbPerS: number): string {
  return gbPerS >= 0.1 ? gbPerS.toFixed(2) : gbPerS.toPrecision(2);
}

const times = (x: number) => x.toFixed(x >= 10 ? 1 : 2);
/** A ratio, with its range over the runs when there were several: `1.52x (1.40-1.71)`. */
const ratio = (x: number | undefined, r?: readonly [number, number]) =>
  x === undefined ? '' : r ? `${times(x)}x (${times(r[0])}-${times(r[1])})` : `${times(x)}x`;

const HEADER = ['workload', 'variant', 'median', 'first', 'GB/s', 'items/s', 'x baseline', 'x native', '% bw'];

/** A row: its cells, or for a variant that could not run, the workload, the variant and the reason. */
type Row = { readonly cells: string[] } | { readonly workload: string; readonly variant: string; readonly note: string };

/** One row per workload variant, then one per unavailable variant. */
function rows(run: RunJson): Row[] {
  return run.workloads.flatMap((w) => [
    ...w.impls.map((f) => ({ cells: [
      `${w.suite}: ${w.name}`, f.mismatch ? `${f.variant} MISMATCH` : f.variant, formatTime(f.medianMs), formatTime(f.firstMs),
      f.gbPerS === undefined ? '' : formatGb(f.gbPerS), f.itemsPerS === undefined ? '' : formatRate(f.itemsPerS, w.itemUnit ?? 'op'),
      ratio(f.xBaseline, f.xBaselineRange), ratio(f.xNative, f.xNativeRange), f.pctBandwidth === undefined ? '' : f.pctBandwidth < 1 ? '<1%' : `${f.pctBandwidth.toFixed(0)}%`,
    ] })),
    ...(w.unavailable ?? []).map((u) => ({ workload: `${w.suite}: ${w.name}`, variant: u.variant, note: `peer unavailable: ${u.reason}` })),
  ]);
}

/** The machine, compiler and bandwidth lines printed under the table. */
function notes(run: RunJson): string[] {
  return [
    `${run.machine.cpu}, ${run.machine.cores} cores, ${run.machine.memoryGiB} GiB, ${run.machine.os}, Node ${run.node}, V8 ${run.machine.v8}`,
    `native: ${run.machine.compiler} ${run.nativeSkipped ? '' : run.machine.compilerFlags}`.trimEnd(),
    run.bandwidth ? `single-core read bandwidth: ${run.bandwidth.gbPerS.toFixed(2)} GB/s (${run.bandwidth.variant}, the better of the runs of the memory suite); "% bw" is GB/s scanned over it` : 'read bandwidth not measured',
    ...(run.backend ? [`matching backend: ${run.backend}`] : []),
    ...Object.entries(run.peers ?? {}).map(([name, status]) => `peer ${name}: ${status}`),
    'median and first are per op; "x baseline"/"x native" = median / that variant\'s median (lower is faster)',
    ...(run.repeat > 1 ? [`each suite ran ${run.repeat} times: every figure is the median over the runs, ratios taken within each run; (min-max) is the range of a ratio over the runs`] : []),
    ...run.skippedSuites.map((s) => `suite ${s.suite} skipped: ${s.reason}`),
    ...run.errors.map((e) => `ERROR in suite ${e.suite}: ${e.error}`),
  ];
}

/** The text table (one row per workload variant) and the notes under it. */
export function formatTable(run: RunJson): string {
  const all = rows(run);
  const first = (r: Row) => ('cells' in r ? r.cells.slice(0, 2) : [r.workload, r.variant]);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...all.map((r) => ('cells' in r ? r.cells[i]! : i < 2 ? first(r)[i]! : '').length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const rowLine = (r: Row) => ('cells' in r ? line(r.cells) : `${line(first(r))}  ${r.note}`);
  return [line(HEADER), line(widths.map((n) => '-'.repeat(n))), ...all.map(rowLine), '', ...notes(run)].join('\n');
}

/** The same table as Markdown (for a README), the notes as a list under it. */
export function formatMarkdown(run: RunJson): string {
  const line = (r: string[]) => `| ${r.join(' | ')} |`;
  const align = HEADER.map((_, i) => (i < 2 ? '---' : '---:'));
  const cellsOf = (r: Row) => ('cells' in r ? r.cells : [r.workload, r.variant, r.note, ...HEADER.slice(3).map(() => '')]);
  return [line(HEADER), line(align), ...rows(run).map((r) => line(cellsOf(r))), '', ...notes(run).map((n) => `- ${n}`)].join('\n');
}
