// Error-rate conventions against small cases computed by hand (docs/EVALUATION.md "Metrics").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { acceptRate, detPoints, equalErrorRate, errorCurve, fnmrAtFmr } from '../../src/eval/index.js';

const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} != ${b}`);

test('curve with ties: FMR counts impostors >= t, FNMR genuine < t, one point per distinct score', () => {
  const c = errorCurve([0.5, 0.7, 0.9], [0.3, 0.5, 0.5, 0.7]);
  assert.equal([...c.thresholds], [0.3, 0.5, 0.7, 0.9, Infinity]);
  assert.equal([...c.fmr], [1, 0.75, 0.25, 0, 0]);
  assert.equal([...c.fnmr].map((x) => x.toFixed(6)), ['0.000000', '0.000000', '0.333333', '0.666667', '1.000000']);
});

test('EER with ties: interpolated between t = 0.5 (0.75, 0) and t = 0.7 (0.25, 1/3) -> 0.30 at t = 0.68', () => {
  // d = FMR - FNMR goes 0.75 -> -1/12; a = 0.75 / (0.75 + 1/12) = 0.9; EER = 0.75 - 0.9 * 0.5 = 0.3.
  const e = equalErrorRate(errorCurve([0.5, 0.7, 0.9], [0.3, 0.5, 0.5, 0.7]));
  close(e.eer, 0.3, 'eer');
  close(e.threshold, 0.68, 'threshold');
});

test('exactly separable: EER 0 at the lowest genuine score', () => {
  const e = equalErrorRate(errorCurve([0.8, 0.9], [0.1, 0.2]));
  close(e.eer, 0, 'eer');
  close(e.threshold, 0.8, 'threshold');
});

test('fully overlapping: EER 0.5', () => {
  const s = [0.1, 0.2, 0.3, 0.4];
  const e = equalErrorRate(errorCurve(s, s));
  close(e.eer, 0.5, 'eer');
  close(e.threshold, 0.3, 'threshold');
});

test('FNMR at FMR: the smallest threshold whose FMR is at most the target, no interpolation', () => {
  const c = errorCurve([0.5, 0.7, 0.9], [0.3, 0.5, 0.5, 0.7]);
  const a = fnmrAtFmr(c, 0.25);
  assert.is(a.threshold, 0.7);
  close(a.fnmr, 1 / 3, 'fnmr');
  assert.is(a.fmr, 0.25);
  assert.ok(a.measurable);
  const b = fnmrAtFmr(c, 0.1);
  assert.is(b.threshold, 0.9);
  assert.not.ok(b.measurable, 'four impostor scores cannot measure FMR 0.1');
  close(b.fnmr, 2 / 3, 'fnmr');
});

test('accept rate and DET points', () => {
  assert.is(acceptRate([0.1, 0.5, 0.5, 0.9], 0.5), 0.75);
  const c = errorCurve([0.5, 0.7, 0.9], [0.3, 0.5, 0.5, 0.7]);
  assert.equal(detPoints(c).map((p) => p.threshold), [0.7]); // only point with both rates > 0
});

test('errors: empty or NaN score samples', () => {
  assert.throws(() => errorCurve([], [0.1]), RangeError);
  assert.throws(() => errorCurve([Number.NaN], [0.1]), RangeError);
});

test.run();
