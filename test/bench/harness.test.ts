// The benchmark harness end to end on a tiny suite: a suite process runs, every variant is timed,
// ratios and throughputs are derived, JSON is written, disagreeing variants fail the run, and a
// suite whose optional package is missing is skipped with a note.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunJson } from '../../bench/harness/report.js';
import { combineRuns, median, type DerivedFigure } from '../../bench/harness/results.js';
import { runBench } from '../../bench/run.js';

const suiteDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'templock-bench-test-'));

async function run(filter: string): Promise<{ code: number; json: RunJson; text: string; markdown: string }> {
  const file = join(tmp, `${filter}.json`), md = join(tmp, `${filter}.md`);
  let text = '';
  const code = await runBench([filter, '--quick', '--json', file, '--markdown', md], { suiteDir, out: (t) => (text += t) });
  return { code, json: JSON.parse(readFileSync(file, 'utf8')) as RunJson, text, markdown: readFileSync(md, 'utf8') };
}

test('a tiny workload runs end to end: medians, throughputs, ratios, JSON', async () => {
  const { code, json, text, markdown } = await run('read_f64');
  assert.is(code, 0);
  assert.is(json.workloads.length, 1);
  const w = json.workloads[0]!;
  assert.is(w.name, 'read_f64 32 KiB');
  const byVariant = new Map(w.impls.map((f) => [f.variant, f]));
  const base = byVariant.get('baseline')!;
  const other = byVariant.get('js-reversed')!;
  assert.is(base.xBaseline, 1);
  for (const f of w.impls) {
    assert.ok(f.medianMs > 0 && f.firstMs > 0 && f.samples >= 2, f.variant);
    assert.ok(f.q1Ms <= f.medianMs && f.medianMs <= f.q3Ms, f.variant);
    assert.is(f.mismatch, undefined);
    assert.ok(Math.abs(f.gbPerS! - 32 * 1024 / (f.medianMs * 1e6)) <= 1e-3 * f.gbPerS!);
    assert.ok(Math.abs(f.itemsPerS! - 4096_000 / f.medianMs) <= 1e-3 * f.itemsPerS!);
  }
  assert.ok(Math.abs(other.xBaseline! - other.medianMs / base.medianMs) <= 1e-3 * other.xBaseline!);
  if (json.nativeSkipped === undefined) assert.is(byVariant.get('native')!.xNative, 1);
  assert.ok(text.includes('read_f64 32 KiB') && text.includes('js-reversed'));
  const mdRows = markdown.split('\n').filter((l) => l.startsWith('| tiny: read_f64 32 KiB |'));
  assert.is(mdRows.length, w.impls.length + 1);
  assert.ok(markdown.startsWith('| workload | variant | median |'));
  assert.is(json.machine.node, process.version);
  assert.equal(json.skippedSuites, [{ suite: 'optional', reason: 'needs the package templock-bench-test-absent-package' }]);
  // A variant that cannot run (a peer that did not install) is a row with its reason, never timed.
  const reason = 'npm install absent-peer@1.0.0 failed: a download during its install failed (ENOTFOUND)';
  assert.equal(w.unavailable, [{ variant: 'absent-peer', reason }]);
  assert.not.ok(w.impls.some((f) => f.variant === 'absent-peer'));
  assert.match(text, new RegExp(`tiny: read_f64 32 KiB\\s+absent-peer\\s+peer unavailable: ${reason.replace(/[()]/g, '\\$&')}`));
  assert.ok(markdown.includes(`| tiny: read_f64 32 KiB | absent-peer | peer unavailable: ${reason} |`));
  assert.ok(text.includes('suite optional skipped: needs the package templock-bench-test-absent-package'));
});

test('variants that compute different results are reported and fail the run', async () => {
  const { code, json, text } = await run('disagreeing');
  assert.is(code, 1);
  const w = json.workloads[0]!;
  assert.is(w.impls.find((f) => f.variant === 'wrong')!.mismatch, true);
  assert.is(w.impls.find((f) => f.variant === 'baseline')!.mismatch, undefined);
  assert.ok(text.includes('wrong MISMATCH'));
});

test('--repeat 3 runs the suite three times: one row per variant with the median over the runs and the range of each ratio', async () => {
  const file = join(tmp, 'repeat.json'), md = join(tmp, 'repeat.md');
  let text = '';
  const code = await runBench(['read_f64', '--quick', '--repeat', '3', '--json', file, '--markdown', md], { suiteDir, out: (t) => (text += t) });
  assert.is(code, 0);
  const json = JSON.parse(readFileSync(file, 'utf8')) as RunJson;
  assert.is(json.repeat, 3);
  assert.is(json.workloads.length, 1);
  const w = json.workloads[0]!;
  assert.equal(w.impls.map((f) => f.variant).sort(), [...new Set(w.impls.map((f) => f.variant))].sort());
  for (const f of w.impls) {
    assert.is(f.runs, 3, f.variant);
    const [lo, hi] = f.medianMsRange!;
    assert.ok(lo <= f.medianMs && f.medianMs <= hi, f.variant);
    const [xlo, xhi] = f.xBaselineRange!;
    assert.ok(xlo <= f.xBaseline! && f.xBaseline! <= xhi, f.variant);
  }
  assert.equal(w.impls.find((f) => f.variant === 'baseline')!.xBaselineRange, [1, 1]);
  assert.ok(text.includes('each suite ran 3 times'));
  assert.match(readFileSync(md, 'utf8'), /\| 1\.00x \(1\.00-1\.00\) \|/);
  let caught: unknown;
  try { await runBench(['--repeat', '2.5'], { suiteDir, out: () => {} }); } catch (e) { caught = e; }
  assert.instance(caught, RangeError);
  assert.match((caught as Error).message, '"--repeat" expected an integer from 1 to 100, got 2.5');
});

test('combineRuns: medians over the runs, ratios taken within each run, ranges, mismatches kept', () => {
  const fig = (variant: string, medianMs: number, xBaseline: number, mismatch = false): DerivedFigure => ({
    variant, medianMs, q1Ms: medianMs, q3Ms: medianMs, firstMs: 2 * medianMs, samples: 5, firstOverMedian: 2, xBaseline, ...(mismatch ? { mismatch } : {}),
  });
  // Run 2 is slow for both variants: its ratio is still 0.5.
  const runs = [[fig('baseline', 10, 1), fig('wasm', 5, 0.5)], [fig('baseline', 40, 1), fig('wasm', 20, 0.5, true)], [fig('baseline', 12, 1), fig('wasm', 4, 1 / 3)]];
  const [base, wasm] = combineRuns(runs);
  assert.equal([base!.medianMs, base!.medianMsRange, base!.xBaseline, base!.xBaselineRange, base!.runs, base!.samples], [12, [10, 40], 1, [1, 1], 3, 15]);
  assert.equal([wasm!.medianMs, wasm!.xBaseline, wasm!.xBaselineRange, wasm!.mismatch, wasm!.firstMs], [5, 0.5, [1 / 3, 0.5], true, 10]);
  assert.is(wasm!.xNativeRange, undefined);
  assert.equal(combineRuns([runs[0]!]), runs[0]);
  assert.is(median([4, 1, 3, 2]), 2.5);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));
test.run();
